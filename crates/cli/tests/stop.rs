//! Stopping and crashing: a signal lets the records in flight finish and leaves nothing
//! pending; a `kill -9` of a Hyfin sync on the external-id API, resumed, leaves every customer
//! at Hyfin exactly once.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use billsync_sandbox::{Provider, Sandbox, SandboxConfig};
use common::*;

/// Sends `signal` (`INT`, `TERM`, `KILL`) to a process.
fn signal(pid: u32, signal: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Counts per status of the one account in the state file, from `billsync status --json`.
async fn statuses(sandbox: &Sandbox, dir: &std::path::Path) -> serde_json::Value {
    let out = command(sandbox, dir, "site")
        .args(["status", "--json"])
        .output()
        .await
        .unwrap();
    let accounts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    accounts[0]["kinds"][0].clone()
}

async fn slow_sandbox() -> Sandbox {
    Sandbox::start_with(SandboxConfig {
        latency: Duration::from_millis(3),
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signal_stops_reading_and_leaves_nothing_pending() {
    let sandbox = slow_sandbox().await;
    let dir = workdir("stop");
    generated(&dir.join("g.jsonl"), 10_000, "s");
    // Hyfin v4: a create interrupted mid-flight would be an unknown outcome, the hardest case.
    let args = [
        "sync",
        "g.jsonl",
        "--to",
        "hyfin",
        "--json",
        "--concurrency",
        "8",
    ];
    for (i, (after, sig, code)) in [(400, "INT", 130), (700, "TERM", 143), (300, "INT", 130)]
        .into_iter()
        .enumerate()
    {
        let child = command(&sandbox, &dir, "site")
            .args(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(after)).await;
        signal(child.id().unwrap(), sig);
        let out = child.wait_with_output().await.unwrap();
        assert_eq!(out.status.code(), Some(code), "stop {i}: {}", text(&out));
        let s = summary(&out);
        assert_eq!(s["signal"], code, "stop {i}: {s}");
        assert!(
            s["aborted"].as_str().unwrap().starts_with("interrupted"),
            "{s}"
        );
        let counts = statuses(&sandbox, &dir).await;
        assert_eq!(counts["pending"], 0, "stop {i}: {counts}");
        assert_eq!(counts["outcome_unknown"], 0, "stop {i}: {counts}");
        let stored = sandbox.records(Provider::Hyfin, "customer").len() as u64;
        assert_eq!(
            counts["done"].as_u64(),
            Some(stored),
            "stop {i}: every landed record is known"
        );
        assert!(stored < 10_000, "stop {i} came before the end: {stored}");
    }
    let out = sync(&sandbox, &dir, "site", &args[1..]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stored = sandbox.records(Provider::Hyfin, "customer");
    assert_eq!(stored.len(), 10_000, "every record, once");
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_hyfin_v3_syncs_resume_with_no_duplicate_and_no_loss() {
    let sandbox = slow_sandbox().await;
    let dir = workdir("kill-v3");
    generated(&dir.join("g.jsonl"), 2_000, "k");
    let args = ["sync", "g.jsonl", "--to", "hyfin", "--concurrency", "8"];
    for after in [250, 400, 150, 600] {
        let mut child = command(&sandbox, &dir, "site")
            .env("HYFIN_CUSTOMER_API", "v3")
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        tokio::time::sleep(Duration::from_millis(after)).await;
        child.kill().await.unwrap(); // SIGKILL
        let _ = child.wait().await;
    }
    // Killed runs left pending records: with v3 they are resent safely, never reported unknown.
    let out = command(&sandbox, &dir, "site")
        .env("HYFIN_CUSTOMER_API", "v3")
        .args(args)
        .arg("--json")
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let s = summary(&out);
    assert_eq!(
        (s["failed"].as_u64(), s["rejected"].as_u64()),
        (Some(0), Some(0)),
        "{s}"
    );
    let stored = sandbox.records(Provider::Hyfin, "customer");
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for c in &stored {
        *per_id
            .entry(c["external_id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert_eq!(per_id.len(), 2_000, "none lost");
    assert!(per_id.values().all(|n| *n == 1), "no duplicate");
    let sample = stored
        .iter()
        .find(|c| c["external_id"] == "k-00042")
        .unwrap();
    assert_eq!(sample["last_name"], "N42", "{sample}");
}
