//! Progress: a bar with rate and ETA on a terminal, a plain line every few seconds otherwise.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::sync::Summary;

/// How progress is shown.
pub enum Progress {
    /// A bar over the file's bytes.
    Bar(ProgressBar),
    /// A line every few seconds (not a terminal).
    Lines { last: Instant, started: Instant },
    /// Nothing (the demo prints its own tables).
    Silent,
}

const LINE_EVERY: Duration = Duration::from_secs(5);

impl Progress {
    /// A bar if stderr is a terminal and not `quiet`, else periodic lines; `silent` shows nothing.
    pub fn new(total_bytes: Option<u64>, quiet: bool, silent: bool) -> Progress {
        if silent {
            return Progress::Silent;
        }
        if quiet || !std::io::stderr().is_terminal() {
            let now = Instant::now();
            return Progress::Lines {
                last: now,
                started: now,
            };
        }
        let bar = match total_bytes {
            Some(n) => ProgressBar::new(n),
            None => ProgressBar::new_spinner(),
        };
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {percent}% ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress::Bar(bar)
    }

    /// Shows the position (bytes read) and the counts so far.
    pub fn update(&mut self, bytes: u64, s: &Summary) {
        match self {
            Progress::Bar(bar) => {
                bar.set_position(bytes);
                let secs = bar.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!(
                    "{} records, {:.0}/s",
                    s.total(),
                    s.total() as f64 / secs
                ));
            }
            Progress::Lines { last, started } => {
                if last.elapsed() >= LINE_EVERY {
                    *last = Instant::now();
                    let secs = started.elapsed().as_secs_f64().max(1e-3);
                    // A closed standard error must not end the sync: the line is dropped.
                    let _ = writeln!(
                        std::io::stderr(),
                        "billsync: {} records ({} created, {} updated, {} unchanged, {} rejected, {} failed), {:.0}/s",
                        s.total(),
                        s.created,
                        s.updated,
                        s.unchanged,
                        s.rejected,
                        s.failed,
                        s.total() as f64 / secs
                    );
                }
            }
            Progress::Silent => {}
        }
    }

    /// Clears the bar.
    pub fn finish(self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
