//! The Echo client: requests as data, sent by the shared HTTP core, answers read once.

use std::fmt;
use std::sync::Arc;

use billsync_core::provider_kit::{
    HttpClient, ProviderErrors, secret_header_value, url_with_segments,
};
use billsync_core::reqwest::Method;
use billsync_core::reqwest::header::{AUTHORIZATION, HeaderValue};
use billsync_core::{
    Account, Capabilities, Customer, IdMap, MemoryIdMap, Outcome, Payment, PreparedRequest, Record,
    Result, RetrySafety, Support, Upsert, UpsertOptions, Upserted, async_trait,
};
use serde::Serialize;
use tracing::Instrument;

use crate::config::EchoConfig;
use crate::error::EchoError;
use crate::wire::EchoAnswer;
use crate::{PROVIDER, mapping};

/// A client of one Echo API.
#[derive(Clone)]
pub struct EchoClient {
    config: Arc<EchoConfig>,
    http: HttpClient,
    ids: Arc<dyn IdMap>,
    account: Account,
    auth: HeaderValue,
}

impl fmt::Debug for EchoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EchoClient")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl EchoClient {
    /// A client for the API `config` names, with an in-memory id map.
    pub fn new(config: EchoConfig) -> Result<Self> {
        let http = HttpClient::new(PROVIDER, &config.http)?;
        let auth = secret_header_value(AUTHORIZATION.as_str(), "Bearer ", &config.token)?;
        Ok(EchoClient {
            account: config.account(),
            config: Arc::new(config),
            http,
            ids: Arc::new(MemoryIdMap::new()),
            auth,
        })
    }

    /// What Echo supports: both kinds, keyed by the caller's external id.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities::new(
            Support::UpsertByExternalId,
            Support::UpsertByExternalId,
            false,
        )
    }

    /// `PUT {base_url}/{collection}/{external_id}` with `body`.
    fn put(&self, collection: &str, id: &str, body: &impl Serialize) -> Result<PreparedRequest> {
        let url = url_with_segments(&self.config.base_url, &[collection, id])?;
        Ok(
            PreparedRequest::new(Method::PUT, url, "put", RetrySafety::Idempotent)
                .with_json(body)?
                .with_header_value(AUTHORIZATION, self.auth.clone()),
        )
    }

    /// Sends the one request of `record` and reads the answer once.
    async fn send<R: Record>(&self, record: &R, req: PreparedRequest) -> Result<Upserted> {
        let (resp, parsed) = self.http.send_json::<EchoAnswer>(&req).await?;
        if !resp.status.is_success() {
            return Err(EchoError::classify(&resp, req.retry));
        }
        let answer = resp.parsed_object(parsed, PROVIDER, "a record")?;
        let outcome = match resp.status.as_u16() {
            201 => Outcome::Created,
            _ => Outcome::Updated,
        };
        self.ids
            .put(&self.account, R::KIND, record.external_id(), &answer.id)?;
        Ok(Upserted::new(
            PROVIDER,
            record,
            outcome,
            answer.id,
            resp.attempts,
        ))
    }
}

#[async_trait]
impl Upsert<Customer> for EchoClient {
    fn prepare(&self, c: &Customer) -> Result<Vec<PreparedRequest>> {
        Ok(vec![self.put(
            "customers",
            &c.external_id,
            &mapping::customer(c)?,
        )?])
    }

    async fn upsert_with(&self, c: &Customer, _options: &UpsertOptions) -> Result<Upserted> {
        let span = tracing::info_span!("billsync.upsert", provider = PROVIDER, kind = "customer");
        let req = self.put("customers", &c.external_id, &mapping::customer(c)?)?;
        self.send(c, req).instrument(span).await
    }
}

#[async_trait]
impl Upsert<Payment> for EchoClient {
    fn prepare(&self, p: &Payment) -> Result<Vec<PreparedRequest>> {
        Ok(vec![self.put(
            "payments",
            &p.external_id,
            &mapping::payment(p)?,
        )?])
    }

    async fn upsert_with(&self, p: &Payment, _options: &UpsertOptions) -> Result<Upserted> {
        let span = tracing::info_span!("billsync.upsert", provider = PROVIDER, kind = "payment");
        let req = self.put("payments", &p.external_id, &mapping::payment(p)?)?;
        self.send(p, req).instrument(span).await
    }
}

billsync_core::impl_provider!(EchoClient {
    name: PROVIDER,
    config: EchoConfig,
    customers: supported,
    payments: supported,
});
