//! The `Upsert` trait and what it returns.

use std::fmt::Debug;

use async_trait::async_trait;
use serde::Serialize;

use crate::{IdempotencyKey, PreparedRequest, Record, RecordKind, Result};

/// What an upsert did at the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A new record was created.
    Created,
    /// An existing record was updated.
    Updated,
    /// Nothing needed to change (e.g. a repeat the provider de-duplicated, or a record the
    /// caller knows it already sent).
    Unchanged,
}

impl Outcome {
    /// The snake_case name (`created`, `updated`, `unchanged`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
        }
    }
}

/// The result of a successful upsert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Upserted {
    /// What happened.
    pub outcome: Outcome,
    /// The provider's id of the record.
    pub provider_id: String,
    /// The provider's name.
    pub provider: &'static str,
    /// The kind of record.
    #[serde(serialize_with = "serialize_kind")]
    pub kind: RecordKind,
    /// The caller's id of the record.
    pub external_id: String,
    /// HTTP requests the upsert made, retries included.
    pub requests: u32,
    /// Fields the record no longer has that this update could not clear at the provider (its
    /// API has no way to): if the provider held a value for one of them, it keeps it. Empty
    /// for creates and for providers whose updates clear what the record lacks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_cleared: Vec<&'static str>,
}

fn serialize_kind<S: serde::Serializer>(
    kind: &RecordKind,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(kind.as_str())
}

impl Upserted {
    /// A result for `record`.
    pub fn new<R: Record>(
        provider: &'static str,
        record: &R,
        outcome: Outcome,
        provider_id: impl Into<String>,
        requests: u32,
    ) -> Self {
        Upserted {
            outcome,
            provider_id: provider_id.into(),
            provider,
            kind: R::KIND,
            external_id: record.external_id().to_owned(),
            requests,
            not_cleared: Vec::new(),
        }
    }

    /// Names the fields an update could not clear (see [`Upserted::not_cleared`]); ignored
    /// unless the outcome is an update.
    pub fn with_not_cleared(mut self, fields: Vec<&'static str>) -> Self {
        if self.outcome == Outcome::Updated {
            self.not_cleared = fields;
        }
        self
    }
}

/// Per-call options of an upsert.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct UpsertOptions {
    /// The idempotency key to send (providers that support keys); by default a fresh random key
    /// per upsert. Reused on every retry of this upsert.
    pub idempotency_key: Option<IdempotencyKey>,
}

impl UpsertOptions {
    /// Options with a caller-chosen idempotency key.
    pub fn with_idempotency_key(key: IdempotencyKey) -> Self {
        UpsertOptions {
            idempotency_key: Some(key),
        }
    }
}

/// How a provider supports one kind of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Support {
    /// One call creates or updates, keyed by the caller's external id.
    UpsertByExternalId,
    /// One call creates or updates, keyed by the provider's id, which billsync remembers per
    /// external id in an [`IdMap`](crate::IdMap).
    UpsertByProviderId,
    /// No upsert at the provider: billsync looks the record up by external id, then creates or
    /// updates it.
    LookupThenWrite,
    /// The record can be created once; a repeat is de-duplicated, an edit is not possible.
    CreateOnly,
    /// The provider cannot store this kind of record.
    Unsupported,
}

impl Support {
    /// False only for [`Support::Unsupported`].
    pub fn is_supported(self) -> bool {
        self != Support::Unsupported
    }
}

/// What a provider can do, for code that holds providers dynamically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Capabilities {
    /// Customers.
    pub customers: Support,
    /// Payments.
    pub payments: Support,
    /// Whether the provider honours idempotency keys on creates.
    pub idempotency_keys: bool,
}

impl Capabilities {
    /// Capabilities from their parts.
    pub fn new(customers: Support, payments: Support, idempotency_keys: bool) -> Self {
        Capabilities {
            customers,
            payments,
            idempotency_keys,
        }
    }

    /// The support for a kind of record (contacts count as part of customers).
    pub fn support(&self, kind: RecordKind) -> Support {
        match kind {
            RecordKind::Customer | RecordKind::Contact => self.customers,
            RecordKind::Payment => self.payments,
        }
    }
}

/// Creating or updating records of kind `R` at a provider, keyed by the caller's external id.
///
/// Upserting the same external id twice never creates two records. A provider that cannot
/// store a kind of record does not implement `Upsert` for it. The trait is object safe:
/// `Box<dyn Upsert<Customer>>` works.
///
/// Every upsert first validates the record (canonical and provider rules; nothing is sent when
/// any fails), then builds its requests as data ([`Upsert::prepare`] shows them), then sends them
/// with retries, then maps the answer to [`Upserted`] or a typed [`Error`](crate::Error).
///
/// The provider's name and what it supports are on [`Provider`](crate::Provider) (and on each
/// client as inherent methods), not here: one client implements `Upsert` once per kind, and a
/// method of this trait would be ambiguous on it.
#[async_trait]
pub trait Upsert<R: Record>: Send + Sync + Debug {
    /// Validates `record` and builds the requests an upsert would send now, given what the
    /// client knows (its id map), without sending anything: for dry runs and snapshots. Reads
    /// that an upsert may make first (lookups) are included.
    fn prepare(&self, record: &R) -> Result<Vec<PreparedRequest>>;

    /// The writes that carry `record`'s content to the provider, as they would be sent now:
    /// [`Upsert::prepare`] without its reads (lookups). For a kind the provider cannot edit
    /// ([`Support::CreateOnly`]) it is the create, even for a record already created, so that
    /// an edit can be told from a repeat. Sync tools fingerprint these to decide whether a
    /// record changed since it last landed; nothing is sent.
    fn prepare_content(&self, record: &R) -> Result<Vec<PreparedRequest>> {
        let mut requests = self.prepare(record)?;
        requests.retain(|r| r.method != reqwest::Method::GET);
        Ok(requests)
    }

    /// Creates or updates `record` with per-call options.
    async fn upsert_with(&self, record: &R, options: &UpsertOptions) -> Result<Upserted>;

    /// Creates or updates `record`: [`Upsert::upsert_with`] with the default options.
    ///
    /// It returns `upsert_with`'s own boxed future rather than one of its own that awaits it:
    /// one allocation per upsert, not two. Implementors have no reason to override it.
    fn upsert<'a>(&'a self, record: &'a R) -> BoxFuture<'a, Result<Upserted>> {
        self.upsert_with(record, &DEFAULT_OPTIONS)
    }
}

/// The future of an upsert: boxed, as `async_trait` makes it, so that the trait stays object
/// safe.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// The options [`Upsert::upsert`] passes: a fresh random idempotency key per upsert.
static DEFAULT_OPTIONS: UpsertOptions = UpsertOptions {
    idempotency_key: None,
};
