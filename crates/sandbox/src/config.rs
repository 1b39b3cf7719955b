//! What a sandbox is started with: tokens, rate limits, latency, faults, seed, storage.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::faults::Faults;

/// Default Hyfin token: send `Authorization: Bearer sandbox-hyfin-token`.
pub const DEFAULT_HYFIN_TOKEN: &str = "sandbox-hyfin-token";
/// Default Rebilly secret key: send `REB-APIKEY: sandbox-rebilly-key` (or
/// `Authorization: Bearer sandbox-rebilly-key`).
pub const DEFAULT_REBILLY_KEY: &str = "sandbox-rebilly-key";
/// Default Payabli token: send `requestToken: sandbox-payabli-token`.
pub const DEFAULT_PAYABLI_TOKEN: &str = "sandbox-payabli-token";
/// The organization Rebilly uses when a path names none (`/customers/{id}` rather than
/// `/organizations/{org}/customers/{id}`): the API key's default organization.
pub const DEFAULT_REBILLY_ORGANIZATION: &str = "default";
/// How long Payabli remembers an `idempotencyKey` by default (the SDK says 2 minutes; the
/// docs page says 1 minute).
pub const DEFAULT_PAYABLI_IDEMPOTENCY_WINDOW: Duration = Duration::from_secs(120);
/// How long Rebilly remembers a transaction `requestId` by default (24 hours, as documented).
pub const DEFAULT_REBILLY_REQUEST_ID_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);

/// One of the emulated providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Hyfin, under `/hyfin`.
    Hyfin,
    /// Rebilly, under `/rebilly`.
    Rebilly,
    /// Payabli, under `/payabli/api`.
    Payabli,
}

impl Provider {
    /// The three providers, in a fixed order.
    pub const ALL: [Provider; 3] = [Provider::Hyfin, Provider::Rebilly, Provider::Payabli];

    /// Lower-case name: `hyfin`, `rebilly`, `payabli`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Hyfin => "hyfin",
            Provider::Rebilly => "rebilly",
            Provider::Payabli => "payabli",
        }
    }

    /// The path the sandbox serves the provider under: `/hyfin`, `/rebilly`, `/payabli/api`.
    pub fn path(self) -> &'static str {
        match self {
            Provider::Hyfin => "/hyfin",
            Provider::Rebilly => "/rebilly",
            Provider::Payabli => "/payabli/api",
        }
    }

    /// The record kinds [`Sandbox::records`](crate::Sandbox::records) knows for this provider:
    /// Hyfin `customer`, `contact`, `payment`; Rebilly `customer`, `transaction`; Payabli
    /// `customer`.
    pub fn kinds(self) -> &'static [&'static str] {
        match self {
            Provider::Hyfin => &["customer", "contact", "payment"],
            Provider::Rebilly => &["customer", "transaction"],
            Provider::Payabli => &["customer"],
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Provider {
    type Err = String;

    /// Parses `hyfin`, `rebilly` or `payabli` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("`{s}` is not hyfin, rebilly or payabli"))
    }
}

/// A fixed-window rate limit: at most `requests` requests per `per`, counted per provider
/// (all sites / organizations / entrypoints of that provider share it). Rebilly's limit counts
/// only non-GET requests, as Rebilly's sandbox documents; Hyfin's and Payabli's count all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in one window.
    pub requests: u32,
    /// Window length.
    pub per: Duration,
}

impl RateLimit {
    /// `requests` per `per`.
    pub fn new(requests: u32, per: Duration) -> Self {
        RateLimit { requests, per }
    }
}

/// Configuration of a [`Sandbox`](crate::Sandbox). `Default` gives the documented tokens, no
/// rate limits, no latency, no faults, seed 0, memory-only storage and a random port.
///
/// ```
/// use std::time::Duration;
/// use billsync_sandbox::{Provider, RateLimit, SandboxConfig};
///
/// let config = SandboxConfig::default()
///     .with_rate_limit(Provider::Rebilly, RateLimit::new(3, Duration::from_secs(60)))
///     .with_seed(42);
/// assert!(!format!("{config:?}").contains("sandbox-rebilly-key"));
/// ```
#[derive(Clone)]
pub struct SandboxConfig {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Token Hyfin accepts in `Authorization: Bearer <token>`.
    pub hyfin_token: String,
    /// Key Rebilly accepts in `REB-APIKEY` (or `Authorization: Bearer <key>`).
    pub rebilly_key: String,
    /// Token Payabli accepts in `requestToken`.
    pub payabli_token: String,
    /// Hyfin's rate limit (`None`: unlimited).
    pub hyfin_rate_limit: Option<RateLimit>,
    /// Rebilly's rate limit (`None`: unlimited).
    pub rebilly_rate_limit: Option<RateLimit>,
    /// Payabli's rate limit (`None`: unlimited).
    pub payabli_rate_limit: Option<RateLimit>,
    /// Latency added before every provider answer.
    pub latency: Duration,
    /// Faults in force at start (change them later with
    /// [`Sandbox::set_faults`](crate::Sandbox::set_faults)).
    pub faults: Faults,
    /// Seed of the random fault draws and generated ids.
    pub seed: u64,
    /// SQLite file that keeps records across restarts (`None`: memory only).
    pub data: Option<PathBuf>,
    /// How long Payabli remembers an `idempotencyKey`.
    pub payabli_idempotency_window: Duration,
    /// How long Rebilly remembers a transaction `requestId`.
    pub rebilly_request_id_window: Duration,
    /// How many requests the [inspector](crate::inspector) keeps (the oldest go first).
    pub requests_kept: usize,
    /// Extra time every commit to the data file takes (a slow disk, for crash tests of
    /// clients: answers still wait for their commit). Zero by default.
    pub data_commit_latency: Duration,
    /// The organization of Rebilly paths without `/organizations/{org}` (default
    /// [`DEFAULT_REBILLY_ORGANIZATION`]).
    pub rebilly_default_organization: String,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            hyfin_token: DEFAULT_HYFIN_TOKEN.to_owned(),
            rebilly_key: DEFAULT_REBILLY_KEY.to_owned(),
            payabli_token: DEFAULT_PAYABLI_TOKEN.to_owned(),
            hyfin_rate_limit: None,
            rebilly_rate_limit: None,
            payabli_rate_limit: None,
            latency: Duration::ZERO,
            faults: Faults::default(),
            seed: 0,
            data: None,
            payabli_idempotency_window: DEFAULT_PAYABLI_IDEMPOTENCY_WINDOW,
            rebilly_request_id_window: DEFAULT_REBILLY_REQUEST_ID_WINDOW,
            rebilly_default_organization: DEFAULT_REBILLY_ORGANIZATION.to_owned(),
            data_commit_latency: Duration::ZERO,
            requests_kept: crate::inspector::DEFAULT_REQUESTS_KEPT,
        }
    }
}

impl SandboxConfig {
    /// The rate limit of `provider`.
    pub fn rate_limit(&self, provider: Provider) -> Option<RateLimit> {
        match provider {
            Provider::Hyfin => self.hyfin_rate_limit,
            Provider::Rebilly => self.rebilly_rate_limit,
            Provider::Payabli => self.payabli_rate_limit,
        }
    }

    /// Sets the rate limit of `provider`.
    pub fn with_rate_limit(mut self, provider: Provider, limit: RateLimit) -> Self {
        *match provider {
            Provider::Hyfin => &mut self.hyfin_rate_limit,
            Provider::Rebilly => &mut self.rebilly_rate_limit,
            Provider::Payabli => &mut self.payabli_rate_limit,
        } = Some(limit);
        self
    }

    /// Sets the port (0: a free one).
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sets the seed of random faults and generated ids.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Keeps records in the SQLite file at `path`.
    pub fn with_data(mut self, path: impl Into<PathBuf>) -> Self {
        self.data = Some(path.into());
        self
    }

    /// Sets the faults in force at start.
    pub fn with_faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Adds `latency` before every provider answer.
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Sets how long Payabli remembers an `idempotencyKey`.
    pub fn with_payabli_idempotency_window(mut self, window: Duration) -> Self {
        self.payabli_idempotency_window = window;
        self
    }

    /// Sets how many requests the [inspector](crate::inspector) keeps.
    pub fn with_requests_kept(mut self, requests: usize) -> Self {
        self.requests_kept = requests;
        self
    }

    /// The token expected from clients of `provider`.
    pub fn token(&self, provider: Provider) -> &str {
        match provider {
            Provider::Hyfin => &self.hyfin_token,
            Provider::Rebilly => &self.rebilly_key,
            Provider::Payabli => &self.payabli_token,
        }
    }
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("port", &self.port)
            .field("hyfin_token", &"[redacted]")
            .field("rebilly_key", &"[redacted]")
            .field("payabli_token", &"[redacted]")
            .field("hyfin_rate_limit", &self.hyfin_rate_limit)
            .field("rebilly_rate_limit", &self.rebilly_rate_limit)
            .field("payabli_rate_limit", &self.payabli_rate_limit)
            .field("latency", &self.latency)
            .field("faults", &self.faults)
            .field("seed", &self.seed)
            .field("data", &self.data)
            .field(
                "payabli_idempotency_window",
                &self.payabli_idempotency_window,
            )
            .field("rebilly_request_id_window", &self.rebilly_request_id_window)
            .field("data_commit_latency", &self.data_commit_latency)
            .field("requests_kept", &self.requests_kept)
            .field(
                "rebilly_default_organization",
                &self.rebilly_default_organization,
            )
            .finish()
    }
}
