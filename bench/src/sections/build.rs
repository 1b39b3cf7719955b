//! Section 5: a clean build of the facade with one provider and with all, into a throw-away
//! target directory.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::table::Report;
use crate::target::workspace_root;

/// Adds one row per feature set; a failed build is a row marked missed.
pub fn section(report: &mut Report, out: &Path) {
    report.section("5. build cost");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for (label, dir, features) in [
        (
            "hyfin only",
            "build-hyfin",
            vec!["--no-default-features", "--features", "hyfin"],
        ),
        (
            "all providers (full)",
            "build-full",
            vec!["--features", "full"],
        ),
    ] {
        let what = format!("clean `cargo build -p billsync` ({label})");
        let target = out.join(dir);
        let _ = std::fs::remove_dir_all(&target);
        let started = Instant::now();
        let status = Command::new(&cargo)
            .current_dir(workspace_root())
            .args(["build", "-q", "-p", "billsync"])
            .args(&features)
            .env("CARGO_TARGET_DIR", &target)
            .status();
        let secs = started.elapsed().as_secs_f64();
        let _ = std::fs::remove_dir_all(&target);
        let tree = Command::new(&cargo)
            .current_dir(workspace_root())
            .args(["tree", "-p", "billsync", "-e", "normal", "--prefix", "none"])
            .args(&features)
            .output();
        match (status, tree) {
            (Ok(s), Ok(tree)) if s.success() && tree.status.success() => {
                let mut crates: Vec<&str> = std::str::from_utf8(&tree.stdout)
                    .unwrap_or("")
                    .lines()
                    .filter_map(|l| l.split(" (").next())
                    .collect();
                crates.sort_unstable();
                crates.dedup();
                let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
                report.row(
                    what,
                    format!("{secs:.0} s on {cores} cores, {} crates", crates.len()),
                    "",
                    None,
                );
            }
            (Ok(s), _) if !s.success() => {
                report.not_measured(what, format!("the build failed ({s})"))
            }
            (Err(e), _) => report.not_measured(what, e),
            (_, Ok(t)) => report.not_measured(what, format!("cargo tree failed ({})", t.status)),
            (_, Err(e)) => report.not_measured(what, e),
        }
    }
}
