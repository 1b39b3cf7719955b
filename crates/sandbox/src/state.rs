//! State every emulated provider shares: the configuration, request counters, the id
//! sequence and durable storage. Providers depend on this module; the server builds it,
//! builds each provider's store, and assembles the routers.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use tokio::sync::oneshot;

use crate::config::{Provider, SandboxConfig};
use crate::persist::{Change, Key, Loaded, Persist, Row};
use crate::record::Rec;
use crate::stats::{Count, Counters, Stats};
use crate::util::{mix64, now_ms};

/// State shared by every request of one sandbox.
pub(crate) struct Shared {
    pub(crate) config: SandboxConfig,
    base_url: String,
    rebilly_base: String,
    counters: [Counters; 3],
    seq: AtomicU64,
    persist: Option<Persist>,
}

/// One provider's records, as the server sees them: loaded at start, cleared on reset, and
/// listed for `/_sandbox/records`.
pub(crate) trait Records: Send + Sync {
    /// Takes one record read back from the data file.
    fn load(&self, row: Loaded, shared: &Shared);
    /// Forgets every record (ids already handed out stay used).
    fn clear(&self);
    /// The records of `kind` in creation order.
    fn records(&self, kind: &str) -> Vec<Value>;
}

/// What a provider's handlers get: the shared state and the provider's own store.
pub(crate) struct Ctx<S> {
    pub(crate) sh: Arc<Shared>,
    pub(crate) store: Arc<S>,
}

impl<S> Clone for Ctx<S> {
    fn clone(&self) -> Self {
        Ctx {
            sh: self.sh.clone(),
            store: self.store.clone(),
        }
    }
}

/// A change on its way to the data file; [`Pending::durable`] waits until it is there.
#[must_use = "answer only after the change is durable"]
pub(crate) struct Pending(Option<oneshot::Receiver<bool>>);

/// The data file could not take a change.
#[derive(Debug)]
pub(crate) struct NotDurable;

impl Pending {
    /// Waits until the change is committed (at once without a data file).
    pub(crate) async fn durable(self) -> Result<(), NotDurable> {
        match self.0 {
            None => Ok(()),
            Some(rx) => match rx.await {
                Ok(true) => Ok(()),
                _ => Err(NotDurable),
            },
        }
    }
}

impl Shared {
    /// Builds the state; with `config.data`, opens the file and returns its records.
    pub(crate) fn open(
        config: SandboxConfig,
        addr: SocketAddr,
    ) -> io::Result<(Shared, Vec<Loaded>)> {
        let base_url = format!("http://{addr}");
        let (persist, rows) = match &config.data {
            Some(path) => {
                let (p, rows) = Persist::open(path, config.data_commit_latency)?;
                (Some(p), rows)
            }
            None => (None, Vec::new()),
        };
        let max_seq = rows.iter().map(|r| r.seq).max().unwrap_or(0);
        let shared = Shared {
            rebilly_base: format!("{base_url}/rebilly"),
            base_url,
            counters: Default::default(),
            seq: AtomicU64::new(max_seq + 1),
            persist,
            config,
        };
        Ok((shared, rows))
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `http://127.0.0.1:PORT/rebilly`.
    pub(crate) fn rebilly_base(&self) -> &str {
        &self.rebilly_base
    }

    /// Counts one event of `p`.
    pub(crate) fn count(&self, p: Provider, what: Count) {
        self.counters[p.index()].add(what);
    }

    /// The counters so far.
    pub(crate) fn stats(&self) -> Stats {
        Stats {
            hyfin: self.counters[0].snapshot(),
            rebilly: self.counters[1].snapshot(),
            payabli: self.counters[2].snapshot(),
        }
    }

    /// Zeroes the counters and empties the data file.
    pub(crate) fn reset(&self) {
        for c in &self.counters {
            c.reset();
        }
        if let Some(p) = &self.persist {
            p.send(Change::Clear);
        }
    }

    /// The next creation sequence number (never reused, also across restarts with `data`).
    pub(crate) fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    /// A 24-hex-digit id (like a MongoDB ObjectId: time, then a seed-scrambled sequence).
    pub(crate) fn hex_id(&self, seq: u64, taken: impl Fn(&str) -> bool) -> String {
        let secs = (now_ms() / 1000) as u32;
        let mut n = seq;
        loop {
            let id = format!("{secs:08x}{:016x}", mix64(self.config.seed ^ n));
            if !taken(&id) {
                return id;
            }
            n = n.wrapping_add(1 << 48);
        }
    }

    /// Writes a record to the data file, if there is one. Call it under the store's lock (so
    /// the file sees changes in the order memory did), then await [`Pending::durable`]
    /// after releasing the lock and before answering.
    pub(crate) fn save(
        &self,
        provider: Provider,
        kind: &'static str,
        scope: &str,
        id: &str,
        rec: &Rec,
    ) -> Pending {
        let Some(persist) = &self.persist else {
            return Pending(None);
        };
        Pending(Some(persist.commit(Change::Put(Row {
            key: Key {
                provider,
                kind,
                scope: scope.to_owned(),
                id: id.to_owned(),
            },
            seq: rec.seq,
            at_ms: rec.at_ms,
            body: rec.text().to_owned(),
        }))))
    }

    /// Deletes a record from the data file, if there is one (same protocol as [`Shared::save`]).
    pub(crate) fn delete(
        &self,
        provider: Provider,
        kind: &'static str,
        scope: &str,
        id: &str,
    ) -> Pending {
        let Some(persist) = &self.persist else {
            return Pending(None);
        };
        Pending(Some(persist.commit(Change::Delete(Key {
            provider,
            kind,
            scope: scope.to_owned(),
            id: id.to_owned(),
        }))))
    }

    /// Blocks until every change queued so far is in the data file.
    pub(crate) fn flush(&self) {
        if let Some(p) = &self.persist {
            p.flush_blocking();
        }
    }
}
