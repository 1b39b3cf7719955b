//! The listener, the assembly of the providers' routers behind their gates and the admin
//! routes, and the [`Sandbox`] handle.

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::Response;
use axum::serve::ListenerExt;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{Provider, SandboxConfig};
use crate::faults::Faults;
use crate::gate::{Control, Gate, gate};
use crate::state::{Ctx, Records, Shared};
use crate::stats::Stats;
use crate::util::json;
use crate::{admin, hyfin, payabli, rebilly};

/// Everything one sandbox holds: the shared state, the gate's controls and the providers'
/// stores.
pub(crate) struct App {
    pub(crate) shared: Arc<Shared>,
    pub(crate) control: Control,
    hyfin: Arc<hyfin::Store>,
    rebilly: Arc<rebilly::Store>,
    payabli: Arc<payabli::Store>,
}

impl App {
    /// Builds the state and loads stored records.
    fn new(config: SandboxConfig, addr: SocketAddr) -> io::Result<App> {
        let control = Control::new(&config);
        let (shared, rows) = Shared::open(config, addr)?;
        let app = App {
            shared: Arc::new(shared),
            control,
            hyfin: Arc::default(),
            rebilly: Arc::default(),
            payabli: Arc::default(),
        };
        for row in rows {
            app.store(row.provider).load(row, &app.shared);
        }
        Ok(app)
    }

    fn store(&self, p: Provider) -> &dyn Records {
        match p {
            Provider::Hyfin => &*self.hyfin,
            Provider::Rebilly => &*self.rebilly,
            Provider::Payabli => &*self.payabli,
        }
    }

    pub(crate) fn records(&self, p: Provider, kind: &str) -> Vec<Value> {
        self.store(p).records(kind)
    }

    pub(crate) fn reset(&self) {
        for p in Provider::ALL {
            self.store(p).clear();
        }
        self.shared.reset();
        self.control.reset();
    }
}

async fn fallback() -> Response {
    json(StatusCode::NOT_FOUND, &json!({ "error": "not found" }))
}

/// The whole application: each provider's router behind its gate, the admin routes, and the
/// inspector's page and capture around all of it.
fn app(app: Arc<App>) -> Router {
    let records = app.clone();
    let inspector = crate::inspector::Inspector::start(
        app.shared.config.requests_kept,
        Arc::new(move |p, kind| records.records(p, kind)),
    );
    let gated = |provider: Provider, router: Router| {
        router.layer(middleware::from_fn_with_state(
            Gate {
                app: app.clone(),
                provider,
            },
            gate,
        ))
    };
    fn ctx<S>(sh: &Arc<Shared>, store: &Arc<S>) -> Ctx<S> {
        Ctx {
            sh: sh.clone(),
            store: store.clone(),
        }
    }
    let sh = &app.shared;
    let router = Router::new()
        .nest(
            "/hyfin",
            gated(Provider::Hyfin, hyfin::router(ctx(sh, &app.hyfin))),
        )
        .nest(
            "/rebilly",
            gated(Provider::Rebilly, rebilly::router(ctx(sh, &app.rebilly))),
        )
        .nest(
            "/payabli/api",
            gated(Provider::Payabli, payabli::router(ctx(sh, &app.payabli))),
        )
        .merge(admin::router().with_state(app.clone()))
        .fallback(fallback);
    inspector.wrap(router)
}

async fn run(
    listener: TcpListener,
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, self::app(app))
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
    let app = Arc::new(App::new(config, local)?);
    tracing::info!(address = %local, "billsync sandbox listening");
    let result = run(listener, app.clone(), shutdown).await;
    let flush = app.shared.clone();
    let _ = tokio::task::spawn_blocking(move || flush.flush()).await;
    result
}

/// A running sandbox on 127.0.0.1. Dropping it stops the server; [`Sandbox::shutdown`] also
/// waits for it to stop and for records to reach the data file.
pub struct Sandbox {
    addr: SocketAddr,
    app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("config", &self.app.shared.config)
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
        let app = Arc::new(App::new(config, addr)?);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(run(listener, app.clone(), async move {
            let _ = stopped.await;
        }));
        Ok(Sandbox {
            addr,
            app,
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
        self.app.shared.base_url().to_owned()
    }

    /// Hyfin's base URL, `http://127.0.0.1:PORT/hyfin` (paths `/api/v4/site/...` follow).
    pub fn hyfin_base_url(&self) -> String {
        format!("{}/hyfin", self.app.shared.base_url())
    }

    /// Rebilly's base URL, `http://127.0.0.1:PORT/rebilly` (paths `/organizations/...`
    /// follow).
    pub fn rebilly_base_url(&self) -> String {
        self.app.shared.rebilly_base().to_owned()
    }

    /// Payabli's base URL, `http://127.0.0.1:PORT/payabli/api` (paths `/Customer/...`
    /// follow).
    pub fn payabli_base_url(&self) -> String {
        format!("{}/payabli/api", self.app.shared.base_url())
    }

    /// The base URL of the provider called `name` (case-insensitive), when the sandbox emulates
    /// it: [`Sandbox::hyfin_base_url`], [`Sandbox::rebilly_base_url`] or
    /// [`Sandbox::payabli_base_url`]. Lets callers that only know a provider by name (the
    /// command line) find it.
    pub fn provider_base_url(&self, name: &str) -> Option<String> {
        Some(match name.parse::<Provider>().ok()? {
            Provider::Hyfin => self.hyfin_base_url(),
            Provider::Rebilly => self.rebilly_base_url(),
            Provider::Payabli => self.payabli_base_url(),
        })
    }

    /// The configuration the sandbox was started with.
    pub fn config(&self) -> &SandboxConfig {
        &self.app.shared.config
    }

    /// The counters so far.
    pub fn stats(&self) -> Stats {
        self.app.shared.stats()
    }

    /// The stored records of one kind, in creation order, over all sites / organizations /
    /// entrypoints (kinds: [`Provider::kinds`]; an unknown kind gives none).
    pub fn records(&self, provider: Provider, kind: &str) -> Vec<Value> {
        self.app.records(provider, kind)
    }

    /// The faults in force.
    pub fn faults(&self) -> Faults {
        self.app.control.faults()
    }

    /// Replaces the faults in force (rates are clamped to `[0, 1]`; the 429 burst restarts
    /// at `rate_limit_burst`).
    pub fn set_faults(&self, faults: Faults) {
        self.app.control.set_faults(faults);
    }

    /// Forgets every record, counter, idempotency key and rate-limit window, and restores
    /// the configured faults (also in the data file, if any).
    pub fn reset(&self) {
        self.app.reset();
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
        let shared = self.app.shared.clone();
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
