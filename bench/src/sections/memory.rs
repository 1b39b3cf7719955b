//! Section 4: the CLI's peak memory syncing generated files to the sandbox, and the sandbox's
//! memory per record it stores (read from its resident set before and after each sync).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use billsync::reqwest;

use crate::cpu::{peak_rss_kib, rss_kib};
use crate::generate;
use crate::paths::{REBILLY_KEY, REBILLY_ORG};
use crate::sandbox::SandboxProcess;
use crate::table::Report;

/// The CLI's peak RSS limit.
const CLI_LIMIT_MIB: f64 = 64.0;

fn remove_state(state: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", state.display()));
    }
}

/// One `billsync sync` of `n` customers: its peak RSS (MiB), wall time and exit status.
fn sync(
    cli: &Path,
    out: &Path,
    sandbox: &SandboxProcess,
    n: usize,
) -> Result<(f64, Duration, std::process::ExitStatus), String> {
    let file = out.join(format!("customers-{n}.jsonl"));
    generate::customers_jsonl(&file, n).map_err(|e| e.to_string())?;
    let state = out.join(format!("state-{n}.sqlite"));
    remove_state(&state);
    let started = Instant::now();
    let mut child = Command::new(cli)
        .arg("sync")
        .arg(&file)
        .args(["--to", "rebilly", "--kind", "customers"])
        .args(["--concurrency", "32", "--rate-limit", "off"])
        .arg("--state")
        .arg(&state)
        .arg("--report")
        .arg(out.join(format!("report-{n}.jsonl")))
        .env("REBILLY_BASE_URL", &sandbox.rebilly)
        .env("REBILLY_API_KEY", REBILLY_KEY)
        .env("REBILLY_ORGANIZATION_ID", REBILLY_ORG)
        .env("REBILLY_WEBSITE_ID", "bench-web")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not run {}: {e}", cli.display()))?;
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = peak_rss_kib(child.id()) {
            peak = peak.max(kib);
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.to_string()),
        }
    };
    let wall = started.elapsed();
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(out.join(format!("report-{n}.jsonl")));
    remove_state(&state);
    Ok((peak as f64 / 1024.0, wall, status))
}

/// Syncs `sizes` customers in turn with the release CLI at `cli` to one sandbox.
pub async fn section(report: &mut Report, cli: &Path, out: &Path, sizes: &[usize]) {
    report.section("4. memory");
    if !cli.exists() {
        report.not_measured(
            "peak RSS of `billsync sync`",
            format!("{} was not built", cli.display()),
        );
        return;
    }
    let sandbox = match SandboxProcess::start(0, None) {
        Ok(s) => s,
        Err(e) => return report.not_measured("peak RSS of `billsync sync`", e),
    };
    let http = reqwest::Client::new();
    let mut peaks = Vec::new();
    for &n in sizes {
        let what = format!("`billsync sync` of {n} generated customers to the sandbox (Rebilly)");
        let before = (rss_kib(sandbox.pid()), sandbox.stats(&http).await);
        let synced = sync(cli, out, &sandbox, n);
        let after = (rss_kib(sandbox.pid()), sandbox.stats(&http).await);
        let (mib, wall, status) = match synced {
            Ok(s) => s,
            Err(e) => {
                report.not_measured(what, e);
                continue;
            }
        };
        peaks.push(mib);
        report.row(
            format!("{what}: CLI peak RSS"),
            format!(
                "{mib:.1} MiB, {:.0} records/s, exit {}",
                n as f64 / wall.as_secs_f64(),
                status.code().unwrap_or(-1)
            ),
            format!("≤ {CLI_LIMIT_MIB:.0} MiB"),
            Some(mib <= CLI_LIMIT_MIB && status.success()),
        );
        let what = format!("sandbox memory per stored Rebilly customer (sync of {n})");
        match (before, after) {
            ((Some(rss0), Ok(s0)), (Some(rss1), Ok(s1))) => {
                let stored = s1.rebilly.created.saturating_sub(s0.rebilly.created);
                let grown = rss1.saturating_sub(rss0) as f64 * 1024.0;
                report.row(
                    what,
                    format!(
                        "{:.0} bytes/record ({stored} new records, RSS {:.1} → {:.1} MiB)",
                        grown / stored.max(1) as f64,
                        rss0 as f64 / 1024.0,
                        rss1 as f64 / 1024.0
                    ),
                    "",
                    None,
                );
            }
            _ => report.not_measured(what, "the sandbox's RSS or counters could not be read"),
        }
    }
    if let [small, large] = peaks[..] {
        let ratio = large / small.max(1e-9);
        report.row(
            "CLI peak RSS, largest / smallest run",
            format!("{ratio:.2}x"),
            "≤ 1.2x",
            Some(ratio <= 1.2),
        );
    }
}
