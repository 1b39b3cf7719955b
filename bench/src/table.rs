//! The report: one table, printed and written to `<target>/bench/report.md`, and the list of
//! rows that missed their target or could not be measured.

use std::fmt::Write as _;

/// One row: what was measured, the value, the target and whether it was met.
pub struct Row {
    /// The section it belongs to.
    pub section: String,
    /// The measurement.
    pub what: String,
    /// The value with its unit.
    pub value: String,
    /// The target it is held to, if any.
    pub target: String,
    /// `Some(true)` met, `Some(false)` missed (or not measured), `None` informational.
    pub met: Option<bool>,
}

/// Rows grouped in sections, and notes under the table.
#[derive(Default)]
pub struct Report {
    section: String,
    rows: Vec<Row>,
    notes: Vec<String>,
}

impl Report {
    /// Starts a section: the rows that follow belong to it.
    pub fn section(&mut self, title: &str) {
        title.clone_into(&mut self.section);
    }

    /// Adds a row to the current section.
    pub fn row(
        &mut self,
        what: impl Into<String>,
        value: impl Into<String>,
        target: impl Into<String>,
        met: Option<bool>,
    ) {
        self.rows.push(Row {
            section: self.section.clone(),
            what: what.into(),
            value: value.into(),
            target: target.into(),
            met,
        });
    }

    /// A row saying that `what` could not be measured, and why: it counts as missed.
    pub fn not_measured(&mut self, what: impl Into<String>, why: impl std::fmt::Display) {
        self.row(
            what,
            format!("not measured: {why}"),
            "measured",
            Some(false),
        );
    }

    /// Adds a note under the table.
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// The rows that missed their target or could not be measured, as `section: measurement`.
    pub fn missed(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter(|r| r.met == Some(false))
            .map(|r| format!("{}: {} ({})", r.section, r.what, r.value))
            .collect()
    }

    /// The report as Markdown.
    pub fn markdown(&self, header: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# billsync benchmark report\n\n{header}\n");
        let _ = writeln!(out, "| section | measurement | value | target | met |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for row in &self.rows {
            let met = match row.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {met} |",
                row.section, row.what, row.value, row.target
            );
        }
        if !self.notes.is_empty() {
            let _ = writeln!(out);
            for n in &self.notes {
                let _ = writeln!(out, "- {n}");
            }
        }
        out
    }
}
