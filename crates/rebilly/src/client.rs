//! The Rebilly client: builds requests as data, sends them, reads the answers.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use billsync_core::provider_kit::{
    HttpClient, ProviderErrors, in_span, secret_header_value, url_with_segments,
};
use billsync_core::reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue,
};
use billsync_core::reqwest::{Method, StatusCode};
use billsync_core::url::Url;
use billsync_core::{
    Account, Capabilities, Customer, IdMap, MemoryIdMap, Outcome, Payment, PreparedRequest,
    RecordKind, Result, RetrySafety, Support, Upsert, UpsertOptions, Upserted, async_trait,
};
use serde::Serialize;

use crate::PROVIDER;
pub(crate) use crate::answers::{id_from_location, parse_object};
use crate::config::{Credentials, RebillyConfig};
use crate::error::{RebillyProblem, decode_error};
use crate::mapping::{customer_request, transaction_request};
use crate::wire::CustomerResponse;

/// The header carrying a secret API key.
pub const API_KEY_HEADER: &str = "reb-apikey";

/// A client for one Rebilly organization.
///
/// Customers are upserted with `PUT /customers/{id}`, the id being the caller's external id
/// (Rebilly accepts caller-chosen ids), so no id needs remembering. Payments are recorded once
/// with `POST /transactions` as sales processed outside Rebilly; the client remembers each
/// transaction id in its [`IdMap`] (in memory unless [`RebillyClient::with_id_map`] gives a
/// persistent one) and does not send a payment it already recorded.
#[derive(Clone)]
pub struct RebillyClient {
    config: Arc<RebillyConfig>,
    pub(crate) http: HttpClient,
    pub(crate) ids: Arc<dyn IdMap>,
    pub(crate) account: Account,
    shared: Arc<Shared>,
}

/// What every request of a client shares, built once: the customers and transactions URLs under
/// the organization's base URL, and the auth header (its value marked sensitive).
struct Shared {
    /// `.../customers`: a customer's id is appended as one segment.
    customers_url: Url,
    /// `.../transactions`.
    transactions_url: Url,
    auth_name: HeaderName,
    auth_value: HeaderValue,
    /// The auth header and the JSON content type: every write's headers, shared by all of them.
    json_headers: Arc<HeaderMap>,
}

impl fmt::Debug for RebillyClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RebillyClient")
            .field("config", &self.config)
            .field("ids", &self.ids)
            .finish_non_exhaustive()
    }
}

impl RebillyClient {
    /// A client with an in-memory id map. Rebilly's `X-RateLimit-Retry-After` header (an epoch
    /// timestamp) is honoured within [`RetryConfig::max_retry_wait`](billsync_core::RetryConfig).
    pub fn new(config: RebillyConfig) -> Result<Self> {
        let http = HttpClient::for_provider::<RebillyProblem>(&config.http)?
            .with_rate_limit(config.documented_rate_limit());
        let organization_url = url_with_segments(
            &config.base_url,
            &["organizations", &config.organization_id],
        )
        .map_err(|e| e.with_provider(PROVIDER))?;
        let under_organization = |segment: &str| {
            url_with_segments(&organization_url, &[segment]).map_err(|e| e.with_provider(PROVIDER))
        };
        let customers_url = under_organization("customers")?;
        let transactions_url = under_organization("transactions")?;
        let (auth_name, prefix, secret) = match &config.credentials {
            Credentials::ApiKey(key) => (HeaderName::from_static(API_KEY_HEADER), "", key),
            Credentials::Jwt(jwt) => (AUTHORIZATION, "Bearer ", jwt),
        };
        let auth_value = secret_header_value(auth_name.as_str(), prefix, secret)
            .map_err(|e| e.with_provider(PROVIDER))?;
        let mut json_headers = HeaderMap::new();
        json_headers.append(auth_name.clone(), auth_value.clone());
        json_headers.append(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(RebillyClient {
            account: config.account(),
            config: Arc::new(config),
            http,
            ids: Arc::new(MemoryIdMap::new()),
            shared: Arc::new(Shared {
                customers_url,
                transactions_url,
                auth_name,
                auth_value,
                json_headers: Arc::new(json_headers),
            }),
        })
    }

    /// `{base_url}/organizations/{organizationId}/transactions`.
    pub(crate) fn transactions_url(&self) -> &Url {
        &self.shared.transactions_url
    }

    pub(crate) fn authorized(&self, req: PreparedRequest) -> Result<PreparedRequest> {
        Ok(req.with_header_value(
            self.shared.auth_name.clone(),
            self.shared.auth_value.clone(),
        ))
    }

    fn json_request<T: Serialize>(
        &self,
        method: Method,
        url: Url,
        operation: &'static str,
        body: &T,
    ) -> Result<PreparedRequest> {
        // Both writes are safe to repeat: the PUT names the customer, the POST carries a
        // `requestId` Rebilly de-duplicates.
        PreparedRequest::json(
            method,
            url,
            operation,
            RetrySafety::Idempotent,
            Arc::clone(&self.shared.json_headers),
            body,
        )
        .map_err(|e| e.with_provider(PROVIDER))
    }

    /// Validates `customer` and builds its `PUT /customers/{id}` request, without sending it.
    pub fn prepare_customer(&self, customer: &Customer) -> Result<PreparedRequest> {
        self.customer_put(customer).map(|(_, req)| req)
    }

    fn customer_put<'a>(&self, customer: &'a Customer) -> Result<(Cow<'a, str>, PreparedRequest)> {
        let (id, body) = customer_request(customer, &self.config)?;
        let url = url_with_segments(&self.shared.customers_url, &[&id])
            .map_err(|e| e.with_provider(PROVIDER))?;
        Ok((
            id,
            self.json_request(Method::PUT, url, "customers.put", &body)?,
        ))
    }

    /// Validates `payment` and builds its `POST /transactions` request, without sending it.
    pub fn prepare_transaction(&self, payment: &Payment) -> Result<PreparedRequest> {
        let body = transaction_request(payment, &self.config)?;
        let url = self.shared.transactions_url.clone();
        self.json_request(Method::POST, url, "transactions.post", &body)
    }

    async fn upsert_customer(&self, customer: &Customer) -> Result<Upserted> {
        let (sent_id, req) = self.customer_put(customer)?;
        let (resp, parsed) = self.http.send_json::<CustomerResponse>(&req).await?;
        let outcome = match resp.status {
            StatusCode::CREATED => Outcome::Created,
            StatusCode::OK => Outcome::Updated,
            s if s.is_success() => {
                return Err(decode_error(&resp, "a customer (status not 200/201)"));
            }
            _ => return Err(RebillyProblem::classify(&resp, req.retry)),
        };
        let body = parse_object(&resp, parsed, "a customer")?;
        let id = body
            .id
            .filter(|id| !id.is_empty())
            .or_else(|| id_from_location(&resp.headers))
            .unwrap_or_else(|| sent_id.into_owned());
        self.ids.put(
            &self.account,
            RecordKind::Customer,
            &customer.external_id,
            &id,
        )?;
        Ok(Upserted::new(
            PROVIDER,
            customer,
            outcome,
            id,
            resp.attempts,
        ))
    }

    /// What Rebilly supports through this client: customers are upserted by external id (it is
    /// the Rebilly id); payments are created once (a recorded transaction cannot be edited
    /// through this call, and a repeat is ignored by Rebilly within 24 hours thanks to the
    /// `requestId`, and beyond that by the id map when it is persistent). Idempotency keys from
    /// [`UpsertOptions`] are not used: the `requestId` is derived from the payment's external id.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities::new(Support::UpsertByExternalId, Support::CreateOnly, false)
    }
}

#[async_trait]
impl Upsert<Customer> for RebillyClient {
    /// The one `PUT /customers/{id}`.
    fn prepare(&self, customer: &Customer) -> Result<Vec<PreparedRequest>> {
        Ok(vec![self.prepare_customer(customer)?])
    }

    async fn upsert_with(&self, customer: &Customer, _options: &UpsertOptions) -> Result<Upserted> {
        let span = tracing::info_span!("billsync.upsert", provider = PROVIDER, kind = "customer");
        in_span(span, self.upsert_customer(customer)).await
    }
}

#[async_trait]
impl Upsert<Payment> for RebillyClient {
    /// The one `POST /transactions`, or nothing when the id map already holds the payment's
    /// transaction. (When Rebilly answers a repeat as a duplicate without naming the
    /// transaction, the upsert also reads `GET /transactions?filter=requestId:...`.)
    fn prepare(&self, payment: &Payment) -> Result<Vec<PreparedRequest>> {
        let req = self.prepare_transaction(payment)?;
        if self
            .ids
            .get(&self.account, RecordKind::Payment, &payment.external_id)?
            .is_some()
        {
            return Ok(Vec::new());
        }
        Ok(vec![req])
    }

    /// The `POST /transactions` that records the payment, whether or not it was recorded
    /// already: a recorded transaction cannot be edited, so a change to it must be seen.
    fn prepare_content(&self, payment: &Payment) -> Result<Vec<PreparedRequest>> {
        Ok(vec![self.prepare_transaction(payment)?])
    }

    /// Records the payment once; `options` are not used (see [`RebillyClient::capabilities`]).
    async fn upsert_with(&self, payment: &Payment, _options: &UpsertOptions) -> Result<Upserted> {
        let span = tracing::info_span!("billsync.upsert", provider = PROVIDER, kind = "payment");
        in_span(span, self.record_payment(payment)).await
    }
}

billsync_core::impl_provider!(RebillyClient {
    name: PROVIDER,
    config: RebillyConfig,
    customers: supported,
    payments: supported,
});
