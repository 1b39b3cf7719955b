//! What the Hyfin HTTP tests share: a client for a wiremock server, with retries fast enough
//! for tests, Hyfin's answers, and mocks that give them to one method.
#![allow(dead_code)]

use billsync_core::HttpSettings;
use billsync_core::secrecy::SecretString;
use billsync_core::testing::fast_retries;
use billsync_hyfin::{HyfinClient, HyfinConfig, HyfinCustomerApi};
pub use billsync_testkit::*;
use wiremock::MockServer;

/// A client of site `site-1` at `server`, with `token`, writing customers through `api`, with
/// two [`fast_retries`].
pub fn client(server: &MockServer, token: &str, api: HyfinCustomerApi) -> HyfinClient {
    client_with(server, token, api, fast_retries(2))
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
