//! The loop: mutate, run under `catch_unwind`, keep inputs with new outcomes, save panics.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::mutate::{Mutator, dictionary};
use crate::targets::Target;

/// The most inputs kept in a corpus (new ones replace random old ones beyond it).
const MAX_CORPUS: usize = 4096;

/// When to stop.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Stop after this many executions.
    pub execs: u64,
    /// Stop after this long, whatever the count.
    pub time: Duration,
}

/// What a run of one target did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The target.
    pub target: &'static str,
    /// Inputs run.
    pub execs: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Inputs that panicked.
    pub panics: u64,
    /// Distinct outcomes seen (renderings, digits ignored).
    pub outcomes: usize,
    /// Where the panicking inputs were saved, with their messages.
    pub crashes: Vec<(PathBuf, String)>,
}

impl Report {
    /// Executions per second.
    pub fn per_second(&self) -> f64 {
        self.execs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

fn signature(outcome: &str) -> u64 {
    let mut h = DefaultHasher::new();
    for b in outcome.bytes().filter(|b| !b.is_ascii_digit()).take(512) {
        b.hash(&mut h);
    }
    h.finish()
}

/// Fuzzes `target` within `budget`, from random seed `seed`; panicking inputs are written to
/// `crashes` (created when needed).
pub fn fuzz(target: &Target, budget: Budget, seed: u64, crashes: &Path) -> Report {
    let seeds = (target.seeds)();
    let refs: Vec<&[u8]> = seeds.iter().map(|s| &s[(target.body_start)(s)..]).collect();
    let mut mutator = Mutator::new(seed, dictionary(&refs));
    let mut corpus = seeds.clone();
    let mut seen = HashSet::new();

    // Panics are expected to be caught here: keep their message, print nothing.
    let message = Arc::new(Mutex::new(String::new()));
    let hook_message = message.clone();
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if let Ok(mut m) = hook_message.lock() {
            *m = format!("{info}");
        }
    }));

    let mut report = Report {
        target: target.name,
        execs: 0,
        elapsed: Duration::ZERO,
        panics: 0,
        outcomes: 0,
        crashes: Vec::new(),
    };
    let started = Instant::now();
    let mut input = Vec::new();
    while report.execs < budget.execs {
        if report.execs.is_multiple_of(256) && started.elapsed() >= budget.time {
            break;
        }
        // The seeds as they are first, then mutants.
        let n = report.execs as usize;
        if n < seeds.len() {
            input.clone_from(&seeds[n]);
        } else {
            let from = mutator.below(corpus.len());
            input.clone_from(&corpus[from]);
            let other = &corpus[mutator.below(corpus.len())];
            let body = (target.body_start)(&input);
            mutator.mutate(&mut input, body, other);
        }
        report.execs += 1;
        match panic::catch_unwind(AssertUnwindSafe(|| (target.run)(&input))) {
            Ok(outcome) => {
                if seen.insert(signature(&outcome)) {
                    if corpus.len() < MAX_CORPUS {
                        corpus.push(input.clone());
                    } else {
                        let at = mutator.below(corpus.len());
                        corpus[at] = input.clone();
                    }
                }
            }
            Err(_) => {
                report.panics += 1;
                let text = message.lock().map(|m| m.clone()).unwrap_or_default();
                if report.crashes.len() < 20 {
                    let _ = std::fs::create_dir_all(crashes);
                    let path = crashes.join(format!("{}-{}.bin", target.name, report.panics));
                    let _ = std::fs::write(&path, &input);
                    report.crashes.push((path, text));
                }
            }
        }
    }
    report.elapsed = started.elapsed();
    report.outcomes = seen.len();
    panic::set_hook(previous);
    report
}
