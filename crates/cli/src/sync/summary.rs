//! What a sync did, for people and for scripts.

use std::path::PathBuf;

use serde::Serialize;

use super::task::RowResult;
use billsync::Outcome;

/// What a sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// The provider.
    pub provider: String,
    /// The provider account (`billsync status` lists them).
    pub account: String,
    /// `customers` or `payments`.
    pub kind: String,
    /// Records created at the provider.
    pub created: u64,
    /// Records updated.
    pub updated: u64,
    /// Records not sent because nothing that would be sent changed since they landed (or they
    /// repeat an identical row of the same run), or that the provider found unchanged.
    pub unchanged: u64,
    /// Records the provider or validation refused (fix them).
    pub rejected: u64,
    /// Records that did not land for other reasons (run again).
    pub failed: u64,
    /// HTTP requests made for the records that landed, retries and lookups included, plus the
    /// bulk listing made before the first record (`Provider::warm_up`).
    pub requests: u64,
    /// Wall time.
    pub seconds: f64,
    /// The report file, when rows were rejected or failed, or an update could not clear a
    /// field the record no longer has.
    pub report: Option<PathBuf>,
    /// Why the run stopped early, if it did.
    pub aborted: Option<String>,
    /// The exit code of the signal that stopped the run (130 SIGINT, 143 SIGTERM), if one did.
    pub signal: Option<u8>,
}

impl Summary {
    /// Counts one row.
    pub fn add(&mut self, result: &RowResult) {
        match result {
            RowResult::Landed(outcome, requests, _) => {
                self.requests += u64::from(*requests);
                match outcome {
                    Outcome::Created => self.created += 1,
                    Outcome::Updated => self.updated += 1,
                    Outcome::Unchanged => self.unchanged += 1,
                }
            }
            RowResult::Unchanged => self.unchanged += 1,
            RowResult::Problem { rejected: true, .. } => self.rejected += 1,
            RowResult::Problem { .. } => self.failed += 1,
        }
    }

    /// Every record handled.
    pub fn total(&self) -> u64 {
        self.created + self.updated + self.unchanged + self.rejected + self.failed
    }

    /// Records per second.
    pub fn per_second(&self) -> f64 {
        self.total() as f64 / self.seconds.max(1e-9)
    }

    /// HTTP requests per record sent (created or updated).
    pub fn requests_per_record(&self) -> Option<f64> {
        let sent = self.created + self.updated;
        (sent > 0).then(|| self.requests as f64 / sent as f64)
    }

    /// True when every row landed.
    pub fn all_landed(&self) -> bool {
        self.rejected == 0 && self.failed == 0 && self.aborted.is_none()
    }

    /// The summary in a few lines.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{} {}: {} created, {} updated, {} unchanged, {} rejected, {} failed in {:.1} s ({:.0} records/s",
            self.provider,
            self.kind,
            self.created,
            self.updated,
            self.unchanged,
            self.rejected,
            self.failed,
            self.seconds,
            self.per_second()
        );
        if let Some(rpr) = self.requests_per_record() {
            out.push_str(&format!(", {rpr:.2} HTTP requests per record sent"));
        }
        out.push_str(")\n");
        out.push_str(&format!("account: {}\n", self.account));
        if let Some(path) = &self.report {
            out.push_str(&format!("rejected and failed rows: {}\n", path.display()));
        }
        if let Some(why) = &self.aborted {
            out.push_str(&format!("{why}\n"));
        }
        out
    }
}
