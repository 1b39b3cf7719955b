//! Echo's configuration and its builder.

use std::fmt;
use std::marker::PhantomData;

use billsync_core::provider_kit::{ClientSettings, parse_base_url};
use billsync_core::secrecy::SecretString;
use billsync_core::url::Url;
use billsync_core::{Account, Error, HttpSettings, Result};

use crate::PROVIDER;

/// Everything an [`EchoClient`](crate::EchoClient) needs.
#[derive(Clone)]
pub struct EchoConfig {
    pub(crate) base_url: Url,
    pub(crate) token: SecretString,
    pub(crate) http: HttpSettings,
}

impl EchoConfig {
    /// A builder; `base_url` and `api_token` are required.
    pub fn builder() -> EchoConfigBuilder {
        EchoConfigBuilder::default()
    }

    /// The account: the normalized base URL (Echo has no tenant id of its own).
    pub fn account(&self) -> Account {
        Account::new(PROVIDER, &self.base_url)
    }
}

impl fmt::Debug for EchoConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EchoConfig")
            .field("base_url", &self.base_url.as_str())
            .finish_non_exhaustive()
    }
}

/// Builds an [`EchoConfig`], or as [`EchoClientBuilder`](crate::EchoClientBuilder) an
/// [`EchoClient`](crate::EchoClient) in one step.
pub struct EchoConfigBuilder<T = EchoConfig> {
    pub(crate) client: ClientSettings,
    target: PhantomData<fn() -> T>,
    base_url: Option<String>,
    token: Option<SecretString>,
    http: Option<HttpSettings>,
}

impl<T> Default for EchoConfigBuilder<T> {
    fn default() -> Self {
        EchoConfigBuilder {
            client: ClientSettings::default(),
            target: PhantomData,
            base_url: None,
            token: None,
            http: None,
        }
    }
}

impl<T> fmt::Debug for EchoConfigBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EchoConfigBuilder")
            .field("base_url", &self.base_url)
            .field("token_set", &self.token.is_some())
            .finish_non_exhaustive()
    }
}

impl<T> EchoConfigBuilder<T> {
    /// The API's base URL (`https://echo.example/v1`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The bearer token.
    pub fn api_token(mut self, token: impl Into<SecretString>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// HTTP settings: own `reqwest::Client`, timeouts, retries.
    pub fn http(mut self, http: HttpSettings) -> Self {
        self.http = Some(http);
        self
    }

    pub(crate) fn build_config(self) -> Result<EchoConfig> {
        let missing = |k: &str, env: &str| {
            Error::config(format!("{k} is required ({env})")).with_provider(PROVIDER)
        };
        let base = self
            .base_url
            .ok_or_else(|| missing("base_url", "ECHO_BASE_URL"))?;
        Ok(EchoConfig {
            base_url: parse_base_url(&base, "base_url").map_err(|e| e.with_provider(PROVIDER))?,
            token: self
                .token
                .ok_or_else(|| missing("api_token", "ECHO_API_TOKEN"))?,
            http: self.http.unwrap_or_default(),
        })
    }
}

impl EchoConfigBuilder<EchoConfig> {
    /// Checks and builds the configuration.
    pub fn build(self) -> Result<EchoConfig> {
        self.build_config()
    }
}
