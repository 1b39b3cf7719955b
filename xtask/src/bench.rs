//! `cargo xtask bench`: the benchmarks of issue 7.

use crate::cmd;

/// Runs the benchmark report (`billsync-bench`), which writes `target/bench/report.md`.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut c = cmd::cargo();
    c.args([
        "run",
        "--release",
        "-p",
        "billsync-bench",
        "--bin",
        "bench-report",
        "--",
    ])
    .args(args);
    cmd::run(c)
}
