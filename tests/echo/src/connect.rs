//! Echo described as data: its configuration keys, the one-step client builder, and the
//! factory that builds a client from a key/value map.

use std::sync::Arc;

use billsync_core::{
    ConfigKey, IdMap, KeyRole, Options, Provider, ProviderSpec, RateLimit, Result,
};

use crate::config::EchoConfigBuilder;
use crate::{EchoClient, EchoConfig, PROVIDER};

/// Every key [`EchoConfigBuilder::options`] reads (`rate_limit` aside).
pub const KEYS: &[ConfigKey] = &[
    ConfigKey::new(
        "base_url",
        "ECHO_BASE_URL",
        KeyRole::Endpoint,
        "the API's base URL",
    )
    .required(),
    ConfigKey::new(
        "api_token",
        "ECHO_API_TOKEN",
        KeyRole::Secret,
        "the bearer token",
    )
    .required(),
];

/// Builds an [`EchoClient`] in one step: [`EchoClient::builder`].
pub type EchoClientBuilder = EchoConfigBuilder<EchoClient>;

impl EchoConfig {
    /// The configuration from `options` (keys: [`KEYS`]).
    pub fn from_options(options: &Options) -> Result<Self> {
        EchoConfig::builder().options(options)?.build()
    }
}

impl<T> EchoConfigBuilder<T> {
    /// Takes every setting in `options`; an unknown key is an error naming it.
    pub fn options(mut self, options: &Options) -> Result<Self> {
        options.check_known(PROVIDER, KEYS)?;
        if let Some(v) = options.get("base_url") {
            self = self.base_url(v);
        }
        if let Some(v) = options.secret("api_token") {
            self = self.api_token(v);
        }
        if let Some(limit) = options.rate_limit(PROVIDER)? {
            self.client.rate_limit = Some(limit);
        }
        Ok(self)
    }
}

impl EchoConfigBuilder<EchoClient> {
    /// Remembers ids in `ids` (Echo keys records by external id, so this only records them).
    pub fn id_map(mut self, ids: Arc<dyn IdMap>) -> Self {
        self.client.ids = Some(ids);
        self
    }

    /// Limits every request to `limit`, or none with `None` (the default: Echo documents none).
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.client.rate_limit = Some(limit);
        self
    }

    /// Checks the settings and builds the client. Sends nothing.
    pub fn build(mut self) -> Result<EchoClient> {
        let settings = std::mem::take(&mut self.client);
        EchoClient::new(self.build_config()?, settings)
    }
}

/// Echo described as data, for lists of providers (`billsync::providers()`).
pub static FACTORY: ProviderSpec = ProviderSpec {
    name: PROVIDER,
    keys: KEYS,
    documented_limits: "none documented (none applied unless rate_limit is set)",
    sandbox_options,
    connect,
};

/// The options that point a client at billsync's local sandbox served at `base_url`.
fn sandbox_options(_base_url: &str) -> Option<Options> {
    None
}

/// A client from `options`, remembering ids in `ids` when given.
fn connect(options: &Options, ids: Option<Arc<dyn IdMap>>) -> Result<Box<dyn Provider>> {
    let mut builder = EchoClient::builder().options(options)?;
    builder.client.ids = ids;
    Ok(Box::new(builder.build()?))
}
