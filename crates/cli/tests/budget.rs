//! Requests per record: a first bulk sync of new Payabli customers costs about one request
//! each (the entrypoint is listed once instead of looked up per record), and a customer that
//! already exists there is found and updated, not created twice.

mod common;

use billsync_sandbox::{Provider, Sandbox};
use common::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_first_payabli_bulk_sync_costs_about_one_request_per_record() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("budget");
    // One customer already at Payabli (made by another tool), then a file of 2,000 including it.
    std::fs::write(dir.join("one.jsonl"), customer_line("b-00007", "Before")).unwrap();
    let out = sync(
        &sandbox,
        &dir,
        "entry",
        &["one.jsonl", "--to", "payabli", "--state", "other.sqlite"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let before = sandbox.stats().payabli.requests;

    generated(&dir.join("g.jsonl"), 2_000, "b");
    let out = sync(
        &sandbox,
        &dir,
        "entry",
        &["g.jsonl", "--to", "payabli", "--json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let s = summary(&out);
    assert_eq!(
        (s["created"].as_u64(), s["updated"].as_u64()),
        (Some(1_999), Some(1)),
        "{s}"
    );
    let sent = sandbox.stats().payabli.requests - before;
    assert_eq!(
        s["requests"].as_u64(),
        Some(sent),
        "the summary counts every request: {s}"
    );
    let per_record = sent as f64 / 2_000.0;
    assert!(per_record <= 1.05, "{per_record} requests per record");

    let stored = sandbox.records(Provider::Payabli, "customer");
    assert_eq!(
        stored.len(),
        2_000,
        "the existing customer was not created again"
    );
    let existing: Vec<_> = stored
        .iter()
        .filter(|c| c["customerNumber"] == "b-00007")
        .collect();
    assert_eq!(existing.len(), 1);
    assert_eq!(
        existing[0]["Lastname"], "N7",
        "updated from the file: {}",
        existing[0]
    );
}
