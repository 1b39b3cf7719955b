//! `cargo xtask bench` runs this after the criterion benchmarks; `cargo xtask test` runs it
//! with `--guard`. It measures what criterion cannot and writes one table.
//!
//! ```text
//! bench-report [--quick] [--build-cost] [--guard] [--docs FILE]
//! ```
//!
//! Except with `--guard`, it first runs `sync` and waits (at most 90 s) for the 1-minute load
//! average to fall below 1.0: the release build just before leaves writeback and load behind.
//!
//! - default: sections 1 to 4 at full size (about 9 minutes on 2 cores, most of it the CLI
//!   syncing 1,000,000 records);
//! - `--build-cost`: section 5 as well (two clean builds, 2 to 4 more minutes);
//! - `--quick`: every section with fewer records (about 2 minutes), said in the header;
//! - `--guard`: only section 1, short, every path held to 1.5x the hand-written loop (median
//!   of its rounds): the CI guard;
//! - `--docs FILE`: also writes the report there (`docs/benchmarks.md`);
//! - `--only TEXT`: section 1 measures only the paths whose label contains TEXT (for
//!   profiling one path, e.g. `perf record -g bench-report --guard --only Rebilly`);
//! - `--records N`: section 1 sends N records per path and side;
//! - `--rounds N`: section 1 splits them into N alternating rounds;
//! - `--section N`: only section N (1 to 5).
//!
//! Exits 1 when any row misses its target or could not be measured, naming each.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use billsync_bench::sandbox::{self, SERVE_FLAG};
use billsync_bench::sections::{self, http};
use billsync_bench::table::Report;
use billsync_bench::{machine, target};

struct Options {
    quick: bool,
    guard: bool,
    build_cost: bool,
    docs: Option<PathBuf>,
    only: Option<String>,
    records: Option<usize>,
    rounds: Option<usize>,
    section: Option<u8>,
}

fn options(args: &[String]) -> Result<Options, String> {
    // `--only`, `--records` and `--rounds` are for profiling; the xtask never passes them.
    let mut o = Options {
        quick: false,
        guard: false,
        build_cost: false,
        docs: None,
        only: None,
        records: None,
        rounds: None,
        section: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--guard" => o.guard = true,
            "--build-cost" => o.build_cost = true,
            "--only" => o.only = Some(it.next().ok_or("--only needs a path label")?.clone()),
            "--records" => {
                o.records = Some(
                    it.next()
                        .and_then(|v| v.parse().ok())
                        .ok_or("--records needs a number")?,
                );
            }
            "--rounds" => {
                o.rounds = Some(
                    it.next()
                        .and_then(|v| v.parse().ok())
                        .filter(|&n| n > 0)
                        .ok_or("--rounds needs a number above 0")?,
                );
            }
            "--section" => {
                o.section = Some(
                    it.next()
                        .and_then(|v| v.parse().ok())
                        .ok_or("--section needs a number from 1 to 5")?,
                );
            }
            "--docs" => o.docs = Some(it.next().ok_or("--docs needs a file")?.into()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(o)
}

const NOTES: [&str; 6] = [
    "1. Client and sandbox in separate processes on loopback, the client (a single-threaded tokio runtime) pinned to core 0 and the sandbox to core 1. CPU is the client process's CPU time (`CLOCK_PROCESS_CPUTIME_ID`, nanoseconds) during the run. The hand-written loop is a plain `reqwest::Client` sending the same method, URL, auth header and body bytes (the first record of every batch is checked byte for byte against billsync's prepared request), serializing the provider's wire struct on every request and reading each answer into a minimal struct; it has no validation, mapping, retries, timeouts or tracing. Each path runs in rounds of fresh records, the two sides alternating which goes first (8,000 records in 160 rounds of 50 one at a time; 24,000 in 96 rounds of 250 with 16 in flight); the ratio is the median of the rounds' ratios of billsync's CPU per request to the loop's (one round disturbed by another process cannot move it; section 2 and the guard use the median too), and the ratio of all rounds together is shown beside it. Requests per record are counted by the sandbox. The noise floor row measures the hand-written loop against itself in billsync's place, the same way: how far from 1.00x two identical sides land on this machine, to read the other ratios against.",
    "2. Each batch prepares every fixture a provider accepts (validation, mapping, serialization into the exact bytes, URL, headers; `bench/src/fixtures.rs`); the floor serializes the already-built wire bodies of the same fixtures with `serde_json::to_vec` and, where a URL carries the record (Rebilly's `PUT /customers/{id}`, Payabli's `PUT /Customer/{id}` and its lookup `GET /Query/customers/{entry}?customernumber(eq)=...`, a request with no body at all), makes that URL the cheapest way the `url` crate allows, a clone of the prebuilt base with the id appended, checked to equal billsync's; the row shows the two parts of the floor and the ratio to the bodies alone. Both run on one thread in alternating rounds timed by the thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`); the ratio is the median round's. `cargo bench -p billsync-bench --bench mapping` gives criterion's statistics of the same cases.",
    "3. The sandbox adds 20 ms before every answer; 32 upserts in flight through billsync. The ideal is 32 requests per round trip of one request at a time, measured in the same run (the hand-written loop, 100 requests against the same sandbox): the sandbox's 20 ms are a tokio sleep, whose millisecond timer rounds each deadline up (measured apart, a bare `tokio::time::sleep(20 ms)` lasts 21.15 ms on average on the bench machine), so the nominal 1,600/s is out of any client's reach. The hand-written loop's own rate at 32 in flight is shown beside.",
    "4. The release `billsync sync` of generated customers to Rebilly in a fresh sandbox, 32 in flight, rate limit off, fresh state file; peak RSS is the child's `VmHWM`. The sandbox's memory per stored record is the growth of its `VmRSS` over the sync divided by the records it created (the second sync repeats the first one's ids, which are updated, not stored again).",
    "5. Only with `--build-cost` (it adds two clean builds, 2 to 4 minutes): two clean builds of the facade into empty target dirs (registry already downloaded); crate counts from `cargo tree -e normal`.",
    "Every row with a target must meet it, and every section must be measured: otherwise `cargo xtask bench` exits non-zero naming the rows.",
];

/// Before measuring, wait for the 1-minute load average to fall below this...
const SETTLED_LOAD: f64 = 1.0;
/// ...for at most this long.
const SETTLE_LIMIT: Duration = Duration::from_secs(90);

fn header(o: &Options, took: Duration, load: &str, settled: Option<Duration>) -> String {
    let now = billsync::chrono::Utc::now().format("%Y-%m-%d %H:%M UTC");
    let how = if o.guard {
        "`cargo xtask test` (bench guard)"
    } else if o.quick {
        "`cargo xtask bench --quick` (fewer records: section 1 2,000 per path and side, latency 4,000, memory 10,000 and 100,000)"
    } else {
        "`cargo xtask bench`"
    };
    format!(
        "Measured {now} by {how} in {} min {} s, on {}; load average before the run (1, 5, 15 min): {load}{}.",
        took.as_secs() / 60,
        took.as_secs() % 60,
        machine::describe(),
        settled.map_or(String::new(), |w| format!(
            ", after `sync` and {} s of waiting for the 1-minute load to fall below {SETTLED_LOAD:.1} (at most {} s)",
            w.as_secs(),
            SETTLE_LIMIT.as_secs()
        ))
    )
}

fn run(o: &Options) -> Result<Report, String> {
    let target = target::target_directory()?;
    let out = target.join("bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("no tokio runtime: {e}"))?;
    let mut report = Report::default();

    let plan = if o.guard {
        http::Plan::guard()
    } else if o.quick {
        http::Plan::quick(o.only.is_none())
    } else {
        http::Plan::full(o.only.is_none())
    };
    let plan = match o.records {
        Some(records) => plan.with_records(records),
        None => plan,
    };
    let plan = match o.rounds {
        Some(rounds) => plan.with_rounds(rounds),
        None => plan,
    };
    let (limit, title) = if o.guard {
        (http::GUARD, "1. CPU vs hand-written (guard)")
    } else {
        (http::TARGET, "1. CPU vs hand-written")
    };
    let wanted = |n: u8| o.section.is_none_or(|s| s == n);
    if wanted(1) {
        report.section(title);
        match rt.block_on(http::measure(plan, o.only.as_deref())) {
            Ok(measured) => {
                http::rows(&mut report, &measured.results, limit);
                if let Some(floor) = &measured.floor {
                    http::floor_row(&mut report, floor);
                }
            }
            Err(e) => report.not_measured("billsync vs the hand-written loop", e),
        }
    }
    if o.guard {
        return Ok(report);
    }
    if wanted(2) {
        sections::mapping::section(&mut report, o.quick);
    }
    if wanted(3) {
        rt.block_on(http::latency_hiding(
            &mut report,
            if o.quick { 4_000 } else { 20_000 },
        ));
    }
    let sizes: &[usize] = if o.quick {
        &[10_000, 100_000]
    } else {
        &[100_000, 1_000_000]
    };
    let cli = target.join("release").join("billsync");
    if wanted(4) {
        rt.block_on(sections::memory::section(&mut report, &cli, &out, sizes));
    }
    if o.build_cost && wanted(5) {
        sections::build::section(&mut report, &out);
    }
    for note in NOTES {
        report.note(note);
    }
    Ok(report)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(SERVE_FLAG) {
        return match sandbox::serve(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                println!("error {e}");
                ExitCode::FAILURE
            }
        };
    }
    let o = match options(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("bench-report: {e}");
            return ExitCode::from(2);
        }
    };
    // The guard runs inside `cargo xtask test`, with a wide margin: it does not wait.
    let settled = (!o.guard).then(|| machine::settle(SETTLED_LOAD, SETTLE_LIMIT));
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(", "))
        .unwrap_or_else(|_| "unknown".to_owned());
    let started = Instant::now();
    let report = match run(&o) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bench-report: nothing measured: {e}");
            return ExitCode::FAILURE;
        }
    };
    let md = report.markdown(&header(&o, started.elapsed(), &load, settled));
    println!("{md}");
    let mut written = Vec::new();
    if !o.guard {
        match target::target_directory() {
            Ok(t) => written.push(t.join("bench").join("report.md")),
            Err(e) => eprintln!("bench-report: {e}"),
        }
    }
    written.extend(o.docs.clone());
    for path in written {
        // The crash-safety section (`cargo xtask crash`) is measured apart: keep it.
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        let md = match billsync_bench::sections::crash::section(&old) {
            Some(crash) => billsync_bench::sections::crash::replace_section(&md, crash),
            None => md.clone(),
        };
        if let Err(e) = std::fs::write(&path, &md) {
            eprintln!("bench-report: could not write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("written to {}", path.display());
    }
    let missed = report.missed();
    if missed.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "\nbench-report: {} row(s) missed their target or were not measured:",
        missed.len()
    );
    for m in missed {
        eprintln!("  - {m}");
    }
    ExitCode::FAILURE
}
