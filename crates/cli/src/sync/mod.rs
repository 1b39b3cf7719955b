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
mod order;
mod record;
mod registry;
mod start;
mod summary;
mod task;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use billsync::{Provider, RecordKind};
use billsync_state::SyncStore;
use tokio::sync::{Semaphore, mpsc};

use crate::args::Kind;
use crate::input::Records;
use crate::progress::Progress;
use crate::report::Report;
use crate::stop::Stop;
use collect::collect;
use order::{must_wait_for_later_parent, repeat, run_deferred};
use record::AnyRecord;
use registry::{Registry, Seen, SlotGuard, SlotState};
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
#[allow(
    clippy::too_many_lines,
    reason = "split on the CLI-memory branch, which owns this function"
)]
pub async fn run(
    opts: SyncOptions,
    provider: Arc<dyn Provider>,
    store: Arc<dyn SyncStore>,
) -> Result<Summary, String> {
    let kind = record_kind(opts.kind);
    let prepared = start::prepare(&opts, provider.as_ref(), &store, kind).await?;
    let mut records = Records::open(&opts.file, opts.kind)?;
    let total_bytes = std::fs::metadata(&opts.file).ok().map(|m| m.len());
    let started = Instant::now();
    let concurrency = opts.concurrency.max(1);
    let permits = Arc::new(Semaphore::new(concurrency));
    let ctx = Arc::new(Ctx {
        account: provider.account().clone(),
        support: prepared.support,
        provider,
        store,
        kind,
        resend_unknown: opts.resend_unknown,
        registry: Arc::new(Registry::default()),
        abort: Arc::new(AtomicBool::new(false)),
        warm_up: tokio::sync::OnceCell::new(),
    });
    let bytes = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::channel::<Done>(concurrency * 4);
    let summary = Summary {
        provider: ctx.provider.name().to_owned(),
        account: ctx.account.key().to_owned(),
        kind: kind_name(opts.kind).to_owned(),
        ..Summary::default()
    };
    let shared = Arc::new(std::sync::Mutex::new(summary.clone()));
    let collector = tokio::spawn(collect(
        rx,
        shared.clone(),
        Report::new(&opts.report),
        Progress::new(total_bytes, opts.quiet, opts.silent),
        bytes.clone(),
    ));

    let mut deferred: Vec<(u64, AnyRecord)> = Vec::new();
    let mut aborted = None;
    loop {
        if opts.stop.requested().is_some() {
            break;
        }
        if ctx.abort.load(Ordering::Relaxed) {
            aborted = Some(format!(
                "stopped: {} refused the credentials",
                ctx.provider.name()
            ));
            break;
        }
        let item = record::next(&mut records, opts.kind);
        bytes.store(records.bytes, Ordering::Relaxed);
        let Some((line, record)) = item else { break };
        let record = match record {
            Ok(r) => r,
            Err(msg) => {
                let message = format!("{}:{line}: {msg}", opts.file.display());
                let result = RowResult::problem(true, "malformed", message);
                send(&tx, line, None, result).await;
                continue;
            }
        };
        let external_id = record.external_id().to_owned();
        match ctx.registry.register(&external_id, line, record.digest()) {
            Seen::Again { line: first, same } => {
                repeat(&ctx, &tx, &permits, line, external_id, first, same).await;
                continue;
            }
            Seen::First => {}
        }
        if must_wait_for_later_parent(&ctx, &record)? {
            ctx.registry.set_state(&external_id, SlotState::Deferred);
            deferred.push((line, record));
            continue;
        }
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.map_err(|e| e.to_string())?,
            () = opts.stop.wait() => {
                send(&tx, line, Some(external_id), interrupted()).await;
                break;
            }
        };
        let (ctx, tx, stop) = (ctx.clone(), tx.clone(), opts.stop.clone());
        tokio::spawn(async move {
            let mut guard = SlotGuard::new(ctx.registry.clone(), &external_id, line);
            stop.started(&external_id);
            let result = match ctx.parent_problem(&record).await {
                Some(problem) => problem,
                None => ctx.process(&record).await,
            };
            stop.ended(&external_id);
            drop(permit);
            guard.set(result.slot_state());
            drop(guard);
            send(&tx, line, Some(external_id), result).await;
        });
    }
    if aborted.is_none() {
        run_deferred(&ctx, &tx, &permits, &opts.stop, deferred).await;
    } else {
        for (line, record) in deferred {
            let external_id = Some(record.external_id().to_owned());
            send(&tx, line, external_id, interrupted()).await;
        }
    }
    drop(tx);
    let signal = opts.stop.requested();
    let finished = match signal {
        None => Some(collector.await.map_err(|e| e.to_string())?),
        // Stopping: the records in flight get the grace period to finish.
        Some(_) => tokio::time::timeout(opts.grace, collector)
            .await
            .ok()
            .transpose()
            .map_err(|e| e.to_string())?,
    };
    let collected = match finished {
        Some((collected, None)) => collected,
        Some((_, Some(e))) => return Err(e),
        None => {
            let mut partial = shared.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let pending = opts.stop.in_flight();
            aborted = Some(format!(
                "interrupted; {} records still in flight after {:.0} s were left pending (the next run resolves them): {}",
                pending.len(),
                opts.grace.as_secs_f64(),
                pending.join(", ")
            ));
            partial.signal = signal;
            partial.requests += ctx.warm_up_requests();
            partial.seconds = started.elapsed().as_secs_f64();
            partial.aborted = aborted;
            return Ok(partial);
        }
    };
    if signal.is_some() {
        aborted.get_or_insert_with(|| "interrupted".to_owned());
    }
    // A read error stops the run (rows that landed before it are in the state): exit 2.
    if let Some(why) = records.failure() {
        return Err(format!("{}: {why}", opts.file.display()));
    }
    let mut summary = collected;
    summary.requests += ctx.warm_up_requests();
    summary.seconds = started.elapsed().as_secs_f64();
    summary.aborted = aborted;
    summary.signal = signal;
    Ok(summary)
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
