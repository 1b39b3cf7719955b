//! Rebilly client configuration.

use std::fmt;
use std::marker::PhantomData;

use billsync_core::provider_kit::{ClientSettings, is_loopback, parse_base_url};
use billsync_core::secrecy::SecretString;
use billsync_core::url::Url;
use billsync_core::{Account, Error, HttpSettings, RateLimit, Result};

pub use crate::options::{
    Environment, IdPolicy, LIVE_BASE_URL, Revision, SANDBOX_BASE_URL, Unmapped,
};

/// How requests authenticate.
#[derive(Clone)]
pub(crate) enum Credentials {
    /// A secret API key, sent as `REB-APIKEY`.
    ApiKey(SecretString),
    /// A JWT, sent as `Authorization: Bearer`.
    Jwt(SecretString),
}

/// Everything a [`RebillyClient`](crate::RebillyClient) needs.
///
/// Requests go to `{base_url}/organizations/{organization_id}/...`. The base URL is the
/// environment's preset ([`Environment`]) unless one is given (a proxy, the local emulator at
/// `http://127.0.0.1:PORT/rebilly`).
#[derive(Clone)]
pub struct RebillyConfig {
    pub(crate) base_url: Url,
    pub(crate) organization_id: String,
    pub(crate) website_id: Option<String>,
    pub(crate) credentials: Credentials,
    pub(crate) revision: Revision,
    pub(crate) edd_required: bool,
    pub(crate) id_policy: IdPolicy,
    pub(crate) unmapped: Unmapped,
    pub(crate) http: HttpSettings,
}

impl RebillyConfig {
    /// A builder; `organization_id` and one credential (`api_key` or `jwt`) are required.
    pub fn builder() -> RebillyConfigBuilder {
        RebillyConfigBuilder::default()
    }

    /// The Rebilly account this configuration writes to: the normalized base URL (sandbox or
    /// live, or your own), the organization id and the website id (`website=` is empty when
    /// none is configured). Ids, hashes and locks that billsync remembers are keyed by it.
    pub fn account(&self) -> Account {
        Account::new(crate::PROVIDER, &self.base_url)
            .with_scope("organization", &self.organization_id)
            .with_scope("website", self.website_id.as_deref().unwrap_or(""))
    }

    /// The request limit Rebilly documents for this base URL, applied by default: its sandbox
    /// allows 3,000 non-GET requests per 10 minutes per organization; live limits are not
    /// published (none applied), nor is any applied to a local emulator.
    pub fn documented_rate_limit(&self) -> Option<RateLimit> {
        let sandbox = Url::parse(SANDBOX_BASE_URL).ok()?;
        let same_host = self.base_url.host_str() == sandbox.host_str();
        (same_host && !is_loopback(&self.base_url))
            .then(|| RateLimit::new(3000, std::time::Duration::from_secs(600)).writes_only())
    }

    /// The base URL (before `organizations/{organizationId}`).
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The organization id.
    pub fn organization_id(&self) -> &str {
        &self.organization_id
    }

    /// The website id, if configured.
    pub fn website_id(&self) -> Option<&str> {
        self.website_id.as_deref()
    }

    /// The customer resource revision requests follow.
    pub fn revision(&self) -> Revision {
        self.revision
    }

    /// The policy for ids outside Rebilly's id rule.
    pub fn id_policy(&self) -> IdPolicy {
        self.id_policy
    }

    /// The policy for canonical fields Rebilly cannot store.
    pub fn unmapped(&self) -> Unmapped {
        self.unmapped
    }

    /// The HTTP settings.
    pub fn http(&self) -> &HttpSettings {
        &self.http
    }

    fn auth_kind(&self) -> &'static str {
        match self.credentials {
            Credentials::ApiKey(_) => "api_key",
            Credentials::Jwt(_) => "jwt",
        }
    }
}

impl fmt::Debug for RebillyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RebillyConfig")
            .field("base_url", &self.base_url.as_str())
            .field("organization_id", &self.organization_id)
            .field("website_id", &self.website_id)
            .field("auth", &self.auth_kind())
            .field("revision", &self.revision)
            .field("edd_required", &self.edd_required)
            .field("id_policy", &self.id_policy)
            .field("unmapped", &self.unmapped)
            .field("http", &self.http)
            .finish_non_exhaustive()
    }
}

/// Builds a [`RebillyConfig`] ([`RebillyConfig::builder`]) or, as a
/// [`RebillyClientBuilder`](crate::RebillyClientBuilder), a client in one step
/// ([`RebillyClient::builder`](crate::RebillyClient::builder)).
#[derive(Clone)]
pub struct RebillyConfigBuilder<T = RebillyConfig> {
    pub(crate) client: ClientSettings,
    target: PhantomData<fn() -> T>,
    environment: Environment,
    base_url: Option<String>,
    organization_id: Option<String>,
    website_id: Option<String>,
    credentials: Option<Credentials>,
    revision: Revision,
    edd_required: bool,
    id_policy: IdPolicy,
    unmapped: Unmapped,
    http: Option<HttpSettings>,
}

impl<T> Default for RebillyConfigBuilder<T> {
    fn default() -> Self {
        RebillyConfigBuilder {
            client: ClientSettings::default(),
            target: PhantomData,
            environment: Environment::default(),
            base_url: None,
            organization_id: None,
            website_id: None,
            credentials: None,
            revision: Revision::default(),
            edd_required: false,
            id_policy: IdPolicy::default(),
            unmapped: Unmapped::default(),
            http: None,
        }
    }
}

impl<T> fmt::Debug for RebillyConfigBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RebillyConfigBuilder")
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("organization_id", &self.organization_id)
            .field("website_id", &self.website_id)
            .field("credentials_set", &self.credentials.is_some())
            .field("revision", &self.revision)
            .finish_non_exhaustive()
    }
}

impl<T> RebillyConfigBuilder<T> {
    /// The environment whose preset base URL is used (default [`Environment::Sandbox`]).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// A base URL overriding the environment's preset, e.g. `http://127.0.0.1:8080/rebilly`;
    /// `organizations/{organizationId}/...` is appended.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The organization id (required).
    pub fn organization_id(mut self, id: impl Into<String>) -> Self {
        self.organization_id = Some(id.into());
        self
    }

    /// The website id: sent as the customer's `websiteId`, and required to record payments.
    pub fn website_id(mut self, id: impl Into<String>) -> Self {
        self.website_id = Some(id.into());
        self
    }

    /// Authenticate with a secret API key (`REB-APIKEY` header).
    pub fn api_key(mut self, key: impl Into<SecretString>) -> Self {
        let key = key.into();
        self.credentials = Some(Credentials::ApiKey(key));
        self
    }

    /// Authenticate with a JWT (`Authorization: Bearer` header).
    pub fn jwt(mut self, token: impl Into<SecretString>) -> Self {
        let token = token.into();
        self.credentials = Some(Credentials::Jwt(token));
        self
    }

    /// The customer resource revision to follow (default [`Revision::Current`]).
    pub fn schema_revision(mut self, revision: Revision) -> Self {
        self.revision = revision;
        self
    }

    /// The `isEddRequired` value sent under [`Revision::Legacy2025`] (default `false`); ignored
    /// under [`Revision::Current`], which has no such field.
    pub fn edd_required(mut self, required: bool) -> Self {
        self.edd_required = required;
        self
    }

    /// The policy for ids outside Rebilly's id rule (default [`IdPolicy::Strict`]).
    pub fn id_policy(mut self, policy: IdPolicy) -> Self {
        self.id_policy = policy;
        self
    }

    /// The policy for canonical fields Rebilly cannot store (default [`Unmapped::Drop`]).
    pub fn unmapped(mut self, unmapped: Unmapped) -> Self {
        self.unmapped = unmapped;
        self
    }

    /// HTTP settings: own `reqwest::Client`, timeouts, retries.
    pub fn http(mut self, http: HttpSettings) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the settings and builds the configuration.
    pub(crate) fn build_config(self) -> Result<RebillyConfig> {
        let p = crate::PROVIDER;
        let base = self.base_url.unwrap_or_else(|| {
            self.environment
                .pick(SANDBOX_BASE_URL, LIVE_BASE_URL)
                .to_owned()
        });
        let base_url = parse_base_url(&base, "base_url").map_err(|e| e.with_provider(p))?;
        let organization_id = self
            .organization_id
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                Error::config("organization_id is required (REBILLY_ORGANIZATION_ID)")
                    .with_provider(p)
            })?;
        if organization_id.chars().count() > 50 {
            return Err(
                Error::config("organization_id is longer than 50 characters").with_provider(p),
            );
        }
        let website_id = self
            .website_id
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if website_id.as_ref().is_some_and(|w| w.chars().count() > 50) {
            return Err(Error::config("website_id is longer than 50 characters").with_provider(p));
        }
        let credentials = self.credentials.ok_or_else(|| {
            Error::config(
                "a credential is required: api_key or jwt (REBILLY_API_KEY or REBILLY_JWT)",
            )
            .with_provider(p)
        })?;
        Ok(RebillyConfig {
            base_url,
            organization_id,
            website_id,
            credentials,
            revision: self.revision,
            edd_required: self.edd_required,
            id_policy: self.id_policy,
            unmapped: self.unmapped,
            http: self.http.unwrap_or_default(),
        })
    }
}

impl RebillyConfigBuilder<RebillyConfig> {
    /// Checks and builds the configuration.
    pub fn build(self) -> Result<RebillyConfig> {
        self.build_config()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_overrides_and_required_settings() {
        let key = || SecretString::from("sk-debug-secret");
        let c = RebillyConfig::builder()
            .organization_id("org-1")
            .api_key(key())
            .build()
            .unwrap();
        assert_eq!(c.base_url().as_str(), "https://api-sandbox.rebilly.com/");
        let c = RebillyConfig::builder()
            .environment(Environment::Production)
            .organization_id("org-1")
            .api_key(key())
            .build()
            .unwrap();
        assert_eq!(c.base_url().as_str(), "https://api.rebilly.com/");
        let b = RebillyConfig::builder()
            .environment(Environment::Production)
            .base_url("http://127.0.0.1:9/rebilly")
            .organization_id("org-1")
            .api_key(key());
        assert!(!format!("{b:?}").contains("sk-debug-secret"));
        let c = b.build().unwrap();
        assert_eq!(c.base_url().as_str(), "http://127.0.0.1:9/rebilly");
        assert!(!format!("{c:?}").contains("sk-debug-secret"));
        let no_org = RebillyConfig::builder().api_key(key()).build().unwrap_err();
        assert!(no_org.to_string().contains("organization_id"), "{no_org}");
        let no_key = RebillyConfig::builder()
            .organization_id("org-1")
            .build()
            .unwrap_err();
        assert!(no_key.to_string().contains("api_key or jwt"), "{no_key}");
        assert!(
            Environment::parse("LIVE", "rebilly").is_ok()
                && Environment::parse("prod", "rebilly").is_err()
        );
    }
}
