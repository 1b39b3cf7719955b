//! What the Payabli wiremock tests share: the client, a customer and Payabli's answers.
#![allow(dead_code)] // Each test file uses its own part of these.

use std::time::Duration;

use billsync_core::secrecy::SecretString;
use billsync_core::{Contact, Customer, HttpSettings, RetryConfig};
use billsync_payabli::{PayabliClient, PayabliConfig};
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
            .http(HttpSettings {
                timeout: Duration::from_millis(500),
                retry: RetryConfig {
                    max_retries: 2,
                    initial_backoff: Duration::from_millis(5),
                    max_backoff: Duration::from_millis(20),
                    ..RetryConfig::default()
                },
                ..HttpSettings::default()
            })
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
    ResponseTemplate::new(200).set_body_json(json!({"Summary": {"totalRecords": 0}, "Records": []}))
}

pub fn found(id: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "Summary": {"totalRecords": 1},
        "Records": [{"customerId": id, "customerNumber": "cust-77", "Firstname": "John"}]
    }))
}

pub fn created(id: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "isSuccess": true, "responseCode": 1, "responseText": "Success",
        "responseData": {"customerId": id, "customerNumber": "cust-77"}
    }))
}

pub fn updated() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "isSuccess": true, "responseCode": 1, "responseData": " ", "responseText": "Success"
    }))
}
