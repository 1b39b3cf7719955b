//! `cargo xtask`: the project's own commands. Std only, to keep it quick to build.
//!
//! - `cargo xtask test` runs everything CI runs.
//! - `cargo xtask snapshots [--accept]` reviews or accepts insta snapshots.
//! - `cargo xtask bench` runs the benchmarks and writes `target/bench/report.md`.

mod bench;
mod cmd;
mod snapshots;
mod test;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  test [--fast]          fmt, clippy, feature matrix, tests (snapshots checked), docs, packaging
                         (--fast skips the feature matrix and packaging)
  snapshots [--accept]   run the tests writing pending snapshots and show them; --accept takes
                         them and removes unreferenced ones
  bench                  run the benchmarks; the table goes to target/bench/report.md
  help                   this text";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match command {
        "test" => test::run(rest),
        "snapshots" => snapshots::run(rest),
        "bench" => bench::run(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}
