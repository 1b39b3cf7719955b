//! The `billsync` binary end to end against the sandbox: what an operator sees.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use billsync_sandbox::{Provider, Sandbox, SandboxConfig};

mod common;
use common::{generated, report_rows, text, workdir};

/// The account every test here syncs to.
const TENANT: &str = "e2e";

fn command(sandbox: &Sandbox, dir: &Path) -> tokio::process::Command {
    common::command(sandbox, dir, TENANT)
}

async fn sync(sandbox: &Sandbox, dir: &Path, args: &[&str]) -> Output {
    common::sync(sandbox, dir, TENANT, args).await
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_example_syncs_and_a_rerun_sends_nothing() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("examples");
    let customers = examples().join("customers.jsonl");
    let payments = examples().join("payments.jsonl");
    let c = customers.to_str().unwrap();
    let p = payments.to_str().unwrap();

    let out = sync(
        &sandbox,
        &dir,
        &[c, "--to", "rebilly", "--report", "r.jsonl"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("28 created"), "{}", text(&out));
    let rows = report_rows(&dir.join("r.jsonl"));
    assert_eq!(rows.len(), 2, "the two invalid examples");
    assert!(rows.iter().all(|r| r["outcome"] == "rejected"
        && r["line"].as_u64().is_some()
        && !r["messages"].as_array().unwrap().is_empty()));
    let out = sync(
        &sandbox,
        &dir,
        &[
            p, "--to", "rebilly", "--kind", "payments", "--report", "rp.jsonl",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(sandbox.stats().rebilly.created, 28 + 21);

    let before = sandbox.stats().rebilly.requests;
    let out = sync(
        &sandbox,
        &dir,
        &[c, "--to", "rebilly", "--report", "r2.jsonl"],
    )
    .await;
    assert!(
        text(&out).contains("0 created, 0 updated, 28 unchanged"),
        "{}",
        text(&out)
    );
    assert_eq!(
        sandbox.stats().rebilly.requests,
        before,
        "nothing was resent"
    );

    for provider in ["hyfin", "payabli"] {
        let out = sync(&sandbox, &dir, &[c, "--to", provider]).await;
        assert_eq!(out.status.code(), Some(1), "{provider}: {}", text(&out));
    }
    assert_eq!(sandbox.records(Provider::Payabli, "customer").len(), 28);
    assert_eq!(sandbox.records(Provider::Hyfin, "customer").len(), 27);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_csv_file_syncs() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("csv");
    std::fs::write(
        dir.join("customers.csv"),
        "external_id,display_name,first_name,last_name,email,line1,city,region,postal_code,country,custom.tier\n\
         csv-1,Ann Lee,Ann,Lee,ann@example.com,1 Main St,Austin,TX,78701,US,gold\n\
         csv-2,Bo Chan,Bo,Chan,bo@example.com,2 Oak Ave,Denver,CO,80202,US,\n\
         csv-3,Cy Diaz,Cy,Diaz,cy@example.com,,,,,,silver\n",
    )
    .unwrap();
    let out = sync(&sandbox, &dir, &["customers.csv", "--to", "payabli"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let records = sandbox.records(Provider::Payabli, "customer");
    assert_eq!(records.len(), 3);
    assert!(
        records.iter().any(|r| r.to_string().contains("gold")),
        "custom fields reach Payabli"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_lines_are_reported_with_their_numbers_and_the_rest_syncs() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("malformed");
    std::fs::write(
        dir.join("c.jsonl"),
        "{\"external_id\":\"m-1\",\"display_name\":\"One\",\"primary_contact\":{\"first_name\":\"A\",\"last_name\":\"B\"}}\n\
         {\"external_id\": \"m-2\", oops\n\
         \n\
         {\"external_id\":\"m-3\",\"display_name\":\"Three\",\"primary_contact\":{\"first_name\":\"C\",\"last_name\":\"D\"},\"unknown_field\":1}\n\
         {\"external_id\":\"m-4\",\"display_name\":\"Four\",\"primary_contact\":{\"first_name\":\"E\",\"last_name\":\"F\"}}\n",
    )
    .unwrap();
    let out = sync(
        &sandbox,
        &dir,
        &["c.jsonl", "--to", "hyfin", "--report", "r.jsonl"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let rows = report_rows(&dir.join("r.jsonl"));
    let lines: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 4]);
    assert!(
        rows[0]["messages"][0]
            .as_str()
            .unwrap()
            .contains("c.jsonl:2")
    );
    assert!(
        rows[1]["messages"][0]
            .as_str()
            .unwrap()
            .contains("unknown field")
    );
    assert_eq!(sandbox.records(Provider::Hyfin, "customer").len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_credentials_exit_2_naming_the_variable() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("creds");
    let out = command(&sandbox, &dir)
        .env_remove("REBILLY_API_KEY")
        .args([
            "sync",
            examples().join("customers.jsonl").to_str().unwrap(),
            "--to",
            "rebilly",
        ])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("REBILLY_API_KEY"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    assert_eq!(sandbox.stats().rebilly.requests, 0);
}

/// Starts a sync, kills it with SIGKILL after `after`, and returns.
async fn killed(sandbox: &Sandbox, dir: &Path, args: &[&str], after: Duration) {
    let mut child = command(sandbox, dir)
        .arg("sync")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(after).await;
    child.kill().await.unwrap(); // SIGKILL
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_sync_resumes_without_loss_or_duplicates() {
    let sandbox = Sandbox::start_with(SandboxConfig {
        latency: Duration::from_millis(5),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let dir = workdir("kill");
    generated(&dir.join("g.jsonl"), 3000, "k");
    killed(
        &sandbox,
        &dir,
        &["g.jsonl", "--to", "rebilly"],
        Duration::from_millis(800),
    )
    .await;
    let landed_before = sandbox.records(Provider::Rebilly, "customer").len();
    assert!(
        landed_before > 0 && landed_before < 3000,
        "killed mid-way: {landed_before}"
    );
    let out = sync(&sandbox, &dir, &["g.jsonl", "--to", "rebilly"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        sandbox.records(Provider::Rebilly, "customer").len(),
        3000,
        "every record, once"
    );
    assert_eq!(sandbox.stats().rebilly.created, 3000);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_hyfin_customer_sync_reports_unknown_outcomes_instead_of_duplicating() {
    let sandbox = Sandbox::start_with(SandboxConfig {
        latency: Duration::from_millis(300),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let dir = workdir("unknown");
    generated(&dir.join("g.jsonl"), 100, "u");
    killed(
        &sandbox,
        &dir,
        &["g.jsonl", "--to", "hyfin"],
        Duration::from_millis(900),
    )
    .await;
    // Let the requests that were in flight land at the sandbox.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let out = sync(
        &sandbox,
        &dir,
        &["g.jsonl", "--to", "hyfin", "--report", "r.jsonl"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let rows = report_rows(&dir.join("r.jsonl"));
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r["kind"] == "outcome_unknown"),
        "{rows:?}"
    );
    let customers = sandbox.records(Provider::Hyfin, "customer");
    let mut names: Vec<String> = customers
        .iter()
        .map(|c| c["display_name"].as_str().unwrap().to_owned())
        .collect();
    let total = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), total, "no customer was created twice");
    // Every record is at Hyfin or reported (a reported one may be at Hyfin too: that is what
    // "unknown" means), and none is there twice.
    assert!(total <= 100, "{total}");
    assert!(
        total + rows.len() >= 100,
        "lost records: {total} stored, {} reported",
        rows.len()
    );
}
