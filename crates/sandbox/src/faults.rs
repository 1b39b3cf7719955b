//! Fault injection: what can go wrong, how it is chosen for a request, and the answer bodies
//! that go wrong on the wire.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use http_body::{Frame, SizeHint};
use serde::{Deserialize, Serialize};
use tokio::time::Sleep;

use crate::util::unit;

/// The header that asks for one fault on one request: `500`, `429`, `drop`, `truncate`,
/// `html` (502), `html200`, or `slow=<ms>`.
pub const FAULT_HEADER: &str = "x-sandbox-fault";

/// Faults injected into provider answers (admin endpoints are never faulted).
///
/// Rates are shares of requests in `[0, 1]`, drawn from the sandbox seed and the request's
/// sequence number, so a run with the same seed and request order sees the same faults.
/// A request draws at most one of them, in this order of precedence: `rate_limit_burst`,
/// `server_error_rate`, `non_json_rate`, `drop_rate`, `truncated_rate`, then `slow_body`.
///
/// As JSON (`POST /_sandbox/faults`), durations are milliseconds: `latency_ms`,
/// `slow_body_ms`; every field may be left out.
///
/// | fault | when | answer |
/// |---|---|---|
/// | rate limit | before the request is processed | the provider's 429 body |
/// | server error | before | the provider's 500 body |
/// | non-JSON | before | an HTML page, status 502 or 200 |
/// | drop | **after** the request was processed | connection closed, no status line |
/// | truncate | **after** | headers announce the full length, half the body, then close |
/// | slow body | after | half the body, a pause, the rest |
///
/// Drop and truncate happen after the write was applied: the client cannot know whether it
/// was, which is what safe retries must cope with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Share of requests answered 500 with the provider's error body.
    pub server_error_rate: f64,
    /// The next N requests (over all providers) are answered 429.
    pub rate_limit_burst: u32,
    /// Share of requests whose connection is closed without an answer.
    pub drop_rate: f64,
    /// Share of requests whose answer body is cut in half.
    pub truncated_rate: f64,
    /// Share of requests answered with an HTML page instead of JSON.
    pub non_json_rate: f64,
    /// When set, every answer body is sent in two halves this far apart.
    #[serde(rename = "slow_body_ms", with = "opt_millis")]
    pub slow_body: Option<Duration>,
    /// Latency added before every answer (on top of the configured latency).
    #[serde(rename = "latency_ms", with = "millis")]
    pub latency: Duration,
}

impl Faults {
    /// No faults.
    pub fn none() -> Self {
        Faults::default()
    }

    /// Rates clamped to `[0, 1]` (`NaN` becomes 0).
    pub(crate) fn sanitized(mut self) -> Self {
        for r in [
            &mut self.server_error_rate,
            &mut self.drop_rate,
            &mut self.truncated_rate,
            &mut self.non_json_rate,
        ] {
            *r = if r.is_nan() { 0.0 } else { r.clamp(0.0, 1.0) };
        }
        self
    }
}

mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

mod opt_millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        Option::<u64>::deserialize(d).map(|o| o.map(Duration::from_millis))
    }
}

/// The fault chosen for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// 429 with the provider's body.
    RateLimited,
    /// 500 with the provider's body.
    ServerError,
    /// An HTML page with this status.
    Html(StatusCode),
    /// Close the connection without an answer (after processing).
    Drop,
    /// Half the body, then close (after processing).
    Truncate,
    /// Half the body, a pause, the rest.
    Slow(Duration),
}

impl Fault {
    /// Whether the fault answers instead of processing the request.
    pub(crate) fn is_before(self) -> bool {
        matches!(
            self,
            Fault::RateLimited | Fault::ServerError | Fault::Html(_)
        )
    }

    /// Reads the `x-sandbox-fault` header value.
    pub(crate) fn from_header(value: &[u8]) -> Option<Fault> {
        let v = std::str::from_utf8(value).ok()?.trim();
        Some(match v {
            "500" => Fault::ServerError,
            "429" => Fault::RateLimited,
            "drop" => Fault::Drop,
            "truncate" => Fault::Truncate,
            "html" | "502" => Fault::Html(StatusCode::BAD_GATEWAY),
            "html200" => Fault::Html(StatusCode::OK),
            _ => {
                let ms = v.strip_prefix("slow=")?.trim().parse::<u64>().ok()?;
                Fault::Slow(Duration::from_millis(ms))
            }
        })
    }

    /// Draws the random fault (if any) of request `n`. `take_burst` consumes one request of
    /// the 429 burst and says whether there was one.
    pub(crate) fn draw(
        faults: &Faults,
        seed: u64,
        n: u64,
        take_burst: impl FnOnce() -> bool,
    ) -> Option<Fault> {
        if faults.rate_limit_burst > 0 && take_burst() {
            return Some(Fault::RateLimited);
        }
        let hit = |rate: f64, salt: u64| rate > 0.0 && unit(seed, n, salt) < rate;
        if hit(faults.server_error_rate, 1) {
            return Some(Fault::ServerError);
        }
        if hit(faults.non_json_rate, 2) {
            let status = if unit(seed, n, 6) < 0.5 {
                StatusCode::OK
            } else {
                StatusCode::BAD_GATEWAY
            };
            return Some(Fault::Html(status));
        }
        if hit(faults.drop_rate, 3) {
            return Some(Fault::Drop);
        }
        if hit(faults.truncated_rate, 4) {
            return Some(Fault::Truncate);
        }
        faults.slow_body.map(Fault::Slow)
    }
}

/// An HTML page in place of JSON, as a proxy or load balancer would send it.
pub(crate) fn html_page(status: StatusCode) -> Response {
    let body = if status == StatusCode::OK {
        "<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>We'll be right back</h1><p>sandbox fault: non-JSON answer</p></body></html>"
    } else {
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>sandbox</center></body></html>"
    };
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// Rewrites a processed answer according to a fault that happens after processing.
pub(crate) async fn after(fault: Fault, resp: Response) -> Response {
    match fault {
        Fault::Drop => {
            // The body fails before any byte is written, so hyper closes the connection
            // without sending the status line.
            Response::new(Body::new(FaultBody::new(None, None, Then::Fail, None)))
        }
        Fault::Truncate | Fault::Slow(_) => {
            let (mut parts, body) = resp.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
                return Response::from_parts(parts, Body::empty());
            };
            let total = bytes.len() as u64;
            let half = bytes.slice(..bytes.len() / 2);
            let rest = bytes.slice(bytes.len() / 2..);
            parts.headers.remove(header::CONTENT_LENGTH);
            let body = match fault {
                Fault::Truncate => {
                    // Announce the full length so the cut is visible to the client; the
                    // short pause lets the first half reach the socket before the close.
                    parts
                        .headers
                        .insert(header::CONTENT_LENGTH, HeaderValue::from(total));
                    FaultBody::new(
                        Some(half),
                        Some(Duration::from_millis(20)),
                        Then::Fail,
                        None,
                    )
                }
                Fault::Slow(pause) => {
                    FaultBody::new(Some(half), Some(pause), Then::Data(rest), Some(total))
                }
                _ => unreachable!("only truncate and slow are rewritten here"),
            };
            Response::from_parts(parts, Body::new(body))
        }
        _ => resp,
    }
}

/// What a [`FaultBody`] does after its first part and pause.
pub(crate) enum Then {
    /// Send these bytes and end.
    Data(Bytes),
    /// Fail: hyper aborts the connection.
    Fail,
    /// End.
    End,
}

/// A body sent in two parts with a pause between, or cut off by an error.
pub(crate) struct FaultBody {
    first: Option<Bytes>,
    pause: Option<Pin<Box<Sleep>>>,
    pause_for: Option<Duration>,
    then: Then,
    total: Option<u64>,
}

impl FaultBody {
    pub(crate) fn new(
        first: Option<Bytes>,
        pause: Option<Duration>,
        then: Then,
        total: Option<u64>,
    ) -> Self {
        FaultBody {
            first,
            pause: None,
            pause_for: pause,
            then,
            total,
        }
    }
}

impl http_body::Body for FaultBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if let Some(first) = this.first.take()
            && !first.is_empty()
        {
            return Poll::Ready(Some(Ok(Frame::data(first))));
        }
        if let Some(d) = this.pause_for.take() {
            // The timer starts once the first part has been handed over.
            this.pause = Some(Box::pin(tokio::time::sleep(d)));
        }
        if let Some(pause) = this.pause.as_mut() {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.pause = None;
        }
        match std::mem::replace(&mut this.then, Then::End) {
            Then::Data(b) if !b.is_empty() => Poll::Ready(Some(Ok(Frame::data(b)))),
            Then::Data(_) | Then::End => Poll::Ready(None),
            Then::Fail => Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "sandbox fault: connection cut",
            )))),
        }
    }

    fn is_end_stream(&self) -> bool {
        false
    }

    fn size_hint(&self) -> SizeHint {
        match self.total {
            Some(t) => SizeHint::with_exact(t),
            None => SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values() {
        assert_eq!(Fault::from_header(b"500"), Some(Fault::ServerError));
        assert_eq!(Fault::from_header(b"429"), Some(Fault::RateLimited));
        assert_eq!(Fault::from_header(b"drop"), Some(Fault::Drop));
        assert_eq!(Fault::from_header(b"truncate"), Some(Fault::Truncate));
        assert_eq!(
            Fault::from_header(b"html"),
            Some(Fault::Html(StatusCode::BAD_GATEWAY))
        );
        assert_eq!(
            Fault::from_header(b"slow=250"),
            Some(Fault::Slow(Duration::from_millis(250)))
        );
        assert_eq!(Fault::from_header(b"slow=x"), None);
        assert_eq!(Fault::from_header(b"nonsense"), None);
    }

    #[test]
    fn draws_follow_the_rates() {
        let faults = Faults {
            server_error_rate: 0.1,
            drop_rate: 0.1,
            ..Faults::default()
        };
        let draws: Vec<_> = (0..10_000)
            .map(|n| Fault::draw(&faults, 9, n, || false))
            .collect();
        let errors = draws
            .iter()
            .filter(|f| **f == Some(Fault::ServerError))
            .count();
        let drops = draws.iter().filter(|f| **f == Some(Fault::Drop)).count();
        assert!((800..1200).contains(&errors), "{errors}");
        assert!((700..1100).contains(&drops), "{drops}");
        let again: Vec<_> = (0..10_000)
            .map(|n| Fault::draw(&faults, 9, n, || false))
            .collect();
        assert_eq!(draws, again);
    }

    #[test]
    fn json_uses_milliseconds() {
        let f: Faults =
            serde_json::from_str(r#"{"latency_ms": 5, "slow_body_ms": 100, "drop_rate": 2}"#)
                .unwrap();
        assert_eq!(f.latency, Duration::from_millis(5));
        assert_eq!(f.slow_body, Some(Duration::from_millis(100)));
        assert_eq!(f.sanitized().drop_rate, 1.0);
    }
}
