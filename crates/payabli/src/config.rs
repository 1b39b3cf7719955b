//! Payabli client configuration.

use std::fmt;
use std::marker::PhantomData;

use billsync_core::provider_kit::{ClientSettings, is_loopback, parse_base_url};
use billsync_core::secrecy::SecretString;
use billsync_core::url::Url;
use billsync_core::{Account, Error, HttpSettings, RateLimit, Result};

use crate::PROVIDER;

/// Base URL of Payabli's sandbox.
pub const SANDBOX_BASE_URL: &str = "https://api-sandbox.payabli.com/api";
/// Base URL of Payabli's production environment (needs certification).
pub const PRODUCTION_BASE_URL: &str = "https://api.payabli.com/api";
/// The longest entrypoint Payabli accepts in a path.
pub const MAX_ENTRYPOINT_CHARS: usize = 50;

pub use billsync_core::Environment;

/// Everything a [`PayabliClient`](crate::PayabliClient) needs.
#[derive(Clone)]
pub struct PayabliConfig {
    pub(crate) base_url: Url,
    pub(crate) entrypoint: String,
    pub(crate) token: SecretString,
    pub(crate) force_customer_creation: bool,
    pub(crate) replace_existing: bool,
    pub(crate) identifier_fields: Vec<String>,
    pub(crate) http: HttpSettings,
}

impl PayabliConfig {
    /// A builder; `api_token` and `entrypoint` are required.
    pub fn builder() -> PayabliConfigBuilder {
        PayabliConfigBuilder::default()
    }

    /// The Payabli account this configuration writes to: the normalized base URL (sandbox,
    /// production or your own) and the entrypoint (the paypoint). Ids, hashes and locks that
    /// billsync remembers are keyed by it, so two paypoints never share them.
    pub fn account(&self) -> Account {
        Account::new(crate::PROVIDER, &self.base_url).with_scope("entrypoint", &self.entrypoint)
    }

    /// The request limits Payabli documents (per API token: 200 a minute, 3,000 per 15 minutes,
    /// 10,000 an hour), applied by default to every base URL but a local emulator. A token
    /// shared by several clients (entrypoints) shares these limits at Payabli: give each client
    /// its part with [`PayabliClient::with_rate_limit`](crate::PayabliClient::with_rate_limit).
    pub fn documented_rate_limit(&self) -> Option<RateLimit> {
        use std::time::Duration;
        (!is_loopback(&self.base_url)).then(|| {
            RateLimit::new(200, Duration::from_secs(60))
                .and(3000, Duration::from_secs(15 * 60))
                .and(10_000, Duration::from_secs(3600))
        })
    }

    /// The base URL (`.../api`).
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The entrypoint customers are created in.
    pub fn entrypoint(&self) -> &str {
        &self.entrypoint
    }

    /// The `identifierFields` sent with every customer.
    pub fn identifier_fields(&self) -> &[String] {
        &self.identifier_fields
    }
}

impl fmt::Debug for PayabliConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PayabliConfig")
            .field("base_url", &self.base_url.as_str())
            .field("entrypoint", &self.entrypoint)
            .field("force_customer_creation", &self.force_customer_creation)
            .field("replace_existing", &self.replace_existing)
            .field("identifier_fields", &self.identifier_fields)
            .field("http", &self.http)
            .finish_non_exhaustive()
    }
}

/// Builds a [`PayabliConfig`] ([`PayabliConfig::builder`]) or, as a
/// [`PayabliClientBuilder`](crate::PayabliClientBuilder), a client in one step
/// ([`PayabliClient::builder`](crate::PayabliClient::builder)).
pub struct PayabliConfigBuilder<T = PayabliConfig> {
    pub(crate) client: ClientSettings,
    target: PhantomData<fn() -> T>,
    environment: Environment,
    base_url: Option<String>,
    entrypoint: Option<String>,
    token: Option<SecretString>,
    force_customer_creation: bool,
    replace_existing: bool,
    identifier_fields: Option<Vec<String>>,
    http: Option<HttpSettings>,
}

impl<T> Default for PayabliConfigBuilder<T> {
    fn default() -> Self {
        PayabliConfigBuilder {
            client: ClientSettings::default(),
            target: PhantomData,
            environment: Environment::default(),
            base_url: None,
            entrypoint: None,
            token: None,
            force_customer_creation: false,
            replace_existing: false,
            identifier_fields: None,
            http: None,
        }
    }
}

impl<T> fmt::Debug for PayabliConfigBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PayabliConfigBuilder")
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("entrypoint", &self.entrypoint)
            .field("token_set", &self.token.is_some())
            .finish_non_exhaustive()
    }
}

impl<T> PayabliConfigBuilder<T> {
    /// The environment whose preset base URL is used (default sandbox).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Any base URL (e.g. a local emulator's `http://127.0.0.1:PORT/payabli/api`), overriding
    /// the environment's preset.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The entrypoint (paypoint alias) customers are created in.
    pub fn entrypoint(mut self, entrypoint: impl Into<String>) -> Self {
        self.entrypoint = Some(entrypoint.into());
        self
    }

    /// The API token, sent as `requestToken`.
    pub fn api_token(mut self, token: impl Into<SecretString>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// `forceCustomerCreation=true`: always create, even when identifiers match an existing
    /// customer (default `false`). billsync's own lookup by `customerNumber` still runs first.
    pub fn force_customer_creation(mut self, force: bool) -> Self {
        self.force_customer_creation = force;
        self
    }

    /// `replaceExisting=1`: a create whose identifiers match an existing customer replaces it
    /// (default `0`).
    pub fn replace_existing(mut self, replace: bool) -> Self {
        self.replace_existing = replace;
        self
    }

    /// The `identifierFields` sent with every customer (default `["customernumber"]`: the
    /// caller's external id is the identifier). An empty list sends none and leaves matching to
    /// the paypoint's configured identifiers.
    pub fn identifier_fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.identifier_fields = Some(fields.into_iter().map(Into::into).collect());
        self
    }

    /// HTTP settings: own `reqwest::Client`, timeouts, retries.
    pub fn http(mut self, http: HttpSettings) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the settings and builds the configuration.
    pub(crate) fn build_config(self) -> Result<PayabliConfig> {
        let base = self.base_url.unwrap_or_else(|| {
            self.environment
                .pick(SANDBOX_BASE_URL, PRODUCTION_BASE_URL)
                .to_owned()
        });
        let base_url = parse_base_url(&base, "base_url").map_err(|e| e.with_provider(PROVIDER))?;
        let entrypoint = self
            .entrypoint
            .filter(|e| !e.trim().is_empty())
            .ok_or_else(|| {
                Error::config("entrypoint is required (PAYABLI_ENTRYPOINT)").with_provider(PROVIDER)
            })?;
        if entrypoint.chars().count() > MAX_ENTRYPOINT_CHARS {
            return Err(Error::config(format!(
                "entrypoint is longer than {MAX_ENTRYPOINT_CHARS} characters"
            ))
            .with_provider(PROVIDER));
        }
        let token = self.token.ok_or_else(|| {
            Error::config("api_token is required (PAYABLI_API_TOKEN)").with_provider(PROVIDER)
        })?;
        Ok(PayabliConfig {
            base_url,
            entrypoint,
            token,
            force_customer_creation: self.force_customer_creation,
            replace_existing: self.replace_existing,
            identifier_fields: self
                .identifier_fields
                .unwrap_or_else(|| vec!["customernumber".to_owned()]),
            http: self.http.unwrap_or_default(),
        })
    }
}

impl PayabliConfigBuilder<PayabliConfig> {
    /// Checks and builds the configuration.
    pub fn build(self) -> Result<PayabliConfig> {
        self.build_config()
    }
}
