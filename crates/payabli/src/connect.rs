//! Payabli described as data: its configuration keys, the one-step client builder, and the
//! factory that builds a client from a key/value map (used by `billsync::connect` and the
//! command line).

use std::sync::Arc;

use billsync_core::{
    ConfigKey, IdMap, KeyRole, Options, Provider, ProviderSpec, RateLimit, Result,
};

use crate::config::PayabliConfigBuilder;
use crate::{Environment, PROVIDER, PayabliClient, PayabliConfig};

/// The token billsync's local sandbox expects from Payabli clients.
pub const LOCAL_SANDBOX_TOKEN: &str = "sandbox-payabli-token";
/// The entrypoint billsync's local sandbox clients use.
pub const LOCAL_SANDBOX_ENTRYPOINT: &str = "sandbox-entry";

/// Every key [`PayabliConfigBuilder::options`] reads (`rate_limit` aside).
pub const KEYS: &[ConfigKey] = &[
    ConfigKey::new(
        "api_token",
        "PAYABLI_API_TOKEN",
        KeyRole::Secret,
        "the API token (requestToken header)",
    )
    .required(),
    ConfigKey::new(
        "entrypoint",
        "PAYABLI_ENTRYPOINT",
        KeyRole::Account,
        "the paypoint's entrypoint",
    )
    .required(),
    ConfigKey::new(
        "environment",
        "PAYABLI_ENVIRONMENT",
        KeyRole::Endpoint,
        "sandbox (default) or production",
    ),
    ConfigKey::new(
        "base_url",
        "PAYABLI_BASE_URL",
        KeyRole::Endpoint,
        "any base URL, overriding the environment's preset",
    ),
    ConfigKey::new(
        "identifier_fields",
        "PAYABLI_IDENTIFIER_FIELDS",
        KeyRole::Setting,
        "comma-separated identifierFields (default customernumber; empty for none)",
    ),
    ConfigKey::new(
        "force_customer_creation",
        "PAYABLI_FORCE_CUSTOMER_CREATION",
        KeyRole::Setting,
        "forceCustomerCreation: true or false (default false)",
    ),
    ConfigKey::new(
        "replace_existing",
        "PAYABLI_REPLACE_EXISTING",
        KeyRole::Setting,
        "replaceExisting: true or false (default false)",
    ),
];

/// Builds a [`PayabliClient`] in one step: [`PayabliClient::builder`].
pub type PayabliClientBuilder = PayabliConfigBuilder<PayabliClient>;

impl PayabliConfig {
    /// Reads the configuration from `options` (keys: [`KEYS`]); a key Payabli does not know
    /// is an error naming it.
    pub fn from_options(options: &Options) -> Result<Self> {
        PayabliConfig::builder().options(options)?.build()
    }
}

impl<T> PayabliConfigBuilder<T> {
    /// Takes every setting in `options` (keys: [`KEYS`] and `rate_limit`); a key Payabli does
    /// not know is an error naming it. Required keys are checked by `build`.
    pub fn options(mut self, options: &Options) -> Result<Self> {
        options.check_known(PROVIDER, KEYS)?;
        if let Some(v) = options.secret("api_token") {
            self = self.api_token(v);
        }
        if let Some(v) = options.get("entrypoint") {
            self = self.entrypoint(v);
        }
        if let Some(v) = options.get("environment") {
            self = self.environment(Environment::parse(v)?);
        }
        if let Some(v) = options.get("base_url") {
            self = self.base_url(v);
        }
        if let Some(list) = options.raw("identifier_fields") {
            self = self.identifier_fields(list.split(',').map(str::trim).filter(|f| !f.is_empty()));
        }
        if let Some(force) = options.flag(PROVIDER, "force_customer_creation")? {
            self = self.force_customer_creation(force);
        }
        if let Some(replace) = options.flag(PROVIDER, "replace_existing")? {
            self = self.replace_existing(replace);
        }
        if let Some(limit) = options.rate_limit(PROVIDER)? {
            self.client.rate_limit = Some(limit);
        }
        Ok(self)
    }
}

impl PayabliClient {
    /// Builds a client in one step:
    /// `PayabliClient::builder().entrypoint(..).api_token("..").build()?`.
    pub fn builder() -> PayabliClientBuilder {
        PayabliConfigBuilder::default()
    }
}

impl PayabliConfigBuilder<PayabliClient> {
    /// Remembers Payabli ids in `ids` instead of a fresh in-memory map.
    pub fn id_map(mut self, ids: Arc<dyn IdMap>) -> Self {
        self.client.ids = Some(ids);
        self
    }

    /// Limits every request to `limit`, or lifts the limit with `None` (default: the
    /// documented limits, see [`PayabliConfig::documented_rate_limit`]).
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.client.rate_limit = Some(limit);
        self
    }

    /// Checks the settings and builds the client. Sends nothing.
    pub fn build(mut self) -> Result<PayabliClient> {
        let settings = std::mem::take(&mut self.client);
        let client = PayabliClient::new(self.build_config()?)?;
        Ok(settings.apply(
            client,
            PayabliClient::with_id_map,
            PayabliClient::with_rate_limit,
        ))
    }
}

/// Payabli described as data, for lists of providers (`billsync::providers()`).
pub static FACTORY: ProviderSpec = ProviderSpec {
    name: PROVIDER,
    keys: KEYS,
    documented_limits: "per API token: 200 a minute, 3000 per 15 minutes, 10000 an hour (none applied to a local address)",
    sandbox_options,
    connect,
};

/// The options that point a client at billsync's local sandbox served at `base_url`.
fn sandbox_options(base_url: &str) -> Option<Options> {
    Some(
        Options::new()
            .set("base_url", base_url)
            .set("entrypoint", LOCAL_SANDBOX_ENTRYPOINT)
            .set("api_token", LOCAL_SANDBOX_TOKEN),
    )
}

/// A client from `options`, remembering ids in `ids` when given.
fn connect(options: &Options, ids: Option<Arc<dyn IdMap>>) -> Result<Box<dyn Provider>> {
    let mut builder = PayabliClient::builder().options(options)?;
    builder.client.ids = ids;
    Ok(Box::new(builder.build()?))
}
