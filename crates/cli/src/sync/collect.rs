//! The collector: counts every row, writes the report, shows progress.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::task::{Ctx, RowResult};
use super::{Done, Summary, SyncOptions, kind_name};
use crate::input::Records;
use crate::progress::Progress;
use crate::report::{Report, Row};

/// Counts rows, writes the report, shows progress; ends when every sender is gone.
pub(super) async fn collect(
    mut rx: mpsc::Receiver<Done>,
    shared: Arc<std::sync::Mutex<Summary>>,
    mut report: Report,
    mut progress: Progress,
    bytes: Arc<AtomicU64>,
) -> (Summary, Option<String>) {
    let mut error = None;
    let mut summary = shared.lock().unwrap_or_else(|p| p.into_inner()).clone();
    while let Some(done) = rx.recv().await {
        summary.add(&done.result);
        let row = |outcome, kind, messages| Row {
            line: done.line,
            account: summary.account.clone(),
            external_id: done.external_id.clone(),
            outcome,
            kind,
            messages,
        };
        let row = match done.result {
            RowResult::Problem {
                rejected,
                kind,
                messages,
            } => Some(row(
                if rejected { "rejected" } else { "failed" },
                kind,
                messages,
            )),
            // Landed, but the provider kept what it held for fields the record no longer has.
            RowResult::Landed(_, _, not_cleared) if !not_cleared.is_empty() => {
                let message = format!(
                    "{} has no way to clear a field: it keeps any value it held for {} (the record no longer has them)",
                    summary.provider,
                    not_cleared.join(", ")
                );
                Some(row("updated", "not_cleared".into(), vec![message]))
            }
            _ => None,
        };
        if let Some(row) = row
            && let Err(e) = report.add(&row)
        {
            error.get_or_insert(e);
        }
        progress.update(bytes.load(Ordering::Relaxed), &summary);
        // What the run reports if it must end before every row has (a stop past its grace).
        shared
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone_from(&summary);
    }
    progress.finish();
    summary.report = report.finish().unwrap_or_else(|e| {
        error.get_or_insert(e);
        None
    });
    (summary, error)
}

/// The collector's task, and what it has counted so far (for a run that must end before it
/// does).
pub(super) struct Collector {
    task: JoinHandle<(Summary, Option<String>)>,
    shared: Arc<std::sync::Mutex<Summary>>,
}

impl Collector {
    /// Starts the collector of a run's rows.
    pub fn spawn(
        opts: &SyncOptions,
        ctx: &Ctx,
        rx: mpsc::Receiver<Done>,
        bytes: Arc<AtomicU64>,
    ) -> Self {
        let summary = Summary {
            provider: ctx.provider.name().to_owned(),
            account: ctx.account.key().to_owned(),
            kind: kind_name(opts.kind).to_owned(),
            ..Summary::default()
        };
        let shared = Arc::new(std::sync::Mutex::new(summary));
        let total_bytes = std::fs::metadata(&opts.file).ok().map(|m| m.len());
        let task = tokio::spawn(collect(
            rx,
            shared.clone(),
            Report::new(&opts.report),
            Progress::new(total_bytes, opts.quiet, opts.silent),
            bytes,
        ));
        Collector { task, shared }
    }

    /// The run's summary once every row is counted (every sender gone). After a stop, the
    /// rows in flight get the grace period to finish; past it, the summary so far, naming the
    /// records left pending. A read error of the input ends the run with an error (exit 2).
    pub async fn end(
        self,
        opts: &SyncOptions,
        ctx: &Ctx,
        records: &Records,
        started: Instant,
        mut aborted: Option<String>,
    ) -> Result<Summary, String> {
        let signal = opts.stop.requested();
        let finished = match signal {
            None => Some(self.task.await.map_err(|e| e.to_string())?),
            Some(_) => tokio::time::timeout(opts.grace, self.task)
                .await
                .ok()
                .transpose()
                .map_err(|e| e.to_string())?,
        };
        let (mut summary, partial) = match finished {
            Some((collected, None)) => (collected, false),
            Some((_, Some(e))) => return Err(e),
            None => {
                let pending = opts.stop.in_flight();
                aborted = Some(format!(
                    "interrupted; {} records still in flight after {:.0} s were left pending (the next run resolves them): {}",
                    pending.len(),
                    opts.grace.as_secs_f64(),
                    pending.join(", ")
                ));
                let so_far = self.shared.lock().unwrap_or_else(|p| p.into_inner());
                (so_far.clone(), true)
            }
        };
        if !partial {
            if signal.is_some() {
                aborted.get_or_insert_with(|| "interrupted".to_owned());
            }
            // A read error stops the run (rows that landed before it are in the state): exit 2.
            if let Some(why) = records.failure() {
                return Err(format!("{}: {why}", opts.file.display()));
            }
        }
        summary.requests += ctx.warm_up_requests();
        summary.seconds = started.elapsed().as_secs_f64();
        summary.aborted = aborted;
        summary.signal = signal;
        Ok(summary)
    }
}
