//! Section 2: mapping and serialization against the serde floor, for every provider and kind.
//!
//! Measured here rather than read from criterion: both sides run in alternating rounds on this
//! thread and are timed by the thread's CPU time, so the ratio holds on a machine busy with
//! other work (criterion's wall-clock medians do not). `cargo bench -p billsync-bench` gives
//! criterion's detailed statistics of the same cases.

use std::hint::black_box;
use std::time::Duration;

use crate::cpu::thread_cpu;
use crate::fixtures::{MappingCase, mapping_cases};
use crate::table::Report;

/// The target: prepare at most this many times the floor.
pub const TARGET: f64 = 2.0;

/// CPU time of `calls` calls of `f`.
fn timed(f: &dyn Fn() -> usize, calls: u32) -> Duration {
    let t0 = thread_cpu();
    for _ in 0..calls {
        black_box(f());
    }
    thread_cpu().saturating_sub(t0)
}

/// One case's figures: CPU per batch of prepare, of the floor and of the floor's record URLs
/// alone (if any), and the median of the rounds' ratios of prepare to the floor.
struct Measured {
    ours: f64,
    floor: f64,
    urls: Option<f64>,
    ratio: f64,
}

/// Times both sides (and the floor's URL part) in alternating rounds.
fn measure(case: &MappingCase, rounds: usize, per_side: Duration) -> Measured {
    // Calibrate: enough calls for `per_side` of CPU per side and round.
    let mut calls = 8u32;
    loop {
        let spent = timed(case.billsync.as_ref(), calls);
        if spent >= Duration::from_millis(20) || calls >= 1 << 24 {
            let per_call = spent.as_secs_f64() / f64::from(calls);
            calls = ((per_side.as_secs_f64() / per_call.max(1e-9)) as u32).max(1);
            break;
        }
        calls *= 2;
    }
    let (mut ours, mut floor, mut urls) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut ratios = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (o, f) = if round % 2 == 0 {
            let o = timed(case.billsync.as_ref(), calls);
            (o, timed(case.floor.as_ref(), calls))
        } else {
            let f = timed(case.floor.as_ref(), calls);
            (timed(case.billsync.as_ref(), calls), f)
        };
        ours += o;
        floor += f;
        if let Some(u) = &case.urls {
            urls += timed(u.as_ref(), calls);
        }
        ratios.push(o.as_secs_f64() / f.as_secs_f64().max(1e-9));
    }
    ratios.sort_by(f64::total_cmp);
    let per_batch = |d: Duration| d.as_secs_f64() * 1e6 / (f64::from(calls) * rounds as f64);
    Measured {
        ours: per_batch(ours),
        floor: per_batch(floor),
        urls: case.urls.as_ref().map(|_| per_batch(urls)),
        ratio: ratios[ratios.len() / 2],
    }
}

/// Adds a row per provider and kind.
pub fn section(report: &mut Report, quick: bool) {
    report.section("2. mapping vs serde floor");
    let cases = match mapping_cases() {
        Ok(c) => c,
        Err(e) => return report.not_measured("mapping of the fixtures", e),
    };
    let (rounds, per_side) = if quick {
        (5, Duration::from_millis(20))
    } else {
        (9, Duration::from_millis(60))
    };
    for case in &cases {
        let Measured {
            ours,
            floor,
            urls,
            ratio,
        } = measure(case, rounds, per_side);
        let (what, parts) = match urls {
            Some(urls) => (
                "serde_json::to_vec of the built wire bodies + the URLs carrying the record",
                format!(
                    " (bodies {:.1} + URLs {urls:.1}; {:.2}x the bodies alone)",
                    floor - urls,
                    ours / (floor - urls).max(1e-9)
                ),
            ),
            None => ("serde_json::to_vec of the built wire bodies", String::new()),
        };
        report.row(
            format!(
                "{} {}: prepare (validate, map, serialize, URL, headers) vs {what}, {} fixtures",
                case.provider,
                case.kind.replace('_', ", id "),
                case.fixtures
            ),
            format!(
                "{ours:.1} µs vs {floor:.1} µs{parts} CPU per batch = {ratio:.2}x (median of {rounds} rounds)"
            ),
            format!("≤ {TARGET:.1}x"),
            Some(ratio <= TARGET),
        );
    }
}
