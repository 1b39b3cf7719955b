//! The inspector: a web page at `/_sandbox/` showing every request the sandbox received and
//! every record it holds, with the JSON endpoints behind it.
//!
//! Open `http://127.0.0.1:PORT/_sandbox/` in a browser (`billsync sandbox` and
//! `billsync demo` print the address). The page is static HTML, CSS and JavaScript embedded
//! in the binary: no build step, no CDN, it works offline. It polls the endpoints below about
//! once a second while its tab is visible.
//!
//! # Requests
//!
//! Every request under `/hyfin`, `/rebilly` and `/payabli/api` (not the admin endpoints) is
//! kept in a bounded in-memory ring of [`SandboxConfig::requests_kept`](crate::SandboxConfig)
//! entries ([`DEFAULT_REQUESTS_KEPT`] by default); the oldest entry is dropped when it is
//! full. An entry is added when its answer has been sent (or the connection failed), so the
//! ring is in completion order. Request and response bodies are kept up to
//! [`BODY_CAPTURE_LIMIT`] bytes each. Header values that carry secrets are masked:
//! `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, and every header whose
//! name contains `token`, `key`, `secret`, `password` or `auth` (`requestToken`,
//! `REB-APIKEY`, ...) except idempotency keys, which are no secret and help when debugging
//! retries; for `Authorization` the scheme (`Bearer`) stays visible. Bodies are not masked
//! (the providers' bodies carry no credentials).
//!
//! - `GET /_sandbox/requests?provider=&status=&external_id=&before=&limit=` lists entries,
//!   newest first. `provider`: `hyfin`, `rebilly` or `payabli`. `status`: a code (`404`), a
//!   class (`4xx`), or `fault` (a fault was injected). `external_id`: text that must appear
//!   (ASCII case ignored) in the path, the request body or the response body. `before`: an
//!   entry id; only older entries are listed (the next page's cursor is `next_before`).
//!   `limit`: 1 to 500, default 50. A bad parameter is a 400 with `{"error": "..."}`. The
//!   answer is an object with:
//!   - `total`: entries in the ring that match the filter;
//!   - `kept`, `capacity`, `evicted`: entries in the ring, its size, entries dropped so far;
//!   - `latest`: the newest entry's id (0 when the ring is empty), to poll cheaply;
//!   - `next_before`: the cursor of the next (older) page, or null;
//!   - `items`: summaries, each with `id`, `at` (RFC 3339 with milliseconds, UTC),
//!     `provider`, `method`, `path` (with the query), `status`, `latency_ms` (arrival to last
//!     byte), `fault` (the injected fault as the fault header names it: `500`, `429`,
//!     `drop`, `truncate`, `html`, `html200`, `slow=MS`; or null) and `error` (null, or what
//!     went wrong on the wire, such as a connection closed before the answer).
//! - `GET /_sandbox/requests/{id}` gives one entry: its summary plus `request_headers` and
//!   `response_headers` (lists of `[name, value]` pairs, masked), `request_body` and
//!   `response_body` (text, cut at the limit), `request_bytes` and `response_bytes` (sizes
//!   before the cut), `request_truncated` and `response_truncated`. It is a 404 once the
//!   entry has left the ring.
//! - `DELETE /_sandbox/requests` empties the ring.
//!
//! # Records and their history
//!
//! - `GET /_sandbox/records/{provider}/{kind}/history?offset=&limit=` gives the records of
//!   one kind (those `GET /_sandbox/records/{provider}/{kind}` lists), most recently changed
//!   first: `{"total": N, "offset": N, "history_limit": N, "over_limit": false,
//!   "items": [...]}`, `limit` 1 to 200, default 50. Each
//!   item has a `key` and its `versions`, oldest first. A version has `version` (1 = the
//!   first seen), `at`, `action` (`created`, `updated`, or `first seen` when no write
//!   request was found for it), `request_id` (the request that wrote it, when known),
//!   `record` (as stored) and `changes` against the version before. A change has `path`
//!   (such as `primaryAddress.city` or `contacts[0]._id`), `change`
//!   (`added`, `removed` or `changed`), `before` and `after`.
//!
//! How histories are taken: after each successful (2xx) write request, the inspector reads
//! the stored records of the kind the path names (as [`Sandbox::records`](crate::Sandbox)
//! does) and compares each with the last version it saw, keyed by the record's id (`_id`,
//! `id` or `customerId`, within its `organizationId` when it has one). These reads are
//! batched in the background (at least 100 ms apart, and the more records there are the
//! further apart: at most a tenth of a core) so that a bulk sync stays fast; a history endpoint call reconciles its
//! kind first, so what it shows is current. Limits: two writes to the same record within
//! one batch show as one update; the request that wrote a version is found by the record's
//! id in that batch's paths and answers, so it can be missing; each record keeps its first
//! version and its last [`VERSIONS_KEPT`] - 1 changes; a kind with more than
//! [`HISTORY_RECORDS_LIMIT`] records gets no histories (the answer then has
//! `"over_limit": true`, the count in `total` and no items), so that bulk loads and
//! benchmarks do not pay for them; such a kind is counted again only when its history is
//! asked for (at most every 5 seconds) or after a reset. Records that disappear (a reset) lose
//! their history; `POST /_sandbox/reset` also clears every history at once.
//!
//! # Controls
//!
//! The page shows `GET /_sandbox/stats`, edits `GET`/`POST /_sandbox/faults`, explains the
//! per-request `x-sandbox-fault` header ([`FAULT_HEADER`](crate::FAULT_HEADER)) and calls
//! `POST /_sandbox/reset`.
//!
//! # Keyboard
//!
//! Everything is a link, button or form field in document order. On the requests list `j`
//! and `k` move between rows, `Enter` opens one, `Escape` closes the detail, `/` focuses the
//! external id filter. The URL hash keeps the state (`#requests`, `#request=ID`,
//! `#records/hyfin/customer`, `#controls`), so links and the back button work.

mod api;
mod assets;
mod capture;
mod diff;
mod history;
mod log;
mod mask;

use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use axum::Router;
use axum::middleware;
use serde_json::Value;
use tokio::sync::Notify;

use crate::config::Provider;

pub(crate) use capture::note_fault;
use history::{Histories, Write};
use log::RequestLog;

/// How many requests the inspector keeps by default.
pub const DEFAULT_REQUESTS_KEPT: usize = 2_000;

/// How many bytes of each request and response body the inspector keeps.
pub const BODY_CAPTURE_LIMIT: usize = 16 * 1024;

/// Most records one kind may have for the inspector to keep their histories (beyond it, a
/// bulk load or benchmark pays nothing for them).
pub const HISTORY_RECORDS_LIMIT: usize = 10_000;

/// How many versions of one record the inspector keeps (the first and the latest ones).
pub const VERSIONS_KEPT: usize = 50;

/// Reads the stored records of one provider and kind.
pub(crate) type ReadRecords = Arc<dyn Fn(Provider, &str) -> Vec<Value> + Send + Sync>;

/// The inspector's state: the request ring, the record histories and the writes waiting to
/// be reconciled.
pub(crate) struct Inspector {
    log: RequestLog,
    histories: Mutex<Histories>,
    pending: Mutex<Vec<(&'static str, Arc<log::Entry>)>>,
    wake: Notify,
    read: ReadRecords,
}

impl Inspector {
    /// Creates the inspector and starts its background reconciler (needs a Tokio runtime);
    /// the reconciler stops when the inspector is dropped.
    pub(crate) fn start(requests_kept: usize, read: ReadRecords) -> Arc<Inspector> {
        let inspector = Arc::new(Inspector {
            log: RequestLog::new(requests_kept),
            histories: Mutex::new(Histories::new(HISTORY_RECORDS_LIMIT)),
            pending: Mutex::new(Vec::new()),
            wake: Notify::new(),
            read,
        });
        tokio::spawn(reconcile_loop(Arc::downgrade(&inspector)));
        inspector
    }

    /// The inspector's page and endpoints, with the capturing middleware around `app`.
    pub(crate) fn wrap(self: &Arc<Self>, app: Router) -> Router {
        app.merge(api::router(self.clone()))
            .merge(assets::router())
            .layer(middleware::from_fn_with_state(
                self.clone(),
                capture::capture,
            ))
    }

    /// Notes a successful write of a `kind` record, to be reconciled in the next batch.
    fn wrote(&self, kind: &'static str, entry: Arc<log::Entry>) {
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((kind, entry));
        self.wake.notify_one();
    }

    /// Compares the stored records of `provider`/`kind` with their histories, attributing
    /// changes to `writes`. A kind over the limit is read again only for a `reader` (a
    /// history call), at most every few seconds; never by the background batches.
    fn reconcile(&self, provider: Provider, kind: &'static str, writes: &[Write], reader: bool) {
        let skip = self
            .histories
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .skip(provider, kind, reader);
        if skip {
            return;
        }
        let records = (self.read)(provider, kind);
        self.histories
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .reconcile(provider, kind, records, writes);
    }

    /// Reconciles every kind with pending writes.
    fn reconcile_pending(&self) {
        let pending =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
        let writes: Vec<Write> = pending
            .into_iter()
            .map(|(kind, e)| Write {
                provider: e.provider,
                kind,
                request_id: e.id,
                haystack: format!("{} {}", e.path(), e.response_body.text()),
            })
            .collect();
        let mut kinds: Vec<(Provider, &'static str)> =
            writes.iter().map(|w| (w.provider, w.kind)).collect();
        kinds.sort_unstable_by_key(|(p, k)| (p.index(), *k));
        kinds.dedup();
        for (provider, kind) in kinds {
            let mine: Vec<Write> = writes
                .iter()
                .filter(|w| w.provider == provider && w.kind == kind)
                .cloned()
                .collect();
            self.reconcile(provider, kind, &mine, false);
        }
    }

    /// Forgets every record history (after a reset).
    fn clear_histories(&self) {
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        *self
            .histories
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Histories::new(HISTORY_RECORDS_LIMIT);
    }
}

/// Reconciles pending writes in batches until the inspector is gone. After a batch that took
/// `t`, it waits at least `9 t` (and 100 ms), so it never takes more than a tenth of a core.
async fn reconcile_loop(inspector: Weak<Inspector>) {
    const MIN_GAP: Duration = Duration::from_millis(100);
    loop {
        let Some(me) = inspector.upgrade() else {
            return;
        };
        let woken = tokio::time::timeout(Duration::from_secs(1), me.wake.notified()).await;
        drop(me);
        if woken.is_err() {
            continue;
        }
        tokio::time::sleep(MIN_GAP).await;
        let Some(me) = inspector.upgrade() else {
            return;
        };
        let started = Instant::now();
        let me2 = me.clone();
        let _ = tokio::task::spawn_blocking(move || me2.reconcile_pending()).await;
        drop(me);
        tokio::time::sleep(started.elapsed().saturating_mul(9)).await;
    }
}

/// An epoch-milliseconds time as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn rfc3339_ms(ms: u64) -> String {
    let ms = i64::try_from(ms).unwrap_or(0);
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
