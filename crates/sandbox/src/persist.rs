//! SQLite persistence: records are loaded at start; every change is committed by a writer
//! thread **before** the request that made it is answered. Changes that arrive while a commit
//! is running are committed together in the next transaction (group commit), so a write costs
//! one shared commit, not one each.
//!
//! The file is in WAL mode with `synchronous = NORMAL`: a committed transaction is in the
//! operating system's hands, so it survives the sandbox process being killed (`kill -9`),
//! though not a power cut.

use std::io;
use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use rusqlite::{Connection, Transaction, params};
use tokio::sync::oneshot;

use crate::config::Provider;

/// One change to persist.
pub(crate) enum Change {
    /// Insert or replace a record.
    Put(Row),
    /// Delete one record.
    Delete(Key),
    /// Delete every record.
    Clear,
}

/// Who is told that a change is committed (`true`) or failed (`false`).
pub(crate) enum Ack {
    /// Nobody.
    None,
    /// A waiting request handler.
    Async(oneshot::Sender<bool>),
    /// A waiting thread (`flush`).
    Blocking(mpsc::Sender<bool>),
}

impl Ack {
    fn send(self, ok: bool) {
        match self {
            Ack::None => {}
            Ack::Async(tx) => {
                let _ = tx.send(ok);
            }
            Ack::Blocking(tx) => {
                let _ = tx.send(ok);
            }
        }
    }
}

/// Where a record lives.
pub(crate) struct Key {
    pub provider: Provider,
    pub kind: &'static str,
    /// Site, organization or entrypoint.
    pub scope: String,
    pub id: String,
}

/// A stored record.
pub(crate) struct Row {
    pub key: Key,
    /// Creation order.
    pub seq: u64,
    /// Creation time, epoch milliseconds.
    pub at_ms: u64,
    /// The record's JSON text.
    pub body: String,
}

/// A record read back at start.
pub(crate) struct Loaded {
    pub provider: Provider,
    pub kind: String,
    pub scope: String,
    pub id: String,
    pub seq: u64,
    pub at_ms: u64,
    /// JSON text.
    pub body: String,
}

/// The handle to the writer thread.
pub(crate) struct Persist {
    tx: mpsc::Sender<(Option<Change>, Ack)>,
}

fn other(e: rusqlite::Error) -> io::Error {
    io::Error::other(e)
}

const SCHEMA: &str = "
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    CREATE TABLE IF NOT EXISTS records (
        provider TEXT NOT NULL,
        kind TEXT NOT NULL,
        scope TEXT NOT NULL,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at_ms INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (provider, kind, scope, id)
    );
";

/// Most changes committed in one transaction.
const BATCH: usize = 4096;

impl Persist {
    /// Opens (or creates) the file, reads every record, and starts the writer.
    pub(crate) fn open(path: &Path, latency: Duration) -> io::Result<(Persist, Vec<Loaded>)> {
        let conn = Connection::open(path).map_err(other)?;
        conn.execute_batch(SCHEMA).map_err(other)?;
        let loaded = load(&conn).map_err(other)?;
        let (tx, rx) = mpsc::channel();
        thread::Builder::new()
            .name("billsync-sandbox-sqlite".into())
            .spawn(move || writer(conn, rx, latency))?;
        Ok((Persist { tx }, loaded))
    }

    /// Queues a change; the answer says once it is committed (`true`) or failed.
    pub(crate) fn commit(&self, change: Change) -> oneshot::Receiver<bool> {
        let (tx, rx) = oneshot::channel();
        // The writer only stops when every sender is gone, so this cannot fail in practice;
        // if it did, the dropped sender makes the receiver report a failure.
        let _ = self.tx.send((Some(change), Ack::Async(tx)));
        rx
    }

    /// Queues a change without waiting for it.
    pub(crate) fn send(&self, change: Change) {
        let _ = self.tx.send((Some(change), Ack::None));
    }

    /// Waits (blocking the thread) until everything queued so far is committed.
    pub(crate) fn flush_blocking(&self) {
        let (tx, rx) = mpsc::channel();
        let _ = self.tx.send((None, Ack::Blocking(tx)));
        let _ = rx.recv();
    }
}

fn load(conn: &Connection) -> rusqlite::Result<Vec<Loaded>> {
    let mut stmt = conn
        .prepare("SELECT provider, kind, scope, id, seq, at_ms, body FROM records ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (provider, kind, scope, id, seq, at_ms, body) = row?;
        let Ok(provider) = provider.parse::<Provider>() else {
            tracing::warn!(%provider, %kind, %id, "sandbox: skipping a stored record of an unknown provider");
            continue;
        };
        out.push(Loaded {
            provider,
            kind,
            scope,
            id,
            seq: u64::try_from(seq).unwrap_or(0),
            at_ms: u64::try_from(at_ms).unwrap_or(0),
            body,
        });
    }
    Ok(out)
}

fn apply(tx: &Transaction<'_>, change: Change) -> rusqlite::Result<()> {
    match change {
        Change::Put(r) => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO records (provider, kind, scope, id, seq, at_ms, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                r.key.provider.as_str(),
                r.key.kind,
                r.key.scope,
                r.key.id,
                i64::try_from(r.seq).unwrap_or(i64::MAX),
                i64::try_from(r.at_ms).unwrap_or(i64::MAX),
                r.body
            ])?;
        }
        Change::Delete(k) => {
            tx.prepare_cached(
                "DELETE FROM records WHERE provider = ?1 AND kind = ?2 AND scope = ?3 AND id = ?4",
            )?
            .execute(params![k.provider.as_str(), k.kind, k.scope, k.id])?;
        }
        Change::Clear => {
            tx.execute("DELETE FROM records", [])?;
        }
    }
    Ok(())
}

fn writer(mut conn: Connection, rx: mpsc::Receiver<(Option<Change>, Ack)>, latency: Duration) {
    while let Ok(first) = rx.recv() {
        let mut acks = Vec::new();
        let result = (|| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            let mut next = Some(first);
            while let Some((change, ack)) = next.take() {
                acks.push(ack);
                if let Some(change) = change {
                    apply(&tx, change)?;
                }
                if acks.len() < BATCH {
                    next = rx.try_recv().ok();
                }
            }
            if !latency.is_zero() {
                thread::sleep(latency);
            }
            tx.commit()
        })();
        if let Err(e) = &result {
            tracing::warn!(error = %e, "sandbox: could not write records to SQLite");
        }
        // Every change received into this batch shares the outcome of its one commit.
        for ack in acks {
            ack.send(result.is_ok());
        }
    }
}
