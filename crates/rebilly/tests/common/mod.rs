//! What the Rebilly wiremock tests share: the client, its settings, records and problem answers.
#![allow(dead_code)] // Each test file uses its own part of these.

use std::time::Duration;

use billsync_core::rust_decimal::Decimal;
use billsync_core::secrecy::SecretString;
use billsync_core::{
    Address, Contact, Customer, HttpSettings, Payment, PaymentMethod, RetryConfig,
};
use billsync_rebilly::{RebillyClient, RebillyConfig};
use wiremock::{MockServer, ResponseTemplate};

pub const KEY: &str = "sk_sandbox_SECRET-KEY-0123456789";
pub const CUSTOMER_PATH: &str = "/rebilly/organizations/org-1/customers/cust-1";
pub const TRANSACTIONS_PATH: &str = "/rebilly/organizations/org-1/transactions";

pub fn settings(max_retries: u32) -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_secs(5),
        retry: RetryConfig {
            max_retries,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(10),
            max_retry_wait: Duration::from_secs(5),
            ..RetryConfig::default()
        },
        ..HttpSettings::default()
    }
}

pub fn config(server: &MockServer, max_retries: u32) -> billsync_rebilly::RebillyConfigBuilder {
    RebillyConfig::builder()
        .base_url(format!("{}/rebilly", server.uri()))
        .organization_id("org-1")
        .website_id("web-1")
        .http(settings(max_retries))
}

pub fn client(server: &MockServer) -> RebillyClient {
    RebillyClient::new(
        config(server, 3)
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
