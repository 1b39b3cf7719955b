//! The Payabli client: lookup by customerNumber, then create or update.

use std::fmt;
use std::sync::Arc;

use billsync_core::provider_kit::{HttpClient, in_span};
use billsync_core::{
    Account, Capabilities, Customer, ErrorKind, IdMap, IdempotencyKey, MemoryIdMap, Outcome,
    PreparedRequest, RecordKind, Result, Support, Upsert, UpsertOptions, Upserted, async_trait,
};

use crate::PROVIDER;
use crate::answers::{accepted, read_create, read_update};
use crate::config::PayabliConfig;
use crate::error::{PayabliError, decode_error, failure};
use crate::mapping::customer_data;
use crate::requests::Shared;
use crate::wire::{PayabliCustomerData, PayabliQueryResponse};

/// The header carrying the API token.
pub const TOKEN_HEADER: &str = "requesttoken";
/// The header carrying the idempotency key of a create.
pub const IDEMPOTENCY_HEADER: &str = "idempotencykey";

/// A client for one Payabli entrypoint.
///
/// Payabli has no upsert by the caller's key, so the client provides one: the external id is the
/// customer's `customerNumber`; a customer whose Payabli id is remembered (in the [`IdMap`]) is
/// updated with one `PUT`; otherwise it is looked up by `customerNumber` (`GET /Query/customers`)
/// and updated if found, created (`POST /Customer/single`, with an idempotency key) if not.
///
/// | path | calls |
/// |---|---|
/// | id remembered | 1 PUT |
/// | not remembered, exists at Payabli | 1 GET + 1 PUT |
/// | not remembered, new | 1 GET + 1 POST |
/// | remembered id gone at Payabli (PUT says not found) | 1 PUT + 1 GET + 1 POST (or PUT) |
/// | create answered "already exists" or a duplicate key | 1 GET + 1 POST + 1 GET (+ 1 PUT) |
///
/// Retries (429, 5xx, timeouts) add calls; the create's idempotency key is the same on every
/// retry.
#[derive(Clone)]
pub struct PayabliClient {
    config: Arc<PayabliConfig>,
    pub(crate) http: HttpClient,
    pub(crate) ids: Arc<dyn IdMap>,
    pub(crate) account: Account,
    // Set once every customer of the entrypoint was listed into `ids` (shared by clones).
    pub(crate) listed: Arc<std::sync::atomic::AtomicBool>,
    pub(crate) shared: Arc<Shared>,
}

impl fmt::Debug for PayabliClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PayabliClient")
            .field("config", &self.config)
            .field("ids", &self.ids)
            .finish_non_exhaustive()
    }
}

impl PayabliClient {
    /// A client with an in-memory id map.
    pub fn new(config: PayabliConfig) -> Result<Self> {
        let http = HttpClient::for_provider::<PayabliError>(&config.http)?
            .with_rate_limit(config.documented_rate_limit());
        let shared = Arc::new(Shared::new(&config)?);
        Ok(PayabliClient {
            account: config.account(),
            listed: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            config: Arc::new(config),
            http,
            ids: Arc::new(MemoryIdMap::new()),
            shared,
        })
    }

    /// Looks a customer up by `customerNumber`: its Payabli id, if it exists.
    async fn lookup(&self, external_id: &str, requests: &mut u32) -> Result<Option<String>> {
        let req = self.lookup_request(external_id);
        let (resp, parsed) = self.http.send_json::<PayabliQueryResponse>(&req).await?;
        *requests += resp.attempts;
        if !resp.status.is_success() {
            return Err(failure(&resp));
        }
        let found = resp.parsed_json(parsed, PROVIDER, "a customer query result")?;
        // The filter may match loosely (case, prefix): keep only the exact customer number.
        Ok(found
            .records
            .iter()
            .filter_map(crate::listing::number_and_id)
            .find_map(|(number, id)| (number == external_id).then_some(id)))
    }

    async fn update(
        &self,
        id: &str,
        data: &PayabliCustomerData<'_>,
        requests: &mut u32,
    ) -> Result<()> {
        let req = self.update_request(id, data)?;
        let (resp, parsed) = self.http.send_reading(&req, read_update).await?;
        *requests += resp.attempts;
        accepted(&resp, parsed).map(|_| ())
    }

    async fn upsert_customer(
        &self,
        customer: &Customer,
        options: &UpsertOptions,
    ) -> Result<Upserted> {
        let data = customer_data(customer, &self.config)?;
        let external_id = customer.external_id.as_str();
        let mut requests = 0;
        let done = |outcome, id: String, requests| {
            Upserted::new(PROVIDER, customer, outcome, id, requests)
        };

        if let Some(id) = self
            .ids
            .get(&self.account, RecordKind::Customer, external_id)?
        {
            match self.update(&id, &data, &mut requests).await {
                Ok(()) => return Ok(done(Outcome::Updated, id, requests)),
                // The remembered customer is gone at Payabli: look it up again below.
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        // After a full listing ([`Provider::warm_up`]), a customer the map does not know does
        // not exist (one created since by another writer is caught below as "already exists").
        let listed = self.listed.load(std::sync::atomic::Ordering::SeqCst);
        if !listed && let Some(id) = self.lookup(external_id, &mut requests).await? {
            self.ids
                .put(&self.account, RecordKind::Customer, external_id, &id)?;
            self.update(&id, &data, &mut requests).await?;
            return Ok(done(Outcome::Updated, id, requests));
        }
        let key = options
            .idempotency_key
            .clone()
            .unwrap_or_else(IdempotencyKey::random);
        let req = self.create_request(&data, &key)?;
        let (resp, parsed) = self.http.send_reading(&req, read_create).await?;
        requests += resp.attempts;
        match accepted(&resp, parsed).map(|answer| answer.customer_id) {
            Ok(named) => {
                let id = match named {
                    Some(id) => id,
                    // Some answers carry no id: find the record we just made.
                    None => self
                        .lookup(external_id, &mut requests)
                        .await?
                        .ok_or_else(|| decode_error(&resp, "a created customer with its id"))?,
                };
                self.ids
                    .put(&self.account, RecordKind::Customer, external_id, &id)?;
                Ok(done(Outcome::Created, id, requests))
            }
            Err(e) => {
                let Some(detail) = e.detail::<PayabliError>() else {
                    return Err(e);
                };
                // A duplicate key after a retried create: the first attempt most likely created
                // the customer. An "already exists": another writer created it since our lookup.
                let retried_duplicate = detail.is_duplicate_key() && resp.attempts > 1;
                if !(retried_duplicate || detail.says_exists()) {
                    return Err(e);
                }
                let Some(id) = self.lookup(external_id, &mut requests).await? else {
                    return Err(e);
                };
                self.ids
                    .put(&self.account, RecordKind::Customer, external_id, &id)?;
                if retried_duplicate {
                    Ok(done(Outcome::Created, id, requests))
                } else {
                    self.update(&id, &data, &mut requests).await?;
                    Ok(done(Outcome::Updated, id, requests))
                }
            }
        }
    }

    /// What this client supports: customers looked up by `customerNumber`, then written; no
    /// payments.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities::new(Support::LookupThenWrite, Support::Unsupported, true)
    }
}

#[async_trait]
impl Upsert<Customer> for PayabliClient {
    /// With a remembered id: the `PUT`. Otherwise the lookup `GET`, then the create `POST` (with a
    /// fresh idempotency key) that follows when the lookup finds nothing; after a full listing
    /// ([`Provider::warm_up`](billsync_core::Provider::warm_up)), the create alone, as the
    /// upsert then sends no lookup.
    fn prepare(&self, customer: &Customer) -> Result<Vec<PreparedRequest>> {
        let data = customer_data(customer, &self.config)?;
        match self
            .ids
            .get(&self.account, RecordKind::Customer, &customer.external_id)?
        {
            Some(id) => Ok(vec![self.update_request(&id, &data)?]),
            None if self.listed.load(std::sync::atomic::Ordering::SeqCst) => {
                Ok(vec![self.create_with_random_key(&data)?])
            }
            None => Ok(vec![
                self.lookup_request(&customer.external_id),
                self.create_with_random_key(&data)?,
            ]),
        }
    }

    async fn upsert_with(&self, customer: &Customer, options: &UpsertOptions) -> Result<Upserted> {
        let span = tracing::info_span!("billsync.upsert", provider = PROVIDER, kind = "customer");
        in_span(span, self.upsert_customer(customer, options)).await
    }
}

billsync_core::impl_provider!(PayabliClient {
    name: PROVIDER,
    config: PayabliConfig,
    customers: supported,
    // Payabli has no endpoint to record a payment processed elsewhere.
    payments: unsupported,
    warm_up: PayabliClient::warm_up,
});
