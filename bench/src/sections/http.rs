//! Section 1: CPU per upsert and per HTTP request, billsync against the hand-written loop, for
//! every path at 1 and 16 in flight; and the latency-hiding check.

use crate::cpu;
use crate::hand::HandBatch;
use crate::load::{self, Run};
use crate::paths::{Clients, Path, Records};
use crate::sandbox::SandboxProcess;
use crate::side_by_side::{PathResult, Runner, Sides};
use crate::table::Report;

/// The contract: billsync's CPU per HTTP request at most this many times the hand-written
/// loop's (issue 17).
pub const TARGET: f64 = 1.10;
/// The CI guard's limit: far enough above the contract that noise cannot reach it, near enough
/// to catch a clear regression.
pub const GUARD: f64 = 1.5;

/// How much to measure.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The numbers of upserts in flight measured, each with its records and rounds.
    pub levels: Vec<Level>,
    /// Whether to measure the noise floor too: the hand-written loop against itself.
    pub noise_floor: bool,
}

/// One number of upserts in flight, the records each side sends along a path, and the rounds
/// they are split into (the sides alternate which goes first).
///
/// One request at a time, a round of 50 records lasts about 15 ms per side: many short rounds
/// meet the host's slow drifts on both sides alike, and their median is steadier than that of
/// fewer, longer ones (on the bench machine, five runs of Payabli's known customers gave medians
/// of 1.07 to 1.08 with 160 rounds of 50, and 1.04 to 1.10 with 32 rounds of 250). With 16 in
/// flight a round needs more records, or its start and end (fewer than 16 in flight) would
/// weigh in it; as a request costs a third of the CPU there, more rounds cost little.
#[derive(Debug, Clone, Copy)]
pub struct Level {
    /// Upserts in flight.
    pub in_flight: usize,
    /// Records per side.
    pub records: usize,
    /// Rounds.
    pub rounds: usize,
}

impl Plan {
    /// The CI guard's: short, 16 in flight only, no noise floor.
    pub fn guard() -> Plan {
        Plan {
            levels: vec![Level {
                in_flight: 16,
                records: 1_000,
                rounds: 5,
            }],
            noise_floor: false,
        }
    }

    /// `--quick`'s: a quarter of the records, and fewer rounds.
    pub fn quick(noise_floor: bool) -> Plan {
        Plan {
            levels: vec![
                Level {
                    in_flight: 1,
                    records: 2_000,
                    rounds: 20,
                },
                Level {
                    in_flight: 16,
                    records: 2_000,
                    rounds: 4,
                },
            ],
            noise_floor,
        }
    }

    /// The full run's: short rounds, the two sides alternating, so that both meet the same host
    /// conditions and the median stays put when many rounds are disturbed ([`Level`] says why
    /// 160 rounds of 50 one at a time, and 96 of 250 with 16 in flight).
    pub fn full(noise_floor: bool) -> Plan {
        Plan {
            levels: vec![
                Level {
                    in_flight: 1,
                    records: 8_000,
                    rounds: 160,
                },
                Level {
                    in_flight: 16,
                    records: 24_000,
                    rounds: 96,
                },
            ],
            noise_floor,
        }
    }

    /// The plan with every level sending `records` per side.
    pub fn with_records(mut self, records: usize) -> Plan {
        for level in &mut self.levels {
            level.records = records;
        }
        self
    }

    /// The plan with every level split into `rounds` rounds.
    pub fn with_rounds(mut self, rounds: usize) -> Plan {
        for level in &mut self.levels {
            level.rounds = rounds;
        }
        self
    }
}

/// The path the noise floor is measured on: one request per record, no set-up.
pub const NOISE_FLOOR_PATH: Path = Path::RebillyCustomer;

/// The client's core and the sandbox's, when the machine has two or more.
const CLIENT_CPU: usize = 0;
const SANDBOX_CPU: usize = 1;

/// Runs every path per `plan` against a sandbox in a child process, the client pinned to one
/// core and the sandbox to another; with `only`, just the paths whose label contains it.
pub async fn measure(plan: Plan, only: Option<&str>) -> Result<Measured, String> {
    let pinned = cpu::pin_to_cpu(CLIENT_CPU);
    let sandbox = SandboxProcess::start(0, pinned.then_some(SANDBOX_CPU))?;
    let runner = Runner::new(&sandbox)?;
    let mut results = Vec::new();
    let chosen = Path::ALL
        .into_iter()
        .filter(|p| only.is_none_or(|o| p.label().contains(o)));
    for path in chosen {
        for level in &plan.levels {
            let r = runner
                .measure(
                    path,
                    level.in_flight,
                    level.records,
                    level.rounds,
                    Sides::Both,
                )
                .await
                .map_err(|e| format!("{}, {} in flight: {e}", path.label(), level.in_flight))?;
            results.push(r);
        }
    }
    let mut floor = None;
    if plan.noise_floor
        && let Some(level) = plan.levels.iter().find(|l| l.in_flight == 1)
    {
        let r = runner
            .measure(
                NOISE_FLOOR_PATH,
                1,
                level.records,
                level.rounds,
                Sides::HandTwice,
            )
            .await
            .map_err(|e| format!("noise floor: {e}"))?;
        floor = Some(r);
    }
    drop(runner);
    drop(sandbox);
    cpu::unpin();
    Ok(Measured { results, floor })
}

/// What section 1 measured.
pub struct Measured {
    /// billsync against the hand-written loop, path by path.
    pub results: Vec<PathResult>,
    /// The hand-written loop against itself, when the plan asked for it.
    pub floor: Option<PathResult>,
}

/// Whether a result has the requests its path plans, on both sides.
fn requests_as_planned(r: &PathResult) -> bool {
    let planned = f64::from(r.path.requests_per_record());
    (r.billsync.requests_per_record() - planned).abs() < 1e-9
        && (r.hand.requests_per_record() - planned).abs() < 1e-9
}

/// One row per result, held to `limit` (the contract, or the guard's margin): the median of
/// the rounds' ratios, which one round disturbed by another process cannot move, as in section
/// 2; the ratio of all rounds together is shown beside it.
pub fn rows(report: &mut Report, results: &[PathResult], limit: f64) {
    for r in results {
        let ratio = r.median_round_ratio();
        let (b, h) = (&r.billsync, &r.hand);
        report.row(
            format!(
                "{}, {} in flight ({} records per side)",
                r.path.label(),
                r.in_flight,
                b.records
            ),
            format!(
                "CPU/upsert {:.1} vs {:.1} µs; CPU/request {:.1} vs {:.1} µs; requests/record {:.2} vs {:.2}; **{ratio:.2}x** per request {}{}",
                b.cpu_us_per_record(),
                h.cpu_us_per_record(),
                b.cpu_us_per_request(),
                h.cpu_us_per_request(),
                b.requests_per_record(),
                h.requests_per_record(),
                rounds_text(r),
                failures(r, "billsync", "hand-written"),
            ),
            format!(
                "≤ {limit:.2}x, {} request(s)/record",
                r.path.requests_per_record()
            ),
            Some(ratio <= limit && r.all_succeeded() && requests_as_planned(r)),
        );
    }
}

/// The noise floor's row: the hand-written loop measured against itself the way billsync is
/// measured against it, so that a reader can tell a ratio from the machine's noise. No target.
pub fn floor_row(report: &mut Report, r: &PathResult) {
    report.row(
        format!(
            "noise floor: the hand-written loop against itself, {}, {} in flight ({} records per side)",
            r.path.label(),
            r.in_flight,
            r.billsync.records
        ),
        format!(
            "**{:.2}x** {}: how far apart two identical sides measure on this machine{}",
            r.median_round_ratio(),
            rounds_text(r),
            failures(r, "one side", "the other"),
        ),
        "",
        None,
    );
}

/// How the median came about: `(median of N rounds, lowest–highest; all rounds together X)`.
fn rounds_text(r: &PathResult) -> String {
    let (lo, hi) = r
        .rounds
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    format!(
        "(median of {} rounds, {lo:.2}–{hi:.2}; all rounds together {:.2}x)",
        r.rounds.len(),
        r.ratio_per_request()
    )
}

/// `; FAILED: …` naming the failed records of each side, or nothing when none failed.
fn failures(r: &PathResult, ours: &str, theirs: &str) -> String {
    if r.all_succeeded() {
        String::new()
    } else {
        format!(
            "; FAILED: {} {ours}, {} {theirs}",
            r.billsync.failed, r.hand.failed
        )
    }
}

/// Section 3: Rebilly customers through billsync with 20 ms added to every answer and 32 in
/// flight, against the ideal: 32 requests per round trip of one request at a time.
///
/// The round trip is measured, not assumed: the sandbox's 20 ms are a tokio sleep, whose
/// millisecond timer rounds every deadline up (about 21.2 ms on average on the bench machine),
/// and no client can beat the sandbox's own delay. It is the hand-written loop's, one request at
/// a time against the same sandbox, so that billsync's own time per request counts against it.
/// The hand-written loop at 32 in flight is shown beside, as what a plain client reaches.
pub async fn latency_hiding(report: &mut Report, n: usize) {
    report.section("3. latency hiding");
    let what = format!("{n} Rebilly customer upserts, 20 ms added latency, 32 in flight");
    match latency_runs(n).await {
        Ok(runs) => {
            let round_trip =
                runs.one_at_a_time.wall.as_secs_f64() / runs.one_at_a_time.records.max(1) as f64;
            let ideal = LATENCY_IN_FLIGHT as f64 / round_trip.max(1e-9);
            let share = runs.billsync.per_second() / ideal;
            let failed = runs.billsync.failed + runs.hand.failed + runs.one_at_a_time.failed;
            report.row(
                what,
                format!(
                    "{:.0} records/s = {:.0}% of {ideal:.0} (32 per {:.2} ms, the round trip of one request at a time; 1,600 if it were 20.00 ms); hand-written loop at 32 in flight: {:.0} records/s ({failed} failed)",
                    runs.billsync.per_second(),
                    share * 100.0,
                    round_trip * 1e3,
                    runs.hand.per_second(),
                ),
                "≥ 90% of 32 per measured round trip",
                Some(share >= 0.9 && failed == 0),
            );
        }
        Err(e) => report.not_measured(what, e),
    }
}

/// Upserts in flight in section 3.
const LATENCY_IN_FLIGHT: usize = 32;

/// Section 3's runs against one sandbox with 20 ms added latency.
struct LatencyRuns {
    /// The hand-written loop, one request at a time: the round trip.
    one_at_a_time: Run,
    /// billsync, 32 in flight.
    billsync: Run,
    /// The hand-written loop, 32 in flight.
    hand: Run,
}

async fn latency_runs(n: usize) -> Result<LatencyRuns, String> {
    let path = Path::RebillyCustomer;
    let sandbox = SandboxProcess::start(20, None)?;
    let clients = Clients::new(&sandbox)?;
    let http = billsync::reqwest::Client::new();
    let hand_run = |first: usize, n: usize, in_flight: usize| {
        let records = Records::generate(path, first, n);
        let (http, clients) = (&http, &clients);
        async move {
            let batch = HandBatch::build(http, path, clients, &records)?;
            Ok::<_, String>(load::run(n, in_flight, |i| batch.send_record(i)).await)
        }
    };
    // A few requests first, so that neither side pays for opening connections.
    hand_run(n, LATENCY_IN_FLIGHT, LATENCY_IN_FLIGHT).await?;
    let one_at_a_time = hand_run(n + LATENCY_IN_FLIGHT, 100, 1).await?;
    let records = Records::generate(path, 0, n);
    let billsync = load::run(n, LATENCY_IN_FLIGHT, |i| clients.upsert(path, &records, i)).await;
    let hand_n = n.min(4_000);
    let hand = hand_run(n + LATENCY_IN_FLIGHT + 100, hand_n, LATENCY_IN_FLIGHT).await?;
    Ok(LatencyRuns {
        one_at_a_time,
        billsync,
        hand,
    })
}
