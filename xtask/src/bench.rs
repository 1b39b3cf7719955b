//! `cargo xtask bench [--quick] [--skip-build]`: the benchmarks of issue 7, one table in
//! `target/bench/report.md`.
//!
//! - criterion: mapping + serialization per provider and kind, against the floor of
//!   serializing the already-built wire struct;
//! - the `bench-report` binary: requests per CPU-second against the sandbox versus a
//!   hand-written client, latency hiding, peak memory of `billsync sync`, build cost.

use crate::cmd::{self, step};

/// Runs every benchmark and writes the report.
pub fn run(args: &[String]) -> Result<(), String> {
    step("building the CLI (release) for the memory runs");
    let mut build = cmd::cargo();
    build.args(["build", "--release", "-p", "billsync-cli"]);
    cmd::run(build)?;

    step("criterion: mapping and serialization");
    let mut bench = cmd::cargo();
    bench.args(["bench", "-p", "billsync-bench", "--bench", "mapping"]);
    cmd::run(bench)?;

    step("load, latency, memory and build cost");
    let mut report = cmd::cargo();
    report
        .args([
            "run",
            "--release",
            "-q",
            "-p",
            "billsync-bench",
            "--bin",
            "bench-report",
            "--",
        ])
        .args(args);
    cmd::run(report)
}
