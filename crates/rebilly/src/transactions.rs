//! Payments recorded as outside-processed transactions: `POST /transactions` once, a repeated
//! `requestId` recognised, and the transaction it refers to found.

use billsync_core::provider_kit::{ProviderErrors, RawResponse};
use billsync_core::reqwest::{Method, StatusCode};
use billsync_core::{
    Error, ErrorKind, Outcome, Payment, PreparedRequest, RecordKind, Result, RetrySafety, Upserted,
};

use crate::PROVIDER;
use crate::answers::{id_from_location, parse_object};
use crate::client::RebillyClient;
use crate::error::{RebillyProblem, RequestIdReuse, decode_error, request_id_reuse};
use crate::wire::{TransactionResponse, TransactionResult};

impl RebillyClient {
    /// `GET /transactions?filter=requestId:{id}&limit=1`: finds the transaction a duplicate
    /// `requestId` refers to.
    pub(crate) fn lookup_request(&self, request_id: &str) -> Result<PreparedRequest> {
        let mut url = self.transactions_url().clone();
        url.query_pairs_mut()
            .append_pair("filter", &format!("requestId:{request_id}"))
            .append_pair("limit", "1");
        let req = PreparedRequest::new(
            Method::GET,
            url,
            "transactions.getByRequestId",
            RetrySafety::Idempotent,
        );
        self.authorized(req)
    }

    pub(crate) async fn record_payment(&self, payment: &Payment) -> Result<Upserted> {
        let req = self.prepare_transaction(payment)?;
        if let Some(id) = self
            .ids
            .get(&self.account, RecordKind::Payment, &payment.external_id)?
        {
            return Ok(Upserted::new(PROVIDER, payment, Outcome::Unchanged, id, 0));
        }
        let request_id = crate::mapping::request_id(&payment.external_id);
        let (resp, parsed) = self.http.send_json::<TransactionResponse>(&req).await?;
        let mut requests = resp.attempts;
        let (outcome, id) = match resp.status {
            StatusCode::CREATED | StatusCode::OK => {
                let body = parse_object(&resp, parsed, "a transaction")?;
                let id = body
                    .id
                    .clone()
                    .filter(|id| !id.is_empty())
                    .or_else(|| id_from_location(&resp.headers))
                    .ok_or_else(|| decode_error(&resp, "a transaction (no id)"))?;
                if let Some(
                    result @ (TransactionResult::Declined
                    | TransactionResult::Abandoned
                    | TransactionResult::Canceled),
                ) = body.result
                {
                    return Err(Error::new(
                        ErrorKind::Rejected,
                        format!(
                            "Rebilly recorded transaction {id} with result {result:?} instead of approved"
                        ),
                    )
                    .with_provider(PROVIDER)
                    .with_status(resp.status.as_u16())
                    .with_attempts(resp.attempts)
                    .with_detail(body));
                }
                // 200 is not a documented answer to a create: it can only be Rebilly handing
                // back the transaction a repeated `requestId` already created.
                let outcome = if resp.status == StatusCode::CREATED {
                    Outcome::Created
                } else {
                    Outcome::Unchanged
                };
                (outcome, id)
            }
            status if status.is_success() => {
                return Err(decode_error(&resp, "a transaction (status not 201)"));
            }
            _ => {
                let err = RebillyProblem::classify(&resp, req.retry);
                let id = self
                    .reused_request_id(&resp, err, &request_id, &mut requests)
                    .await?;
                (Outcome::Unchanged, id)
            }
        };
        self.ids.put(
            &self.account,
            RecordKind::Payment,
            &payment.external_id,
            &id,
        )?;
        Ok(Upserted::new(PROVIDER, payment, outcome, id, requests))
    }

    /// The transaction an error answer to `POST /transactions` refers to when the answer is
    /// about a reused `requestId` (see [`request_id_reuse`]), or `err` (the answer's error)
    /// when it is not. `requests` counts the lookup's attempts.
    async fn reused_request_id(
        &self,
        resp: &RawResponse,
        err: Error,
        request_id: &str,
        requests: &mut u32,
    ) -> Result<String> {
        let said = match request_id_reuse(resp, err.detail::<RebillyProblem>()) {
            RequestIdReuse::No => return Err(err),
            RequestIdReuse::Named(id) => return Ok(id),
            RequestIdReuse::Possibly { said } => said,
        };
        let found = match self.find_by_request_id(request_id).await {
            Ok((found, attempts)) => {
                *requests += attempts;
                found
            }
            // The lookup failing says nothing about a conflict nobody said was the
            // `requestId`'s: report the answer itself.
            Err(lookup) => return Err(if said { lookup } else { err }),
        };
        match found {
            Some(id) => Ok(id),
            None if said => Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "Rebilly says requestId `{request_id}` was already used, but no transaction with it was found"
                ),
            )
            .with_provider(PROVIDER)
            .with_status(resp.status.as_u16())
            .with_attempts(resp.attempts)
            .with_codes(err.codes().iter().cloned())
            .with_messages(err.messages().iter().cloned())),
            None => Err(err),
        }
    }

    pub(crate) async fn find_by_request_id(
        &self,
        request_id: &str,
    ) -> Result<(Option<String>, u32)> {
        let req = self.lookup_request(request_id)?;
        let (resp, parsed) = self
            .http
            .send_json::<Vec<TransactionResponse>>(&req)
            .await?;
        if !resp.status.is_success() {
            return Err(RebillyProblem::classify(&resp, req.retry));
        }
        let list = resp.parsed_json(parsed, PROVIDER, "a list of transactions")?;
        let id = list
            .into_iter()
            .filter(|t| t.request_id.as_deref().is_none_or(|r| r == request_id))
            .find_map(|t| t.id.filter(|id| !id.is_empty()));
        Ok((id, resp.attempts))
    }
}
