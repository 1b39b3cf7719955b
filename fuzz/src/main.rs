//! `billsync-fuzz`: runs the fuzz targets of billsync's decoders.
//!
//! ```text
//! billsync-fuzz [--target NAME]... [--execs N] [--seconds S] [--seed N] [--crashes DIR]
//! ```
//! Each target runs until N executions (default 1,000,000) or S seconds (default 600) have
//! passed. Exit 1 when any input panicked (the inputs are saved in DIR, default
//! `target/fuzz-crashes`), 2 on bad arguments.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use billsync_fuzz::runner::{Budget, fuzz};
use billsync_fuzz::targets::TARGETS;

struct Options {
    targets: Vec<String>,
    budget: Budget,
    seed: u64,
    crashes: PathBuf,
}

fn parse() -> Result<Options, String> {
    let mut opts = Options {
        targets: Vec::new(),
        budget: Budget {
            execs: 1_000_000,
            time: Duration::from_secs(600),
        },
        seed: 0x5eed,
        crashes: PathBuf::from("target/fuzz-crashes"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        let number = |v: String| {
            v.replace('_', "")
                .parse::<u64>()
                .map_err(|e| format!("{v}: {e}"))
        };
        match arg.as_str() {
            "--target" => opts.targets.push(value()?),
            "--execs" => opts.budget.execs = number(value()?)?,
            "--seconds" => opts.budget.time = Duration::from_secs(number(value()?)?),
            "--seed" => opts.seed = number(value()?)?,
            "--crashes" => opts.crashes = PathBuf::from(value()?),
            "--list" => {
                for t in TARGETS {
                    println!("{}", t.name);
                }
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    for name in &opts.targets {
        if !TARGETS.iter().any(|t| t.name == name) {
            return Err(format!("no target `{name}` (--list lists them)"));
        }
    }
    Ok(opts)
}

fn main() -> ExitCode {
    let opts = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("billsync-fuzz: {e}");
            return ExitCode::from(2);
        }
    };
    let mut panics = 0;
    for target in TARGETS {
        if !opts.targets.is_empty() && !opts.targets.iter().any(|n| n == target.name) {
            continue;
        }
        let r = fuzz(target, opts.budget, opts.seed, &opts.crashes);
        println!(
            "fuzz {:<15} {:>9} execs in {:>6.1} s ({:>7.0}/s), {} panics, {} distinct outcomes",
            r.target,
            r.execs,
            r.elapsed.as_secs_f64(),
            r.per_second(),
            r.panics,
            r.outcomes
        );
        for (path, message) in &r.crashes {
            println!("  panic, input saved in {}: {message}", path.display());
        }
        panics += r.panics;
    }
    if panics > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
