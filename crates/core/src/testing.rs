//! A provider that keeps records in memory, for unit tests of code that uses billsync.
//!
//! ```
//! use billsync_core::testing::MemoryProvider;
//! use billsync_core::{Customer, Outcome, Provider};
//!
//! # tokio_test_block(async {
//! let provider = MemoryProvider::new();
//! let done = provider.upsert_customer(&Customer::new("c-1").with_display_name("ABC")).await?;
//! assert_eq!(done.outcome, Outcome::Created);
//! assert_eq!(provider.customer("c-1").and_then(|c| c.display_name).as_deref(), Some("ABC"));
//! # Ok::<(), billsync_core::Error>(())
//! # });
//! # fn tokio_test_block<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! # }
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use reqwest::Method;
use url::Url;

use crate::{
    Account, Capabilities, Customer, Error, HttpSettings, Outcome, Payment, PreparedRequest,
    Provider, RateLimit, RecordKind, Result, RetryConfig, RetrySafety, Support, Upsert,
    UpsertOptions, Upserted,
};

/// HTTP settings for tests against a server on this machine (wiremock, the sandbox): at most
/// `max_retries` retries, 5 ms apart at first and never more than 20 ms, and 500 ms for each
/// attempt; the rest as [`HttpSettings::default`]. A test of any provider's retries then runs in
/// milliseconds instead of the seconds the production backoff takes. Change a field for a
/// test that needs another value:
///
/// ```
/// use std::time::Duration;
/// use billsync_core::HttpSettings;
/// use billsync_core::testing::fast_retries;
///
/// let settings = HttpSettings { timeout: Duration::from_secs(5), ..fast_retries(3) };
/// assert_eq!(settings.retry.max_retries, 3);
/// ```
pub fn fast_retries(max_retries: u32) -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_millis(500),
        retry: RetryConfig {
            max_retries,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            ..RetryConfig::default()
        },
        ..HttpSettings::default()
    }
}

/// The name a [`MemoryProvider`] reports.
pub const MEMORY_PROVIDER: &str = "memory";

/// A [`Provider`] that stores customers and payments in memory, keyed by external id, with the
/// same outcomes a real provider gives: `created` the first time, `updated` when the record
/// changed, `unchanged` when it did not. Records are validated by the canonical rules
/// ([`Customer::validate`], [`Payment::validate`]) first, and an invalid one is refused with
/// nothing stored. [`MemoryProvider::fail_next`] makes the next upserts fail, to test error
/// paths. It sends nothing over the network; [`Provider::prepare_customer`] describes the
/// request a real provider would get, as `PUT memory://local/<kind>/<external_id>` with the
/// canonical JSON.
#[derive(Debug)]
pub struct MemoryProvider {
    account: Account,
    state: Mutex<Stored>,
}

#[derive(Debug, Default)]
struct Stored {
    customers: BTreeMap<String, Customer>,
    payments: BTreeMap<String, Payment>,
    failures: VecDeque<Error>,
    upserts: u64,
}

impl Default for MemoryProvider {
    fn default() -> Self {
        MemoryProvider::new()
    }
}

impl MemoryProvider {
    /// An empty provider, account `memory memory://local`.
    pub fn new() -> Self {
        MemoryProvider {
            account: Account::new(MEMORY_PROVIDER, &base_url()),
            state: Mutex::new(Stored::default()),
        }
    }

    fn stored(&self) -> std::sync::MutexGuard<'_, Stored> {
        // A panic in another test thread must not hide what was stored.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The stored customer with `external_id`.
    pub fn customer(&self, external_id: &str) -> Option<Customer> {
        self.stored().customers.get(external_id).cloned()
    }

    /// The stored payment with `external_id`.
    pub fn payment(&self, external_id: &str) -> Option<Payment> {
        self.stored().payments.get(external_id).cloned()
    }

    /// Every stored customer, by external id.
    pub fn customers(&self) -> Vec<Customer> {
        self.stored().customers.values().cloned().collect()
    }

    /// Every stored payment, by external id.
    pub fn payments(&self) -> Vec<Payment> {
        self.stored().payments.values().cloned().collect()
    }

    /// What it supports: both kinds, keyed by external id.
    pub fn capabilities(&self) -> Capabilities {
        Capabilities::new(
            Support::UpsertByExternalId,
            Support::UpsertByExternalId,
            false,
        )
    }

    /// Upserts attempted so far (failed ones included).
    pub fn upserts(&self) -> u64 {
        self.stored().upserts
    }

    /// The next upsert fails with `error` (queued: call it twice for two failures).
    pub fn fail_next(&self, error: Error) {
        self.stored().failures.push_back(error);
    }

    fn request(
        &self,
        kind: RecordKind,
        id: &str,
        body: &impl serde::Serialize,
    ) -> Result<PreparedRequest> {
        let url = crate::url_with_segments(&base_url(), &[kind.as_str(), id])?;
        PreparedRequest::new(Method::PUT, url, "upsert", RetrySafety::Idempotent).with_json(body)
    }
}

/// `memory://local`.
fn base_url() -> Url {
    #[allow(clippy::expect_used)] // a constant that parses
    Url::parse("memory://local").expect("a valid constant URL")
}

/// Stores `record` under `id` in `map`, answering like a provider would.
fn store<T: Clone + PartialEq>(
    stored: &mut Stored,
    map: impl FnOnce(&mut Stored) -> &mut BTreeMap<String, T>,
    kind: RecordKind,
    id: &str,
    record: &T,
) -> Result<Upserted> {
    stored.upserts += 1;
    if let Some(e) = stored.failures.pop_front() {
        return Err(e);
    }
    let map = map(stored);
    let outcome = match map.get(id) {
        None => Outcome::Created,
        Some(old) if old == record => Outcome::Unchanged,
        Some(_) => Outcome::Updated,
    };
    map.insert(id.to_owned(), record.clone());
    Ok(Upserted {
        outcome,
        provider_id: format!("mem_{id}"),
        provider: MEMORY_PROVIDER,
        kind,
        external_id: id.to_owned(),
        requests: 1,
        not_cleared: Vec::new(),
    })
}

#[async_trait]
impl Upsert<Customer> for MemoryProvider {
    fn prepare(&self, record: &Customer) -> Result<Vec<PreparedRequest>> {
        record.validate()?;
        Ok(vec![self.request(
            RecordKind::Customer,
            &record.external_id,
            record,
        )?])
    }

    async fn upsert_with(&self, record: &Customer, _options: &UpsertOptions) -> Result<Upserted> {
        record.validate()?;
        let mut stored = self.stored();
        let id = record.external_id.clone();
        store(
            &mut stored,
            |s| &mut s.customers,
            RecordKind::Customer,
            &id,
            record,
        )
    }
}

#[async_trait]
impl Upsert<Payment> for MemoryProvider {
    fn prepare(&self, record: &Payment) -> Result<Vec<PreparedRequest>> {
        record.validate()?;
        Ok(vec![self.request(
            RecordKind::Payment,
            &record.external_id,
            record,
        )?])
    }

    async fn upsert_with(&self, record: &Payment, _options: &UpsertOptions) -> Result<Upserted> {
        record.validate()?;
        let mut stored = self.stored();
        let id = record.external_id.clone();
        store(
            &mut stored,
            |s| &mut s.payments,
            RecordKind::Payment,
            &id,
            record,
        )
    }
}

#[async_trait]
impl Provider for MemoryProvider {
    fn name(&self) -> &'static str {
        MEMORY_PROVIDER
    }

    fn account(&self) -> &Account {
        &self.account
    }

    fn rate_limit(&self) -> Option<&RateLimit> {
        None
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::new(
            Support::UpsertByExternalId,
            Support::UpsertByExternalId,
            false,
        )
    }

    fn customers(&self) -> Option<&dyn Upsert<Customer>> {
        Some(self)
    }

    fn payments(&self) -> Option<&dyn Upsert<Payment>> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn outcomes_follow_what_is_stored() {
        run(async {
            let p = MemoryProvider::new();
            let c = Customer::new("c-1").with_display_name("A");
            assert_eq!(
                p.upsert_customer(&c).await.unwrap().outcome,
                Outcome::Created
            );
            assert_eq!(
                p.upsert_customer(&c).await.unwrap().outcome,
                Outcome::Unchanged
            );
            let edited = c.clone().with_display_name("B");
            let done = p.upsert_customer(&edited).await.unwrap();
            assert_eq!(
                (done.outcome, done.external_id.as_str()),
                (Outcome::Updated, "c-1")
            );
            assert_eq!(p.customer("c-1"), Some(edited));
            assert_eq!(p.customers().len(), 1);
            assert_eq!(p.upserts(), 3);
        });
    }

    #[test]
    fn queued_failures_come_first_and_invalid_records_are_not_stored() {
        run(async {
            let p = MemoryProvider::new();
            p.fail_next(Error::new(ErrorKind::Unavailable, "down"));
            let c = Customer::new("c-1").with_display_name("A");
            let err = p.upsert_customer(&c).await.unwrap_err();
            assert_eq!(err.kind().name(), "unavailable");
            assert!(p.customer("c-1").is_none());
            assert_eq!(
                p.upsert_customer(&c).await.unwrap().outcome,
                Outcome::Created
            );
            let invalid = Customer::new("");
            assert!(p.upsert_customer(&invalid).await.is_err());
            assert_eq!(p.customers().len(), 1);
        });
    }

    #[test]
    fn fast_retries_keeps_the_count_and_shortens_every_wait() {
        let fast = fast_retries(2);
        let usual = HttpSettings::default();
        assert_eq!(fast.retry.max_retries, 2);
        assert_eq!(fast_retries(0).retry.max_retries, 0);
        assert_eq!(fast.timeout, Duration::from_millis(500));
        assert_eq!(
            (fast.retry.initial_backoff, fast.retry.max_backoff),
            (Duration::from_millis(5), Duration::from_millis(20))
        );
        // What it does not shorten stays as a production client has it.
        assert_eq!(fast.retry.max_retry_wait, usual.retry.max_retry_wait);
        assert_eq!(fast.connect_timeout, usual.connect_timeout);
        assert_eq!(fast.user_agent, usual.user_agent);
        assert!(fast.client.is_none());
    }

    #[test]
    fn prepare_describes_the_canonical_put() {
        let p = MemoryProvider::new();
        let c = Customer::new("c 1").with_display_name("A");
        let reqs = p.prepare_customer(&c).unwrap();
        assert_eq!(reqs.len(), 1);
        let r = reqs[0].render();
        assert_eq!(r.method, "PUT");
        assert_eq!(r.url, "memory://local/customer/c%201");
        let body = reqs[0].body_json().unwrap();
        assert_eq!(body["display_name"], "A");
        assert_eq!(p.account().to_string(), "memory memory://local");
    }
}
