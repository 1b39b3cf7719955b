//! The report: one table, printed and written to `target/bench/report.md`.

use std::fmt::Write as _;

/// One row: what was measured, the value, the target and whether it was met.
pub struct Row {
    /// The measurement.
    pub what: String,
    /// The value with its unit.
    pub value: String,
    /// The target it is held to, if any.
    pub target: String,
    /// `Some(true)` met, `Some(false)` missed, `None` informational.
    pub met: Option<bool>,
}

/// Rows grouped in sections.
#[derive(Default)]
pub struct Report {
    sections: Vec<(String, Vec<Row>)>,
    notes: Vec<String>,
}

impl Report {
    /// Starts a section.
    pub fn section(&mut self, title: &str) {
        self.sections.push((title.to_owned(), Vec::new()));
    }

    /// Adds a row to the last section.
    pub fn row(
        &mut self,
        what: impl Into<String>,
        value: impl Into<String>,
        target: impl Into<String>,
        met: Option<bool>,
    ) {
        if self.sections.is_empty() {
            self.section("results");
        }
        if let Some((_, rows)) = self.sections.last_mut() {
            rows.push(Row {
                what: what.into(),
                value: value.into(),
                target: target.into(),
                met,
            });
        }
    }

    /// Adds a note under the table.
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// The report as Markdown.
    pub fn markdown(&self, header: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# billsync benchmark report\n\n{header}\n");
        let _ = writeln!(out, "| section | measurement | value | target | met |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for (title, rows) in &self.sections {
            for row in rows {
                let met = match row.met {
                    Some(true) => "yes",
                    Some(false) => "**no**",
                    None => "",
                };
                let _ = writeln!(
                    out,
                    "| {title} | {} | {} | {} | {met} |",
                    row.what, row.value, row.target
                );
            }
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
