//! What the HTTP core's wiremock tests share: a client with fast retries, and mocks that answer
//! one method.
#![allow(dead_code)] // Each test file uses its own part of these.

use std::time::Duration;

use billsync_core::provider_kit::HttpClient;
use billsync_core::testing::fast_retries;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client named `test` with at most `max_retries` retries, a few milliseconds apart.
pub fn http(max_retries: u32) -> HttpClient {
    HttpClient::new("test", &fast_retries(max_retries)).unwrap()
}

/// An answer with `status` and `body` as JSON.
pub fn reply(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// A `429 Too Many Requests` whose `header` asks to wait `value`.
pub fn too_many(header: &str, value: &str) -> ResponseTemplate {
    ResponseTemplate::new(429).insert_header(header, value)
}

/// A `200 OK` that comes two seconds late: longer than any attempt may take.
pub fn late() -> ResponseTemplate {
    ResponseTemplate::new(200).set_delay(Duration::from_secs(2))
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

/// Answers the first `n` `verb` requests with `answer`; later ones go to the mocks mounted after.
pub async fn answer_first(server: &MockServer, n: u64, verb: &str, answer: ResponseTemplate) {
    on(verb, answer).up_to_n_times(n).mount(server).await;
}

/// [`answer_first`], failing the test unless all `n` came.
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
