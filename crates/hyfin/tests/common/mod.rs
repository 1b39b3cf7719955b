//! What the Hyfin HTTP tests share: a client for a wiremock server, with retries fast enough
//! for tests, Hyfin's answers, and mocks that give them to one method.
#![allow(dead_code)]

use billsync_core::HttpSettings;
use billsync_core::secrecy::SecretString;
use billsync_core::testing::fast_retries;
use billsync_hyfin::{HyfinClient, HyfinConfig, HyfinCustomerApi};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

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

/// An answer with `status` and `body` as JSON.
pub fn reply(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// An answer with `status` and `body` as plain text.
pub fn text(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_string(body)
}

/// A mock that answers every `verb` request with `answer`, before any count is set.
fn on(verb: &str, answer: ResponseTemplate) -> Mock {
    Mock::given(method(verb)).respond_with(answer)
}

/// Answers every `verb` request with `answer`.
pub async fn answer_all(server: &MockServer, verb: &str, answer: ResponseTemplate) {
    on(verb, answer).mount(server).await;
}

/// Answers every `verb` request with `answer`, and fails the test unless exactly `n` came.
pub async fn answer_exactly(server: &MockServer, n: u64, verb: &str, answer: ResponseTemplate) {
    on(verb, answer).expect(n).mount(server).await;
}

/// Answers the first `n` `verb` requests with `answer`, failing the test unless all `n` came;
/// later ones go to the mocks mounted after.
pub async fn answer_first_exactly(
    server: &MockServer,
    n: u64,
    verb: &str,
    answer: ResponseTemplate,
) {
    on(verb, answer)
        .up_to_n_times(n)
        .expect(n)
        .mount(server)
        .await;
}
