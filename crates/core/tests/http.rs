//! The HTTP core against wiremock: what is retried, what is not, and how long it waits.

mod common;

use std::time::{Duration, Instant};

use billsync_core::RetrySafety::{Idempotent, NotAfterSend};
use billsync_core::provider_kit::HttpClient;
use billsync_core::reqwest::Method;
use billsync_core::reqwest::header::HeaderName;
use billsync_core::secrecy::SecretString;
use billsync_core::testing::fast_retries;
use billsync_core::url::Url;
use billsync_core::{ErrorKind, HttpSettings, PreparedRequest, RetryConfig, RetrySafety};
use common::*;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn request(url: &str, retry: RetrySafety) -> PreparedRequest {
    PreparedRequest::new(Method::POST, Url::parse(url).unwrap(), "test.write", retry)
        .with_secret_header(
            HeaderName::from_static("x-key"),
            "",
            &SecretString::from("k-secret"),
        )
        .unwrap()
        .with_header(HeaderName::from_static("idempotency-key"), "key-1")
        .unwrap()
        .with_json(&serde_json::json!({"a": 1}))
        .unwrap()
}

/// [`request`] to `server`.
fn post(server: &MockServer, retry: RetrySafety) -> PreparedRequest {
    request(&server.uri(), retry)
}

#[tokio::test]
async fn idempotent_writes_are_retried_on_5xx_408_429_with_the_same_bytes_and_key() {
    let server = MockServer::start().await;
    for status in [503, 408, 429] {
        answer_first_exactly(&server, 1, "POST", ResponseTemplate::new(status)).await;
    }
    Mock::given(method("POST"))
        .and(header("x-key", "k-secret"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let http = http(3);
    let resp = http.send(&post(&server, Idempotent)).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (200, 4));
    let reqs = server.received_requests().await.unwrap();
    assert!(reqs.windows(2).all(|w| w[0].body == w[1].body));
    assert!(
        reqs.iter()
            .all(|r| r.headers.get("idempotency-key").unwrap() == "key-1")
    );
}

#[tokio::test]
async fn creates_that_cannot_be_deduplicated_are_retried_only_on_429() {
    let server = MockServer::start().await;
    answer_exactly(&server, 1, "POST", ResponseTemplate::new(500)).await;
    let http = http(3);
    let resp = http.send(&post(&server, NotAfterSend)).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (500, 1));

    server.reset().await;
    answer_first(&server, 1, "POST", ResponseTemplate::new(429)).await;
    answer_all(&server, "POST", ResponseTemplate::new(201)).await;
    let resp = http.send(&post(&server, NotAfterSend)).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (201, 2));
}

#[tokio::test]
async fn a_timeout_on_a_create_is_outcome_unknown_and_sent_once() {
    let server = MockServer::start().await;
    answer_all(&server, "POST", late()).await;
    let http = http(3);
    let err = http.send(&post(&server, NotAfterSend)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(!err.to_string().contains("k-secret"));
    assert!(
        err.to_string()
            .contains("timed out after the request was sent"),
        "{err}"
    );
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_creates_then_a_transport_error() {
    // Bind and drop a listener to get a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let http = http(2);
    let err = http
        .send(&request(
            &format!("http://127.0.0.1:{port}/x"),
            NotAfterSend,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(err.is_retryable());
    assert!(err.to_string().contains("3 attempts"), "{err}");
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn the_providers_retry_after_is_honoured_and_a_too_long_one_ends_retries() {
    let server = MockServer::start().await;
    answer_first(&server, 1, "POST", too_many("retry-after", "1")).await;
    answer_all(&server, "POST", ResponseTemplate::new(200)).await;
    let http = http(3);
    let started = Instant::now();
    let resp = http.send(&post(&server, Idempotent)).await.unwrap();
    assert_eq!(resp.attempts, 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );

    server.reset().await;
    answer_exactly(&server, 1, "POST", too_many("retry-after", "600")).await;
    let resp = http.send(&post(&server, Idempotent)).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (429, 1));
    assert_eq!(
        http.retry_after(&resp.headers),
        Some(Duration::from_secs(600))
    );
}

#[tokio::test]
async fn a_custom_retry_after_parser_reads_the_providers_header() {
    fn parser(h: &billsync_core::reqwest::header::HeaderMap) -> Option<Duration> {
        billsync_core::retry::epoch_seconds_until(h, "x-ratelimit-retry-after")
    }
    let server = MockServer::start().await;
    let wait = too_many("x-ratelimit-retry-after", "1000");
    answer_first(&server, 1, "POST", wait).await;
    answer_all(&server, "POST", ResponseTemplate::new(200)).await;
    let http = http(3).with_retry_after_parser(parser);
    // An epoch second long past means "now": retried at once, not after ~1000 s.
    let started = Instant::now();
    let resp = http.send(&post(&server, Idempotent)).await.unwrap();
    assert_eq!(resp.attempts, 2);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn no_retries_when_disabled() {
    let server = MockServer::start().await;
    answer_exactly(&server, 1, "POST", ResponseTemplate::new(503)).await;
    let http = HttpClient::new(
        "test",
        &HttpSettings {
            retry: RetryConfig::none(),
            ..fast_retries(0)
        },
    )
    .unwrap();
    let resp = http.send(&post(&server, Idempotent)).await.unwrap();
    assert_eq!(resp.attempts, 1);
}
