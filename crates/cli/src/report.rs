//! The report of rejected and failed rows: one JSON object per line.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// One rejected or failed row.
#[derive(Debug, Serialize)]
pub struct Row {
    /// Line number in the input file.
    pub line: u64,
    /// The provider account the row was synced to (`Account::key`).
    pub account: String,
    /// The record's external id, when it could be read.
    pub external_id: Option<String>,
    /// `rejected` (the record must be fixed) or `failed` (may succeed on a later run).
    pub outcome: &'static str,
    /// The error kind (`invalid_input`, `rejected`, `outcome_unknown`, `malformed`, ...).
    pub kind: String,
    /// Every message: field problems and the provider's own messages.
    pub messages: Vec<String>,
}

/// Writes rows to a file created on the first row (no rows, no file).
pub struct Report {
    path: PathBuf,
    out: Option<BufWriter<File>>,
    rows: u64,
}

impl Report {
    /// A report at `path`; a report left there by an earlier run is removed.
    pub fn new(path: &Path) -> Report {
        let _ = std::fs::remove_file(path);
        Report {
            path: path.to_path_buf(),
            out: None,
            rows: 0,
        }
    }

    /// Adds a row.
    pub fn add(&mut self, row: &Row) -> Result<(), String> {
        let fail =
            |e: std::io::Error| format!("cannot write the report {}: {e}", self.path.display());
        if self.out.is_none() {
            self.out = Some(BufWriter::new(File::create(&self.path).map_err(fail)?));
        }
        if let Some(out) = self.out.as_mut() {
            serde_json::to_writer(&mut *out, row).map_err(|e| e.to_string())?;
            out.write_all(b"\n")
                .map_err(|e| format!("cannot write the report: {e}"))?;
        }
        self.rows += 1;
        Ok(())
    }

    /// Flushes; the path when any row was written.
    pub fn finish(mut self) -> Result<Option<PathBuf>, String> {
        if let Some(out) = self.out.as_mut() {
            out.flush()
                .map_err(|e| format!("cannot write the report {}: {e}", self.path.display()))?;
        }
        Ok((self.rows > 0).then_some(self.path))
    }
}
