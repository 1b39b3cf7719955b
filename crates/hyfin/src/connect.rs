//! Hyfin described as data: its configuration keys, the one-step client builder, and the
//! factory that builds a client from a key/value map (used by `billsync::connect` and the
//! command line).

use billsync_core::{ConfigKey, Error, KeyRole, Options, ProviderSpec, Result};

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

billsync_core::client_builder! {
    client: HyfinClient,
    config: HyfinConfig,
    builder: HyfinConfigBuilder,
    name: PROVIDER,
    keys: KEYS,
    connect: connect,
}

impl<T> HyfinConfigBuilder<T> {
    /// Hyfin's own keys ([`KEYS`]), for the generated `options()`.
    fn read_options(self, options: &Options) -> Result<Self> {
        let mut b = options.with("base_url", self, Self::base_url);
        b = options.with("site_id", b, Self::site_id);
        b = options.with_secret("api_token", b, Self::api_token);
        let scheme = options.raw("auth_scheme").map(str::trim);
        match (options.get("auth_header"), scheme) {
            (Some(header), scheme) => {
                b = b.auth_header(header, scheme.unwrap_or(DEFAULT_AUTH_SCHEME));
            }
            (None, Some(scheme)) => b = b.auth_header(DEFAULT_AUTH_HEADER, scheme),
            (None, None) => {}
        }
        b = options.with("currency", b, Self::currency);
        match options.get("customer_api") {
            Some(api) => Ok(b.customer_api(api.parse().map_err(|_: Error| {
                Error::config(format!(
                    "customer_api `{api}` (HYFIN_CUSTOMER_API) is not a Hyfin customer API; use `v4` or `v3`"
                ))
                .with_provider(PROVIDER)
            })?)),
            None => Ok(b),
        }
    }
}

/// Hyfin described as data, for lists of providers (`billsync::providers()`).
pub static FACTORY: ProviderSpec = ProviderSpec {
    name: PROVIDER,
    keys: KEYS,
    documented_limits: "none published (none applied unless rate_limit is set)",
    sandbox: Some(&[
        ("site_id", LOCAL_SANDBOX_SITE),
        ("api_token", LOCAL_SANDBOX_TOKEN),
    ]),
    connect,
};
