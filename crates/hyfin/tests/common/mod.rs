//! What the Hyfin HTTP tests share: a client for a wiremock server, with retries fast enough
//! for tests.
#![allow(dead_code)]

use std::time::Duration;

use billsync_core::secrecy::SecretString;
use billsync_core::{HttpSettings, RetryConfig};
use billsync_hyfin::{HyfinClient, HyfinConfig, HyfinCustomerApi};
use wiremock::MockServer;

/// A 500 ms timeout and two retries, 5 to 20 ms apart.
pub fn fast_retries() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_millis(500),
        retry: RetryConfig {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
            ..RetryConfig::default()
        },
        ..HttpSettings::default()
    }
}

/// A client of site `site-1` at `server`, with `token`, writing customers through `api`, with
/// [`fast_retries`].
pub fn client(server: &MockServer, token: &str, api: HyfinCustomerApi) -> HyfinClient {
    client_with(server, token, api, fast_retries())
}

/// [`client`] with other HTTP settings.
pub fn client_with(
    server: &MockServer,
    token: &str,
    api: HyfinCustomerApi,
    http: HttpSettings,
) -> HyfinClient {
    HyfinClient::new(
        HyfinConfig::builder()
            .base_url(server.uri())
            .site_id("site-1")
            .api_token(SecretString::from(token))
            .customer_api(api)
            .http(http)
            .build()
            .unwrap(),
    )
    .unwrap()
}
