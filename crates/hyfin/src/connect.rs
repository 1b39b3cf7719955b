//! Hyfin described as data: its configuration keys, the one-step client builder, and the
//! factory that builds a client from a key/value map (used by `billsync::connect` and the
//! command line).

use std::sync::Arc;

use billsync_core::{
    ConfigKey, Error, IdMap, KeyRole, Options, Provider, ProviderSpec, RateLimit, Result,
};

use crate::config::{DEFAULT_AUTH_HEADER, DEFAULT_AUTH_SCHEME, HyfinConfigBuilder};
use crate::{HyfinClient, HyfinConfig, PROVIDER};

/// The token billsync's local sandbox expects from Hyfin clients.
pub const LOCAL_SANDBOX_TOKEN: &str = "sandbox-hyfin-token";
/// The site id billsync's local sandbox clients use.
pub const LOCAL_SANDBOX_SITE: &str = "sandbox-site";

/// Every key [`HyfinConfigBuilder::options`] reads (`rate_limit` aside).
pub const KEYS: &[ConfigKey] = &[
    ConfigKey::new(
        "base_url",
        "HYFIN_BASE_URL",
        KeyRole::Endpoint,
        "the deployment's base URL (each white-label deployment has its own)",
    )
    .required(),
    ConfigKey::new(
        "site_id",
        "HYFIN_SITE_ID",
        KeyRole::Account,
        "the merchant site id",
    )
    .required(),
    ConfigKey::new(
        "api_token",
        "HYFIN_API_TOKEN",
        KeyRole::Secret,
        "the API access token",
    )
    .required(),
    ConfigKey::new(
        "auth_header",
        "HYFIN_AUTH_HEADER",
        KeyRole::Setting,
        "the header carrying the token (default Authorization)",
    ),
    ConfigKey::new(
        "auth_scheme",
        "HYFIN_AUTH_SCHEME",
        KeyRole::Setting,
        "the text before the token, empty for none (default Bearer)",
    ),
    ConfigKey::new(
        "currency",
        "HYFIN_CURRENCY",
        KeyRole::Setting,
        "the one currency payments may be in (default USD)",
    ),
    ConfigKey::new(
        "customer_api",
        "HYFIN_CUSTOMER_API",
        KeyRole::Setting,
        "the customer API: v4 (default) or v3 (keyed by external id)",
    ),
];

/// Builds a [`HyfinClient`] in one step: [`HyfinClient::builder`].
pub type HyfinClientBuilder = HyfinConfigBuilder<HyfinClient>;

impl HyfinConfig {
    /// Reads the configuration from `options` (keys: [`KEYS`]); a key Hyfin does not know is
    /// an error naming it.
    pub fn from_options(options: &Options) -> Result<Self> {
        HyfinConfig::builder().options(options)?.build()
    }
}

impl<T> HyfinConfigBuilder<T> {
    /// Takes every setting in `options` (keys: [`KEYS`] and `rate_limit`); a key Hyfin does
    /// not know is an error naming it. Required keys are checked by `build`.
    pub fn options(mut self, options: &Options) -> Result<Self> {
        options.check_known(PROVIDER, KEYS)?;
        if let Some(v) = options.get("base_url") {
            self = self.base_url(v);
        }
        if let Some(v) = options.get("site_id") {
            self = self.site_id(v);
        }
        if let Some(v) = options.secret("api_token") {
            self = self.api_token(v);
        }
        let scheme = options.raw("auth_scheme").map(str::trim);
        match (options.get("auth_header"), scheme) {
            (Some(header), scheme) => {
                self = self.auth_header(header, scheme.unwrap_or(DEFAULT_AUTH_SCHEME));
            }
            (None, Some(scheme)) => self = self.auth_header(DEFAULT_AUTH_HEADER, scheme),
            (None, None) => {}
        }
        if let Some(currency) = options.get("currency") {
            self = self.currency(currency);
        }
        if let Some(api) = options.get("customer_api") {
            let parsed = api.parse().map_err(|_: Error| {
                Error::config(format!(
                    "customer_api `{api}` (HYFIN_CUSTOMER_API) is not a Hyfin customer API; use `v4` or `v3`"
                ))
                .with_provider(PROVIDER)
            })?;
            self = self.customer_api(parsed);
        }
        if let Some(limit) = options.rate_limit(PROVIDER)? {
            self.client.rate_limit = Some(limit);
        }
        Ok(self)
    }
}

impl HyfinClient {
    /// Builds a client in one step:
    /// `HyfinClient::builder().base_url(..).site_id(..).api_token("..").build()?`.
    pub fn builder() -> HyfinClientBuilder {
        HyfinConfigBuilder::default()
    }
}

impl HyfinConfigBuilder<HyfinClient> {
    /// Remembers Hyfin ids in `ids` (e.g. a persistent store shared across runs) instead of a
    /// fresh in-memory map.
    pub fn id_map(mut self, ids: Arc<dyn IdMap>) -> Self {
        self.client.ids = Some(ids);
        self
    }

    /// Limits every request to `limit`, or lifts the limit with `None` (default: the
    /// documented limits, see [`HyfinConfig::documented_rate_limit`]).
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.client.rate_limit = Some(limit);
        self
    }

    /// Checks the settings and builds the client. Sends nothing.
    pub fn build(mut self) -> Result<HyfinClient> {
        let settings = std::mem::take(&mut self.client);
        let client = HyfinClient::new(self.build_config()?)?;
        Ok(settings.apply(
            client,
            HyfinClient::with_id_map,
            HyfinClient::with_rate_limit,
        ))
    }
}

/// Hyfin described as data, for lists of providers (`billsync::providers()`).
pub static FACTORY: ProviderSpec = ProviderSpec {
    name: PROVIDER,
    keys: KEYS,
    documented_limits: "none published (none applied unless rate_limit is set)",
    sandbox_options,
    connect,
};

/// The options that point a client at billsync's local sandbox served at `base_url`.
fn sandbox_options(base_url: &str) -> Option<Options> {
    Some(
        Options::new()
            .set("base_url", base_url)
            .set("site_id", LOCAL_SANDBOX_SITE)
            .set("api_token", LOCAL_SANDBOX_TOKEN),
    )
}

/// A client from `options`, remembering ids in `ids` when given.
fn connect(options: &Options, ids: Option<Arc<dyn IdMap>>) -> Result<Box<dyn Provider>> {
    let mut builder = HyfinClient::builder().options(options)?;
    builder.client.ids = ids;
    Ok(Box::new(builder.build()?))
}
