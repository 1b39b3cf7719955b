//! Rebilly described as data: its configuration keys, the one-step client builder, and the
//! factory that builds a client from a key/value map (used by `billsync::connect` and the
//! command line).

use std::sync::Arc;

use billsync_core::{
    ConfigKey, IdMap, KeyRole, Options, Provider, ProviderSpec, RateLimit, Result,
};

use crate::config::RebillyConfigBuilder;
use crate::{Environment, PROVIDER, RebillyClient, RebillyConfig};

/// The API key billsync's local sandbox expects from Rebilly clients.
pub const LOCAL_SANDBOX_KEY: &str = "sandbox-rebilly-key";
/// The organization id billsync's local sandbox clients use.
pub const LOCAL_SANDBOX_ORGANIZATION: &str = "sandbox-org";
/// The website id billsync's local sandbox clients use.
pub const LOCAL_SANDBOX_WEBSITE: &str = "sandbox-web";

/// Every key [`RebillyConfigBuilder::options`] reads (`rate_limit` aside). One credential,
/// `api_key` or `jwt`, is required.
pub const KEYS: &[ConfigKey] = &[
    ConfigKey::new(
        "api_key",
        "REBILLY_API_KEY",
        KeyRole::Secret,
        "the secret API key (REB-APIKEY); this or jwt is required",
    ),
    ConfigKey::new(
        "jwt",
        "REBILLY_JWT",
        KeyRole::Secret,
        "a JWT (Authorization: Bearer), used when no api_key is set",
    ),
    ConfigKey::new(
        "organization_id",
        "REBILLY_ORGANIZATION_ID",
        KeyRole::Account,
        "the organization id",
    )
    .required(),
    ConfigKey::new(
        "website_id",
        "REBILLY_WEBSITE_ID",
        KeyRole::Account,
        "the website id (required to record payments)",
    ),
    ConfigKey::new(
        "environment",
        "REBILLY_ENVIRONMENT",
        KeyRole::Endpoint,
        "sandbox (default) or production (`live`)",
    ),
    ConfigKey::new(
        "base_url",
        "REBILLY_BASE_URL",
        KeyRole::Endpoint,
        "any base URL, overriding the environment's preset",
    ),
];

/// Builds a [`RebillyClient`] in one step: [`RebillyClient::builder`].
pub type RebillyClientBuilder = RebillyConfigBuilder<RebillyClient>;

impl RebillyConfig {
    /// Reads the configuration from `options` (keys: [`KEYS`]); a key Rebilly does not know
    /// is an error naming it.
    pub fn from_options(options: &Options) -> Result<Self> {
        RebillyConfig::builder().options(options)?.build()
    }
}

impl<T> RebillyConfigBuilder<T> {
    /// Takes every setting in `options` (keys: [`KEYS`] and `rate_limit`); a key Rebilly does
    /// not know is an error naming it. Required keys are checked by `build`.
    pub fn options(mut self, options: &Options) -> Result<Self> {
        options.check_known(PROVIDER, KEYS)?;
        match (options.secret("api_key"), options.secret("jwt")) {
            (Some(key), _) => self = self.api_key(key),
            (None, Some(jwt)) => self = self.jwt(jwt),
            (None, None) => {}
        }
        if let Some(v) = options.get("organization_id") {
            self = self.organization_id(v);
        }
        if let Some(v) = options.get("website_id") {
            self = self.website_id(v);
        }
        if let Some(v) = options.get("environment") {
            self = self.environment(Environment::parse(v)?);
        }
        if let Some(v) = options.get("base_url") {
            self = self.base_url(v);
        }
        if let Some(limit) = options.rate_limit(PROVIDER)? {
            self.client.rate_limit = Some(limit);
        }
        Ok(self)
    }
}

impl RebillyClient {
    /// Builds a client in one step:
    /// `RebillyClient::builder().organization_id(..).api_key("..").build()?`.
    pub fn builder() -> RebillyClientBuilder {
        RebillyConfigBuilder::default()
    }
}

impl RebillyConfigBuilder<RebillyClient> {
    /// Remembers Rebilly ids in `ids` instead of a fresh in-memory map.
    pub fn id_map(mut self, ids: Arc<dyn IdMap>) -> Self {
        self.client.ids = Some(ids);
        self
    }

    /// Limits every request to `limit`, or lifts the limit with `None` (default: the
    /// documented limits, see [`RebillyConfig::documented_rate_limit`]).
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.client.rate_limit = Some(limit);
        self
    }

    /// Checks the settings and builds the client. Sends nothing.
    pub fn build(mut self) -> Result<RebillyClient> {
        let settings = std::mem::take(&mut self.client);
        let client = RebillyClient::new(self.build_config()?)?;
        Ok(settings.apply(
            client,
            RebillyClient::with_id_map,
            RebillyClient::with_rate_limit,
        ))
    }
}

/// Rebilly described as data, for lists of providers (`billsync::providers()`).
pub static FACTORY: ProviderSpec = ProviderSpec {
    name: PROVIDER,
    keys: KEYS,
    documented_limits: "sandbox: 3000 writes per 10 minutes (none applied to a local address)",
    sandbox_options,
    connect,
};

/// The options that point a client at billsync's local sandbox served at `base_url`.
fn sandbox_options(base_url: &str) -> Option<Options> {
    Some(
        Options::new()
            .set("base_url", base_url)
            .set("organization_id", LOCAL_SANDBOX_ORGANIZATION)
            .set("website_id", LOCAL_SANDBOX_WEBSITE)
            .set("api_key", LOCAL_SANDBOX_KEY),
    )
}

/// A client from `options`, remembering ids in `ids` when given.
fn connect(options: &Options, ids: Option<Arc<dyn IdMap>>) -> Result<Box<dyn Provider>> {
    let mut builder = RebillyClient::builder().options(options)?;
    builder.client.ids = ids;
    Ok(Box::new(builder.build()?))
}
