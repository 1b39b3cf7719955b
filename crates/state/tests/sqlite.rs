//! The SQLite store: accounts never share rows, files survive reopening, legacy files upgrade.

use billsync_core::url::Url;
use billsync_core::{Account, IdMap, Outcome, RecordKind};
use billsync_state::{Landed, RecordKey, RecordStatus, SqliteState, SyncStore};

struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("billsync-state-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempFile(dir.join("state.sqlite"))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn account(provider: &'static str, scope: &str) -> Account {
    Account::new(provider, &Url::parse("https://p.example/api").unwrap())
        .with_scope("entrypoint", scope)
}

fn landed<'a>(fingerprint: &'a str, id: &'a str) -> Landed<'a> {
    Landed {
        fingerprint,
        outcome: Outcome::Created,
        provider_id: id,
        sent: None,
        custom_fields: &[],
    }
}

#[test]
fn accounts_of_one_provider_share_nothing() {
    let file = TempFile::new("accounts");
    let state = SqliteState::open(&file.0).unwrap();
    let (a, b) = (
        account("payabli", "merchantA"),
        account("payabli", "merchantB"),
    );
    state.put(&a, RecordKind::Customer, "c1", "101").unwrap();
    let key_a = RecordKey::new(&a, RecordKind::Customer, "c1");
    let key_b = RecordKey::new(&b, RecordKind::Customer, "c1");
    state.mark_pending(key_a, "f1").unwrap();
    state.mark_done(key_a, landed("f1", "101")).unwrap();
    assert_eq!(state.get(&b, RecordKind::Customer, "c1").unwrap(), None);
    assert_eq!(state.entry(key_b).unwrap(), None);
    state.put(&b, RecordKind::Customer, "c1", "202").unwrap();
    let a_id = state.get(&a, RecordKind::Customer, "c1").unwrap();
    assert_eq!(a_id.as_deref(), Some("101"), "B's write never lands on A");
    let entry = state.entry(key_a).unwrap().unwrap();
    assert_eq!(entry.status, RecordStatus::Done);
    assert_eq!(entry.fingerprint, "f1");
    assert_eq!(entry.provider_id.as_deref(), Some("101"));
}

#[test]
fn everything_survives_reopening() {
    let file = TempFile::new("reopen");
    let a = account("hyfin", "site-1");
    let sent = serde_json::json!({"amount": 10.05});
    let fingerprint = {
        let state = SqliteState::open(&file.0).unwrap();
        state.put(&a, RecordKind::Customer, "c1", "h1").unwrap();
        let key = RecordKey::new(&a, RecordKind::Payment, "p1");
        let landed = Landed {
            sent: Some(&sent),
            ..landed("f-p1", "t1")
        };
        state.mark_done(key, landed).unwrap();
        let key = RecordKey::new(&a, RecordKind::Customer, "c2");
        state.mark_pending(key, "f-c2").unwrap();
        let key = RecordKey::new(&a, RecordKind::Customer, "c3");
        state.mark_outcome_unknown(key, "f-c3", "timeout").unwrap();
        state.fingerprint(&[])
    };
    let state = SqliteState::open(&file.0).unwrap();
    assert_eq!(state.fingerprint(&[]), fingerprint, "the key is kept");
    let id = state.get(&a, RecordKind::Customer, "c1").unwrap();
    assert_eq!(id.as_deref(), Some("h1"));
    let p1 = state
        .entry(RecordKey::new(&a, RecordKind::Payment, "p1"))
        .unwrap()
        .unwrap();
    assert_eq!(p1.sent, Some(sent));
    let c2 = state
        .entry(RecordKey::new(&a, RecordKind::Customer, "c2"))
        .unwrap()
        .unwrap();
    assert_eq!(c2.status, RecordStatus::Pending);
    let c3 = state
        .entry(RecordKey::new(&a, RecordKind::Customer, "c3"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (c3.status, c3.error.as_deref()),
        (RecordStatus::OutcomeUnknown, Some("timeout"))
    );
    let summary = state.summary().unwrap();
    assert_eq!(summary.len(), 1);
    assert_eq!(summary[0].account, a.key());
    let customers = summary[0]
        .kinds
        .iter()
        .find(|k| k.kind == "customer")
        .unwrap();
    assert_eq!(
        (customers.pending, customers.outcome_unknown, customers.ids),
        (1, 1, 1)
    );
    let payments = summary[0]
        .kinds
        .iter()
        .find(|k| k.kind == "payment")
        .unwrap();
    assert_eq!((payments.done, payments.failed), (1, 0));
}

/// A state file as billsync 0.1 wrote it: rows keyed by provider name only.
fn write_legacy(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE ids (provider TEXT NOT NULL, kind TEXT NOT NULL, external_id TEXT NOT NULL,
            provider_id TEXT NOT NULL, PRIMARY KEY (provider, kind, external_id));
         CREATE TABLE records (provider TEXT NOT NULL, kind TEXT NOT NULL,
            external_id TEXT NOT NULL, hash TEXT NOT NULL, status TEXT NOT NULL, outcome TEXT,
            provider_id TEXT, error TEXT, updated_at TEXT NOT NULL,
            PRIMARY KEY (provider, kind, external_id));
         INSERT INTO ids VALUES ('hyfin', 'customer', 'c1', 'h1');
         INSERT INTO ids VALUES ('payabli', 'customer', 'c1', '77');
         INSERT INTO records VALUES ('hyfin', 'customer', 'c1', 'abc', 'done', 'created', 'h1',
            NULL, '2026-01-01T00:00:00Z');
         INSERT INTO records VALUES ('hyfin', 'customer', 'c2', 'def', 'pending', NULL, NULL,
            NULL, '2026-01-01T00:00:00Z');",
    )
    .unwrap();
}

#[test]
fn legacy_rows_are_kept_apart_until_adopted() {
    let file = TempFile::new("legacy");
    write_legacy(&file.0);
    let state = SqliteState::open(&file.0).unwrap();
    let site = account("hyfin", "site-1");
    assert_eq!(state.legacy_rows("hyfin").unwrap(), 3);
    assert_eq!(state.legacy_rows("payabli").unwrap(), 1);
    assert_eq!(state.legacy_rows("rebilly").unwrap(), 0);
    // Nothing is attributed by guessing.
    assert_eq!(state.get(&site, RecordKind::Customer, "c1").unwrap(), None);
    let summary = state.summary().unwrap();
    let legacy: Vec<_> = summary
        .iter()
        .filter(|s| s.legacy)
        .map(|s| s.account.as_str())
        .collect();
    assert_eq!(legacy, ["legacy hyfin", "legacy payabli"]);

    assert_eq!(state.adopt_legacy(&site).unwrap(), 3);
    assert_eq!(state.legacy_rows("hyfin").unwrap(), 0);
    assert_eq!(
        state.legacy_rows("payabli").unwrap(),
        1,
        "other providers are untouched"
    );
    let id = state.get(&site, RecordKind::Customer, "c1").unwrap();
    assert_eq!(id.as_deref(), Some("h1"));
    let c2 = state
        .entry(RecordKey::new(&site, RecordKind::Customer, "c2"))
        .unwrap()
        .unwrap();
    assert_eq!(
        c2.status,
        RecordStatus::Pending,
        "a maybe-landed create stays maybe-landed"
    );
    let c1 = state
        .entry(RecordKey::new(&site, RecordKind::Customer, "c1"))
        .unwrap()
        .unwrap();
    assert_ne!(
        c1.fingerprint, "abc",
        "an old hash can never pass for a fingerprint"
    );
}

#[test]
fn one_lock_per_account_and_file() {
    let file = TempFile::new("locks");
    let state = SqliteState::open(&file.0).unwrap();
    let (a, b) = (account("hyfin", "a"), account("hyfin", "b"));
    let held = state.lock(&a, false).unwrap();
    let err = state.lock(&a, false).unwrap_err();
    assert!(err.to_string().contains("another run"), "{err}");
    let _other = state.lock(&b, false).unwrap();
    drop(held);
    state.lock(&a, false).unwrap();
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn custom_field_names_are_those_of_the_last_landing() {
    let file = TempFile::new("custom-fields");
    let state = SqliteState::open(&file.0).unwrap();
    let a = account("payabli", "m");
    let key = RecordKey::new(&a, RecordKind::Customer, "c1");
    state.mark_pending(key, "f1").unwrap();
    assert_eq!(state.entry(key).unwrap().unwrap().custom_fields, None);
    let first = names(&["a", "b"]);
    let landed1 = Landed {
        custom_fields: &first,
        ..landed("f1", "101")
    };
    state.mark_done(key, landed1).unwrap();
    // A later attempt that does not land keeps what the provider was last sent.
    state.mark_pending(key, "f2").unwrap();
    state.mark_failed(key, "f2", "rejected").unwrap();
    let entry = state.entry(key).unwrap().unwrap();
    assert_eq!(entry.custom_fields, Some(first));
    let second = names(&["a"]);
    let landed2 = Landed {
        custom_fields: &second,
        ..landed("f3", "101")
    };
    state.mark_done(key, landed2).unwrap();
    drop(state);
    let state = SqliteState::open(&file.0).unwrap();
    let entry = state.entry(key).unwrap().unwrap();
    assert_eq!(entry.custom_fields, Some(second));
    state.mark_done(key, landed("f4", "101")).unwrap();
    let entry = state.entry(key).unwrap().unwrap();
    assert_eq!(entry.custom_fields, Some(Vec::new()), "none is not unknown");
}

/// A state file as the previous schema (2) wrote it: the journal without `custom_fields`.
fn write_schema_2(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
         CREATE TABLE accounts (
            id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, provider TEXT NOT NULL);
         CREATE TABLE account_ids (
            account INTEGER NOT NULL REFERENCES accounts(id), kind TEXT NOT NULL,
            external_id TEXT NOT NULL, provider_id TEXT NOT NULL,
            PRIMARY KEY (account, kind, external_id)) WITHOUT ROWID;
         CREATE TABLE journal (
            account INTEGER NOT NULL REFERENCES accounts(id), kind TEXT NOT NULL,
            external_id TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL,
            outcome TEXT, provider_id TEXT, error TEXT, sent TEXT, updated_at TEXT NOT NULL,
            PRIMARY KEY (account, kind, external_id)) WITHOUT ROWID;
         INSERT INTO meta VALUES ('digest_key', zeroblob(32));
         INSERT INTO accounts VALUES (1, 'payabli https://p.example/api entrypoint=m', 'payabli');
         INSERT INTO account_ids VALUES (1, 'customer', 'c1', '101');
         INSERT INTO journal VALUES (1, 'customer', 'c1', 'f-old', 'done', 'created', '101',
            NULL, NULL, '2026-01-01T00:00:00Z');
         PRAGMA user_version = 2;",
    )
    .unwrap();
}

#[test]
fn a_file_of_the_previous_schema_opens_without_loss() {
    let file = TempFile::new("schema-2");
    write_schema_2(&file.0);
    let a = account("payabli", "m");
    assert_eq!(
        a.key(),
        "payabli https://p.example/api entrypoint=m",
        "the test's account row is this account"
    );
    let state = SqliteState::open(&file.0).unwrap();
    let zero_key = billsync_state::DigestKey::from_bytes([0; 32]);
    assert_eq!(
        state.fingerprint(&[]),
        billsync_state::fingerprint::fingerprint(&zero_key, &[]),
        "the fingerprint key is kept"
    );
    let id = state.get(&a, RecordKind::Customer, "c1").unwrap();
    assert_eq!(id.as_deref(), Some("101"));
    let key = RecordKey::new(&a, RecordKind::Customer, "c1");
    let entry = state.entry(key).unwrap().unwrap();
    assert_eq!(
        (
            entry.status,
            entry.fingerprint.as_str(),
            entry.custom_fields
        ),
        (RecordStatus::Done, "f-old", None)
    );
    let learned = names(&["tier"]);
    state.remember_custom_fields(key, &learned).unwrap();
    drop(state);
    let state = SqliteState::open(&file.0).unwrap();
    let entry = state.entry(key).unwrap().unwrap();
    assert_eq!(entry.custom_fields, Some(learned));
    assert_eq!(
        entry.fingerprint, "f-old",
        "nothing else of the row changed"
    );
    let conn = rusqlite::Connection::open(&file.0).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 3);
}
