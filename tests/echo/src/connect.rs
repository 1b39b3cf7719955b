//! Echo described as data: its configuration keys, the one-step client builder, and the
//! factory that builds a client from a key/value map.

use billsync_core::{ConfigKey, KeyRole, Options, ProviderSpec, Result};

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

billsync_core::client_builder! {
    client: EchoClient,
    config: EchoConfig,
    builder: EchoConfigBuilder,
    name: PROVIDER,
    keys: KEYS,
    connect: connect,
}

impl<T> EchoConfigBuilder<T> {
    /// Echo's own keys ([`KEYS`]), for the generated `options()`.
    fn read_options(self, options: &Options) -> Result<Self> {
        let b = options.with("base_url", self, Self::base_url);
        Ok(options.with_secret("api_token", b, Self::api_token))
    }
}

/// Echo described as data, for lists of providers (`billsync::providers()`).
pub static FACTORY: ProviderSpec = ProviderSpec {
    name: PROVIDER,
    keys: KEYS,
    documented_limits: "none documented (none applied unless rate_limit is set)",
    // billsync's sandbox does not emulate Echo.
    sandbox: None,
    connect,
};
