//! Payabli described as data: its configuration keys, the one-step client builder, and the
//! factory that builds a client from a key/value map (used by `billsync::connect` and the
//! command line).

use billsync_core::{ConfigKey, KeyRole, Options, ProviderSpec, Result};

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

billsync_core::client_builder! {
    client: PayabliClient,
    config: PayabliConfig,
    builder: PayabliConfigBuilder,
    name: PROVIDER,
    keys: KEYS,
    connect: connect,
}

impl<T> PayabliConfigBuilder<T> {
    /// Payabli's own keys ([`KEYS`]), for the generated `options()`.
    fn read_options(self, options: &Options) -> Result<Self> {
        let mut b = options.with_secret("api_token", self, Self::api_token);
        b = options.with("entrypoint", b, Self::entrypoint);
        if let Some(v) = options.get("environment") {
            b = b.environment(Environment::parse(v, PROVIDER)?);
        }
        b = options.with("base_url", b, Self::base_url);
        if let Some(list) = options.raw("identifier_fields") {
            b = b.identifier_fields(list.split(',').map(str::trim).filter(|f| !f.is_empty()));
        }
        if let Some(force) = options.flag(PROVIDER, "force_customer_creation")? {
            b = b.force_customer_creation(force);
        }
        if let Some(replace) = options.flag(PROVIDER, "replace_existing")? {
            b = b.replace_existing(replace);
        }
        Ok(b)
    }
}

/// Payabli described as data, for lists of providers (`billsync::providers()`).
pub static FACTORY: ProviderSpec = ProviderSpec {
    name: PROVIDER,
    keys: KEYS,
    documented_limits: "per API token: 200 a minute, 3000 per 15 minutes, 10000 an hour (none applied to a local address)",
    sandbox: Some(&[
        ("entrypoint", LOCAL_SANDBOX_ENTRYPOINT),
        ("api_token", LOCAL_SANDBOX_TOKEN),
    ]),
    connect,
};
