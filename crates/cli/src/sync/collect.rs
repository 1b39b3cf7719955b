//! The collector: counts every row, writes the report, shows progress.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::mpsc;

use super::task::RowResult;
use super::{Done, Summary};
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
