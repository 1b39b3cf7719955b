//! The middleware that captures provider requests into the ring, and the note the gate
//! leaves of the fault it injected.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{Extensions, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Body as _, Frame, SizeHint};

use super::Inspector;
use super::log::{self, Entry};
use super::mask::Headers;
use crate::config::Provider;
use crate::faults::Fault;
use crate::util::now_ms;

/// The largest request body the sandbox reads (axum's default limit for the handlers).
const MAX_REQUEST_BODY: usize = 2 * 1024 * 1024;

/// Where the gate notes the fault it injected into a captured request.
#[derive(Clone, Default)]
pub(crate) struct FaultNote(Arc<Mutex<Option<String>>>);

impl FaultNote {
    fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Notes `fault` for the inspector, when the request is being captured.
pub(crate) fn note_fault(extensions: &Extensions, fault: Option<Fault>) {
    let (Some(note), Some(fault)) = (extensions.get::<FaultNote>(), fault) else {
        return;
    };
    let label = match fault {
        Fault::RateLimited => "429".to_owned(),
        Fault::ServerError => "500".to_owned(),
        Fault::Html(status) if status == StatusCode::OK => "html200".to_owned(),
        Fault::Html(_) => "html".to_owned(),
        Fault::Drop => "drop".to_owned(),
        Fault::Truncate => "truncate".to_owned(),
        Fault::Slow(pause) => format!("slow={}", pause.as_millis()),
    };
    *note.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(label);
}

/// The provider a path belongs to.
fn provider_of(path: &str) -> Option<Provider> {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if under("/hyfin") {
        Some(Provider::Hyfin)
    } else if under("/rebilly") {
        Some(Provider::Rebilly)
    } else if under("/payabli/api") {
        Some(Provider::Payabli)
    } else {
        None
    }
}

/// The record kind a write path names: a path segment that is the kind or its plural, ASCII
/// case ignored (`.../customer/addUpdate`, `/customers/{id}`, `/Customer/single/{entry}`).
fn kind_of(provider: Provider, path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/').find_map(|segment| {
        let singular = segment.strip_suffix('s').unwrap_or(segment);
        provider
            .kinds()
            .iter()
            .copied()
            .find(|k| segment.eq_ignore_ascii_case(k) || singular.eq_ignore_ascii_case(k))
    })
}

/// Captures every provider request and its answer; clears the histories after a reset.
pub(crate) async fn capture(
    State(inspector): State<Arc<Inspector>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let Some(provider) = provider_of(path) else {
        let reset = req.method() == Method::POST && path == "/_sandbox/reset";
        let resp = next.run(req).await;
        if reset && resp.status().is_success() {
            inspector.clear_histories();
        }
        return resp;
    };
    let started = Instant::now();
    let at_ms = now_ms();
    let (mut parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_REQUEST_BODY).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
    };
    let note = FaultNote::default();
    parts.extensions.insert(note.clone());
    let write = parts.method != Method::GET && parts.method != Method::HEAD;
    let mut entry = Entry {
        id: 0,
        at_ms,
        provider,
        method: parts.method.clone(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path(), |pq| pq.as_str())
            .to_owned(),
        status: 0,
        latency_ms: 0,
        fault: None,
        error: None,
        request_headers: Headers::of(&parts.headers),
        response_headers: Headers::default(),
        request_body: log::Body::copied(&bytes),
        response_body: log::Body::default(),
    };
    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (parts, body) = resp.into_parts();
    entry.status = parts.status.as_u16();
    entry.response_headers = Headers::of(&parts.headers);
    let tee = Tee::new(
        body,
        Pending {
            inspector,
            entry,
            note,
            started,
            write,
        },
    );
    Response::from_parts(parts, Body::new(tee))
}

/// An entry waiting for the end of its answer's body.
struct Pending {
    inspector: Arc<Inspector>,
    entry: Entry,
    note: FaultNote,
    started: Instant,
    write: bool,
}

/// A response body that keeps a copy of its first bytes and adds the entry to the ring when
/// its last byte has been read (so before the client can see the whole answer), when it
/// fails, or when it is dropped unfinished.
struct Tee {
    inner: Body,
    pending: Option<Pending>,
}

impl http_body::Body for Tee {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let (Some(data), Some(p)) = (frame.data_ref(), this.pending.as_mut()) {
                    p.entry.response_body.push(data);
                }
                if this.inner.is_end_stream() {
                    this.finish(true);
                }
            }
            Poll::Ready(Some(Err(_))) => this.finish(false),
            Poll::Ready(None) => this.finish(true),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for Tee {
    fn drop(&mut self) {
        // Sent bodies finished when their last byte was polled; this one was abandoned, or
        // empty from the start.
        let complete = self.inner.is_end_stream();
        self.finish(complete);
    }
}

impl Tee {
    /// Wraps an answer's body; an empty one is recorded at once.
    fn new(inner: Body, pending: Pending) -> Tee {
        let mut tee = Tee {
            inner,
            pending: Some(pending),
        };
        if tee.inner.is_end_stream() {
            tee.finish(true);
        }
        tee
    }

    /// Adds the entry to the ring (once), `complete` telling whether the whole answer went
    /// out, and queues a successful write for the record histories.
    fn finish(&mut self, complete: bool) {
        let Some(p) = self.pending.take() else {
            return;
        };
        let Pending {
            inspector,
            mut entry,
            note,
            started,
            write,
        } = p;
        entry.latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        entry.fault = note.take();
        if !complete {
            entry.error = Some(if entry.response_body.total == 0 {
                "connection closed before the answer"
            } else {
                "connection closed in the middle of the answer"
            });
        }
        let kind = (write && (200..300).contains(&entry.status))
            .then(|| kind_of(entry.provider, entry.path()))
            .flatten();
        let entry = inspector.log.push(entry);
        if let Some(kind) = kind {
            inspector.wrote(kind, entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{kind_of, provider_of};
    use crate::config::Provider;

    #[test]
    fn paths_name_their_provider_and_record_kind() {
        assert_eq!(
            provider_of("/hyfin/api/v4/site/s/customer/addUpdate"),
            Some(Provider::Hyfin)
        );
        assert_eq!(
            provider_of("/payabli/api/Customer/1"),
            Some(Provider::Payabli)
        );
        assert_eq!(provider_of("/rebillyx/organizations"), None);
        assert_eq!(provider_of("/_sandbox/stats"), None);
        let kind = |p, path| kind_of(p, path);
        assert_eq!(
            kind(Provider::Hyfin, "/hyfin/api/v4/site/s/contact/addUpdate"),
            Some("contact")
        );
        assert_eq!(
            kind(Provider::Hyfin, "/hyfin/api/v3/site/s/payment/addUpdate"),
            Some("payment")
        );
        assert_eq!(
            kind(Provider::Rebilly, "/rebilly/organizations/o/transactions"),
            Some("transaction")
        );
        assert_eq!(
            kind(Provider::Rebilly, "/rebilly/organizations/o/customers/c"),
            Some("customer")
        );
        assert_eq!(
            kind(
                Provider::Payabli,
                "/payabli/api/Customer/single/e?replaceExisting=1"
            ),
            Some("customer")
        );
        assert_eq!(kind(Provider::Payabli, "/payabli/api/Query/x"), None);
    }
}
