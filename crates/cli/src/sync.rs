//! The sync pipeline: read a record, skip it if it already landed unchanged, mark it pending,
//! upsert it with bounded concurrency and a rate limit, record the outcome.
//!
//! Crash safety (a run killed at any moment, then run again):
//! - a record is marked `pending` in the state file, committed, before its request goes out;
//!   it becomes `done` (with its provider id and hash) or `failed` after the answer;
//! - on the next run, a `done` record whose content is unchanged is skipped; a `failed` one is
//!   sent again; a `pending` one (its request may have landed) is sent again when a repeat
//!   cannot duplicate it: the provider upserts by the caller's key (Rebilly customers, Hyfin
//!   payments), looks up before creating (Payabli), de-duplicates creates (Rebilly payments), or
//!   the record's provider id is already known. Otherwise (a Hyfin customer create, keyed by an
//!   id Hyfin assigns) it is reported `outcome_unknown` and left pending until the operator
//!   checks and runs again with `--resend-unknown`. The library's own `OutcomeUnknown` errors
//!   are treated the same way.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use billsync::{
    Customer, ErrorKind, IdMap, Outcome, Payment, Provider, Record, RecordKind, Support, Upserted,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::{Semaphore, mpsc};

use crate::args::{Kind, ProviderName};
use crate::input::Records;
use crate::progress::Progress;
use crate::ratelimit::RateLimiter;
use crate::report::{Report, Row};
use crate::state::State;
use crate::stdout::say;

/// What a sync is asked to do.
pub struct SyncOptions {
    /// The input file.
    pub file: PathBuf,
    /// What the file holds.
    pub kind: Kind,
    /// Upserts in flight at once.
    pub concurrency: usize,
    /// Requests per second, if limited.
    pub rate: Option<f64>,
    /// Where rejected and failed rows go.
    pub report: PathBuf,
    /// Resend records whose earlier create may have landed.
    pub resend_unknown: bool,
    /// Plain progress lines even on a terminal.
    pub quiet: bool,
    /// No progress output at all.
    pub silent: bool,
}

/// What a sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Records created at the provider.
    pub created: u64,
    /// Records updated.
    pub updated: u64,
    /// Records not sent (unchanged since they landed) or that the provider found unchanged.
    pub unchanged: u64,
    /// Records the provider or validation refused (fix them).
    pub rejected: u64,
    /// Records that did not land for other reasons (run again).
    pub failed: u64,
    /// Wall time.
    pub seconds: f64,
    /// The report file, when rows were rejected or failed.
    pub report: Option<PathBuf>,
    /// Why the run stopped early, if it did.
    pub aborted: Option<String>,
}

impl Summary {
    /// Every record handled.
    pub fn total(&self) -> u64 {
        self.created + self.updated + self.unchanged + self.rejected + self.failed
    }

    /// Records per second.
    pub fn per_second(&self) -> f64 {
        self.total() as f64 / self.seconds.max(1e-9)
    }

    /// True when every row landed.
    pub fn all_landed(&self) -> bool {
        self.rejected == 0 && self.failed == 0 && self.aborted.is_none()
    }
}

enum AnyRecord {
    Customer(Box<Customer>),
    Payment(Box<Payment>),
}

impl AnyRecord {
    fn external_id(&self) -> &str {
        match self {
            AnyRecord::Customer(c) => c.external_id(),
            AnyRecord::Payment(p) => p.external_id(),
        }
    }

    /// Hash of what would be sent: the provider and the canonical record.
    fn hash(&self, provider: &str) -> String {
        let mut h = Sha256::new();
        h.update(provider.as_bytes());
        h.update([0]);
        let bytes = match self {
            AnyRecord::Customer(c) => serde_json::to_vec(c),
            AnyRecord::Payment(p) => serde_json::to_vec(p),
        }
        .unwrap_or_default();
        h.update(&bytes);
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    async fn upsert(&self, provider: &dyn Provider) -> billsync::Result<Upserted> {
        match self {
            AnyRecord::Customer(c) => provider.upsert_customer(c).await,
            AnyRecord::Payment(p) => provider.upsert_payment(p).await,
        }
    }
}

enum Result_ {
    Landed(Outcome),
    Unchanged,
    Problem {
        rejected: bool,
        kind: String,
        messages: Vec<String>,
    },
}

struct Done {
    line: u64,
    external_id: Option<String>,
    result: Result_,
}

fn record_kind(kind: Kind) -> RecordKind {
    match kind {
        Kind::Customers => RecordKind::Customer,
        Kind::Payments => RecordKind::Payment,
    }
}

fn is_rejection(kind: &ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::InvalidInput(_)
            | ErrorKind::Rejected
            | ErrorKind::Conflict
            | ErrorKind::Unsupported
            | ErrorKind::NotFound
    )
}

fn unknown_outcome(provider: &str) -> Result_ {
    Result_::Problem {
        rejected: false,
        kind: "outcome_unknown".into(),
        messages: vec![format!(
            "an earlier request for this record may have reached {provider} and its outcome is unknown; check whether the record exists there, then run again with --resend-unknown"
        )],
    }
}

/// Runs a sync. Errors are configuration or file problems (exit 2); rejected and failed rows
/// are in the summary and the report.
pub async fn run(
    opts: SyncOptions,
    provider: Arc<dyn Provider>,
    state: Arc<State>,
) -> Result<Summary, String> {
    let name = provider.name();
    let kind = record_kind(opts.kind);
    let support = provider.capabilities().support(kind);
    if !support.is_supported() {
        return Err(format!(
            "{name} does not support syncing {}",
            match opts.kind {
                Kind::Customers => "customers",
                Kind::Payments => "payments",
            }
        ));
    }
    let total_bytes = std::fs::metadata(&opts.file).ok().map(|m| m.len());
    let mut records = Records::open(&opts.file, opts.kind)?;
    let started = Instant::now();
    let concurrency = opts.concurrency.max(1);
    let permits = Arc::new(Semaphore::new(concurrency));
    let limiter = opts.rate.map(|r| Arc::new(RateLimiter::new(r)));
    let abort = Arc::new(AtomicBool::new(false));
    let bytes = Arc::new(AtomicU64::new(0));
    let (tx, mut rx) = mpsc::channel::<Done>(concurrency * 4);

    // The collector: counts, report, progress.
    let report_path = opts.report.clone();
    let mut progress = Progress::new(total_bytes, opts.quiet, opts.silent);
    let bytes_seen = bytes.clone();
    let collector = tokio::spawn(async move {
        let mut summary = Summary::default();
        let mut report = Report::new(&report_path);
        let mut error = None;
        while let Some(done) = rx.recv().await {
            match done.result {
                Result_::Landed(Outcome::Created) => summary.created += 1,
                Result_::Landed(Outcome::Updated) => summary.updated += 1,
                Result_::Landed(Outcome::Unchanged) | Result_::Unchanged => summary.unchanged += 1,
                Result_::Problem {
                    rejected,
                    kind,
                    messages,
                } => {
                    if rejected {
                        summary.rejected += 1
                    } else {
                        summary.failed += 1
                    }
                    let row = Row {
                        line: done.line,
                        external_id: done.external_id,
                        outcome: if rejected { "rejected" } else { "failed" },
                        kind,
                        messages,
                    };
                    if let Err(e) = report.add(&row) {
                        error.get_or_insert(e);
                    }
                }
            }
            progress.update(bytes_seen.load(Ordering::Relaxed), &summary);
        }
        progress.finish();
        summary.report = report.finish().unwrap_or_else(|e| {
            error.get_or_insert(e);
            None
        });
        (summary, error)
    });

    let mut aborted = None;
    loop {
        if abort.load(Ordering::Relaxed) {
            aborted = Some(format!("stopped: {name} refused the credentials"));
            break;
        }
        let item = match opts.kind {
            Kind::Customers => records
                .next::<Customer>()
                .map(|i| (i.line, i.record.map(|c| AnyRecord::Customer(Box::new(c))))),
            Kind::Payments => records
                .next::<Payment>()
                .map(|i| (i.line, i.record.map(|p| AnyRecord::Payment(Box::new(p))))),
        };
        bytes.store(records.bytes, Ordering::Relaxed);
        let Some((line, record)) = item else { break };
        let record = match record {
            Ok(r) => r,
            Err(msg) => {
                let problem = Result_::Problem {
                    rejected: true,
                    kind: "malformed".into(),
                    messages: vec![format!("{}:{line}: {msg}", opts.file.display())],
                };
                let _ = tx
                    .send(Done {
                        line,
                        external_id: None,
                        result: problem,
                    })
                    .await;
                continue;
            }
        };
        let external_id = record.external_id().to_owned();
        let hash = record.hash(name);
        let prior = state
            .prior(name, kind, &external_id)
            .map_err(|e| e.to_string())?;
        if let Some(prior) = &prior {
            if prior.status == "done" && prior.hash == hash {
                let _ = tx
                    .send(Done {
                        line,
                        external_id: Some(external_id),
                        result: Result_::Unchanged,
                    })
                    .await;
                continue;
            }
            let safe = match support {
                Support::UpsertByProviderId => state
                    .get(name, kind, &external_id)
                    .map_err(|e| e.to_string())?
                    .is_some(),
                _ => true,
            };
            if prior.status == "pending" && !safe && !opts.resend_unknown {
                let _ = tx
                    .send(Done {
                        line,
                        external_id: Some(external_id),
                        result: unknown_outcome(name),
                    })
                    .await;
                continue;
            }
        }
        let permit = permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| e.to_string())?;
        if let Some(l) = &limiter {
            l.acquire().await;
        }
        state
            .mark_pending(name, kind, &external_id, &hash)
            .map_err(|e| e.to_string())?;
        let (provider, state, tx, abort) =
            (provider.clone(), state.clone(), tx.clone(), abort.clone());
        tokio::spawn(async move {
            let result = match record.upsert(provider.as_ref()).await {
                Ok(done) => match state.mark_done(
                    name,
                    kind,
                    &external_id,
                    &hash,
                    done.outcome.as_str(),
                    &done.provider_id,
                ) {
                    Ok(()) => Result_::Landed(done.outcome),
                    Err(e) => Result_::Problem {
                        rejected: false,
                        kind: "state".into(),
                        messages: vec![e.to_string()],
                    },
                },
                Err(e) if e.kind() == &ErrorKind::OutcomeUnknown => {
                    // Left pending: the next run decides whether a resend is safe.
                    Result_::Problem {
                        rejected: false,
                        kind: "outcome_unknown".into(),
                        messages: e.all_messages(),
                    }
                }
                Err(e) => {
                    if e.kind() == &ErrorKind::Auth {
                        abort.store(true, Ordering::Relaxed);
                    }
                    let _ = state.mark_failed(name, kind, &external_id, &hash, e.kind().name());
                    Result_::Problem {
                        rejected: is_rejection(e.kind()),
                        kind: e.kind().name().into(),
                        messages: vec![e.to_string()],
                    }
                }
            };
            let _ = tx
                .send(Done {
                    line,
                    external_id: Some(external_id),
                    result,
                })
                .await;
            drop(permit);
        });
    }
    // Wait for every upsert in flight.
    let _all = permits
        .acquire_many(concurrency as u32)
        .await
        .map_err(|e| e.to_string())?;
    drop(tx);
    let (mut summary, error) = collector.await.map_err(|e| e.to_string())?;
    if let Some(e) = error {
        return Err(e);
    }
    if let Some(why) = records.failure() {
        return Err(format!("{}: {why}", opts.file.display()));
    }
    summary.seconds = started.elapsed().as_secs_f64();
    summary.aborted = aborted;
    Ok(summary)
}

/// Prints a summary.
pub fn print_summary(provider: ProviderName, kind: Kind, s: &Summary) {
    let kind = match kind {
        Kind::Customers => "customers",
        Kind::Payments => "payments",
    };
    say!(
        "{} {kind}: {} created, {} updated, {} unchanged, {} rejected, {} failed in {:.1} s ({:.0} records/s)",
        provider.as_str(),
        s.created,
        s.updated,
        s.unchanged,
        s.rejected,
        s.failed,
        s.seconds,
        s.per_second()
    );
    if let Some(path) = &s.report {
        say!("rejected and failed rows: {}", path.display());
    }
    if let Some(why) = &s.aborted {
        say!("{why}");
    }
}
