//! What the HTTP core's wiremock tests share: a client with fast retries, and mocks that answer
//! one method.
#![allow(dead_code)] // Each test file uses its own part of these.

use std::time::Duration;

use billsync_core::provider_kit::HttpClient;
use billsync_core::testing::fast_retries;
pub use billsync_testkit::*;
use wiremock::ResponseTemplate;

/// A client named `test` with at most `max_retries` retries, a few milliseconds apart.
pub fn http(max_retries: u32) -> HttpClient {
    HttpClient::new("test", &fast_retries(max_retries)).unwrap()
}

/// A `429 Too Many Requests` whose `header` asks to wait `value`.
pub fn too_many(header: &str, value: &str) -> ResponseTemplate {
    ResponseTemplate::new(429).insert_header(header, value)
}

/// A `200 OK` that comes two seconds late: longer than any attempt may take.
pub fn late() -> ResponseTemplate {
    ResponseTemplate::new(200).set_delay(Duration::from_secs(2))
}
