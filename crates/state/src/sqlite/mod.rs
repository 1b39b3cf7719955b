//! The SQLite store: one file, opened with [`SqliteState::open`].
//!
//! ```sql
//! meta(name, value)                                   -- the fingerprint key, the schema version
//! accounts(id, key, provider)                         -- one row per Account::key
//! account_ids(account, kind, external_id, provider_id)           -- backs IdMap
//! journal(account, kind, external_id, fingerprint, status, outcome, provider_id, error, sent,
//!         custom_fields, updated_at)                  -- custom_fields: since schema 3
//! ids(provider, kind, ...), records(provider, kind, ...)          -- legacy: before accounts
//! ```
//!
//! WAL mode with `synchronous=NORMAL`: every write is committed before the call returns and
//! survives the process being killed (not a power cut). Several processes may use one file at
//! once (SQLite serializes their writes; each waits up to 30 s for the others); the per-account
//! lock ([`crate::lock`]) keeps two runs from writing the same account.

mod journal;
mod summary;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use billsync_core::{Account, Error, Result};
use rusqlite::{Connection, OptionalExtension, params};

use crate::fingerprint::DigestKey;

/// The schema this version writes (`PRAGMA user_version`). 3 added `journal.custom_fields`
/// (the custom field names a record had when it last landed); a file of schema 2 gets the
/// column, empty, when opened, and keeps every row.
const SCHEMA_VERSION: i64 = 3;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, provider TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS account_ids (
    account INTEGER NOT NULL REFERENCES accounts(id), kind TEXT NOT NULL,
    external_id TEXT NOT NULL, provider_id TEXT NOT NULL,
    PRIMARY KEY (account, kind, external_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal (
    account INTEGER NOT NULL REFERENCES accounts(id), kind TEXT NOT NULL,
    external_id TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL,
    outcome TEXT, provider_id TEXT, error TEXT, sent TEXT, updated_at TEXT NOT NULL,
    custom_fields TEXT,
    PRIMARY KEY (account, kind, external_id)) WITHOUT ROWID;
";

/// Durable sync state in one SQLite file: provider ids, the journal, per-account locks.
///
/// ```no_run
/// # fn main() -> billsync_core::Result<()> {
/// let state = billsync_state::SqliteState::open("billsync-state.sqlite")?;
/// // Hand it to a provider client as its id map: `client.with_id_map(state.clone())`.
/// # let _ = state; Ok(())
/// # }
/// ```
pub struct SqliteState {
    path: PathBuf,
    conn: Mutex<Connection>,
    key: DigestKey,
    // Account key -> row id, filled as accounts are met.
    accounts: Mutex<HashMap<Account, i64>>,
}

impl fmt::Debug for SqliteState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteState")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

pub(crate) fn db(e: rusqlite::Error) -> Error {
    Error::internal(format!("the state file failed: {e}")).with_source(e)
}

pub(crate) fn now() -> String {
    billsync_core::chrono::Utc::now()
        .to_rfc3339_opts(billsync_core::chrono::SecondsFormat::Millis, true)
}

impl SqliteState {
    /// Opens the state file at `path`, creating it if needed, and upgrades a file written by an
    /// earlier version in place (its rows are kept as legacy rows: see
    /// [`SyncStore::adopt_legacy`](crate::SyncStore::adopt_legacy)). Returns it in an `Arc`,
    /// ready to be shared by clients (as their [`IdMap`](billsync_core::IdMap)) and a sync.
    pub fn open(path: impl AsRef<Path>) -> Result<std::sync::Arc<SqliteState>> {
        let path = path.as_ref();
        let fail = |e: rusqlite::Error| {
            Error::internal(format!(
                "cannot open the state file {}: {e}",
                path.display()
            ))
        };
        let mut conn = Connection::open(path).map_err(fail)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        )
        .map_err(fail)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(fail)?;
        if version > SCHEMA_VERSION {
            return Err(Error::internal(format!(
                "the state file {} was written by a newer billsync (schema {version}); upgrade billsync to use it",
                path.display()
            )));
        }
        upgrade(&mut conn).map_err(fail)?;
        let key = digest_key(&conn).map_err(fail)?;
        Ok(std::sync::Arc::new(SqliteState {
            path: path.to_owned(),
            conn: Mutex::new(conn),
            key,
            accounts: Mutex::new(HashMap::new()),
        }))
    }

    /// The state file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A poisoned lock only means a thread panicked mid-call; SQLite's own transactions keep
        // the file consistent, so the connection can still serve.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn key(&self) -> &DigestKey {
        &self.key
    }

    /// The row id of `account`, created when `create` is true; `None` for an account this file
    /// has never seen.
    pub(crate) fn account_id(
        &self,
        conn: &Connection,
        account: &Account,
        create: bool,
    ) -> Result<Option<i64>> {
        let mut cache = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(id) = cache.get(account) {
            return Ok(Some(*id));
        }
        let found: Option<i64> = conn
            .prepare_cached("SELECT id FROM accounts WHERE key = ?1")
            .and_then(|mut s| s.query_row([account.key()], |r| r.get(0)).optional())
            .map_err(db)?;
        let id = match found {
            Some(id) => id,
            None if create => {
                conn.prepare_cached("INSERT INTO accounts (key, provider) VALUES (?1, ?2)")
                    .and_then(|mut s| s.execute(params![account.key(), account.provider()]))
                    .map_err(db)?;
                conn.last_insert_rowid()
            }
            None => return Ok(None),
        };
        cache.insert(account.clone(), id);
        Ok(Some(id))
    }
}

/// Creates what is missing and brings an older file to [`SCHEMA_VERSION`], in one transaction
/// (another process opening the file at the same time waits for it).
fn upgrade(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(SCHEMA)?;
    // Schema 2 made the journal without `custom_fields` (CREATE IF NOT EXISTS keeps it so).
    let has_custom_fields: bool = tx.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info('journal') WHERE name = 'custom_fields'",
        [],
        |r| r.get(0),
    )?;
    if !has_custom_fields {
        tx.execute_batch("ALTER TABLE journal ADD COLUMN custom_fields TEXT")?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()
}

/// The file's fingerprint key, made on first use.
fn digest_key(conn: &Connection) -> rusqlite::Result<DigestKey> {
    let stored: Option<Vec<u8>> = conn
        .query_row(
            "SELECT value FROM meta WHERE name = 'digest_key'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(bytes) = stored.and_then(|b| <[u8; 32]>::try_from(b).ok()) {
        return Ok(DigestKey::from_bytes(bytes));
    }
    let key = DigestKey::random();
    // Another process may have made one meanwhile: keep the first.
    conn.execute(
        "INSERT OR IGNORE INTO meta (name, value) VALUES ('digest_key', ?1)",
        [&key.as_bytes()[..]],
    )?;
    let bytes: Vec<u8> = conn.query_row(
        "SELECT value FROM meta WHERE name = 'digest_key'",
        [],
        |r| r.get(0),
    )?;
    Ok(<[u8; 32]>::try_from(bytes).map_or(key, DigestKey::from_bytes))
}
