//! What billsync's wiremock tests share, in core and in every provider crate: answers, and mocks
//! that give them to one HTTP method. A dev-dependency only (`publish = false`): cargo leaves
//! it out of the packaged crates.
//!
//! The four mount helpers map one-to-one onto wiremock's own calls, so a test reads as what it
//! sets up: [`answer_all`] (`.mount`), [`answer_exactly`] (`.expect(n)`), [`answer_first`]
//! (`.up_to_n_times(n)`) and [`answer_first_exactly`] (both). A mock that must also match a
//! path, a header or a body is written out with wiremock in the test itself.

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An answer with `status` and `body` as JSON.
pub fn reply(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// An answer with `status` and `body` as plain text (what a proxy or a gateway sends).
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
