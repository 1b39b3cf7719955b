//! What the Payabli wiremock tests share: the client, a customer, Payabli's answers and mocks
//! that give them to one method.
#![allow(dead_code)] // Each test file uses its own part of these.

use billsync_core::secrecy::SecretString;
use billsync_core::testing::fast_retries;
use billsync_core::{Contact, Customer};
use billsync_payabli::{PayabliClient, PayabliConfig};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const TOKEN: &str = "payabli-secret-token-5c4b";
pub const CREATE: &str = "/api/Customer/single/entry-1";
pub const QUERY: &str = "/api/Query/customers/entry-1";

pub fn client(server: &MockServer) -> PayabliClient {
    PayabliClient::new(
        PayabliConfig::builder()
            .base_url(format!("{}/api", server.uri()))
            .entrypoint("entry-1")
            .api_token(SecretString::from(TOKEN))
            .http(fast_retries(2))
            .build()
            .unwrap(),
    )
    .unwrap()
}

pub fn customer() -> Customer {
    Customer::new("cust-77")
        .with_company("ABC Plumbing")
        .with_primary_contact(
            Contact::new("John", "Doe")
                .with_email("johndoe@abc.com")
                .with_phone("333-444-5555"),
        )
}

pub fn none_found() -> ResponseTemplate {
    envelope(200, json!({"Summary": {"totalRecords": 0}, "Records": []}))
}

pub fn found(id: u64) -> ResponseTemplate {
    envelope(
        200,
        json!({
            "Summary": {"totalRecords": 1},
            "Records": [{"customerId": id, "customerNumber": "cust-77", "Firstname": "John"}]
        }),
    )
}

pub fn created(id: u64) -> ResponseTemplate {
    envelope(
        200,
        json!({
            "isSuccess": true, "responseCode": 1, "responseText": "Success",
            "responseData": {"customerId": id, "customerNumber": "cust-77"}
        }),
    )
}

pub fn updated() -> ResponseTemplate {
    envelope(
        200,
        json!({
            "isSuccess": true, "responseCode": 1, "responseData": " ", "responseText": "Success"
        }),
    )
}

/// An answer with `status` and `body` as JSON (Payabli's envelope, or anything else).
pub fn envelope(status: u16, body: Value) -> ResponseTemplate {
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
