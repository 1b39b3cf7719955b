//! What the Rebilly HTTP tests share: the key, paths, a client for a wiremock server with fast
//! retries, sample records, and the check that the key never shows.
#![allow(dead_code)]

use std::time::Duration;

use billsync_core::rust_decimal::Decimal;
use billsync_core::secrecy::SecretString;
use billsync_core::{
    Address, Contact, Customer, HttpSettings, Payment, PaymentMethod, RetryConfig,
};
use billsync_rebilly::{RebillyClient, RebillyConfig};
use wiremock::{MockServer, ResponseTemplate};

/// The API key; no error, log or Debug may show it.
pub const KEY: &str = "sk_sandbox_SECRET-KEY-0123456789";
pub const CUSTOMER_PATH: &str = "/rebilly/organizations/org-1/customers/cust-1";
pub const TRANSACTIONS_PATH: &str = "/rebilly/organizations/org-1/transactions";

/// Fast retries (5 to 10 ms apart), at most `max_retries` of them.
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

/// A config builder of `org-1`/`web-1` at `server`, without a key yet.
pub fn config(server: &MockServer, max_retries: u32) -> billsync_rebilly::RebillyConfigBuilder {
    RebillyConfig::builder()
        .base_url(format!("{}/rebilly", server.uri()))
        .organization_id("org-1")
        .website_id("web-1")
        .http(settings(max_retries))
}

/// A client of `org-1` at `server` with [`KEY`] and three retries.
pub fn client(server: &MockServer) -> RebillyClient {
    RebillyClient::new(
        config(server, 3)
            .api_key(SecretString::from(KEY))
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// Customer `cust-1` with one contact and a billing address.
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

/// Payment `pay-1` of 35.10 USD by card for `cust-1`.
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

/// An `application/problem+json` answer.
pub fn problem(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/problem+json")
        .set_body_json(body)
}

/// Asserts that neither Display nor Debug of `err` shows the key.
pub fn assert_no_key(err: &billsync_core::Error) {
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(KEY), "{shown}");
    }
}
