//! The report of rejected and failed rows: one JSON object per line.
//!
//! Field values are capped at [`CAP_CHARS`] characters, followed by `… (N bytes)`: a 1 MB
//! invalid field makes a row of a few hundred bytes, not a copy of the field.

use std::borrow::Cow;
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
    /// `rejected` (the record must be fixed), `failed` (may succeed on a later run), or
    /// `updated` for a note on a landed update (kind `not_cleared`).
    pub outcome: &'static str,
    /// The error kind (`invalid_input`, `rejected`, `outcome_unknown`, `malformed`, ...).
    pub kind: String,
    /// Every message: field problems and the provider's own messages.
    pub messages: Vec<String>,
}

/// The most characters of one field value written to a report row (or shown in a message).
pub const CAP_CHARS: usize = 200;

/// `text` cut to [`CAP_CHARS`] characters, followed by `… (N bytes)` (its whole length) when it
/// was longer.
pub fn cap(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(CAP_CHARS) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}… ({} bytes)", &text[..end], text.len())),
    }
}

impl Row {
    /// The row with every field value capped (see [`cap`]).
    fn capped(&self) -> Row {
        Row {
            line: self.line,
            account: self.account.clone(),
            external_id: self.external_id.as_deref().map(|id| cap(id).into_owned()),
            outcome: self.outcome,
            kind: cap(&self.kind).into_owned(),
            messages: self.messages.iter().map(|m| cap(m).into_owned()).collect(),
        }
    }
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

    /// Adds a row, its field values capped.
    pub fn add(&mut self, row: &Row) -> Result<(), String> {
        let fail =
            |e: std::io::Error| format!("cannot write the report {}: {e}", self.path.display());
        if self.out.is_none() {
            self.out = Some(BufWriter::new(File::create(&self.path).map_err(fail)?));
        }
        if let Some(out) = self.out.as_mut() {
            serde_json::to_writer(&mut *out, &row.capped()).map_err(|e| e.to_string())?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_to_200_characters_and_say_their_size() {
        assert_eq!(cap("short"), "short");
        let exact = "é".repeat(CAP_CHARS);
        assert_eq!(cap(&exact), exact.as_str());
        let long = format!("{}{}", "é".repeat(CAP_CHARS), "x".repeat(1_000_000));
        let capped = cap(&long);
        assert_eq!(
            capped,
            format!("{}… ({} bytes)", "é".repeat(CAP_CHARS), long.len())
        );
    }

    #[test]
    fn a_row_with_a_one_megabyte_field_stays_small() {
        let path = std::env::temp_dir().join(format!("billsync-report-cap-{}", std::process::id()));
        let huge = "A".repeat(1 << 20);
        let mut report = Report::new(&path);
        report
            .add(&Row {
                line: 7,
                account: "acme https://h.example site=1".into(),
                external_id: Some(huge.clone()),
                outcome: "rejected",
                kind: "malformed".into(),
                messages: vec![format!("invalid value: `{huge}`"), "short".into()],
            })
            .unwrap();
        let written = report.finish().unwrap().unwrap();
        let text = std::fs::read_to_string(&written).unwrap();
        let _ = std::fs::remove_file(&written);
        assert!(text.len() < 1_000, "{} bytes", text.len());
        let row: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(row["line"], 7);
        assert_eq!(
            row["external_id"],
            format!("{}… (1048576 bytes)", "A".repeat(CAP_CHARS))
        );
        assert_eq!(
            row["messages"][0],
            format!(
                "invalid value: `{}… (1048593 bytes)",
                "A".repeat(CAP_CHARS - 16)
            )
        );
        assert_eq!(row["messages"][1], "short");
    }
}
