//! What a sync store keeps, as a trait a second backend (Postgres) can implement.

use billsync_core::{Account, IdMap, Outcome, PreparedRequest, RecordKind, Result};
use serde::Serialize;

use crate::fingerprint::DigestKey;
use crate::lock::AccountLock;

/// One record of one account: the key of every journal row.
#[derive(Debug, Clone, Copy)]
pub struct RecordKey<'a> {
    /// The provider account the record was synced to.
    pub account: &'a Account,
    /// Customer or payment.
    pub kind: RecordKind,
    /// The caller's id of the record.
    pub external_id: &'a str,
}

impl<'a> RecordKey<'a> {
    /// The key of `external_id` of `kind` in `account`.
    pub fn new(account: &'a Account, kind: RecordKind, external_id: &'a str) -> Self {
        RecordKey {
            account,
            kind,
            external_id,
        }
    }
}

/// Where a record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RecordStatus {
    /// Its request was about to go out, or went out and no answer was recorded (the process
    /// stopped): it may or may not have landed.
    Pending,
    /// It landed; the journal holds the fingerprint of what was sent.
    Done,
    /// The provider or validation refused it, or it failed for a reason a later run may not
    /// meet: it is sent again next time.
    Failed,
    /// Its request may have reached the provider and the answer was lost; resending it may
    /// create a duplicate at providers that cannot de-duplicate.
    OutcomeUnknown,
}

impl RecordStatus {
    /// The stored name (`pending`, `done`, `failed`, `outcome_unknown`).
    pub fn as_str(self) -> &'static str {
        match self {
            RecordStatus::Pending => "pending",
            RecordStatus::Done => "done",
            RecordStatus::Failed => "failed",
            RecordStatus::OutcomeUnknown => "outcome_unknown",
        }
    }

    /// The status of a stored name; `None` for a name this version does not know.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "pending" => RecordStatus::Pending,
            "done" => RecordStatus::Done,
            "failed" => RecordStatus::Failed,
            "outcome_unknown" => RecordStatus::OutcomeUnknown,
            _ => return None,
        })
    }

    /// Every status, in the order reports list them.
    pub const ALL: [RecordStatus; 4] = [
        RecordStatus::Done,
        RecordStatus::Pending,
        RecordStatus::Failed,
        RecordStatus::OutcomeUnknown,
    ];
}

/// What the journal holds of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    /// The fingerprint of what was last sent (or was about to be): see [`crate::fingerprint`].
    pub fingerprint: String,
    /// Where the record stands.
    pub status: RecordStatus,
    /// The provider's id, once it landed.
    pub provider_id: Option<String>,
    /// The last reason it failed, if it did.
    pub error: Option<String>,
    /// What was sent, secrets redacted, for records the provider cannot edit (so that a later
    /// edit can be reported field by field); `None` otherwise.
    pub sent: Option<serde_json::Value>,
    /// The names of the custom fields the record had, with a value, when it last landed (names
    /// only, never values): a later sync asks the provider to remove each one the record no
    /// longer lists. `None` when unknown (a row written before the journal kept them, or a
    /// record that never landed).
    pub custom_fields: Option<Vec<String>>,
}

/// A record that landed.
#[derive(Debug, Clone, Copy)]
pub struct Landed<'a> {
    /// The fingerprint of what now stands at the provider (what an update would send now).
    pub fingerprint: &'a str,
    /// Created, updated or unchanged.
    pub outcome: Outcome,
    /// The provider's id.
    pub provider_id: &'a str,
    /// What was sent, secrets redacted, when it must be kept (see [`JournalEntry::sent`]).
    pub sent: Option<&'a serde_json::Value>,
    /// The names of the record's custom fields that have a value now, those asked to be removed
    /// left out (see [`JournalEntry::custom_fields`]).
    pub custom_fields: &'a [String],
}

/// Counts of one kind of record of one account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KindCounts {
    /// `customer`, `payment` (or `contact`, for ids only).
    pub kind: String,
    /// Landed.
    pub done: u64,
    /// In flight when a run stopped.
    pub pending: u64,
    /// Refused or failed; sent again next run.
    pub failed: u64,
    /// May have landed; see [`RecordStatus::OutcomeUnknown`].
    pub outcome_unknown: u64,
    /// Provider ids remembered.
    pub ids: u64,
}

impl KindCounts {
    /// The count of one status.
    pub fn get(&self, status: RecordStatus) -> u64 {
        match status {
            RecordStatus::Pending => self.pending,
            RecordStatus::Done => self.done,
            RecordStatus::Failed => self.failed,
            RecordStatus::OutcomeUnknown => self.outcome_unknown,
        }
    }

    pub(crate) fn add(&mut self, status: RecordStatus, n: u64) {
        match status {
            RecordStatus::Pending => self.pending += n,
            RecordStatus::Done => self.done += n,
            RecordStatus::Failed => self.failed += n,
            RecordStatus::OutcomeUnknown => self.outcome_unknown += n,
        }
    }
}

/// What a store holds for one account, or for rows written before accounts were tracked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    /// The account's key ([`Account::key`]), or `legacy <provider>` for rows from a state file
    /// written before accounts were tracked (see [`SyncStore::adopt_legacy`]).
    pub account: String,
    /// The provider's name.
    pub provider: String,
    /// True for rows from before accounts were tracked.
    pub legacy: bool,
    /// Counts per kind of record.
    pub kinds: Vec<KindCounts>,
}

/// Durable sync state: provider ids ([`IdMap`]), a journal of what was sent per record, and
/// per-account locks, every row keyed by [`Account`].
///
/// [`crate::SqliteState`] is the implementation shipped here; the trait is what the CLI's sync
/// pipeline uses, so another backend (e.g. Postgres shared by several workers, see
/// `docs/scaling.md`) needs no change there or in the provider crates.
pub trait SyncStore: IdMap {
    /// The key of the fingerprints this store compares (see [`crate::fingerprint`]).
    fn digest_key(&self) -> &DigestKey;

    /// The fingerprint of `requests` under this store's key.
    fn fingerprint(&self, requests: &[PreparedRequest]) -> String {
        crate::fingerprint::fingerprint(self.digest_key(), requests)
    }

    /// What the journal holds of a record.
    fn entry(&self, key: RecordKey<'_>) -> Result<Option<JournalEntry>>;

    /// Marks a record as about to be sent, with the fingerprint of what will be sent. Durable
    /// before it returns: a run killed after this leaves a trace of what was in flight.
    fn mark_pending(&self, key: RecordKey<'_>, fingerprint: &str) -> Result<()>;

    /// Marks a record as landed.
    fn mark_done(&self, key: RecordKey<'_>, landed: Landed<'_>) -> Result<()>;

    /// Sets the custom field names a record's row remembers ([`JournalEntry::custom_fields`])
    /// and nothing else of the row; a record without a row is left without one. For a record
    /// that is unchanged since it landed, whose row does not know them yet (written before the
    /// journal kept them).
    fn remember_custom_fields(&self, key: RecordKey<'_>, names: &[String]) -> Result<()>;

    /// Marks a record as failed (sent again next run), with a short reason.
    fn mark_failed(&self, key: RecordKey<'_>, fingerprint: &str, reason: &str) -> Result<()>;

    /// Marks a record whose request may have landed without an answer.
    fn mark_outcome_unknown(
        &self,
        key: RecordKey<'_>,
        fingerprint: &str,
        reason: &str,
    ) -> Result<()>;

    /// Takes the one-writer lock of `account` in this store, failing at once (with the holder
    /// named in the error) when another run holds it, or waiting for it when `wait` is true.
    /// Released when the returned guard drops, or when the holding process dies.
    fn lock(&self, account: &Account, wait: bool) -> Result<AccountLock>;

    /// What the store holds, per account (and per provider for legacy rows).
    fn summary(&self) -> Result<Vec<AccountSummary>>;

    /// How many rows of `provider` were written before accounts were tracked.
    fn legacy_rows(&self, provider: &str) -> Result<u64>;

    /// Attributes every legacy row of `account`'s provider to `account` (the caller states that
    /// they were synced to it). Rows the account already has win. Returns how many rows moved.
    fn adopt_legacy(&self, account: &Account) -> Result<u64>;
}
