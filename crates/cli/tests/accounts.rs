//! One merchant's sync never touches another merchant's records: everything the state keeps
//! belongs to one provider account.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use billsync_sandbox::{Provider, Sandbox, SandboxConfig};
use common::*;

/// The provider's own id of a stored record, with its organization where ids are only unique
/// within one (Rebilly's caller-chosen ids).
fn id_of(provider: Provider, record: &serde_json::Value) -> String {
    match provider {
        Provider::Hyfin => record["_id"].to_string(),
        Provider::Rebilly => format!("{}/{}", record["organizationId"], record["id"]),
        Provider::Payabli => record["customerId"].to_string(),
    }
}

/// Every stored customer of `provider`, by its provider id, as stored.
fn stored(sandbox: &Sandbox, provider: Provider) -> BTreeMap<String, String> {
    sandbox
        .records(provider, "customer")
        .iter()
        .map(|r| (id_of(provider, r), r.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_merchant_gets_its_own_records_and_the_first_keeps_its_own() {
    for (name, provider) in [
        ("hyfin", Provider::Hyfin),
        ("rebilly", Provider::Rebilly),
        ("payabli", Provider::Payabli),
    ] {
        let sandbox = Sandbox::start().await.unwrap();
        let dir = workdir(&format!("two-accounts-{name}"));
        let file = dir.join("customers.jsonl");
        let lines = ["c-1", "c-2", "c-3"].map(|id| customer_line(id, "Original"));
        std::fs::write(&file, lines.concat()).unwrap();
        let args = ["customers.jsonl", "--to", name, "--json"];

        let out = sync(&sandbox, &dir, "merchantA", &args).await;
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out));
        assert_eq!(summary(&out)["created"], 3, "{name}");
        let a_before = stored(&sandbox, provider);
        assert_eq!(a_before.len(), 3, "{name}");

        // One row edited, then the same file for merchant B with the same state file.
        let edited = [
            lines[0].replace("Original", "Edited"),
            lines[1].clone(),
            lines[2].clone(),
        ];
        std::fs::write(&file, edited.concat()).unwrap();
        let out = sync(&sandbox, &dir, "merchantB", &args).await;
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out));
        let s = summary(&out);
        assert_eq!(
            (s["created"].as_u64(), s["unchanged"].as_u64()),
            (Some(3), Some(0)),
            "{name}"
        );
        assert!(s["account"].as_str().unwrap().contains("merchantB"), "{s}");

        let after = stored(&sandbox, provider);
        assert_eq!(after.len(), 6, "{name}: B got its own three");
        for (id, record) in &a_before {
            assert_eq!(after.get(id), Some(record), "{name}: A's {id} is untouched");
        }
        let b_records: Vec<&String> = after
            .iter()
            .filter(|(id, _)| !a_before.contains_key(*id))
            .map(|(_, r)| r)
            .collect();
        assert_eq!(
            b_records.iter().filter(|r| r.contains("Edited")).count(),
            1,
            "{name}"
        );

        // Both accounts are listed apart.
        let status = common::command(&sandbox, &dir, "merchantA")
            .args(["status", "--json"])
            .output()
            .await
            .unwrap();
        let accounts: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
        let keys: Vec<&str> = accounts
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["account"].as_str().unwrap())
            .collect();
        assert_eq!(keys.len(), 2, "{name}: {keys:?}");
        assert!(
            keys.iter().any(|k| k.contains("merchantA"))
                && keys.iter().any(|k| k.contains("merchantB"))
        );
        for account in accounts.as_array().unwrap() {
            assert_eq!(account["kinds"][0]["done"], 3, "{name}: {account}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn one_writer_per_account_and_state_file() {
    let sandbox = Sandbox::start_with(SandboxConfig {
        latency: Duration::from_millis(20),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let dir = workdir("lock");
    generated(&dir.join("g.jsonl"), 300, "l");
    let args = ["sync", "g.jsonl", "--to", "hyfin", "--concurrency", "4"];
    let first = command(&sandbox, &dir, "site-1").args(args).output();
    let first = tokio::spawn(first);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let second = command(&sandbox, &dir, "site-1")
        .args(args)
        .output()
        .await
        .unwrap();
    assert_eq!(second.status.code(), Some(2), "{}", text(&second));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("another run (pid ") && err.contains("site=site-1"),
        "{err}"
    );
    let first = first.await.unwrap().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert_eq!(stored(&sandbox, Provider::Hyfin).len(), 300, "no duplicate");

    // Two accounts into one state file at once: both complete.
    let a = tokio::spawn(command(&sandbox, &dir, "site-2").args(args).output());
    let b = tokio::spawn(command(&sandbox, &dir, "site-3").args(args).output());
    for out in [a.await.unwrap().unwrap(), b.await.unwrap().unwrap()] {
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert!(text(&out).contains("300 created"), "{}", text(&out));
    }
    assert_eq!(stored(&sandbox, Provider::Hyfin).len(), 900);

    // --wait-for-lock waits instead of exiting.
    let first = tokio::spawn(command(&sandbox, &dir, "site-4").args(args).output());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let waiting = command(&sandbox, &dir, "site-4")
        .args(args)
        .arg("--wait-for-lock")
        .output()
        .await
        .unwrap();
    assert_eq!(first.await.unwrap().unwrap().status.code(), Some(0));
    assert_eq!(waiting.status.code(), Some(0), "{}", text(&waiting));
    assert!(
        text(&waiting).contains("300 unchanged"),
        "{}",
        text(&waiting)
    );
    assert_eq!(stored(&sandbox, Provider::Hyfin).len(), 1200);
}

/// A state file of billsync 0.1: rows keyed by provider name only.
fn legacy_state(path: &std::path::Path, payabli_id: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE ids (provider TEXT NOT NULL, kind TEXT NOT NULL, external_id TEXT NOT NULL,
            provider_id TEXT NOT NULL, PRIMARY KEY (provider, kind, external_id));
         CREATE TABLE records (provider TEXT NOT NULL, kind TEXT NOT NULL,
            external_id TEXT NOT NULL, hash TEXT NOT NULL, status TEXT NOT NULL, outcome TEXT,
            provider_id TEXT, error TEXT, updated_at TEXT NOT NULL,
            PRIMARY KEY (provider, kind, external_id));
         INSERT INTO ids VALUES ('payabli', 'customer', 'c-1', '{payabli_id}');
         INSERT INTO records VALUES ('payabli', 'customer', 'c-1', 'x', 'done', 'created',
            '{payabli_id}', NULL, '2026-01-01T00:00:00Z');"
    ))
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_state_file_is_never_guessed_at() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("legacy");
    std::fs::write(dir.join("c.jsonl"), customer_line("c-1", "Original")).unwrap();
    // c-1 was created by billsync 0.1 in merchantA (without a state file of today's kind).
    let out = sync(
        &sandbox,
        &dir,
        "merchantA",
        &["c.jsonl", "--to", "payabli", "--state", "old.sqlite"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let id = sandbox.records(Provider::Payabli, "customer")[0]["customerId"].to_string();
    let _ = std::fs::remove_file(dir.join("old.sqlite"));
    legacy_state(&dir.join("legacy.sqlite"), &id);

    let edited = customer_line("c-1", "Edited");
    std::fs::write(dir.join("c.jsonl"), &edited).unwrap();
    let args = ["c.jsonl", "--to", "payabli", "--state", "legacy.sqlite"];
    let out = sync(&sandbox, &dir, "merchantA", &args).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--adopt-legacy-state") && err.contains("entrypoint=merchantA"),
        "{err}"
    );
    assert_eq!(sandbox.stats().payabli.updated, 0, "nothing sent");

    let mut adopt = args.to_vec();
    adopt.push("--adopt-legacy-state");
    let out = sync(&sandbox, &dir, "merchantA", &adopt).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("1 updated"),
        "the remembered id is used: {}",
        text(&out)
    );
    let records = sandbox.records(Provider::Payabli, "customer");
    assert_eq!(records.len(), 1, "no second customer");
    assert_eq!(records[0]["customerId"].to_string(), id);
    assert_eq!(records[0]["Lastname"], "Edited", "{}", records[0]);
}
