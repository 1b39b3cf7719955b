//! Every edit lands, nothing is silently dropped: change detection over what would be sent,
//! edits a provider cannot make, repeated external ids, parents before children. Each test
//! reads back what the sandbox stored.

mod common;

use billsync_sandbox::{Provider, Sandbox};
use common::*;

fn with_login(id: &str, password: &str, notes: &str) -> String {
    format!(
        "{{\"external_id\":\"{id}\",\"company\":\"Shop {id}\",\"notes\":\"{notes}\",\"primary_contact\":{{\"first_name\":\"Ann\",\"last_name\":\"Lee\",\"emails\":[{{\"value\":\"{id}@example.com\"}}]}},\"portal_login\":{{\"username\":\"ann-{id}\",\"password\":\"{password}\"}}}}\n"
    )
}

fn payment(id: &str, amount: &str) -> String {
    format!(
        "{{\"external_id\":\"{id}\",\"customer_external_id\":\"c-1\",\"currency\":\"USD\",\"amount\":\"{amount}\",\"paid_at\":\"2026-02-11T09:01:00Z\",\"method\":\"card\",\"sub_type\":\"visa\",\"method_display_name\":\"VISA **** 4242\",\"gateway_transaction_id\":\"gw-{id}\"}}\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_secret_is_sent_and_an_unsent_field_is_not() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("secret");
    let file = dir.join("c.jsonl");
    let args = ["c.jsonl", "--to", "payabli", "--json"];
    std::fs::write(&file, with_login("c-1", "pw-one", "first")).unwrap();
    assert_eq!(
        summary(&sync(&sandbox, &dir, "m", &args).await)["created"],
        1
    );

    // Only the portal password changes: sent.
    std::fs::write(&file, with_login("c-1", "pw-two", "first")).unwrap();
    let out = sync(&sandbox, &dir, "m", &args).await;
    assert_eq!(summary(&out)["updated"], 1, "{}", text(&out));
    let stored = &sandbox.records(Provider::Payabli, "customer")[0];
    assert_eq!(stored["customerUsername"], "ann-c-1", "{stored}");
    assert_eq!(sandbox.stats().payabli.updated, 1);

    // Only the notes change, which Payabli never receives: nothing to send.
    std::fs::write(&file, with_login("c-1", "pw-two", "second")).unwrap();
    let before = sandbox.stats().payabli.requests;
    let out = sync(&sandbox, &dir, "m", &args).await;
    assert_eq!(summary(&out)["unchanged"], 1, "{}", text(&out));
    assert_eq!(sandbox.stats().payabli.requests, before);
    // The password is in no state row in clear.
    let state = std::fs::read(dir.join("billsync-state.sqlite")).unwrap();
    let clear = state.windows(6).any(|w| w == b"pw-two");
    assert!(!clear, "a secret was stored in clear");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_to_a_recorded_payment_is_rejected_with_both_values() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("payment-edit");
    std::fs::write(dir.join("c.jsonl"), customer_line("c-1", "Lee")).unwrap();
    let out = sync(&sandbox, &dir, "org", &["c.jsonl", "--to", "rebilly"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let file = dir.join("p.jsonl");
    let args = [
        "p.jsonl", "--to", "rebilly", "--kind", "payments", "--report", "r.jsonl",
    ];
    std::fs::write(&file, payment("p-1", "10.05")).unwrap();
    let out = sync(&sandbox, &dir, "org", &args).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    std::fs::write(&file, payment("p-1", "99.99")).unwrap();
    let out = sync(&sandbox, &dir, "org", &args).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("0 unchanged, 1 rejected"),
        "{}",
        text(&out)
    );
    let rows = report_rows(&dir.join("r.jsonl"));
    assert_eq!(rows[0]["kind"], "edit_not_possible");
    let message = rows[0]["messages"][0].as_str().unwrap();
    assert!(message.contains("amount: 10.05 -> 99.99"), "{message}");
    let stored = sandbox.records(Provider::Rebilly, "transaction");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["amount"].to_string(), "10.05", "{}", stored[0]);

    // The unedited payment again: unchanged, not rejected.
    std::fs::write(&file, payment("p-1", "10.05")).unwrap();
    let out = sync(&sandbox, &dir, "org", &args).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeated_external_id_collapses_or_is_refused_naming_both_lines() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("repeats");
    let same = customer_line("c-1", "Same");
    let other = customer_line("c-2", "First");
    let text_in = [
        same.clone(),
        other.clone(),
        same,
        customer_line("c-2", "Second"),
    ]
    .concat();
    std::fs::write(dir.join("c.jsonl"), text_in).unwrap();
    let args = ["c.jsonl", "--to", "hyfin", "--json", "--report", "r.jsonl"];
    let out = sync(&sandbox, &dir, "site", &args).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let s = summary(&out);
    let counts = [&s["created"], &s["unchanged"], &s["rejected"]];
    assert_eq!(counts.map(|v| v.as_u64().unwrap()), [2, 1, 1], "{s}");
    let rows = report_rows(&dir.join("r.jsonl"));
    assert_eq!(
        (rows[0]["line"].as_u64(), &rows[0]["kind"]),
        (Some(4), &"duplicate_external_id".into())
    );
    assert!(
        rows[0]["messages"][0].as_str().unwrap().contains("line 2"),
        "{rows:?}"
    );
    let stored = sandbox.records(Provider::Hyfin, "customer");
    assert_eq!(stored.len(), 2);
    let names: Vec<String> = stored
        .iter()
        .map(|c| c["primary_contact"]["last_name"].to_string())
        .collect();
    assert!(
        names.contains(&"\"First\"".to_owned()) && !names.contains(&"\"Second\"".to_owned()),
        "{names:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeat_of_a_row_that_did_not_land_ends_as_it_did() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("repeat-not-landed");
    let broken = "{\"external_id\":\"broken\",\"display_name\":\"No contact\"}\n";
    // Rows between the two, so that the first has ended when the repeat is read.
    let mut lines = vec![broken.to_owned()];
    lines.extend((0..40).map(|i| customer_line(&format!("c-{i}"), "Lee")));
    lines.push(broken.to_owned());
    std::fs::write(dir.join("c.jsonl"), lines.concat()).unwrap();
    let args = ["c.jsonl", "--to", "hyfin", "--json", "--report", "r.jsonl"];
    let out = sync(&sandbox, &dir, "site", &args).await;
    let s = summary(&out);
    let counts = [&s["created"], &s["rejected"], &s["unchanged"]];
    assert_eq!(counts.map(|v| v.as_u64().unwrap()), [40, 2, 0], "{s}");
    let rows = report_rows(&dir.join("r.jsonl"));
    let repeat = rows.iter().find(|r| r["line"] == 42).unwrap();
    assert_eq!(repeat["kind"], "duplicate_of_row_not_landed", "{rows:?}");
    let why = repeat["messages"][0].as_str().unwrap();
    assert!(
        why.starts_with("this row repeats line 1, which did not land: invalid_input"),
        "{why}"
    );
    let stored = sandbox.records(Provider::Hyfin, "customer");
    assert_eq!(stored.len(), 40);
    assert!(stored.iter().all(|c| c["display_name"] != "No contact"));
}

fn child(id: &str, parent: &str) -> String {
    format!(
        "{{\"external_id\":\"{id}\",\"display_name\":\"Branch {id}\",\"parent\":{{\"external_id\":\"{parent}\",\"bill_to_parent\":true}},\"primary_contact\":{{\"first_name\":\"B\",\"last_name\":\"{id}\",\"emails\":[{{\"value\":\"{id}@example.com\"}}]}}}}\n"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn children_wait_for_their_parents_in_any_order() {
    for run in 0..5 {
        let sandbox = Sandbox::start().await.unwrap();
        let dir = workdir(&format!("parents-{run}"));
        // Children before and after their parent; a grandchild; a child of an invalid parent.
        let mut lines = vec![child("early-1", "hq"), child("early-2", "hq")];
        lines.push(customer_line("hq", "Head"));
        lines.extend((0..6).map(|i| child(&format!("late-{i}"), "hq")));
        lines.push(child("grandchild", "late-0"));
        lines.push("{\"external_id\":\"broken\",\"display_name\":\"No contact\"}\n".to_owned());
        lines.push(child("orphan", "broken"));
        std::fs::write(dir.join("c.jsonl"), lines.concat()).unwrap();
        let args = [
            "c.jsonl",
            "--to",
            "hyfin",
            "--json",
            "--report",
            "r.jsonl",
            "--concurrency",
            "8",
        ];
        let out = sync(&sandbox, &dir, "site", &args).await;
        let s = summary(&out);
        assert_eq!(s["created"], 10, "run {run}: {s}");
        assert_eq!(
            (s["rejected"].as_u64(), s["failed"].as_u64()),
            (Some(1), Some(1)),
            "run {run}: {s}"
        );
        let rows = report_rows(&dir.join("r.jsonl"));
        let orphan = rows.iter().find(|r| r["external_id"] == "orphan").unwrap();
        assert_eq!(orphan["kind"], "parent_not_synced");
        let why = orphan["messages"][0].as_str().unwrap();
        assert!(
            why.contains("parent customer `broken` (line 11) did not land"),
            "{why}"
        );

        let stored = sandbox.records(Provider::Hyfin, "customer");
        let id_of = |name: &str| {
            stored
                .iter()
                .find(|c| c["display_name"] == name)
                .map(|c| c["_id"].clone())
                .unwrap()
        };
        let hq = id_of("Shop hq");
        for name in ["Branch early-1", "Branch early-2", "Branch late-3"] {
            let c = stored.iter().find(|c| c["display_name"] == name).unwrap();
            assert_eq!(c["parent_customer"], hq, "run {run}: {name}");
        }
        let grandchild = stored
            .iter()
            .find(|c| c["display_name"] == "Branch grandchild")
            .unwrap();
        assert_eq!(grandchild["parent_customer"], id_of("Branch late-0"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_that_cannot_clear_a_field_says_so_in_its_row() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("not-cleared");
    let file = dir.join("c.jsonl");
    let args = ["c.jsonl", "--to", "hyfin", "--json", "--report", "r.jsonl"];
    std::fs::write(&file, with_login("c-1", "pw", "call before noon")).unwrap();
    assert_eq!(
        summary(&sync(&sandbox, &dir, "site", &args).await)["created"],
        1
    );

    // The notes are removed from the record: Hyfin has no way to clear them.
    let without_notes = with_login("c-1", "pw", "x").replace(",\"notes\":\"x\"", "");
    std::fs::write(&file, without_notes).unwrap();
    let out = sync(&sandbox, &dir, "site", &args).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "a note is not a failure: {}",
        text(&out)
    );
    assert_eq!(summary(&out)["updated"], 1);
    let rows = report_rows(&dir.join("r.jsonl"));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (&rows[0]["outcome"], &rows[0]["kind"]),
        (&"updated".into(), &"not_cleared".into())
    );
    let message = rows[0]["messages"][0].as_str().unwrap();
    assert!(
        message.contains("notes") && message.starts_with("hyfin has no way"),
        "{message}"
    );
    let stored = &sandbox.records(Provider::Hyfin, "customer")[0];
    assert_eq!(
        stored["notes"], "call before noon",
        "Hyfin kept it, as the row says: {stored}"
    );
}
