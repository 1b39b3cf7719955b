//! What the Payabli wiremock tests share: the client, a customer, Payabli's answers and mocks
//! that give them to one method.
#![allow(dead_code)] // Each test file uses its own part of these.

use billsync_core::secrecy::SecretString;
use billsync_core::testing::fast_retries;
use billsync_core::{Contact, Customer};
use billsync_payabli::{PayabliClient, PayabliConfig};
pub use billsync_testkit::*;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

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
    reply(200, json!({"Summary": {"totalRecords": 0}, "Records": []}))
}

pub fn found(id: u64) -> ResponseTemplate {
    reply(
        200,
        json!({
            "Summary": {"totalRecords": 1},
            "Records": [{"customerId": id, "customerNumber": "cust-77", "Firstname": "John"}]
        }),
    )
}

pub fn created(id: u64) -> ResponseTemplate {
    reply(
        200,
        json!({
            "isSuccess": true, "responseCode": 1, "responseText": "Success",
            "responseData": {"customerId": id, "customerNumber": "cust-77"}
        }),
    )
}

pub fn updated() -> ResponseTemplate {
    reply(
        200,
        json!({
            "isSuccess": true, "responseCode": 1, "responseData": " ", "responseText": "Success"
        }),
    )
}
