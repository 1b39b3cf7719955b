//! The sync pipeline: read a record, send it unless nothing that would be sent changed since it
//! landed, with bounded concurrency and a rate limit, and record how every row ended.
//!
//! Every row ends created, updated, unchanged, rejected or failed, with its reason:
//! - **unchanged** only when the requests that would be sent (method, URL, body bytes; see
//!   `billsync_state::fingerprint`) are those of the last time it landed in this account;
//! - **an edit the provider cannot make** (a kind it can only create, such as payments
//!   processed elsewhere at some providers) is rejected, naming each changed field with its old and new
//!   value;
//! - **the same external id twice in one input**: identical rows collapse into one (the later
//!   row ends as the first did); differing rows: the later one is rejected, naming both lines;
//! - **parents before children**: a customer whose parent is in the same input waits for it,
//!   and fails with the parent's reason when the parent does not land. A child read before its
//!   parent is put off to the end of the input.
//!
//! Crash safety (a run killed at any moment, then run again): a record is marked `pending` in
//! the state, durably, before its request goes out, and `done` or `failed` after the answer. On
//! the next run a `pending` or `outcome_unknown` record is sent again when a repeat cannot
//! duplicate it (the provider upserts by the caller's key, looks up before creating,
//! de-duplicates creates, or the record's provider id is known); otherwise (a create at a provider that keys
//! records by its own id only) it is reported `outcome_unknown` until the operator checks and runs again with
//! `--resend-unknown`.
//!
//! Everything the state keeps is keyed by the provider client's account, and one run holds the
//! account's lock in the state file for its whole length.

mod collect;
mod diff;
mod ids;
mod order;
mod read;
mod record;
mod registry;
mod start;
mod summary;
mod task;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::time::{Duration, Instant};

use billsync::{Provider, RecordKind};
use billsync_state::SyncStore;
use tokio::sync::{Semaphore, mpsc};

use crate::args::Kind;
use crate::input::Records;
use crate::stop::Stop;
use collect::Collector;
use read::Pipeline;
use registry::Registry;
pub use summary::Summary;
use task::{Ctx, RowResult};

/// What a sync is asked to do.
pub struct SyncOptions {
    /// The input file.
    pub file: PathBuf,
    /// What the file holds.
    pub kind: Kind,
    /// Upserts in flight at once.
    pub concurrency: usize,
    /// Where rejected and failed rows go (and updates that could not clear a field).
    pub report: PathBuf,
    /// Resend records whose earlier create may have landed.
    pub resend_unknown: bool,
    /// Wait for another run of the same account to finish instead of exiting.
    pub wait_for_lock: bool,
    /// Attribute rows of a state file from before accounts were tracked to this run's account.
    pub adopt_legacy: bool,
    /// Plain progress lines even on a terminal.
    pub quiet: bool,
    /// No progress output at all.
    pub silent: bool,
    /// Asked to stop (a signal): no new record is read, the ones in flight finish.
    pub stop: Arc<Stop>,
    /// How long the records in flight may take to finish once a stop is asked for.
    pub grace: Duration,
}

/// How one row ended, for the collector.
pub(super) struct Done {
    line: u64,
    external_id: Option<String>,
    result: RowResult,
}

fn record_kind(kind: Kind) -> RecordKind {
    match kind {
        Kind::Customers => RecordKind::Customer,
        Kind::Payments => RecordKind::Payment,
    }
}

/// Runs a sync. Errors are configuration, lock or file problems (exit 2); rejected and failed
/// rows are in the summary and the report.
pub async fn run(
    opts: SyncOptions,
    provider: Arc<dyn Provider>,
    store: Arc<dyn SyncStore>,
) -> Result<Summary, String> {
    let kind = record_kind(opts.kind);
    let prepared = start::prepare(&opts, provider.as_ref(), &store, kind).await?;
    let mut records = Records::open(&opts.file, opts.kind)?;
    let started = Instant::now();
    let concurrency = opts.concurrency.max(1);
    let ctx = Arc::new(Ctx {
        account: provider.account().clone(),
        support: prepared.support,
        provider,
        store,
        kind,
        resend_unknown: opts.resend_unknown,
        registry: Arc::new(Registry::open()?),
        abort: Arc::new(AtomicBool::new(false)),
        warm_up: tokio::sync::OnceCell::new(),
    });
    let bytes = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::channel::<Done>(concurrency * 4);
    let collector = Collector::spawn(&opts, &ctx, rx, bytes.clone());
    let pipeline = Pipeline {
        ctx: ctx.clone(),
        tx,
        permits: Arc::new(Semaphore::new(concurrency)),
        stop: opts.stop.clone(),
    };
    let (deferred, aborted) = pipeline.read_all(&opts, &mut records, &bytes).await?;
    pipeline.put_off(deferred, aborted.is_some()).await;
    // The collector ends once every row's sender is gone.
    drop(pipeline);
    collector.end(&opts, &ctx, &records, started, aborted).await
}

/// A row read but not sent because a stop was asked for: the next run sends it.
pub(super) fn interrupted() -> RowResult {
    RowResult::problem(
        false,
        "interrupted",
        "the run was stopped before this record was sent; run again to send it".to_owned(),
    )
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Customers => "customers",
        Kind::Payments => "payments",
    }
}

pub(super) async fn send(
    tx: &mpsc::Sender<Done>,
    line: u64,
    external_id: Option<String>,
    result: RowResult,
) {
    // The collector only goes away when the run is over.
    let _ = tx
        .send(Done {
            line,
            external_id,
            result,
        })
        .await;
}
