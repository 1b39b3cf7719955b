//! The listener, the per-provider gate (latency, faults, auth, rate limit), the admin
//! endpoints and the [`Sandbox`] handle.

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{Provider, RateLimit, SandboxConfig};
use crate::faults::{FAULT_HEADER, Fault, Faults};
use crate::persist::{Op, Persist, Row};
use crate::stats::{Count, Counters, Stats};
use crate::util::{Rec, json, mix64, now_ms};
use crate::{hyfin, payabli, rebilly};

/// A fixed-window limiter.
struct Limiter {
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

/// State shared by every request of one sandbox.
pub(crate) struct Shared {
    pub(crate) config: SandboxConfig,
    base_url: String,
    rebilly_base: String,
    hyfin_auth: Vec<u8>,
    rebilly_bearer: Vec<u8>,
    faults: Mutex<Faults>,
    burst: AtomicU32,
    draws: AtomicU64,
    seq: AtomicU64,
    counters: [Counters; 3],
    limiters: [Option<Limiter>; 3],
    pub(crate) hyfin: hyfin::Store,
    pub(crate) rebilly: rebilly::Store,
    pub(crate) payabli: payabli::Store,
    persist: Option<Persist>,
}

impl Shared {
    /// Builds the state and loads stored records.
    fn new(config: SandboxConfig, addr: SocketAddr) -> io::Result<Shared> {
        let base_url = format!("http://{addr}");
        let limiters = Provider::ALL.map(|p| config.rate_limit(p).map(Limiter::new));
        let faults = config.faults.sanitized();
        let mut shared = Shared {
            rebilly_base: format!("{base_url}/rebilly"),
            base_url,
            hyfin_auth: format!("Bearer {}", config.hyfin_token).into_bytes(),
            rebilly_bearer: format!("Bearer {}", config.rebilly_key).into_bytes(),
            faults: Mutex::new(faults),
            burst: AtomicU32::new(faults.rate_limit_burst),
            draws: AtomicU64::new(0),
            seq: AtomicU64::new(1),
            counters: Default::default(),
            limiters,
            hyfin: hyfin::Store::default(),
            rebilly: rebilly::Store::default(),
            payabli: payabli::Store::default(),
            persist: None,
            config,
        };
        if let Some(path) = shared.config.data.clone() {
            let (persist, rows) = Persist::open(&path)?;
            let window = u64::try_from(shared.config.rebilly_request_id_window.as_millis())
                .unwrap_or(u64::MAX);
            let mut max_seq = 0;
            for row in rows {
                max_seq = max_seq.max(row.seq);
                match row.provider {
                    Provider::Hyfin => shared.hyfin.load(row),
                    Provider::Rebilly => shared.rebilly.load(row, window),
                    Provider::Payabli => shared.payabli.load(row),
                }
            }
            shared.seq = AtomicU64::new(max_seq + 1);
            shared.persist = Some(persist);
        }
        Ok(shared)
    }

    pub(crate) fn count(&self, p: Provider, what: Count) {
        self.counters[p.index()].add(what);
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

    /// `http://127.0.0.1:PORT/rebilly`.
    pub(crate) fn rebilly_base(&self) -> &str {
        &self.rebilly_base
    }

    /// Persists a record when the sandbox has a data file.
    pub(crate) fn save(
        &self,
        provider: Provider,
        kind: &'static str,
        scope: &str,
        id: &str,
        rec: &Rec,
    ) {
        let Some(persist) = &self.persist else {
            return;
        };
        let Ok(body) = serde_json::to_string(&rec.body) else {
            return;
        };
        persist.send(Op::Put(Row {
            provider,
            kind,
            scope: scope.to_owned(),
            id: id.to_owned(),
            seq: rec.seq,
            at_ms: rec.at_ms,
            body,
        }));
    }

    fn faults(&self) -> Faults {
        *self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_faults(&self, faults: Faults) {
        let faults = faults.sanitized();
        *self.faults.lock().unwrap_or_else(PoisonError::into_inner) = faults;
        self.burst.store(faults.rate_limit_burst, Ordering::Relaxed);
    }

    /// Takes one request of the 429 burst, if any is left.
    fn take_burst(&self) -> bool {
        self.burst
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| b.checked_sub(1))
            .is_ok()
    }

    fn stats(&self) -> Stats {
        Stats {
            hyfin: self.counters[0].snapshot(),
            rebilly: self.counters[1].snapshot(),
            payabli: self.counters[2].snapshot(),
        }
    }

    fn records(&self, provider: Provider, kind: &str) -> Vec<Value> {
        match provider {
            Provider::Hyfin => self.hyfin.records(kind),
            Provider::Rebilly => self.rebilly.records(kind),
            Provider::Payabli => self.payabli.records(kind),
        }
    }

    fn reset(&self) {
        self.hyfin.clear();
        self.rebilly.clear();
        self.payabli.clear();
        for c in &self.counters {
            c.reset();
        }
        for l in self.limiters.iter().flatten() {
            l.reset();
        }
        self.set_faults(self.config.faults);
        if let Some(p) = &self.persist {
            p.send(Op::Clear);
        }
    }

    fn authorized(&self, p: Provider, headers: &HeaderMap) -> bool {
        let is = |name: header::HeaderName, want: &[u8]| {
            headers.get(name).is_some_and(|v| v.as_bytes() == want)
        };
        match p {
            Provider::Hyfin => is(header::AUTHORIZATION, &self.hyfin_auth),
            Provider::Rebilly => {
                headers
                    .get("reb-apikey")
                    .is_some_and(|v| v.as_bytes() == self.config.rebilly_key.as_bytes())
                    || is(header::AUTHORIZATION, &self.rebilly_bearer)
            }
            Provider::Payabli => headers
                .get("requesttoken")
                .is_some_and(|v| v.as_bytes() == self.config.payabli_token.as_bytes()),
        }
    }

    fn flush(&self) {
        if let Some(p) = &self.persist {
            p.flush_blocking();
        }
    }
}

/// The state of one provider's gate.
#[derive(Clone)]
struct Gate {
    shared: Arc<Shared>,
    provider: Provider,
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

/// Latency, faults, auth and rate limit around every provider request.
async fn gate(State(g): State<Gate>, req: Request, next: Next) -> Response {
    let sh = &*g.shared;
    let p = g.provider;
    sh.count(p, Count::Requests);
    let faults = sh.faults();
    let latency = sh.config.latency + faults.latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let fault = match req.headers().get(FAULT_HEADER) {
        Some(v) => Fault::from_header(v.as_bytes()),
        None => {
            let n = sh.draws.fetch_add(1, Ordering::Relaxed);
            Fault::draw(&faults, sh.config.seed, n, || sh.take_burst())
        }
    };
    crate::inspector::note_fault(req.extensions(), fault);
    if fault.is_some() {
        sh.count(p, Count::Faults);
    }
    let limiter = sh.limiters[p.index()].as_ref();
    match fault {
        Some(Fault::RateLimited) => {
            sh.count(p, Count::RateLimited);
            return too_many(p, limiter.map(|l| l.limit), Duration::from_secs(1));
        }
        Some(Fault::ServerError) => {
            return match p {
                Provider::Hyfin => hyfin::server_error(),
                Provider::Rebilly => rebilly::server_error(),
                Provider::Payabli => payabli::server_error(),
            };
        }
        Some(Fault::Html(status)) => return crate::faults::html_page(status),
        _ => {}
    }
    if !sh.authorized(p, req.headers()) {
        sh.count(p, Count::AuthFailures);
        return match p {
            Provider::Hyfin => hyfin::unauthorized(),
            Provider::Rebilly => rebilly::unauthorized(),
            Provider::Payabli => payabli::unauthorized(),
        };
    }
    let mut remaining = None;
    // Rebilly limits only writes (its sandbox: "non-GET requests"); the others count all.
    let exempt = p == Provider::Rebilly && req.method() == axum::http::Method::GET;
    if let Some(l) = limiter.filter(|_| !exempt) {
        match l.check() {
            Ok(r) => remaining = Some((l.limit.requests, r)),
            Err(retry_in) => {
                sh.count(p, Count::RateLimited);
                return too_many(p, Some(l.limit), retry_in);
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
    match fault {
        Some(f) if !f.is_before() => crate::faults::after(f, resp).await,
        _ => resp,
    }
}

// ---- admin --------------------------------------------------------------------------------

async fn admin_stats(State(sh): State<Arc<Shared>>) -> Response {
    json(StatusCode::OK, &sh.stats())
}

async fn admin_get_faults(State(sh): State<Arc<Shared>>) -> Response {
    json(StatusCode::OK, &sh.faults())
}

async fn admin_set_faults(State(sh): State<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Faults>(&body) {
        Ok(f) => {
            sh.set_faults(f);
            json(StatusCode::OK, &sh.faults())
        }
        Err(e) => json(
            StatusCode::BAD_REQUEST,
            &json!({ "error": format!("not a Faults object: {e}") }),
        ),
    }
}

async fn admin_reset(State(sh): State<Arc<Shared>>) -> Response {
    sh.reset();
    json(StatusCode::OK, &json!({ "reset": true }))
}

async fn admin_records(
    State(sh): State<Arc<Shared>>,
    Path((provider, kind)): Path<(String, String)>,
) -> Response {
    match provider.parse::<Provider>() {
        Ok(p) if p.kinds().contains(&kind.as_str()) => json(StatusCode::OK, &sh.records(p, &kind)),
        _ => json(
            StatusCode::NOT_FOUND,
            &json!({ "error": "unknown provider or record kind" }),
        ),
    }
}

async fn fallback() -> Response {
    json(StatusCode::NOT_FOUND, &json!({ "error": "not found" }))
}

/// The whole application.
fn app(shared: Arc<Shared>) -> Router {
    let records = shared.clone();
    let inspector = crate::inspector::Inspector::start(
        shared.config.requests_kept,
        Arc::new(move |p, kind| records.records(p, kind)),
    );
    let gated = |provider: Provider, router: Router<Arc<Shared>>| {
        router.layer(middleware::from_fn_with_state(
            Gate {
                shared: shared.clone(),
                provider,
            },
            gate,
        ))
    };
    let app = Router::new()
        .nest("/hyfin", gated(Provider::Hyfin, hyfin::router()))
        .nest("/rebilly", gated(Provider::Rebilly, rebilly::router()))
        .nest("/payabli/api", gated(Provider::Payabli, payabli::router()))
        .route("/_sandbox/stats", get(admin_stats))
        .route(
            "/_sandbox/faults",
            post(admin_set_faults).get(admin_get_faults),
        )
        .route("/_sandbox/reset", post(admin_reset))
        .route("/_sandbox/records/{provider}/{kind}", get(admin_records))
        .fallback(fallback)
        .with_state(shared);
    inspector.wrap(app)
}

async fn run(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app(shared))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Serves the sandbox on `addr` until `shutdown` completes (for `billsync sandbox --port N`
/// in the foreground). `addr` wins over `config.port`. With `config.data`, every record is
/// committed to the SQLite file before this returns.
pub async fn serve(
    addr: SocketAddr,
    config: SandboxConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let shared = Arc::new(Shared::new(config, local)?);
    tracing::info!(address = %local, "billsync sandbox listening");
    let result = run(listener, shared.clone(), shutdown).await;
    let flush = shared.clone();
    let _ = tokio::task::spawn_blocking(move || flush.flush()).await;
    result
}

/// A running sandbox on 127.0.0.1. Dropping it stops the server; [`Sandbox::shutdown`] also
/// waits for it to stop and for records to reach the data file.
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("config", &self.shared.config)
            .finish()
    }
}

impl Sandbox {
    /// Starts a sandbox with the default configuration on a random port. Must be called
    /// within a Tokio runtime.
    pub async fn start() -> io::Result<Sandbox> {
        Sandbox::start_with(SandboxConfig::default()).await
    }

    /// Starts a sandbox with `config` on 127.0.0.1 (`config.port`, 0 = random), loading
    /// stored records when `config.data` is set.
    pub async fn start_with(config: SandboxConfig) -> io::Result<Sandbox> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config, addr)?);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(run(listener, shared.clone(), async move {
            let _ = stopped.await;
        }));
        Ok(Sandbox {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: where the admin endpoints (`/_sandbox/...`) live.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// Hyfin's base URL, `http://127.0.0.1:PORT/hyfin` (paths `/api/v4/site/...` follow).
    pub fn hyfin_base_url(&self) -> String {
        format!("{}/hyfin", self.shared.base_url)
    }

    /// Rebilly's base URL, `http://127.0.0.1:PORT/rebilly` (paths `/organizations/...`
    /// follow).
    pub fn rebilly_base_url(&self) -> String {
        self.shared.rebilly_base.clone()
    }

    /// Payabli's base URL, `http://127.0.0.1:PORT/payabli/api` (paths `/Customer/...`
    /// follow).
    pub fn payabli_base_url(&self) -> String {
        format!("{}/payabli/api", self.shared.base_url)
    }

    /// The configuration the sandbox was started with.
    pub fn config(&self) -> &SandboxConfig {
        &self.shared.config
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// The stored records of one kind, in creation order, over all sites / organizations /
    /// entrypoints (kinds: [`Provider::kinds`]; an unknown kind gives none).
    pub fn records(&self, provider: Provider, kind: &str) -> Vec<Value> {
        self.shared.records(provider, kind)
    }

    /// The faults in force.
    pub fn faults(&self) -> Faults {
        self.shared.faults()
    }

    /// Replaces the faults in force (rates are clamped to `[0, 1]`; the 429 burst restarts
    /// at `rate_limit_burst`).
    pub fn set_faults(&self, faults: Faults) {
        self.shared.set_faults(faults);
    }

    /// Forgets every record, counter, idempotency key and rate-limit window, and restores
    /// the configured faults (also in the data file, if any).
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Stops accepting requests, lets answers in flight finish (for at most 5 seconds), and
    /// waits until every record is in the data file.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
        let shared = self.shared.clone();
        let _ = tokio::task::spawn_blocking(move || shared.flush()).await;
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
