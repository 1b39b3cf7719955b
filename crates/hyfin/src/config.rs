//! Hyfin client configuration.

use std::fmt;
use std::marker::PhantomData;

use billsync_core::provider_kit::{ClientSettings, parse_base_url};
use billsync_core::reqwest::header::HeaderName;
use billsync_core::secrecy::SecretString;
use billsync_core::url::Url;
use billsync_core::{Account, Error, HttpSettings, RateLimit, Result};

use crate::HyfinCustomerApi;

/// Default header carrying the API access token.
pub const DEFAULT_AUTH_HEADER: &str = "authorization";
/// Default text before the token in the auth header (`Authorization: Bearer <token>`).
pub const DEFAULT_AUTH_SCHEME: &str = "Bearer";
/// The only currency accepted by default: Hyfin's payment records carry no currency field.
pub const DEFAULT_CURRENCY: &str = "USD";

/// Everything a [`HyfinClient`](crate::HyfinClient) needs.
///
/// Hyfin publishes no fixed host: each white-label deployment has its own `base_url`, and each
/// merchant site its `site_id`. The authentication page of Hyfin's docs is not public, so the
/// header that carries the token is configurable; the default is `Authorization: Bearer <token>`.
#[derive(Clone)]
pub struct HyfinConfig {
    pub(crate) base_url: Url,
    pub(crate) site_id: String,
    pub(crate) token: SecretString,
    pub(crate) auth_header: HeaderName,
    pub(crate) auth_scheme: String,
    pub(crate) currency: String,
    pub(crate) http: HttpSettings,
    pub(crate) customer_api: HyfinCustomerApi,
}

impl HyfinConfig {
    /// A builder; `base_url`, `site_id` and `api_token` are required.
    pub fn builder() -> HyfinConfigBuilder {
        HyfinConfigBuilder::default()
    }

    /// The Hyfin account this configuration writes to: the normalized base URL (each
    /// white-label deployment has its own) and the site id. Ids, hashes and locks that billsync
    /// remembers are keyed by it, so two sites never share them.
    pub fn account(&self) -> Account {
        Account::new(crate::PROVIDER, &self.base_url).with_scope("site", &self.site_id)
    }

    /// The request limit Hyfin documents: none is published, so none is applied by default
    /// (set one with [`HyfinClient::with_rate_limit`](crate::HyfinClient::with_rate_limit)).
    pub fn documented_rate_limit(&self) -> Option<RateLimit> {
        None
    }

    /// The deployment's base URL.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The merchant site id.
    pub fn site_id(&self) -> &str {
        &self.site_id
    }

    /// The HTTP settings.
    pub fn http(&self) -> &HttpSettings {
        &self.http
    }

    /// The customer API customers are written through.
    pub fn customer_api(&self) -> HyfinCustomerApi {
        self.customer_api
    }
}

impl fmt::Debug for HyfinConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyfinConfig")
            .field("base_url", &self.base_url.as_str())
            .field("site_id", &self.site_id)
            .field("auth_header", &self.auth_header.as_str())
            .field("auth_scheme", &self.auth_scheme)
            .field("currency", &self.currency)
            .field("http", &self.http)
            .field("customer_api", &self.customer_api)
            .finish_non_exhaustive()
    }
}

/// Builds a [`HyfinConfig`] ([`HyfinConfig::builder`]) or, as a
/// [`HyfinClientBuilder`](crate::HyfinClientBuilder), a client in one step
/// ([`HyfinClient::builder`](crate::HyfinClient::builder)).
pub struct HyfinConfigBuilder<T = HyfinConfig> {
    pub(crate) client: ClientSettings,
    target: PhantomData<fn() -> T>,
    base_url: Option<String>,
    site_id: Option<String>,
    token: Option<SecretString>,
    auth: Option<(String, String)>,
    currency: Option<String>,
    http: Option<HttpSettings>,
    customer_api: HyfinCustomerApi,
}

impl<T> Default for HyfinConfigBuilder<T> {
    fn default() -> Self {
        HyfinConfigBuilder {
            client: ClientSettings::default(),
            target: PhantomData,
            base_url: None,
            site_id: None,
            token: None,
            auth: None,
            currency: None,
            http: None,
            customer_api: HyfinCustomerApi::default(),
        }
    }
}

impl<T> fmt::Debug for HyfinConfigBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyfinConfigBuilder")
            .field("base_url", &self.base_url)
            .field("site_id", &self.site_id)
            .field("token_set", &self.token.is_some())
            .finish_non_exhaustive()
    }
}

impl<T> HyfinConfigBuilder<T> {
    /// The deployment's base URL, e.g. `https://partner.hyfin.app` (paths `/api/v4/...` are
    /// appended).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The merchant site id assigned when the site was created.
    pub fn site_id(mut self, site_id: impl Into<String>) -> Self {
        self.site_id = Some(site_id.into());
        self
    }

    /// The API access token.
    pub fn api_token(mut self, token: impl Into<SecretString>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The header carrying the token and the text before it (`"Bearer"`, or `""` for the bare
    /// token): for deployments whose auth differs from the default `Authorization: Bearer`.
    pub fn auth_header(mut self, header: impl Into<String>, scheme: impl Into<String>) -> Self {
        self.auth = Some((header.into(), scheme.into()));
        self
    }

    /// The one currency payments may be in (Hyfin's payment record has no currency field, so
    /// amounts in any other currency are refused rather than recorded as if they were this one).
    pub fn currency(mut self, currency: impl Into<String>) -> Self {
        self.currency = Some(currency.into());
        self
    }

    /// HTTP settings: own `reqwest::Client`, timeouts, retries.
    pub fn http(mut self, http: HttpSettings) -> Self {
        self.http = Some(http);
        self
    }

    /// The customer API to write customers through: [`HyfinCustomerApi::V4`] (the default) or
    /// [`HyfinCustomerApi::V3`], keyed by external id. See [`HyfinCustomerApi`] for the
    /// trade-off.
    pub fn customer_api(mut self, api: HyfinCustomerApi) -> Self {
        self.customer_api = api;
        self
    }

    /// Checks the settings and builds the configuration.
    pub(crate) fn build_config(self) -> Result<HyfinConfig> {
        let p = crate::PROVIDER;
        let base_url = self.base_url.ok_or_else(|| {
            Error::config("base_url is required (HYFIN_BASE_URL)").with_provider(p)
        })?;
        let base_url = parse_base_url(&base_url, "base_url").map_err(|e| e.with_provider(p))?;
        let site_id = self
            .site_id
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| Error::config("site_id is required (HYFIN_SITE_ID)").with_provider(p))?;
        let token = self.token.ok_or_else(|| {
            Error::config("api_token is required (HYFIN_API_TOKEN)").with_provider(p)
        })?;
        let (header, scheme) = self.auth.unwrap_or_else(|| {
            (
                DEFAULT_AUTH_HEADER.to_owned(),
                DEFAULT_AUTH_SCHEME.to_owned(),
            )
        });
        let auth_header = HeaderName::from_bytes(header.trim().to_ascii_lowercase().as_bytes())
            .map_err(|_| {
                Error::config(format!("`{header}` is not a valid header name")).with_provider(p)
            })?;
        let scheme = scheme.trim();
        let auth_scheme = if scheme.is_empty() {
            String::new()
        } else {
            format!("{scheme} ")
        };
        let currency = self
            .currency
            .unwrap_or_else(|| DEFAULT_CURRENCY.to_owned())
            .to_ascii_uppercase();
        if !billsync_core::is_iso4217(&currency) {
            return Err(
                Error::config(format!("`{currency}` is not an ISO 4217 currency")).with_provider(p),
            );
        }
        Ok(HyfinConfig {
            base_url,
            site_id,
            token,
            auth_header,
            auth_scheme,
            currency,
            http: self.http.unwrap_or_default(),
            customer_api: self.customer_api,
        })
    }
}

impl HyfinConfigBuilder<HyfinConfig> {
    /// Checks and builds the configuration.
    pub fn build(self) -> Result<HyfinConfig> {
        self.build_config()
    }
}
