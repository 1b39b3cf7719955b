//! Rebilly described as data: its configuration keys, the one-step client builder, and the
//! factory that builds a client from a key/value map (used by `billsync::connect` and the
//! command line).

use billsync_core::{ConfigKey, KeyRole, Options, ProviderSpec, Result};

use crate::config::RebillyConfigBuilder;
use crate::{Environment, PROVIDER, RebillyClient, RebillyConfig};

/// The API key billsync's local sandbox expects from Rebilly clients.
pub const LOCAL_SANDBOX_KEY: &str = "sandbox-rebilly-key";
/// The organization id billsync's local sandbox clients use.
pub const LOCAL_SANDBOX_ORGANIZATION: &str = "sandbox-org";
/// The website id billsync's local sandbox clients use.
pub const LOCAL_SANDBOX_WEBSITE: &str = "sandbox-web";

/// Every key [`RebillyConfigBuilder::options`] reads (`rate_limit` aside). One credential,
/// `api_key` or `jwt`, is required. The options that change what is sent ([`Revision`],
/// [`IdPolicy`], [`Unmapped`]) are set in code only, on the builder.
///
/// [`Revision`]: crate::Revision
/// [`IdPolicy`]: crate::IdPolicy
/// [`Unmapped`]: crate::Unmapped
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

billsync_core::client_builder! {
    client: RebillyClient,
    config: RebillyConfig,
    builder: RebillyConfigBuilder,
    name: PROVIDER,
    keys: KEYS,
    connect: connect,
}

impl<T> RebillyConfigBuilder<T> {
    /// Rebilly's own keys ([`KEYS`]), for the generated `options()`.
    fn read_options(self, options: &Options) -> Result<Self> {
        let mut b = match (options.secret("api_key"), options.secret("jwt")) {
            (Some(key), _) => self.api_key(key),
            (None, Some(jwt)) => self.jwt(jwt),
            (None, None) => self,
        };
        b = options.with("organization_id", b, Self::organization_id);
        b = options.with("website_id", b, Self::website_id);
        if let Some(v) = options.get("environment") {
            b = b.environment(Environment::parse(v, PROVIDER)?);
        }
        Ok(options.with("base_url", b, Self::base_url))
    }
}

/// Rebilly described as data, for lists of providers (`billsync::providers()`).
pub static FACTORY: ProviderSpec = ProviderSpec {
    name: PROVIDER,
    keys: KEYS,
    documented_limits: "sandbox: 3000 writes per 10 minutes (none applied to a local address)",
    sandbox: Some(&[
        ("organization_id", LOCAL_SANDBOX_ORGANIZATION),
        ("website_id", LOCAL_SANDBOX_WEBSITE),
        ("api_key", LOCAL_SANDBOX_KEY),
    ]),
    connect,
};
