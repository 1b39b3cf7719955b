//! `cargo xtask bench [--quick] [--skip-build]`: the benchmarks of issues 7 and 17, one table
//! in `<target>/bench/report.md` (and, for a full run, `docs/benchmarks.md`); and the short
//! side-by-side guard that `cargo xtask test` runs.
//!
//! - the release CLI, for the memory runs;
//! - criterion: mapping + serialization per provider and kind, against the floor of
//!   serializing the already-built wire struct;
//! - the `bench-report` binary: CPU per upsert and per request against a hand-written loop for
//!   every path, the mapping ratios (from criterion's results of this run), latency hiding,
//!   the CLI's peak memory and the sandbox's memory per record, build cost. It exits non-zero
//!   naming every row that missed its target or could not be measured.
//!
//! Every path is where cargo says (`cargo metadata`'s `target_directory`), so a
//! `CARGO_TARGET_DIR` is honoured.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::cmd::{self, step};

/// The bench report binary, built and run in release.
fn report() -> std::process::Command {
    let mut c = cmd::cargo();
    c.args([
        "run",
        "--release",
        "-q",
        "-p",
        "billsync-bench",
        "--bin",
        "bench-report",
        "--",
    ]);
    c
}

/// Runs every benchmark and writes the report.
pub fn run(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs();

    step("building the CLI (release) for the memory runs");
    let mut build = cmd::cargo();
    build.args(["build", "--release", "-p", "billsync-cli"]);
    cmd::run(build)?;

    step("criterion: mapping and serialization");
    let mut bench = cmd::cargo();
    bench.args(["bench", "-p", "billsync-bench", "--bench", "mapping"]);
    if quick {
        // Shorter measurement; criterion still reports medians.
        bench.args(["--", "--warm-up-time", "0.5", "--measurement-time", "1"]);
    }
    cmd::run(bench)?;

    step("side by side, latency, memory and build cost");
    let mut c = report();
    c.args(["--mapping-since", &started.to_string()]).args(args);
    if !quick {
        c.arg("--docs").arg(cmd::root().join("docs").join("benchmarks.md"));
    }
    cmd::run(c)
}

/// Step g of `cargo xtask test`: every path against the hand-written loop, a few hundred
/// records each, failing when billsync's CPU per request is above 1.5x the loop's (median of
/// alternating rounds: ratios measured side by side, never absolute times).
pub fn guard() -> Result<(), String> {
    let mut c = report();
    c.arg("--guard");
    cmd::run(c)
}
