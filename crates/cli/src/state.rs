//! What was synced: a SQLite file per project.
//!
//! ```sql
//! ids(provider, kind, external_id, provider_id)            -- backs billsync's IdMap
//! records(provider, kind, external_id, hash, status, outcome, provider_id, error, updated_at)
//!   status: 'pending' (request may be in flight), 'done' (landed), 'failed'
//! ```
//!
//! WAL mode with `synchronous=NORMAL`: every write is committed before the call returns and
//! survives the process being killed (not a power cut). A record is marked `pending` and
//! committed before its request goes out, so a killed run leaves a trace of what was in flight.

use std::path::Path;
use std::sync::Mutex;

use billsync::{Error, IdMap, RecordKind};
use rusqlite::{Connection, OptionalExtension, params};

/// What the state knows of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prior {
    /// Hash of what was last sent (or was about to be).
    pub hash: String,
    /// `pending`, `done` or `failed`.
    pub status: String,
}

/// A change of a record's row.
struct Change<'a> {
    status: &'a str,
    outcome: Option<&'a str>,
    provider_id: Option<&'a str>,
    error: Option<&'a str>,
}

/// The state file.
#[derive(Debug)]
pub struct State {
    conn: Mutex<Connection>,
}

fn db(e: rusqlite::Error) -> Error {
    Error::config(format!("the state file failed: {e}"))
}

fn now() -> String {
    billsync::chrono::Utc::now().to_rfc3339_opts(billsync::chrono::SecondsFormat::Millis, true)
}

impl State {
    /// Opens (or creates) the state file.
    pub fn open(path: &Path) -> Result<State, String> {
        let fail =
            |e: rusqlite::Error| format!("cannot open the state file {}: {e}", path.display());
        let conn = Connection::open(path).map_err(fail)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=NORMAL;
             PRAGMA busy_timeout=5000;
             CREATE TABLE IF NOT EXISTS ids (
                provider TEXT NOT NULL, kind TEXT NOT NULL, external_id TEXT NOT NULL,
                provider_id TEXT NOT NULL,
                PRIMARY KEY (provider, kind, external_id));
             CREATE TABLE IF NOT EXISTS records (
                provider TEXT NOT NULL, kind TEXT NOT NULL, external_id TEXT NOT NULL,
                hash TEXT NOT NULL, status TEXT NOT NULL, outcome TEXT, provider_id TEXT,
                error TEXT, updated_at TEXT NOT NULL,
                PRIMARY KEY (provider, kind, external_id));",
        )
        .map_err(fail)?;
        Ok(State {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// What is known of a record.
    pub fn prior(
        &self,
        provider: &str,
        kind: RecordKind,
        external_id: &str,
    ) -> billsync::Result<Option<Prior>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT hash, status FROM records WHERE provider = ?1 AND kind = ?2 AND external_id = ?3")
            .map_err(db)?;
        stmt.query_row(params![provider, kind.as_str(), external_id], |r| {
            Ok(Prior {
                hash: r.get(0)?,
                status: r.get(1)?,
            })
        })
        .optional()
        .map_err(db)
    }

    fn write(
        &self,
        key: (&str, RecordKind, &str),
        hash: &str,
        change: Change<'_>,
    ) -> billsync::Result<()> {
        let (provider, kind, external_id) = key;
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "INSERT INTO records (provider, kind, external_id, hash, status, outcome, provider_id, error, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (provider, kind, external_id) DO UPDATE SET
                   hash = excluded.hash, status = excluded.status,
                   outcome = COALESCE(excluded.outcome, records.outcome),
                   provider_id = COALESCE(excluded.provider_id, records.provider_id),
                   error = excluded.error, updated_at = excluded.updated_at",
            )
            .map_err(db)?;
        stmt.execute(params![
            provider,
            kind.as_str(),
            external_id,
            hash,
            change.status,
            change.outcome,
            change.provider_id,
            change.error,
            now()
        ])
        .map_err(db)?;
        Ok(())
    }

    /// Marks a record as about to be sent (committed before the request goes out).
    pub fn mark_pending(
        &self,
        provider: &str,
        kind: RecordKind,
        external_id: &str,
        hash: &str,
    ) -> billsync::Result<()> {
        let change = Change {
            status: "pending",
            outcome: None,
            provider_id: None,
            error: None,
        };
        self.write((provider, kind, external_id), hash, change)
    }

    /// Marks a record as landed.
    pub fn mark_done(
        &self,
        provider: &str,
        kind: RecordKind,
        external_id: &str,
        hash: &str,
        outcome: &str,
        provider_id: &str,
    ) -> billsync::Result<()> {
        let change = Change {
            status: "done",
            outcome: Some(outcome),
            provider_id: Some(provider_id),
            error: None,
        };
        self.write((provider, kind, external_id), hash, change)
    }

    /// Marks a record as failed (it is sent again on the next run).
    pub fn mark_failed(
        &self,
        provider: &str,
        kind: RecordKind,
        external_id: &str,
        hash: &str,
        error: &str,
    ) -> billsync::Result<()> {
        let change = Change {
            status: "failed",
            outcome: None,
            provider_id: None,
            error: Some(error),
        };
        self.write((provider, kind, external_id), hash, change)
    }
}

impl IdMap for State {
    fn get(
        &self,
        provider: &str,
        kind: RecordKind,
        external_id: &str,
    ) -> billsync::Result<Option<String>> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT provider_id FROM ids WHERE provider = ?1 AND kind = ?2 AND external_id = ?3")
            .map_err(db)?;
        stmt.query_row(params![provider, kind.as_str(), external_id], |r| r.get(0))
            .optional()
            .map_err(db)
    }

    fn put(
        &self,
        provider: &str,
        kind: RecordKind,
        external_id: &str,
        provider_id: &str,
    ) -> billsync::Result<()> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("INSERT OR REPLACE INTO ids (provider, kind, external_id, provider_id) VALUES (?1, ?2, ?3, ?4)")
            .map_err(db)?;
        stmt.execute(params![provider, kind.as_str(), external_id, provider_id])
            .map_err(db)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survives_reopening() {
        let path =
            std::env::temp_dir().join(format!("billsync-state-test-{}.sqlite", std::process::id()));
        {
            let s = State::open(&path).unwrap();
            s.put("hyfin", RecordKind::Customer, "c1", "h1").unwrap();
            s.mark_pending("hyfin", RecordKind::Customer, "c1", "abc")
                .unwrap();
            s.mark_done("hyfin", RecordKind::Customer, "c1", "abc", "created", "h1")
                .unwrap();
            s.mark_pending("hyfin", RecordKind::Customer, "c2", "def")
                .unwrap();
        }
        let s = State::open(&path).unwrap();
        assert_eq!(
            s.get("hyfin", RecordKind::Customer, "c1")
                .unwrap()
                .as_deref(),
            Some("h1")
        );
        assert_eq!(
            s.prior("hyfin", RecordKind::Customer, "c1")
                .unwrap()
                .unwrap()
                .status,
            "done"
        );
        assert_eq!(
            s.prior("hyfin", RecordKind::Customer, "c2")
                .unwrap()
                .unwrap()
                .status,
            "pending"
        );
        assert_eq!(
            s.prior("rebilly", RecordKind::Customer, "c1").unwrap(),
            None
        );
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
