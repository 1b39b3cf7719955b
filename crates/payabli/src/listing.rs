//! Listing every customer of an entrypoint into the id map before a bulk sync: one request per
//! 1,000 customers instead of one lookup per record.

use billsync_core::reqwest::Method;
use billsync_core::{PreparedRequest, RecordKind, Result};

use crate::PROVIDER;
use crate::client::PayabliClient;
use crate::error::failure;
use crate::wire::{PayabliQueryResponse, id_text};

/// Customers per page of a listing.
pub(crate) const LIST_PAGE: u64 = 1000;

/// A listed customer's `customerNumber` and Payabli id, if it has both.
pub(crate) fn number_and_id(record: &serde_json::Value) -> Option<(String, String)> {
    let number = record
        .get("customerNumber")
        .or_else(|| record.get("CustomerNumber"))?
        .as_str()?
        .to_owned();
    let id = record
        .get("customerId")
        .or_else(|| record.get("CustomerId"))
        .and_then(id_text)?;
    Some((number, id))
}

impl PayabliClient {
    /// `GET /Query/customers/{entry}?fromRecord=<from>&limitRecord=<LIST_PAGE>`: one page of
    /// every customer of the entrypoint.
    pub fn list_request(&self, from: u64) -> PreparedRequest {
        let mut url = self.shared.query.clone();
        url.query_pairs_mut()
            .append_pair("fromRecord", &from.to_string())
            .append_pair("limitRecord", &LIST_PAGE.to_string());
        self.request(Method::GET, url, "customer.list")
    }

    /// [`Provider::warm_up`](billsync_core::Provider::warm_up) for Payabli: lists the
    /// entrypoint's customers into the id map (one request per 1,000 customers), so that a bulk
    /// sync creates new customers without a lookup each. Other kinds have nothing to warm.
    pub(crate) async fn warm_up(&self, kind: RecordKind) -> Result<u32> {
        match kind {
            RecordKind::Customer => self.warm_customers().await,
            _ => Ok(0),
        }
    }

    /// Lists every customer of the entrypoint, page by page, into the id map; from then on a
    /// customer the map does not know is known not to exist, and is created without a lookup.
    pub(crate) async fn warm_customers(&self) -> Result<u32> {
        let mut requests = 0;
        let mut from = 0u64;
        loop {
            let req = self.list_request(from);
            let (resp, parsed) = self.http.send_json::<PayabliQueryResponse>(&req).await?;
            requests += resp.attempts;
            if !resp.status.is_success() {
                return Err(failure(&resp));
            }
            let page = resp.parsed_json(parsed, PROVIDER, "a customer query result")?;
            for record in &page.records {
                if let Some((number, id)) = number_and_id(record) {
                    self.ids
                        .put(&self.account, RecordKind::Customer, &number, &id)?;
                }
            }
            if page.records.len() < LIST_PAGE as usize {
                break;
            }
            from += LIST_PAGE;
        }
        self.listed.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(requests)
    }
}
