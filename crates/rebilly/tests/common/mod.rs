//! What the Rebilly wiremock tests share: the client, records, Rebilly's answers, mocks that
//! give them to one method, and the upserts.
#![allow(dead_code)] // Each test file uses its own part of these.

use billsync_core::rust_decimal::Decimal;
use billsync_core::secrecy::SecretString;
use billsync_core::testing::fast_retries;
use billsync_core::{Address, Contact, Customer, Payment, PaymentMethod, Upsert, Upserted};
use billsync_rebilly::{RebillyClient, RebillyConfig};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const KEY: &str = "sk_sandbox_SECRET-KEY-0123456789";
pub const CUSTOMER_PATH: &str = "/rebilly/organizations/org-1/customers/cust-1";
pub const TRANSACTIONS_PATH: &str = "/rebilly/organizations/org-1/transactions";

pub fn config(server: &MockServer, max_retries: u32) -> billsync_rebilly::RebillyConfigBuilder {
    RebillyConfig::builder()
        .base_url(format!("{}/rebilly", server.uri()))
        .organization_id("org-1")
        .website_id("web-1")
        .http(fast_retries(max_retries))
}

/// A client of `server` with the API key and three retries.
pub fn client(server: &MockServer) -> RebillyClient {
    client_retrying(server, 3)
}

/// A client of `server` with the API key and at most `max_retries` retries.
pub fn client_retrying(server: &MockServer, max_retries: u32) -> RebillyClient {
    RebillyClient::new(
        config(server, max_retries)
            .api_key(SecretString::from(KEY))
            .build()
            .unwrap(),
    )
    .unwrap()
}

pub fn customer() -> Customer {
    Customer::new("cust-1")
        .with_company("ABC Plumbing")
        .with_primary_contact(
            Contact::new("John", "Doe")
                .with_email("johndoe@abc.com")
                .with_phone("333-444-5555")
                .with_billing_address(Address::new(
                    "123 Main Street",
                    "Naples",
                    "FL",
                    "34102",
                    "US",
                )),
        )
}

pub fn payment() -> Payment {
    Payment::new(
        "pay-1",
        "cust-1",
        Decimal::new(3510, 2),
        "USD",
        "2021-01-01T14:32:18Z".parse().unwrap(),
    )
    .with_method(PaymentMethod::Card)
}

/// An answer with `status` and `body` as JSON (a resource, or a list of them).
pub fn resource(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// An answer with `status` and `body` as plain text.
pub fn text(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_string(body)
}

pub fn problem(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/problem+json")
        .set_body_json(body)
}

pub fn assert_no_key(err: &billsync_core::Error) {
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(KEY), "{shown}");
    }
}

/// Upserts [`customer`] with a [`client`] of `server`.
pub async fn upsert_customer(server: &MockServer) -> billsync_core::Result<Upserted> {
    Upsert::<Customer>::upsert(&client(server), &customer()).await
}

/// Upserts [`payment`] with a [`client`] of `server`.
pub async fn upsert_payment(server: &MockServer) -> billsync_core::Result<Upserted> {
    Upsert::<Payment>::upsert(&client(server), &payment()).await
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
