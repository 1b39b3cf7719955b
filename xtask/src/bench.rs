//! `cargo xtask bench [--quick] [--build-cost] | --guard`: the benchmarks of issues 7 and 17, one table
//! in `<target>/bench/report.md` (and, for a full run, `docs/benchmarks.md`); and the short
//! side-by-side guard that `cargo xtask test` runs.
//!
//! - the release CLI, for the memory runs;
//! - the `bench-report` binary: CPU per upsert and per request against a hand-written loop for
//!   every path, mapping against the serde floor (by CPU time, side by side; criterion's
//!   statistics of the same cases: `cargo bench -p billsync-bench`), latency hiding,
//!   the CLI's peak memory and the sandbox's memory per record, build cost. It exits non-zero
//!   naming every row that missed its target or could not be measured.
//!
//! Every path is where cargo says (`cargo metadata`'s `target_directory`), so a
//! `CARGO_TARGET_DIR` is honoured.

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

    step("building the CLI (release) for the memory runs");
    let mut build = cmd::cargo();
    build.args(["build", "--release", "-p", "billsync-cli"]);
    cmd::run(build)?;

    step("side by side, mapping, latency, memory (and build cost)");
    let mut c = report();
    c.args(args);
    if !quick {
        c.arg("--docs")
            .arg(cmd::root().join("docs").join("benchmarks.md"));
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

/// `cargo xtask crash [args]`: the full crash test of Hyfin's external-id API (20 `kill -9`s of
/// a 10,000-customer sync, then a resume), its result written to `docs/benchmarks.md`; args go
/// to `crash-report` (`--kills N`, `--records N`, `--seed N`).
pub fn crash(args: &[String]) -> Result<(), String> {
    step("building the CLI (release)");
    let mut build = cmd::cargo();
    build.args(["build", "--release", "-p", "billsync-cli"]);
    cmd::run(build)?;
    step("kill -9 at random moments, then resume: duplicates and losses");
    let mut c = cmd::cargo();
    c.args([
        "run",
        "--release",
        "-q",
        "-p",
        "billsync-bench",
        "--bin",
        "crash-report",
        "--",
    ])
    .args(args)
    .arg("--docs")
    .arg(cmd::root().join("docs").join("benchmarks.md"));
    cmd::run(c)
}
