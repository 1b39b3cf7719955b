//! SQLite persistence: records are loaded at start and written through a background thread
//! that commits in batches, so request handlers never wait on the disk.

use std::io;
use std::path::Path;
use std::sync::mpsc;
use std::thread;

use rusqlite::{Connection, params};
use serde_json::Value;

use crate::config::Provider;

/// One change to persist.
pub(crate) enum Op {
    /// Insert or replace a record.
    Put(Row),
    /// Delete every record.
    Clear,
    /// Answer once everything sent before has been committed.
    Flush(mpsc::Sender<()>),
}

/// A stored record.
pub(crate) struct Row {
    pub provider: Provider,
    pub kind: &'static str,
    /// Site, organization or entrypoint.
    pub scope: String,
    pub id: String,
    /// Creation order.
    pub seq: u64,
    /// Creation time, epoch milliseconds.
    pub at_ms: u64,
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
    pub body: Value,
}

/// The handle to the writer thread.
pub(crate) struct Persist {
    tx: mpsc::Sender<Op>,
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

impl Persist {
    /// Opens (or creates) the file, reads every record, and starts the writer.
    pub(crate) fn open(path: &Path) -> io::Result<(Persist, Vec<Loaded>)> {
        let conn = Connection::open(path).map_err(other)?;
        conn.execute_batch(SCHEMA).map_err(other)?;
        let loaded = load(&conn).map_err(other)?;
        let (tx, rx) = mpsc::channel();
        thread::Builder::new()
            .name("billsync-sandbox-sqlite".into())
            .spawn(move || writer(conn, rx))?;
        Ok((Persist { tx }, loaded))
    }

    /// Queues a change (never blocks).
    pub(crate) fn send(&self, op: Op) {
        // The writer only stops when every sender is gone, so this cannot fail in practice.
        let _ = self.tx.send(op);
    }

    /// Waits until everything queued so far is committed.
    pub(crate) fn flush_blocking(&self) {
        let (tx, rx) = mpsc::channel();
        self.send(Op::Flush(tx));
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
        let (Ok(provider), Ok(body)) = (
            provider.parse::<Provider>(),
            serde_json::from_str::<Value>(&body),
        ) else {
            tracing::warn!(%provider, %kind, %id, "sandbox: skipping an unreadable stored record");
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

fn writer(mut conn: Connection, rx: mpsc::Receiver<Op>) {
    while let Ok(first) = rx.recv() {
        let mut acks = Vec::new();
        let result = (|| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            {
                let mut put = tx.prepare_cached(
                    "INSERT OR REPLACE INTO records (provider, kind, scope, id, seq, at_ms, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                let mut op = Some(first);
                let mut n = 0;
                while let Some(o) = op.take() {
                    match o {
                        Op::Put(r) => {
                            put.execute(params![
                                r.provider.as_str(),
                                r.kind,
                                r.scope,
                                r.id,
                                i64::try_from(r.seq).unwrap_or(i64::MAX),
                                i64::try_from(r.at_ms).unwrap_or(i64::MAX),
                                r.body
                            ])?;
                        }
                        Op::Clear => {
                            tx.execute("DELETE FROM records", [])?;
                        }
                        Op::Flush(ack) => acks.push(ack),
                    }
                    n += 1;
                    if n < 2000 {
                        op = rx.try_recv().ok();
                    }
                }
            }
            tx.commit()
        })();
        if let Err(e) = result {
            tracing::warn!(error = %e, "sandbox: could not write records to SQLite");
        }
        for ack in acks {
            let _ = ack.send(());
        }
    }
}
