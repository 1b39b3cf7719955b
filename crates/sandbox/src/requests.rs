//! The request log: a bounded in-memory ring of the provider requests the sandbox received
//! (time, provider, method, path, status, latency, injected fault, headers with secrets
//! masked, request and response bodies), served as JSON at `/_sandbox/requests`.
//!
//! `GET /_sandbox/requests` answers `{"total", "requests": [...], "next_before"}`, newest
//! first, with `limit` (default 50, at most 1000), `before=<id>` (the page after
//! `next_before`), and filters `provider=hyfin|rebilly|payabli` and `status=<code>` (or
//! `2xx`, `4xx`, ...). `GET /_sandbox/requests/{id}` answers one entry. Bodies longer than
//! 64 KiB are cut, with `"…"` at the end. The ring keeps the last
//! [`SandboxConfig::request_log`](crate::SandboxConfig) entries; reset empties it.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::PoisonError;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::HeaderMap;
use serde::Serialize;

use crate::config::Provider;

/// Headers whose values are secrets.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "reb-apikey",
    "requesttoken",
    "cookie",
    "set-cookie",
    "x-api-key",
    "proxy-authorization",
];

/// Longest body kept, in bytes.
const MAX_BODY: usize = 64 * 1024;

/// One request and its answer.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Entry {
    /// Sequence number, from 1 (newer requests have higher ids).
    pub id: u64,
    /// When it arrived (RFC 3339, milliseconds).
    pub time: String,
    pub provider: Provider,
    pub method: String,
    /// Path and query, as received below the provider prefix (`/hyfin`, ...).
    pub path: String,
    pub status: u16,
    pub latency_ms: f64,
    /// The fault injected, if any (`500`, `429`, `html`, `drop`, `truncate`, `slow=<ms>`).
    pub fault: Option<String>,
    /// Request headers, secrets masked.
    pub request_headers: Vec<(String, String)>,
    pub request_body: String,
    pub response_body: String,
}

/// The ring.
pub(crate) struct RequestLog {
    capacity: usize,
    next: AtomicU64,
    ring: Mutex<VecDeque<Entry>>,
}

/// Masked copies of `headers`.
pub(crate) fn masked(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let name = k.as_str().to_owned();
            let value = if SECRET_HEADERS.contains(&k.as_str()) {
                "[masked]".to_owned()
            } else {
                String::from_utf8_lossy(v.as_bytes()).into_owned()
            };
            (name, value)
        })
        .collect()
}

/// A body as text, cut at [`MAX_BODY`].
pub(crate) fn body_text(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(MAX_BODY)];
    let mut s = String::from_utf8_lossy(cut).into_owned();
    if bytes.len() > MAX_BODY {
        s.push('…');
    }
    s
}

/// Which entries a page shows.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub limit: usize,
    pub before: Option<u64>,
    pub provider: Option<Provider>,
    /// An exact status, or a class (`4` for `4xx`).
    pub status: Option<(u16, bool)>,
}

impl RequestLog {
    /// A ring of at most `capacity` entries (0: nothing is kept).
    pub(crate) fn new(capacity: usize) -> RequestLog {
        RequestLog {
            capacity,
            next: AtomicU64::new(1),
            ring: Mutex::new(VecDeque::with_capacity(capacity.min(4096))),
        }
    }

    /// Whether entries are kept at all.
    pub(crate) fn enabled(&self) -> bool {
        self.capacity > 0
    }

    /// Adds an entry (its id is assigned here), dropping the oldest when full.
    pub(crate) fn push(&self, mut entry: Entry) {
        if self.capacity == 0 {
            return;
        }
        entry.id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        while ring.len() >= self.capacity {
            ring.pop_front();
        }
        // Keep the ring ordered by id even when answers finish out of order.
        let at = ring.partition_point(|e| e.id < entry.id);
        ring.insert(at, entry);
    }

    /// Forgets every entry (ids go on).
    pub(crate) fn clear(&self) {
        self.ring
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// One entry by id.
    pub(crate) fn get(&self, id: u64) -> Option<Entry> {
        let ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        ring.iter().find(|e| e.id == id).cloned()
    }

    /// A page, newest first: the entries, how many match in all, and the cursor of the next
    /// page.
    pub(crate) fn page(&self, p: &Page) -> (Vec<Entry>, usize, Option<u64>) {
        let ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        let matching = |e: &&Entry| {
            p.provider.is_none_or(|pr| e.provider == pr)
                && p.status.is_none_or(|(s, class)| {
                    if class {
                        e.status / 100 == s
                    } else {
                        e.status == s
                    }
                })
        };
        let total = ring.iter().filter(matching).count();
        let mut page: Vec<Entry> = ring
            .iter()
            .rev()
            .filter(|e| p.before.is_none_or(|b| e.id < b))
            .filter(matching)
            .take(p.limit + 1)
            .cloned()
            .collect();
        let next = if page.len() > p.limit {
            page.truncate(p.limit);
            page.last().map(|e| e.id)
        } else {
            None
        };
        (page, total, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(p: Provider, status: u16) -> Entry {
        Entry {
            id: 0,
            time: String::new(),
            provider: p,
            method: "GET".into(),
            path: "/x".into(),
            status,
            latency_ms: 0.0,
            fault: None,
            request_headers: Vec::new(),
            request_body: String::new(),
            response_body: String::new(),
        }
    }

    #[test]
    fn ring_is_bounded_and_pages_newest_first() {
        let log = RequestLog::new(5);
        for i in 0..8 {
            let status = if i % 2 == 0 { 200 } else { 404 };
            log.push(entry(Provider::Hyfin, status));
        }
        let all = Page {
            limit: 2,
            ..Page::default()
        };
        let (page, total, next) = log.page(&all);
        assert_eq!(total, 5);
        assert_eq!(page.iter().map(|e| e.id).collect::<Vec<_>>(), [8, 7]);
        assert_eq!(next, Some(7));
        let (page, _, next) = log.page(&Page {
            before: next,
            ..all
        });
        assert_eq!(page.iter().map(|e| e.id).collect::<Vec<_>>(), [6, 5]);
        assert_eq!(next, Some(5));
        let (page, total, _) = log.page(&Page {
            limit: 10,
            status: Some((4, true)),
            ..Page::default()
        });
        assert_eq!((page.len(), total), (3, 3));
        assert!(log.get(3).is_none() && log.get(4).is_some());
    }

    #[test]
    fn secrets_are_masked_and_bodies_cut() {
        let mut h = HeaderMap::new();
        h.insert("reb-apikey", "sk_live_secret".parse().unwrap());
        h.insert("content-type", "application/json".parse().unwrap());
        let m = masked(&h);
        assert!(m.contains(&("reb-apikey".into(), "[masked]".into())));
        assert!(!format!("{m:?}").contains("sk_live_secret"));
        let long = vec![b'a'; MAX_BODY + 10];
        assert_eq!(body_text(&long).chars().count(), MAX_BODY + 1);
    }
}
