//! The client's side of Hyfin's external-id customer API: the upsert keyed by `external_id` and
//! the read keyed by the same id.

use billsync_core::provider_kit::{ProviderErrors, Validator, url_with_segments};
use billsync_core::reqwest::Method;
use billsync_core::reqwest::StatusCode;
use billsync_core::{Customer, Outcome, PreparedRequest, Result, RetrySafety, Upserted};

use super::mapping::customer_v3_request;
use super::wire::HyfinV3Customer;
use crate::customer_api::CUSTOMER_LOOKUP_API_VERSION;
use crate::error::{HyfinError, decode_error};
use crate::wire::HyfinAction;
use crate::{HyfinClient, PROVIDER};

impl HyfinClient {
    /// The v3 `customer/addUpdate` of `customer`. Hyfin keys it by `external_id`, so repeating
    /// it (a retry after a 5xx or a timeout, a later run that lost its state) updates the same
    /// customer: it is marked idempotent and retried like any other idempotent write.
    pub(crate) fn customer_v3_request(&self, customer: &Customer) -> Result<PreparedRequest> {
        let body = customer_v3_request(customer)?;
        let url = self.endpoints.customer_v3.clone();
        self.post(url, "customer.addUpdate", &body, RetrySafety::Idempotent)
    }

    pub(crate) async fn upsert_customer_v3(&self, customer: &Customer) -> Result<Upserted> {
        let req = self.customer_v3_request(customer)?;
        let (accepted, attempts) = self.add_update(&req).await?;
        // No field can be cleared through this API either (fields it does not carry at all are
        // listed in the crate docs).
        Ok(Upserted::new(
            PROVIDER,
            customer,
            outcome_v3(accepted.action),
            accepted.id,
            attempts,
        )
        .with_not_cleared(crate::mapping::customer_fields_not_cleared(customer)))
    }

    /// The request [`HyfinClient::customer_by_external_id`] sends:
    /// `GET {base_url}/api/v3.1/site/{site_id}/customer/{external_id}`, the external id
    /// percent-encoded as one path segment.
    pub fn prepare_customer_lookup(&self, external_id: &str) -> Result<PreparedRequest> {
        let mut v = Validator::new();
        v.check(
            !external_id.trim().is_empty(),
            "external_id",
            "must not be blank",
        );
        v.finish(Some(PROVIDER))?;
        let config = self.config();
        let url = url_with_segments(
            config.base_url(),
            &[
                "api",
                CUSTOMER_LOOKUP_API_VERSION,
                "site",
                config.site_id(),
                "customer",
                external_id,
            ],
        )
        .map_err(|e| e.with_provider(PROVIDER))?;
        Ok(
            PreparedRequest::new(Method::GET, url, "customer.get", RetrySafety::Idempotent)
                .with_header_value(config.auth_header.clone(), self.endpoints.auth.clone()),
        )
    }

    /// Reads the customer Hyfin holds under `external_id` through Hyfin's 3.1 customer API, or
    /// `None` when Hyfin answers 404. Customers written through the v3 API carry an external id;
    /// Hyfin documents none for customers written through v4, so those are not found this way.
    pub async fn customer_by_external_id(
        &self,
        external_id: &str,
    ) -> Result<Option<HyfinV3Customer>> {
        let req = self.prepare_customer_lookup(external_id)?;
        let resp = self.http.send(&req).await?;
        if resp.status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let failed = HyfinError::parse(&resp).is_some_and(|b| b.is_failure());
        if !resp.status.is_success() || failed {
            return Err(HyfinError::classify(&resp, req.retry));
        }
        let customer: HyfinV3Customer = resp.json_object(PROVIDER, "a Hyfin customer")?;
        match customer.external_id.as_deref() {
            Some(got) if got == external_id => Ok(Some(customer)),
            Some(_) => Err(decode_error(
                &resp,
                "the customer of the external id asked for (it named another)",
            )),
            None if customer.id.is_some() => Ok(Some(customer)),
            None => Err(decode_error(&resp, "a Hyfin customer")),
        }
    }
}

/// What a v3 addUpdate did, from Hyfin's `action`. `added` is a create and `updated` an update.
/// An `updated` after a retry may be the customer that this upsert's own earlier attempt added
/// (its answer was lost): billsync reports what Hyfin says. An answer without a known `action`
/// is reported as an update: the customer exists under its external id, and billsync does not
/// claim to have created it.
fn outcome_v3(action: HyfinAction) -> Outcome {
    match action {
        HyfinAction::Added => Outcome::Created,
        HyfinAction::Updated | HyfinAction::Unknown => Outcome::Updated,
    }
}
