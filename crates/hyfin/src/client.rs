//! The Hyfin client: builds requests as data, sends them, reads the answers.

use std::fmt;
use std::sync::Arc;

use billsync_core::provider_kit::{HttpClient, in_span, secret_header_value, url_with_segments};
use billsync_core::reqwest::Method;
use billsync_core::reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use billsync_core::url::Url;
use billsync_core::{
    Account, Capabilities, Customer, IdMap, MemoryIdMap, Outcome, Payment, PreparedRequest,
    RecordKind, Result, RetrySafety, Support, Upsert, UpsertOptions, Upserted, async_trait,
};
use serde::Serialize;

use crate::PROVIDER;
use crate::config::HyfinConfig;
use crate::customer_api::{CUSTOMER_V3_API_VERSION, HyfinCustomerApi};
use crate::error::{Accepted, HyfinError, read_parsed_answer};
use crate::mapping::{CustomerPlan, customer_plan, payment_request};
use crate::wire::{HyfinAction, HyfinContactRequest, HyfinCustomerRequest};

/// API version of the customer endpoint (the version of the seed documents).
pub const CUSTOMER_API_VERSION: &str = "v4";
/// API version of the contact endpoint used for customers with several contacts.
pub const CONTACT_API_VERSION: &str = "v4";
/// API version of the payment endpoint (the seed documents pair v4 customers with v3 payments,
/// whose `external_id` upsert key and decimal amounts this crate relies on).
pub const PAYMENT_API_VERSION: &str = "v3";

/// A client for one Hyfin site.
///
/// With the v4 customer API (the default), customers are keyed at Hyfin by Hyfin's own `_id`;
/// the client remembers the `_id` of every customer and contact it creates in its [`IdMap`] (in
/// memory unless [`HyfinClient::with_id_map`] gives a persistent one), so the next upsert of the
/// same external id updates it. With the v3 customer API ([`HyfinCustomerApi::V3`]) and for
/// payments, records are keyed by the caller's `external_id` at Hyfin itself.
#[derive(Clone)]
pub struct HyfinClient {
    config: Arc<HyfinConfig>,
    pub(crate) http: HttpClient,
    ids: Arc<dyn IdMap>,
    account: Account,
    pub(crate) endpoints: Arc<Endpoints>,
}

/// What every request of a client shares, built once: the endpoint URLs and the auth header
/// value (sensitive).
pub(crate) struct Endpoints {
    customer: Url,
    /// The external-id customer upsert ([`HyfinCustomerApi::V3`]).
    pub(crate) customer_v3: Url,
    contact: Url,
    payment: Url,
    pub(crate) auth: HeaderValue,
    /// The auth header and `content-type: application/json`: every addUpdate's headers, shared
    /// by all of them.
    json_headers: Arc<HeaderMap>,
}

impl fmt::Debug for HyfinClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyfinClient")
            .field("config", &self.config)
            .field("ids", &self.ids)
            .finish_non_exhaustive()
    }
}

impl HyfinClient {
    /// A client with an in-memory id map.
    pub fn new(config: HyfinConfig) -> Result<Self> {
        let http = HttpClient::for_provider::<HyfinError>(&config.http)?
            .with_rate_limit(config.documented_rate_limit());
        let endpoint = |version: &str, resource: &str| {
            url_with_segments(
                &config.base_url,
                &[
                    "api",
                    version,
                    "site",
                    &config.site_id,
                    resource,
                    "addUpdate",
                ],
            )
            .map_err(|e| e.with_provider(PROVIDER))
        };
        let auth = secret_header_value(
            config.auth_header.as_str(),
            &config.auth_scheme,
            &config.token,
        )
        .map_err(|e| e.with_provider(PROVIDER))?;
        let mut json_headers = HeaderMap::new();
        json_headers.append(config.auth_header.clone(), auth.clone());
        json_headers.append(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let endpoints = Endpoints {
            customer: endpoint(CUSTOMER_API_VERSION, "customer")?,
            customer_v3: endpoint(CUSTOMER_V3_API_VERSION, "customer")?,
            contact: endpoint(CONTACT_API_VERSION, "contact")?,
            payment: endpoint(PAYMENT_API_VERSION, "payment")?,
            auth,
            json_headers: Arc::new(json_headers),
        };
        Ok(HyfinClient {
            account: config.account(),
            config: Arc::new(config),
            http,
            ids: Arc::new(MemoryIdMap::new()),
            endpoints: Arc::new(endpoints),
        })
    }

    pub(crate) fn post<T: Serialize>(
        &self,
        url: Url,
        operation: &'static str,
        body: &T,
        retry: RetrySafety,
    ) -> Result<PreparedRequest> {
        PreparedRequest::json(
            Method::POST,
            url,
            operation,
            retry,
            Arc::clone(&self.endpoints.json_headers),
            body,
        )
    }

    /// A create (no `_id`) cannot be de-duplicated by Hyfin, so it is not retried once it may
    /// have arrived; an update names its record and is safe to repeat.
    fn safety(id: &Option<String>) -> RetrySafety {
        if id.is_some() {
            RetrySafety::Idempotent
        } else {
            RetrySafety::NotAfterSend
        }
    }

    fn contact_request(&self, body: &HyfinContactRequest) -> Result<PreparedRequest> {
        let url = self.endpoints.contact.clone();
        self.post(url, "contact.addUpdate", body, Self::safety(&body.id))
    }

    fn customer_request(&self, body: &HyfinCustomerRequest) -> Result<PreparedRequest> {
        let url = self.endpoints.customer.clone();
        self.post(url, "customer.addUpdate", body, Self::safety(&body.id))
    }

    /// Sends one addUpdate and reads Hyfin's answer.
    pub(crate) async fn add_update(&self, req: &PreparedRequest) -> Result<(Accepted, u32)> {
        let (resp, parsed) = self.http.send_json(req).await?;
        Ok((read_parsed_answer(&resp, parsed, req.retry)?, resp.attempts))
    }

    fn outcome(action: HyfinAction, had_id: bool) -> Outcome {
        match action {
            HyfinAction::Added => Outcome::Created,
            HyfinAction::Updated => Outcome::Updated,
            HyfinAction::Unknown if had_id => Outcome::Updated,
            HyfinAction::Unknown => Outcome::Created,
        }
    }

    async fn upsert_customer(&self, customer: &Customer) -> Result<Upserted> {
        let plan: CustomerPlan = customer_plan(customer, self.ids.as_ref(), &self.account)?;
        let mut requests = 0;
        let mut contact_ids = Vec::with_capacity(plan.contacts.len());
        for contact in &plan.contacts {
            let (accepted, attempts) = self
                .add_update(&self.contact_request(&contact.body)?)
                .await?;
            requests += attempts;
            if contact.body.id.as_deref() != Some(accepted.id.as_str()) {
                self.ids.put(
                    &self.account,
                    RecordKind::Contact,
                    &contact.external_id,
                    &accepted.id,
                )?;
            }
            contact_ids.push(accepted.id);
        }
        let had_id = plan.customer.id.is_some();
        let body = plan.with_contact_ids(&contact_ids);
        let (accepted, attempts) = self.add_update(&self.customer_request(&body)?).await?;
        requests += attempts;
        if body.id.as_deref() != Some(accepted.id.as_str()) {
            self.ids.put(
                &self.account,
                RecordKind::Customer,
                &customer.external_id,
                &accepted.id,
            )?;
        }
        // Hyfin documents no way to clear a field: an update says which it left as they were.
        Ok(Upserted::new(
            PROVIDER,
            customer,
            Self::outcome(accepted.action, had_id),
            accepted.id,
            requests,
        )
        .with_not_cleared(crate::mapping::customer_fields_not_cleared(customer)))
    }

    async fn upsert_payment(&self, payment: &Payment) -> Result<Upserted> {
        let req = self.prepare(payment)?.remove(0);
        let (accepted, attempts) = self.add_update(&req).await?;
        self.ids.put(
            &self.account,
            RecordKind::Payment,
            &payment.external_id,
            &accepted.id,
        )?;
        // The payment endpoint upserts by external_id, so an unknown action is an update only if
        // Hyfin says so.
        Ok(Upserted::new(
            PROVIDER,
            payment,
            Self::outcome(accepted.action, false),
            accepted.id,
            attempts,
        )
        .with_not_cleared(crate::mapping::payment_fields_not_cleared(payment)))
    }

    /// What this client supports: customers keyed by Hyfin's id (v4) or by external id (v3),
    /// payments by external id.
    pub fn capabilities(&self) -> Capabilities {
        let customers = match self.config.customer_api {
            HyfinCustomerApi::V4 => Support::UpsertByProviderId,
            HyfinCustomerApi::V3 => Support::UpsertByExternalId,
        };
        Capabilities::new(customers, Support::UpsertByExternalId, false)
    }
}

#[async_trait]
impl Upsert<Customer> for HyfinClient {
    /// With the v4 API, the contact addUpdates (for customers with several contacts; a contact
    /// not yet created is referenced as `<hyfin id of contact X>` in the customer body), then the
    /// customer's. With the v3 API, the one customer addUpdate keyed by external id.
    fn prepare(&self, customer: &Customer) -> Result<Vec<PreparedRequest>> {
        if self.config.customer_api == HyfinCustomerApi::V3 {
            return Ok(vec![self.customer_v3_request(customer)?]);
        }
        let plan = customer_plan(customer, self.ids.as_ref(), &self.account)?;
        let mut out = Vec::with_capacity(plan.contacts.len() + 1);
        for contact in &plan.contacts {
            out.push(self.contact_request(&contact.body)?);
        }
        let ids = plan.known_or_placeholder_contact_ids();
        out.push(self.customer_request(&plan.with_contact_ids(&ids))?);
        Ok(out)
    }

    async fn upsert_with(&self, customer: &Customer, _options: &UpsertOptions) -> Result<Upserted> {
        let span = tracing::info_span!("billsync.upsert", provider = PROVIDER, kind = "customer");
        match self.config.customer_api {
            HyfinCustomerApi::V4 => in_span(span, self.upsert_customer(customer)).await,
            HyfinCustomerApi::V3 => in_span(span, self.upsert_customer_v3(customer)).await,
        }
    }
}

#[async_trait]
impl Upsert<Payment> for HyfinClient {
    fn prepare(&self, payment: &Payment) -> Result<Vec<PreparedRequest>> {
        let body = payment_request(payment, &self.config)?;
        let url = self.endpoints.payment.clone();
        // Keyed by external_id at Hyfin: repeating it updates the same record.
        Ok(vec![self.post(
            url,
            "payment.addUpdate",
            &body,
            RetrySafety::Idempotent,
        )?])
    }

    async fn upsert_with(&self, payment: &Payment, _options: &UpsertOptions) -> Result<Upserted> {
        let span = tracing::info_span!("billsync.upsert", provider = PROVIDER, kind = "payment");
        in_span(span, self.upsert_payment(payment)).await
    }
}

billsync_core::impl_provider!(HyfinClient {
    name: PROVIDER,
    config: HyfinConfig,
    customers: supported,
    payments: supported,
});
