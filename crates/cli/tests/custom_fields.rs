//! A custom field sent in an earlier sync and absent from the record now is removed at the
//! provider (the state file remembers the names sent), from JSON Lines and from CSV with an
//! empty cell; a state file of the previous schema opens and syncs. Each test reads back what
//! the sandbox stored.

mod common;

use billsync_sandbox::{Provider, Sandbox};
use common::*;
use serde_json::{Value, json};

/// The input format of a test.
#[derive(Clone, Copy)]
enum Format {
    JsonLines,
    Csv,
}

impl Format {
    fn file(self) -> &'static str {
        match self {
            Format::JsonLines => "c.jsonl",
            Format::Csv => "c.csv",
        }
    }

    /// Customer `c-1` with custom field `a` and, when given, `b`.
    fn write(self, dir: &std::path::Path, b: Option<&str>) {
        let text = match self {
            Format::JsonLines => {
                let mut custom = json!({"a": "gold-a"});
                if let Some(b) = b {
                    custom["b"] = json!(b);
                }
                let line = json!({
                    "external_id": "c-1",
                    "display_name": "Shop c-1",
                    "company": "Shop c-1 LLC",
                    "primary_contact": {"first_name": "Ann", "last_name": "Lee",
                        "emails": [{"value": "c-1@example.com"}]},
                    "custom_fields": custom,
                });
                format!("{line}\n")
            }
            // An empty cell is "absent".
            Format::Csv => format!(
                "external_id,display_name,company,first_name,last_name,email,custom.a,custom.b\n\
                 c-1,Shop c-1,Shop c-1 LLC,Ann,Lee,c-1@example.com,gold-a,{}\n",
                b.unwrap_or("")
            ),
        };
        std::fs::write(dir.join(self.file()), text).unwrap();
    }
}

fn name(provider: Provider) -> &'static str {
    match provider {
        Provider::Hyfin => "hyfin",
        Provider::Rebilly => "rebilly",
        Provider::Payabli => "payabli",
    }
}

/// Syncs the format's file into `provider` with `state`; exit 0 expected; the JSON summary.
async fn run(sandbox: &Sandbox, dir: &std::path::Path, to: Provider, f: Format) -> Value {
    let args = [f.file(), "--to", name(to), "--json", "--report", "r.jsonl"];
    let out = sync(sandbox, dir, "m", &args).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    summary(&out)
}

/// The one customer the sandbox holds for `provider`.
fn stored(sandbox: &Sandbox, provider: Provider) -> Value {
    let records = sandbox.records(provider, "customer");
    assert_eq!(records.len(), 1, "one customer: {records:?}");
    records[0].clone()
}

/// The custom fields `provider` stored, as it keeps them.
fn stored_custom(sandbox: &Sandbox, provider: Provider) -> Value {
    let record = stored(sandbox, provider);
    match provider {
        Provider::Payabli => record["AdditionalFields"].clone(),
        Provider::Rebilly => record["customFields"].clone(),
        // Hyfin's customer has no custom fields: billsync sends none.
        Provider::Hyfin => Value::Null,
    }
}

/// Sync a and b; drop b; sync again; a third time. Returns the outcome of the second run.
async fn drop_b(to: Provider, f: Format) -> &'static str {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir(&format!("custom-{}-{}", name(to), f.file()));
    f.write(&dir, Some("promo-b"));
    assert_eq!(run(&sandbox, &dir, to, f).await["created"], 1);
    let custom = stored_custom(&sandbox, to);
    match to {
        Provider::Hyfin => {}
        _ => assert_eq!(custom, json!({"a": "gold-a", "b": "promo-b"})),
    }

    f.write(&dir, None);
    let second = run(&sandbox, &dir, to, f).await;
    let custom = stored_custom(&sandbox, to);
    assert_eq!(custom.get("b"), None, "b is removed: {custom}");
    match to {
        Provider::Hyfin => {
            let record = stored(&sandbox, to).to_string();
            assert!(!record.contains("gold-a") && !record.contains("promo-b"));
        }
        _ => assert_eq!(custom["a"], "gold-a", "a stays: {custom}"),
    }
    let outcome = ["updated", "unchanged"]
        .into_iter()
        .find(|o| second[o] == 1)
        .unwrap_or_else(|| panic!("{second}"));
    let rows = report_rows(&dir.join("r.jsonl"));
    assert!(rows.is_empty(), "nothing left uncleared: {rows:?}");

    let before = sandbox.stats();
    let third = run(&sandbox, &dir, to, f).await;
    assert_eq!(third["unchanged"], 1, "{third}");
    let after = sandbox.stats();
    assert_eq!(
        after.provider(to).requests,
        before.provider(to).requests,
        "a third run sends nothing"
    );
    assert_eq!(stored_custom(&sandbox, to).get("b"), None);
    outcome
}

#[tokio::test(flavor = "multi_thread")]
async fn payabli_removes_a_custom_field_dropped_from_the_record() {
    // Payabli merges custom fields: the update sends `"b": null`.
    assert_eq!(
        drop_b(Provider::Payabli, Format::JsonLines).await,
        "updated"
    );
    assert_eq!(drop_b(Provider::Payabli, Format::Csv).await, "updated");
}

#[tokio::test(flavor = "multi_thread")]
async fn rebilly_replaces_the_custom_fields() {
    assert_eq!(
        drop_b(Provider::Rebilly, Format::JsonLines).await,
        "updated"
    );
    assert_eq!(drop_b(Provider::Rebilly, Format::Csv).await, "updated");
}

#[tokio::test(flavor = "multi_thread")]
async fn hyfin_never_receives_custom_fields_so_nothing_changes() {
    // What Hyfin receives is the same with or without b: nothing to send.
    assert_eq!(
        drop_b(Provider::Hyfin, Format::JsonLines).await,
        "unchanged"
    );
    assert_eq!(drop_b(Provider::Hyfin, Format::Csv).await, "unchanged");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_state_file_of_the_previous_schema_opens_and_learns_the_names() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("custom-schema-2");
    let f = Format::JsonLines;
    f.write(&dir, Some("promo-b"));
    assert_eq!(
        run(&sandbox, &dir, Provider::Payabli, f).await["created"],
        1
    );
    let id = stored(&sandbox, Provider::Payabli)["customerId"].clone();
    // Make the file as the previous version left it: schema 2, no custom field names.
    let state = dir.join("billsync-state.sqlite");
    let conn = rusqlite::Connection::open(&state).unwrap();
    conn.execute_batch("ALTER TABLE journal DROP COLUMN custom_fields; PRAGMA user_version = 2;")
        .unwrap();
    drop(conn);

    // Unchanged: the old row (fingerprint, provider id) is kept, and the names are learned.
    let out = run(&sandbox, &dir, Provider::Payabli, f).await;
    assert_eq!(out["unchanged"], 1, "{out}");
    f.write(&dir, None);
    let out = run(&sandbox, &dir, Provider::Payabli, f).await;
    assert_eq!(out["updated"], 1, "{out}");
    let record = stored(&sandbox, Provider::Payabli);
    assert_eq!(record["customerId"], id, "the same customer");
    assert_eq!(record["AdditionalFields"], json!({"a": "gold-a"}));
    let conn = rusqlite::Connection::open(&state).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 3);
}
