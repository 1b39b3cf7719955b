//! One record's way through a sync: wait for its parent, fingerprint what would be sent, compare
//! with the journal, send, record the outcome.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use billsync::{Account, ErrorKind, Outcome, PreparedRequest, Provider, RecordKind, Support};
use billsync_state::{JournalEntry, Landed, RecordKey, RecordStatus, SyncStore};

use super::diff;
use super::record::AnyRecord;
use super::registry::{Registry, SlotState};

/// How a row ended.
#[derive(Debug)]
pub enum RowResult {
    /// Sent, and the provider created, updated or found it unchanged; `requests` HTTP requests;
    /// the fields an update could not clear (`Upserted::not_cleared`).
    Landed(Outcome, u32, Vec<&'static str>),
    /// Not sent: nothing that would be sent changed since it landed (or it repeats a row that
    /// landed in this run).
    Unchanged,
    /// Refused (`rejected`: fix the record) or failed (a later run may succeed).
    Problem {
        /// True when the record itself must change.
        rejected: bool,
        /// A short stable name (`invalid_input`, `edit_not_possible`, ...).
        kind: String,
        /// Every reason.
        messages: Vec<String>,
    },
}

impl RowResult {
    pub(super) fn problem(rejected: bool, kind: &str, message: String) -> Self {
        RowResult::Problem {
            rejected,
            kind: kind.to_owned(),
            messages: vec![message],
        }
    }

    /// How waiters (duplicates, children) see this row.
    pub fn slot_state(&self) -> SlotState {
        match self {
            RowResult::Landed(..) | RowResult::Unchanged => SlotState::Landed,
            RowResult::Problem {
                rejected,
                kind,
                messages,
            } => {
                let reason = messages.first().map_or(kind.as_str(), String::as_str);
                SlotState::NotLanded {
                    rejected: *rejected,
                    reason: format!("{kind}: {reason}").into(),
                }
            }
        }
    }
}

/// What every record's task shares.
pub struct Ctx {
    /// The provider client.
    pub provider: Arc<dyn Provider>,
    /// The state.
    pub store: Arc<dyn SyncStore>,
    /// The provider account.
    pub account: Account,
    /// The kind of record.
    pub kind: RecordKind,
    /// How the provider supports it.
    pub support: Support,
    /// Resend records whose earlier create may have landed.
    pub resend_unknown: bool,
    /// The run's records.
    pub registry: Arc<Registry>,
    /// Set when the provider refused the credentials: stop reading.
    pub abort: Arc<AtomicBool>,
    /// The provider's bulk listing (`Provider::warm_up`), made once, before the first record
    /// that must be sent (a run that sends nothing lists nothing): its requests, or why it
    /// failed (then records are looked up one by one, as without it).
    pub warm_up: tokio::sync::OnceCell<Result<u32, String>>,
}

fn is_rejection(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::InvalidInput
            | ErrorKind::Rejected
            | ErrorKind::Conflict
            | ErrorKind::Unsupported
            | ErrorKind::NotFound
    )
}

fn from_error(e: &billsync::Error) -> RowResult {
    let messages = match e.kind() {
        ErrorKind::OutcomeUnknown => e.all_messages(),
        _ => vec![e.to_string()],
    };
    RowResult::Problem {
        rejected: is_rejection(e.kind()),
        kind: e.kind().name().to_owned(),
        messages,
    }
}

fn state_failed(e: &billsync::Error) -> RowResult {
    RowResult::problem(false, "state", e.to_string())
}

/// The body of the first write, secrets redacted: what is kept of a record that cannot be
/// edited, to name its fields when an edit comes.
fn sent_body(content: &[PreparedRequest]) -> Option<serde_json::Value> {
    content.first().and_then(PreparedRequest::body_json)
}

impl Ctx {
    /// HTTP requests of the bulk listing, if it was made.
    pub fn warm_up_requests(&self) -> u64 {
        match self.warm_up.get() {
            Some(Ok(n)) => u64::from(*n),
            _ => 0,
        }
    }

    fn unknown_outcome(&self) -> RowResult {
        RowResult::problem(
            false,
            "outcome_unknown",
            format!(
                "an earlier request for this record may have reached {} and its outcome is unknown; check whether the record exists there, then run again with --resend-unknown",
                self.provider.name()
            ),
        )
    }

    /// Whether resending a record that may have landed cannot duplicate it.
    fn resend_is_safe(&self, external_id: &str) -> billsync::Result<bool> {
        Ok(match self.support {
            Support::UpsertByProviderId => self
                .store
                .get(&self.account, self.kind, external_id)?
                .is_some(),
            _ => true,
        })
    }

    /// Waits until the record's parent, when this run has it, has ended; the row's result when
    /// the parent did not land (the record is then not sent).
    pub async fn parent_problem(&self, record: &AnyRecord) -> Option<RowResult> {
        let parent = record.parent()?;
        match self.registry.wait(parent).await {
            Some((line, SlotState::NotLanded { reason, .. })) => Some(RowResult::problem(
                false,
                "parent_not_synced",
                format!("parent customer `{parent}` (line {line}) did not land: {reason}"),
            )),
            _ => None,
        }
    }

    /// Runs one record to its end (its parent, if any, has ended: see
    /// [`Ctx::parent_problem`]).
    pub async fn process(&self, record: &AnyRecord) -> RowResult {
        let key = RecordKey::new(&self.account, self.kind, record.external_id());
        let prior = match self.store.entry(key) {
            Ok(prior) => prior,
            Err(e) => return state_failed(&e),
        };
        // A custom field sent before and no longer listed is removed (sent as `null`): the
        // record is the whole truth, also where the provider merges custom fields.
        let sent_before = prior.as_ref().and_then(|p| p.custom_fields.as_deref());
        let clearing = record.removing_unlisted_custom_fields(sent_before.unwrap_or_default());
        let sending = clearing.as_ref().unwrap_or(record);
        let content = match sending.content(self.provider.as_ref()) {
            Ok(content) => content,
            Err(e) => {
                let _ = self.store.mark_failed(key, "", e.kind().name());
                return from_error(&e);
            }
        };
        let fingerprint = self.store.fingerprint(&content);
        match self.compare(record, prior, key, &fingerprint, &content) {
            Ok(Some(done)) => return done,
            Ok(None) => {}
            Err(e) => return state_failed(&e),
        }
        // The listing only saves requests: when it fails, every record is looked up as usual
        // (and a refused credential then stops the run through the upsert's own error).
        let warm = self
            .warm_up
            .get_or_init(|| async {
                self.provider
                    .warm_up(self.kind)
                    .await
                    .map_err(|e| e.to_string())
            })
            .await;
        if let Err(why) = warm {
            tracing::warn!(%why, "the bulk listing failed; looking records up one by one");
        }
        if let Err(e) = self.store.mark_pending(key, &fingerprint) {
            return state_failed(&e);
        }
        match sending.upsert(self.provider.as_ref()).await {
            Ok(done) => {
                // What an update would send now (the provider id is known now, and the removed
                // custom fields are no longer remembered): the next run compares against this.
                let after = record
                    .content(self.provider.as_ref())
                    .map(|c| self.store.fingerprint(&c))
                    .unwrap_or(fingerprint);
                let sent = (self.support == Support::CreateOnly)
                    .then(|| sent_body(&content))
                    .flatten();
                let landed = Landed {
                    fingerprint: &after,
                    outcome: done.outcome,
                    provider_id: &done.provider_id,
                    sent: sent.as_ref(),
                    custom_fields: &record.custom_field_names(),
                };
                match self.store.mark_done(key, landed) {
                    Ok(()) => RowResult::Landed(done.outcome, done.requests, done.not_cleared),
                    Err(e) => state_failed(&e),
                }
            }
            Err(e) if e.kind() == ErrorKind::OutcomeUnknown => {
                let _ = self
                    .store
                    .mark_outcome_unknown(key, &fingerprint, e.kind().name());
                from_error(&e)
            }
            Err(e) => {
                if e.kind() == ErrorKind::Auth {
                    self.abort.store(true, Ordering::Relaxed);
                }
                let _ = self.store.mark_failed(key, &fingerprint, e.kind().name());
                from_error(&e)
            }
        }
    }

    /// What the journal says of a record about to be sent: `Some` ends it without sending.
    fn compare(
        &self,
        record: &AnyRecord,
        prior: Option<JournalEntry>,
        key: RecordKey<'_>,
        fingerprint: &str,
        content: &[PreparedRequest],
    ) -> billsync::Result<Option<RowResult>> {
        let Some(prior) = prior else {
            return Ok(None);
        };
        let legacy_same = prior
            .fingerprint
            .strip_prefix("legacy:")
            .is_some_and(|old| old == record.legacy_hash(self.provider.name()));
        match prior.status {
            RecordStatus::Done if prior.fingerprint == fingerprint => {
                // A row from before the journal kept custom field names: what was sent is what
                // the record has now, so its names are the ones to remember.
                if prior.custom_fields.is_none() {
                    let names = record.custom_field_names();
                    if !names.is_empty() {
                        self.store.remember_custom_fields(key, &names)?;
                    }
                }
                Ok(Some(RowResult::Unchanged))
            }
            RecordStatus::Done if legacy_same => {
                // Adopted from a state file of billsync 0.1, and unchanged since: keep it, with
                // the fingerprint of today.
                let provider_id = prior.provider_id.as_deref().unwrap_or_default();
                let sent = (self.support == Support::CreateOnly)
                    .then(|| sent_body(content))
                    .flatten();
                let landed = Landed {
                    fingerprint,
                    outcome: Outcome::Unchanged,
                    provider_id,
                    sent: sent.as_ref(),
                    custom_fields: &record.custom_field_names(),
                };
                self.store.mark_done(key, landed)?;
                Ok(Some(RowResult::Unchanged))
            }
            RecordStatus::Done if self.support == Support::CreateOnly => {
                let changes = match (&prior.sent, sent_body(content)) {
                    (Some(old), Some(new)) => diff::changes(old, &new),
                    _ => Vec::new(),
                };
                let what = if changes.is_empty() {
                    "it changed since it was recorded".to_owned()
                } else {
                    format!("changed since it was recorded: {}", changes.join("; "))
                };
                Ok(Some(RowResult::problem(
                    true,
                    "edit_not_possible",
                    format!(
                        "{} cannot edit a {} once recorded, and this one {what}; it still holds the values first sent (record the change as a new {} with its own external_id, or correct it at {})",
                        self.provider.name(),
                        self.kind,
                        self.kind,
                        self.provider.name()
                    ),
                )))
            }
            RecordStatus::Pending | RecordStatus::OutcomeUnknown
                if !self.resend_unknown && !self.resend_is_safe(record.external_id())? =>
            {
                Ok(Some(self.unknown_outcome()))
            }
            _ => Ok(None),
        }
    }
}
