//! Section 1: CPU per upsert and per HTTP request, billsync against the hand-written loop, for
//! every path at 1 and 16 in flight; and the latency-hiding check.

use crate::cpu;
use crate::load;
use crate::paths::{Clients, Path, Records};
use crate::sandbox::SandboxProcess;
use crate::side_by_side::{PathResult, Runner};
use crate::table::Report;

/// The contract: billsync's CPU per HTTP request at most this many times the hand-written
/// loop's (issue 17).
pub const TARGET: f64 = 1.10;
/// The CI guard's limit: far enough above the contract that noise cannot reach it, near enough
/// to catch a clear regression.
pub const GUARD: f64 = 1.5;

/// How much to measure.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Records per side per path and number in flight.
    pub records: usize,
    /// Rounds they are split into (sides alternate which goes first).
    pub rounds: usize,
    /// Numbers of upserts in flight.
    pub in_flight: &'static [usize],
}

/// The client's core and the sandbox's, when the machine has two or more.
const CLIENT_CPU: usize = 0;
const SANDBOX_CPU: usize = 1;

/// Runs every path per `plan` against a sandbox in a child process, the client pinned to one
/// core and the sandbox to another; with `only`, just the paths whose label contains it.
pub async fn measure(plan: Plan, only: Option<&str>) -> Result<Vec<PathResult>, String> {
    let pinned = cpu::pin_to_cpu(CLIENT_CPU);
    let sandbox = SandboxProcess::start(0, pinned.then_some(SANDBOX_CPU))?;
    let runner = Runner::new(&sandbox)?;
    let mut results = Vec::new();
    let chosen = Path::ALL
        .into_iter()
        .filter(|p| only.is_none_or(|o| p.label().contains(o)));
    for path in chosen {
        for &in_flight in plan.in_flight {
            let r = runner
                .measure(path, in_flight, plan.records, plan.rounds)
                .await
                .map_err(|e| format!("{}, {in_flight} in flight: {e}", path.label()))?;
            results.push(r);
        }
    }
    drop(runner);
    drop(sandbox);
    cpu::unpin();
    Ok(results)
}

/// Whether a result has the requests its path plans, on both sides.
fn requests_as_planned(r: &PathResult) -> bool {
    let planned = f64::from(r.path.requests_per_record());
    (r.billsync.requests_per_record() - planned).abs() < 1e-9
        && (r.hand.requests_per_record() - planned).abs() < 1e-9
}

/// One row per result, held to `limit` (the contract, or the guard's margin with `guard`).
pub fn rows(report: &mut Report, results: &[PathResult], limit: f64, guard: bool) {
    for r in results {
        let ratio = if guard {
            r.median_round_ratio()
        } else {
            r.ratio_per_request()
        };
        let (lo, hi) = r
            .rounds
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        let (b, h) = (&r.billsync, &r.hand);
        report.row(
            format!(
                "{}, {} in flight ({} records per side)",
                r.path.label(),
                r.in_flight,
                b.records
            ),
            format!(
                "CPU/upsert {:.1} vs {:.1} µs; CPU/request {:.1} vs {:.1} µs; requests/record {:.2} vs {:.2}; **{ratio:.2}x** per request (rounds {lo:.2}–{hi:.2}){}",
                b.cpu_us_per_record(),
                h.cpu_us_per_record(),
                b.cpu_us_per_request(),
                h.cpu_us_per_request(),
                b.requests_per_record(),
                h.requests_per_record(),
                if r.all_succeeded() {
                    String::new()
                } else {
                    format!("; FAILED: {} billsync, {} hand-written", b.failed, h.failed)
                }
            ),
            format!(
                "≤ {limit:.2}x, {} request(s)/record",
                r.path.requests_per_record()
            ),
            Some(ratio <= limit && r.all_succeeded() && requests_as_planned(r)),
        );
    }
}

/// Section 3: Rebilly customers through billsync with 20 ms added to every answer and 32 in
/// flight: the share of the ideal 1,600 records/s reached.
pub async fn latency_hiding(report: &mut Report, n: usize) {
    report.section("3. latency hiding");
    let what = format!("{n} Rebilly customer upserts, 20 ms added latency, 32 in flight");
    let measured = async {
        let sandbox = SandboxProcess::start(20, None)?;
        let clients = Clients::new(&sandbox)?;
        let records = Records::generate(Path::RebillyCustomer, 0, n);
        Ok::<_, String>(
            load::run(n, 32, |i| {
                clients.upsert(Path::RebillyCustomer, &records, i)
            })
            .await,
        )
    }
    .await;
    match measured {
        Ok(run) => {
            let ideal = 32.0 / 0.020;
            let share = run.per_second() / ideal;
            report.row(
                what,
                format!(
                    "{:.0} records/s = {:.0}% of {ideal:.0} ({} failed)",
                    run.per_second(),
                    share * 100.0,
                    run.failed
                ),
                "≥ 90% of 1,600/s",
                Some(share >= 0.9 && run.failed == 0),
            );
        }
        Err(e) => report.not_measured(what, e),
    }
}
