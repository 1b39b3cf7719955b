//! `cargo xtask`: the project's own commands. Std only, to keep it quick to build.
//!
//! - `cargo xtask test` runs everything CI runs (`test.rs`).
//! - `cargo xtask snapshots` reviews, accepts or checks insta snapshots (`snapshots.rs`).
//! - `cargo xtask bench` runs the benchmarks of issues 7 and 17 (`bench.rs`).
//! - `cargo xtask fuzz` runs the decoders' fuzz targets (`fuzz.rs`).
//!
//! Exit codes: 0 success, 1 a step failed, 2 a usage error.

mod bench;
mod cmd;
mod counts;
mod fuzz;
mod metadata;
mod snapshots;
mod test;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command> [options]

commands:
  test [--fast]       everything CI runs, stopping at the first failure:
                        a. cargo fmt --check
                        b. clippy -D warnings (all targets, all features)
                        c. feature matrix of the billsync facade: no features, each provider
                           alone (and no other provider crate in its tree), full; no openssl-sys
                           or native-tls anywhere
                        d. cargo test (INSTA_UPDATE=no, CI=true); pending or unreferenced
                           snapshots fail; ends with `tests: N passed, M failed`
                        e. a short fuzz run (3 s per target, dev build)
                        f. cargo doc -D warnings
                        g. cargo package of every publishable crate
                        h. bench guard: every provider path's CPU per HTTP request at most
                           1.5x a hand-written reqwest loop's, measured side by side (release)
                      --fast skips c, g and h
  snapshots           run the tests writing pending snapshots (.snap.new) and show their diffs,
                      and list unreferenced snapshots
    --accept          take every new or changed snapshot and delete unreferenced ones
    --check           fail on a pending or unreferenced snapshot (step d of `test`)
  bench               run every benchmark; one report in <target>/bench/report.md and
                      docs/benchmarks.md; fails naming any row that misses its target or
                      could not be measured (issues 7 and 17)
    --quick           fewer records (about 2 minutes); docs/benchmarks.md is not written
    --build-cost      add the clean-build section (2 to 4 more minutes)
    --guard           only step h of `test` (the side-by-side guard, under a minute)
  crash [args]        kill -9 a 10,000-customer Hyfin sync (external-id API) 20 times, resume,
                      count duplicates and losses; result in docs/benchmarks.md
                      (--kills N, --records N, --seed N)
  fuzz [args]         fuzz the decoders: 1,000,000 executions per target (fuzz profile),
                      failing on a panic or after 10 minutes; args go to billsync-fuzz
                      (--target NAME, --execs N, --seconds S, --seed N, --list)
  help                this text";

/// A command line that does not parse.
struct Usage(String);

/// The flags in `args`, which must all be among `known`.
fn flags<'a>(command: &str, args: &'a [String], known: &[&str]) -> Result<Vec<&'a str>, Usage> {
    args.iter()
        .map(|a| {
            if known.contains(&a.as_str()) {
                Ok(a.as_str())
            } else {
                Err(Usage(format!("`{command}` does not take `{a}`")))
            }
        })
        .collect()
}

fn dispatch(args: &[String]) -> Result<Result<(), String>, Usage> {
    let Some((command, rest)) = args.split_first() else {
        println!("{USAGE}");
        return Ok(Ok(()));
    };
    Ok(match command.as_str() {
        "test" => {
            let flags = flags("test", rest, &["--fast"])?;
            test::run(flags.contains(&"--fast"))
        }
        "snapshots" => {
            let flags = flags("snapshots", rest, &["--accept", "--check"])?;
            match (flags.contains(&"--accept"), flags.contains(&"--check")) {
                (true, true) => {
                    return Err(Usage("--accept and --check exclude each other".into()));
                }
                (false, true) => test::snapshot_check(),
                (accept, false) => snapshots::run(accept),
            }
        }
        "fuzz" => fuzz::run(rest),
        "crash" => bench::crash(rest),
        "bench" => {
            let flags = flags("bench", rest, &["--quick", "--build-cost", "--guard"])?;
            if flags.contains(&"--guard") {
                if flags.len() > 1 {
                    return Err(Usage("--guard takes no other flag".into()));
                }
                bench::guard()
            } else {
                bench::run(rest)
            }
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => return Err(Usage(format!("unknown command `{other}`"))),
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            // An empty message was already printed (before the closing test count).
            if !e.is_empty() {
                cmd::flush();
                eprintln!("\nxtask: {e}");
            }
            ExitCode::FAILURE
        }
        Err(Usage(e)) => {
            eprintln!("xtask: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
