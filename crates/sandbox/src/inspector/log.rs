//! The bounded ring of captured requests, its filters and its pages.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::http::Method;
use serde::Serialize;

use super::mask::Headers;
use super::{BODY_CAPTURE_LIMIT, rfc3339_ms};
use crate::config::Provider;

/// One captured request and its answer. Capturing costs little on the request path: what
/// points into the server's read buffer (headers, path, request body) is copied once, the
/// answer's chunks are shared, and JSON text is made only when the entry is read.
#[derive(Debug)]
pub(crate) struct Entry {
    /// Position in the ring's history (1, 2, ...; assigned when the entry is added).
    pub id: u64,
    /// When the request arrived, epoch milliseconds.
    pub at_ms: u64,
    /// The provider the path belongs to.
    pub provider: Provider,
    /// `GET`, `POST`, ...
    pub method: Method,
    /// Path and query, as received.
    pub path: String,
    /// The answer's status (what the handler answered, even when a fault cut the body).
    pub status: u16,
    /// Milliseconds from the request's arrival to the end of the answer.
    pub latency_ms: u64,
    /// The injected fault, if any.
    pub fault: Option<String>,
    /// What went wrong on the wire, if anything.
    pub error: Option<&'static str>,
    /// Request headers (masked when shown).
    pub request_headers: Headers,
    /// Response headers (masked when shown).
    pub response_headers: Headers,
    /// The request body, cut at the capture limit.
    pub request_body: Body,
    /// The response body, cut at the capture limit.
    pub response_body: Body,
}

/// What a list shows of an entry.
#[derive(Debug, Serialize)]
pub(crate) struct Summary<'a> {
    id: u64,
    at: String,
    provider: Provider,
    method: &'a str,
    path: &'a str,
    status: u16,
    latency_ms: u64,
    fault: Option<&'a str>,
    error: Option<&'a str>,
}

impl Entry {
    /// Path and query.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What a list shows of it.
    pub fn summary(&self) -> Summary<'_> {
        Summary {
            id: self.id,
            at: rfc3339_ms(self.at_ms),
            provider: self.provider,
            method: self.method.as_str(),
            path: self.path(),
            status: self.status,
            latency_ms: self.latency_ms,
            fault: self.fault.as_deref(),
            error: self.error,
        }
    }
}

/// A body as kept: its first bytes (shared with the answer's chunks, or copied when a chunk
/// is larger than the room left, so a big body is not kept alive) and its full size.
#[derive(Debug, Clone, Default)]
pub(crate) struct Body {
    parts: Vec<Bytes>,
    kept: usize,
    /// The size of the whole body.
    pub total: u64,
}

impl Body {
    /// Copies the first bytes of a whole body (a request's, which points into the server's
    /// read buffer).
    pub fn copied(bytes: &[u8]) -> Body {
        let kept = bytes.len().min(BODY_CAPTURE_LIMIT);
        Body {
            parts: vec![Bytes::copy_from_slice(&bytes[..kept])],
            kept,
            total: bytes.len() as u64,
        }
    }

    /// Adds the next chunk of a body, keeping bytes up to the capture limit.
    pub fn push(&mut self, chunk: &Bytes) {
        self.total += chunk.len() as u64;
        let room = BODY_CAPTURE_LIMIT.saturating_sub(self.kept);
        if room == 0 || chunk.is_empty() {
            return;
        }
        let part = if chunk.len() <= room {
            chunk.clone()
        } else {
            Bytes::copy_from_slice(&chunk[..room])
        };
        self.kept += part.len();
        self.parts.push(part);
    }

    /// The kept bytes.
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match self.parts.as_slice() {
            [] => Cow::Borrowed(&[]),
            [one] => Cow::Borrowed(one),
            many => Cow::Owned(many.concat()),
        }
    }

    /// The kept bytes as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }

    /// Whether bytes were cut.
    pub fn truncated(&self) -> bool {
        (self.kept as u64) < self.total
    }

    fn contains_ignore_case(&self, needle: &str) -> bool {
        contains_ignore_case(&self.bytes(), needle.as_bytes())
    }
}

/// Whether `hay` contains `needle`, ASCII case ignored.
fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    hay[..=last_start].iter().enumerate().any(|(i, &b)| {
        (b == lower || b == upper) && hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest)
    })
}

/// What a list must match.
#[derive(Debug, Default, Clone)]
pub(crate) struct Filter {
    /// Only this provider.
    pub provider: Option<Provider>,
    /// Only these statuses.
    pub status: Option<StatusFilter>,
    /// Text in the path or a body.
    pub external_id: Option<String>,
}

/// A status filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusFilter {
    /// Exactly this code.
    Code(u16),
    /// This class: 2 for `2xx`.
    Class(u16),
    /// A fault was injected.
    Fault,
}

impl StatusFilter {
    /// Reads `404`, `4xx` or `fault`.
    pub fn parse(s: &str) -> Option<StatusFilter> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("fault") {
            return Some(StatusFilter::Fault);
        }
        if let Some(class) = s.strip_suffix("xx").or_else(|| s.strip_suffix("XX")) {
            return class
                .parse::<u16>()
                .ok()
                .filter(|c| (1..=5).contains(c))
                .map(StatusFilter::Class);
        }
        s.parse::<u16>()
            .ok()
            .filter(|c| (100..=599).contains(c))
            .map(StatusFilter::Code)
    }
}

impl Filter {
    fn matches(&self, e: &Entry) -> bool {
        if self.provider.is_some_and(|p| p != e.provider) {
            return false;
        }
        match self.status {
            Some(StatusFilter::Code(c)) if e.status != c => return false,
            Some(StatusFilter::Class(c)) if e.status / 100 != c => return false,
            Some(StatusFilter::Fault) if e.fault.is_none() => return false,
            _ => {}
        }
        match self.external_id.as_deref().map(str::trim) {
            Some(id) if !id.is_empty() => {
                contains_ignore_case(e.path().as_bytes(), id.as_bytes())
                    || e.request_body.contains_ignore_case(id)
                    || e.response_body.contains_ignore_case(id)
            }
            _ => true,
        }
    }
}

/// One page of a list, newest first.
#[derive(Debug, Serialize)]
pub(crate) struct Page {
    /// Entries matching the filter in the whole ring.
    pub total: usize,
    /// Entries in the ring.
    pub kept: usize,
    /// The ring's size.
    pub capacity: usize,
    /// Entries dropped from the ring so far.
    pub evicted: u64,
    /// The newest entry's id (0 when the ring is empty).
    pub latest: u64,
    /// The cursor of the next (older) page.
    pub next_before: Option<u64>,
    /// The entries.
    #[serde(serialize_with = "entries")]
    pub items: Vec<Arc<Entry>>,
}

/// Serializes shared entries as their summaries.
fn entries<S: serde::Serializer>(items: &[Arc<Entry>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(items.iter().map(|e| e.summary()))
}

struct Ring {
    entries: VecDeque<Arc<Entry>>,
    next_id: u64,
    evicted: u64,
}

/// The bounded ring of captured requests.
pub(crate) struct RequestLog {
    capacity: usize,
    ring: Mutex<Ring>,
}

impl RequestLog {
    /// An empty ring of `capacity` entries (at least 1).
    pub fn new(capacity: usize) -> RequestLog {
        let capacity = capacity.max(1);
        RequestLog {
            capacity,
            ring: Mutex::new(Ring {
                entries: VecDeque::with_capacity(capacity.min(4096)),
                next_id: 1,
                evicted: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ring> {
        self.ring.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds an entry (its id is assigned here), dropping the oldest when full.
    pub fn push(&self, mut entry: Entry) -> Arc<Entry> {
        let mut ring = self.lock();
        entry.id = ring.next_id;
        ring.next_id += 1;
        let evicted = if ring.entries.len() >= self.capacity {
            ring.evicted += 1;
            ring.entries.pop_front()
        } else {
            None
        };
        let entry = Arc::new(entry);
        ring.entries.push_back(entry.clone());
        drop(ring);
        // The oldest entry (its headers and bodies) is freed outside the lock.
        drop(evicted);
        entry
    }

    /// The entry with this id, if still kept.
    pub fn get(&self, id: u64) -> Option<Arc<Entry>> {
        let ring = self.lock();
        // Ids increase along the ring.
        let i = ring.entries.partition_point(|e| e.id < id);
        ring.entries.get(i).filter(|e| e.id == id).cloned()
    }

    /// Forgets every entry (ids keep increasing).
    pub fn clear(&self) {
        let mut ring = self.lock();
        ring.evicted += ring.entries.len() as u64;
        ring.entries.clear();
    }

    /// Up to `limit` entries older than `before` matching `filter`, newest first.
    pub fn page(&self, filter: &Filter, before: Option<u64>, limit: usize) -> Page {
        let ring = self.lock();
        let end = match before {
            Some(b) => ring.entries.partition_point(|e| e.id < b),
            None => ring.entries.len(),
        };
        let mut total = 0;
        let mut items = Vec::with_capacity(limit.min(500));
        let mut next_before = None;
        for (i, e) in ring.entries.iter().enumerate().rev() {
            if !filter.matches(e) {
                continue;
            }
            total += 1;
            if i < end {
                if items.len() < limit {
                    items.push(e.clone());
                } else if next_before.is_none() {
                    next_before = items.last().map(|l: &Arc<Entry>| l.id);
                }
            }
        }
        Page {
            total,
            kept: ring.entries.len(),
            capacity: self.capacity,
            evicted: ring.evicted,
            latest: ring.entries.back().map_or(0, |e| e.id),
            next_before,
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{BODY_CAPTURE_LIMIT, Body, contains_ignore_case};
    use axum::body::Bytes;

    #[test]
    fn a_body_keeps_its_first_bytes_up_to_the_limit_and_counts_all() {
        let mut body = Body::copied(b"{\"a\":");
        body.push(&Bytes::from_static(b"1}"));
        assert_eq!(&*body.bytes(), b"{\"a\":1}");
        assert!(!body.truncated());
        let big = Bytes::from(vec![b'x'; BODY_CAPTURE_LIMIT + 10]);
        body.push(&big);
        assert_eq!(body.total, (BODY_CAPTURE_LIMIT + 17) as u64);
        assert_eq!(body.bytes().len(), BODY_CAPTURE_LIMIT);
        assert!(body.truncated());
    }

    #[test]
    fn search_ignores_ascii_case_and_finds_the_end_of_the_text() {
        assert!(contains_ignore_case(b"/customers/CUST-0001", b"cust-0001"));
        assert!(contains_ignore_case(b"abc", b""));
        assert!(!contains_ignore_case(b"cus", b"cust"));
        assert!(!contains_ignore_case(b"cust-0002", b"cust-0001"));
    }
}
