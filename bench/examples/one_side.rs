//! Runs one side of section 1 alone (billsync or the hand-written loop) along one path, for
//! profiling or counting the system calls of that side only:
//! `strace -c target/release/examples/one_side billsync Rebilly 16 4000`
//! (`one_side SIDE PATH IN_FLIGHT RECORDS [LATENCY_MS]`; PATH is part of a path label, as
//! `--only`; the sandbox adds LATENCY_MS to every answer). The sandbox runs in a child process
//! (not traced without `-f`), pinned like section 1 (with LATENCY_MS, nothing is pinned, as in
//! section 3). The
//! measured run is inside `measured`, so that callgrind can count it alone:
//! `valgrind --tool=callgrind --toggle-collect=one_side::measured target/release/examples/one_side hand Rebilly 1 1000`.

use billsync_bench::cpu;
use billsync_bench::load::Run;
use billsync_bench::paths::{Path, Records};
use billsync_bench::sandbox::{self, SERVE_FLAG, SandboxProcess};
use billsync_bench::side_by_side::Runner;
use tokio::runtime::Runtime;

/// One side's run of `records`.
async fn run(
    runner: &Runner<'_>,
    hand: bool,
    path: Path,
    records: &Records,
    in_flight: usize,
) -> Result<Run, String> {
    if hand {
        runner.hand(path, records, in_flight).await
    } else {
        runner.billsync(path, records, in_flight).await
    }
}

/// The measured run, apart from the set-up.
#[inline(never)]
fn measured(
    rt: &Runtime,
    runner: &Runner<'_>,
    hand: bool,
    path: Path,
    records: &Records,
    in_flight: usize,
) -> Result<Run, String> {
    rt.block_on(run(runner, hand, path, records, in_flight))
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(SERVE_FLAG) {
        return sandbox::serve(&args[1..]);
    }
    let side = args.first().cloned().unwrap_or_else(|| "billsync".into());
    let only = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "Rebilly customer".into());
    let in_flight: usize = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(1);
    let records: usize = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(4000);
    let latency_ms: u64 = args.get(4).and_then(|v| v.parse().ok()).unwrap_or(0);
    let path = Path::ALL
        .into_iter()
        .find(|p| p.label().contains(&only))
        .ok_or_else(|| format!("no path `{only}`"))?;
    let hand = side == "hand";
    // With added latency, as section 3: nothing pinned.
    let pinned = latency_ms == 0 && cpu::pin_to_cpu(0);
    let sandbox = SandboxProcess::start(latency_ms, pinned.then_some(1))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let runner = Runner::new(&sandbox)?;
    let (warm, records) = rt.block_on(async {
        let warm = runner.batch(path, 200).await?;
        let records = runner.batch(path, records).await?;
        run(&runner, hand, path, &warm, in_flight).await?;
        Ok::<_, String>((warm, records))
    })?;
    drop(warm);
    let done = measured(&rt, &runner, hand, path, &records, in_flight)?;
    println!(
        "{side} {}: {:.1} µs CPU per request, {:.2} requests per record, {} failed, {:.0} records/s",
        path.label(),
        done.cpu_us_per_request(),
        done.requests_per_record(),
        done.failed,
        done.per_second()
    );
    Ok(())
}
