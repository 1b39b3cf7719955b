//! What stands before every provider request: latency, injected faults, authentication and
//! the rate limit; and the fault settings and limiters it uses.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use crate::config::{Provider, RateLimit, SandboxConfig};
use crate::faults::{FAULT_HEADER, Fault, Faults};
use crate::server::App;
use crate::stats::Count;
use crate::util::now_ms;

use crate::{hyfin, payabli, rebilly};

/// A fixed-window limiter.
pub(crate) struct Limiter {
    limit: RateLimit,
    window: Mutex<(Instant, u32)>,
}

impl Limiter {
    fn new(limit: RateLimit) -> Self {
        Limiter {
            limit,
            window: Mutex::new((Instant::now(), 0)),
        }
    }

    /// `Ok(remaining)` after counting this request, or `Err(time until the window ends)`.
    fn check(&self) -> Result<u32, Duration> {
        let now = Instant::now();
        let mut w = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        if now.duration_since(w.0) >= self.limit.per {
            *w = (now, 0);
        }
        if w.1 >= self.limit.requests {
            Err(w
                .0
                .checked_add(self.limit.per)
                .map_or(Duration::MAX, |end| end.saturating_duration_since(now)))
        } else {
            w.1 += 1;
            Ok(self.limit.requests - w.1)
        }
    }

    fn reset(&self) {
        *self.window.lock().unwrap_or_else(PoisonError::into_inner) = (Instant::now(), 0);
    }
}

/// Fault settings, fault draws, limiters and the accepted credentials.
pub(crate) struct Control {
    faults: Mutex<Faults>,
    burst: AtomicU32,
    draws: AtomicU64,
    limiters: [Option<Limiter>; 3],
    hyfin_auth: Vec<u8>,
    rebilly_bearer: Vec<u8>,
    rebilly_key: Vec<u8>,
    payabli_token: Vec<u8>,
    configured: Faults,
}

impl Control {
    pub(crate) fn new(config: &SandboxConfig) -> Control {
        let faults = config.faults.sanitized();
        Control {
            faults: Mutex::new(faults),
            burst: AtomicU32::new(faults.rate_limit_burst),
            draws: AtomicU64::new(0),
            limiters: Provider::ALL.map(|p| config.rate_limit(p).map(Limiter::new)),
            hyfin_auth: format!("Bearer {}", config.hyfin_token).into_bytes(),
            rebilly_bearer: format!("Bearer {}", config.rebilly_key).into_bytes(),
            rebilly_key: config.rebilly_key.clone().into_bytes(),
            payabli_token: config.payabli_token.clone().into_bytes(),
            configured: config.faults,
        }
    }

    pub(crate) fn faults(&self) -> Faults {
        *self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        let faults = faults.sanitized();
        *self.faults.lock().unwrap_or_else(PoisonError::into_inner) = faults;
        self.burst.store(faults.rate_limit_burst, Ordering::Relaxed);
    }

    /// Restores the configured faults and restarts every rate-limit window.
    pub(crate) fn reset(&self) {
        for l in self.limiters.iter().flatten() {
            l.reset();
        }
        self.set_faults(self.configured);
    }

    /// Takes one request of the 429 burst, if any is left.
    fn take_burst(&self) -> bool {
        self.burst
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| b.checked_sub(1))
            .is_ok()
    }

    fn authorized(&self, p: Provider, headers: &HeaderMap) -> bool {
        let is = |name: &str, want: &[u8]| headers.get(name).is_some_and(|v| v.as_bytes() == want);
        match p {
            Provider::Hyfin => is("authorization", &self.hyfin_auth),
            Provider::Rebilly => {
                is("reb-apikey", &self.rebilly_key) || is("authorization", &self.rebilly_bearer)
            }
            Provider::Payabli => is("requesttoken", &self.payabli_token),
        }
    }
}

/// The state of one provider's gate.
#[derive(Clone)]
pub(crate) struct Gate {
    pub(crate) app: Arc<App>,
    pub(crate) provider: Provider,
}

fn ceil_secs(d: Duration) -> u64 {
    u64::try_from(d.as_millis().div_ceil(1000).max(1)).unwrap_or(u64::MAX)
}

/// The provider's 429 answer.
fn too_many(p: Provider, limit: Option<RateLimit>, retry_in: Duration) -> Response {
    match p {
        Provider::Hyfin => hyfin::too_many(ceil_secs(retry_in)),
        Provider::Payabli => payabli::too_many(ceil_secs(retry_in)),
        Provider::Rebilly => {
            let wait = u64::try_from(retry_in.as_millis()).unwrap_or(u64::MAX);
            let at = now_ms().saturating_add(wait).div_ceil(1000);
            rebilly::too_many(limit.map(|l| l.requests), at)
        }
    }
}

/// The fault of this request: the header's, else a random draw.
fn fault_of(c: &Control, seed: u64, req: &Request) -> Option<Fault> {
    match req.headers().get(FAULT_HEADER) {
        Some(v) => Fault::from_header(v.as_bytes()),
        None => {
            let n = c.draws.fetch_add(1, Ordering::Relaxed);
            Fault::draw(&c.faults(), seed, n, || c.take_burst())
        }
    }
}

/// Latency, faults, auth and rate limit around every provider request (the inspector's
/// capture, around the whole app, records it).
pub(crate) async fn gate(State(g): State<Gate>, req: Request, next: Next) -> Response {
    let (resp, fault) = guarded(&g, req, next).await;
    match fault {
        Some(f) if !f.is_before() => crate::faults::after(f, resp).await,
        _ => resp,
    }
}

/// The gate proper: the answer, and the fault drawn (applied by the caller when it acts
/// after processing).
async fn guarded(g: &Gate, req: Request, next: Next) -> (Response, Option<Fault>) {
    let (sh, c, p) = (&*g.app.shared, &g.app.control, g.provider);
    sh.count(p, Count::Requests);
    let latency = sh.config.latency + c.faults().latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let fault = fault_of(c, sh.config.seed, &req);
    crate::inspector::note_fault(req.extensions(), fault);
    if fault.is_some() {
        sh.count(p, Count::Faults);
    }
    let limiter = c.limiters[p.index()].as_ref();
    match fault {
        Some(Fault::RateLimited) => {
            sh.count(p, Count::RateLimited);
            let limit = limiter.map(|l| l.limit);
            return (too_many(p, limit, Duration::from_secs(1)), fault);
        }
        Some(Fault::ServerError) => return (server_error(p), fault),
        Some(Fault::Html(status)) => return (crate::faults::html_page(status), fault),
        _ => {}
    }
    if !c.authorized(p, req.headers()) {
        sh.count(p, Count::AuthFailures);
        let answer = match p {
            Provider::Hyfin => hyfin::unauthorized(),
            Provider::Rebilly => rebilly::unauthorized(),
            Provider::Payabli => payabli::unauthorized(),
        };
        return (answer, fault);
    }
    let mut remaining = None;
    // Rebilly limits only writes (its sandbox: "non-GET requests"); the others count all.
    let exempt = p == Provider::Rebilly && req.method() == axum::http::Method::GET;
    if let Some(l) = limiter.filter(|_| !exempt) {
        match l.check() {
            Ok(r) => remaining = Some((l.limit.requests, r)),
            Err(retry_in) => {
                sh.count(p, Count::RateLimited);
                return (too_many(p, Some(l.limit), retry_in), fault);
            }
        }
    }
    let mut resp = next.run(req).await;
    if p == Provider::Rebilly
        && let Some((limit, remaining)) = remaining
    {
        let h = resp.headers_mut();
        h.insert("x-ratelimit-limit", HeaderValue::from(limit));
        h.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
    }
    (resp, fault)
}

/// The provider's 500 answer.
pub(crate) fn server_error(p: Provider) -> Response {
    match p {
        Provider::Hyfin => hyfin::server_error(),
        Provider::Rebilly => rebilly::server_error(),
        Provider::Payabli => payabli::server_error(),
    }
}
