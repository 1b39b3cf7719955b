//! `cargo xtask fuzz`: the fuzz targets of the decoders (crate `fuzz/`, binary `billsync-fuzz`).
//!
//! The long run builds with the `fuzz` profile (optimized, overflow checks and debug assertions
//! on) and runs every target for 1,000,000 executions, within 10 minutes for the lot. The short
//! run of `cargo xtask test` uses the dev build for a few seconds per target.

use std::time::{Duration, Instant};

use crate::cmd;

/// Executions per target of the long run.
const EXECS: &str = "1000000";
/// Seconds per target of the short run in `cargo xtask test`.
const SHORT_SECONDS: &str = "3";
/// The whole long run must end within this.
const LONG_LIMIT: Duration = Duration::from_secs(600);

/// `cargo xtask fuzz [args for billsync-fuzz]`: without arguments, 1,000,000 executions per
/// target, failing on any panic or when the run took longer than 10 minutes.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut build = cmd::cargo();
    build.args(["build", "--profile", "fuzz", "-p", "billsync-fuzz"]);
    cmd::run(build)?;
    let mut c = cmd::cargo();
    c.args([
        "run",
        "--quiet",
        "--profile",
        "fuzz",
        "-p",
        "billsync-fuzz",
        "--",
    ]);
    if args.is_empty() {
        c.args(["--execs", EXECS, "--seconds", "590"]);
    } else {
        c.args(args);
    }
    let started = Instant::now();
    let (ok, output) = cmd::run_tee(c)?;
    let took = started.elapsed();
    println!("fuzz: every target in {:.1} s", took.as_secs_f64());
    check(ok, &output)?;
    if args.is_empty() {
        if took > LONG_LIMIT {
            return Err(format!(
                "the fuzz run took {took:?}, more than {LONG_LIMIT:?}"
            ));
        }
        short_of_execs(&output)?;
    }
    Ok(())
}

/// The short run, a step of `cargo xtask test`.
pub fn short() -> Result<(), String> {
    let mut c = cmd::cargo();
    c.args([
        "run",
        "--quiet",
        "-p",
        "billsync-fuzz",
        "--",
        "--seconds",
        SHORT_SECONDS,
    ]);
    let (ok, output) = cmd::run_tee(c)?;
    check(ok, &output)
}

fn check(ok: bool, output: &str) -> Result<(), String> {
    if !ok || output.contains("panic, input saved") {
        return Err("a fuzz target panicked (inputs saved under target/fuzz-crashes)".into());
    }
    if !output.lines().any(|l| l.starts_with("fuzz ")) {
        return Err("billsync-fuzz ran no target".into());
    }
    Ok(())
}

/// Fails when a target stopped (on time) before 1,000,000 executions.
fn short_of_execs(output: &str) -> Result<(), String> {
    let wanted: u64 = EXECS.parse().unwrap_or(0);
    for line in output.lines().filter(|l| l.starts_with("fuzz ")) {
        let mut words = line.split_whitespace().skip(1);
        let (Some(name), Some(execs)) = (words.next(), words.next()) else {
            continue;
        };
        if execs.parse::<u64>().is_ok_and(|n| n < wanted) {
            return Err(format!(
                "{name} ran {execs} executions, fewer than {wanted}"
            ));
        }
    }
    Ok(())
}
