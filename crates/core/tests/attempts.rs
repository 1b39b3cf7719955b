//! The attempts and the retry-after the HTTP core records, as a provider's error reports them.

mod common;

use std::time::Duration;

use billsync_core::provider_kit::{HttpClient, ProviderErrors, RawResponse};
use billsync_core::reqwest::Method;
use billsync_core::reqwest::header::HeaderMap;
use billsync_core::testing::fast_retries;
use billsync_core::url::Url;
use billsync_core::{ErrorKind, HttpSettings, PreparedRequest, RetrySafety};
use common::{answer_all, answer_exactly, answer_first_exactly, late, reply, too_many};
use wiremock::{MockServer, ResponseTemplate};

/// A provider whose error body is `{"code": "..."}`.
#[derive(Debug, serde::Deserialize)]
struct TestProblem {
    code: String,
}

impl ProviderErrors for TestProblem {
    const PROVIDER: &'static str = "test";

    fn parse(resp: &RawResponse) -> Option<Self> {
        serde_json::from_slice(&resp.body).ok()
    }

    fn messages(&self) -> Vec<String> {
        Vec::new()
    }

    fn codes(&self) -> Vec<String> {
        vec![self.code.clone()]
    }

    /// This provider says how long to wait in seconds in `x-wait`, or in `Retry-After`.
    fn retry_after(headers: &HeaderMap) -> Option<Duration> {
        let own = headers
            .get("x-wait")
            .and_then(|v| v.to_str().ok()?.parse().ok());
        own.map(Duration::from_secs)
            .or_else(|| billsync_core::retry::standard_retry_after(headers))
    }
}

/// [`fast_retries`] that sleeps for a provider's retry signal only up to 50 ms.
fn short_waits(max_retries: u32) -> HttpSettings {
    let mut settings = fast_retries(max_retries);
    settings.retry.max_retry_wait = Duration::from_millis(50);
    settings
}

fn http(max_retries: u32) -> HttpClient {
    HttpClient::new("test", &short_waits(max_retries)).unwrap()
}

fn put(server: &MockServer) -> PreparedRequest {
    let url = Url::parse(&format!("{}/things/1", server.uri())).unwrap();
    PreparedRequest::new(Method::PUT, url, "things.put", RetrySafety::Idempotent)
}

async fn fail_then(server: &MockServer, failures: u64, last: ResponseTemplate) {
    let busy = reply(503, serde_json::json!({"code": "busy"}));
    answer_first_exactly(server, failures, "PUT", busy).await;
    answer_all(server, "PUT", last).await;
}

#[tokio::test]
async fn two_failures_then_an_error_answer_is_reported_with_three_attempts() {
    let server = MockServer::start().await;
    let last = reply(503, serde_json::json!({"code": "down"}));
    fail_then(&server, 2, last).await;
    let req = put(&server);
    let resp = http(2).send(&req).await.unwrap();
    assert_eq!(resp.attempts, 3);
    let err = TestProblem::classify(&resp, req.retry);
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.codes(), ["down"]);
    assert_eq!(err.status(), Some(503));
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn two_failures_then_success_takes_three_attempts() {
    let server = MockServer::start().await;
    fail_then(&server, 2, reply(200, serde_json::json!({}))).await;
    let resp = http(4).send(&put(&server)).await.unwrap();
    assert!(resp.status.is_success());
    assert_eq!(resp.attempts, 3);
}

#[tokio::test]
async fn two_failures_then_a_rejection_counts_every_attempt() {
    let server = MockServer::start().await;
    let last = reply(409, serde_json::json!({"code": "taken"}));
    fail_then(&server, 2, last).await;
    let req = put(&server);
    let resp = http(4).send(&req).await.unwrap();
    let err = TestProblem::classify(&resp, req.retry);
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(
        (err.attempts(), err.codes()),
        (3, &["taken".to_owned()][..])
    );
}

#[tokio::test]
async fn a_429_asking_for_too_long_a_wait_gives_its_retry_after() {
    let server = MockServer::start().await;
    answer_exactly(&server, 1, "PUT", too_many("retry-after", "120")).await;
    let req = put(&server);
    let resp = http(3).send(&req).await.unwrap();
    let err = TestProblem::classify(&resp, req.retry);
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(err.attempts(), 1);
    assert!(err.is_retryable());
    assert!(err.to_string().contains("retry in 120s"), "{err}");
}

#[tokio::test]
async fn timeouts_of_a_repeatable_request_end_as_transport_with_every_attempt() {
    let server = MockServer::start().await;
    answer_all(&server, "PUT", late()).await;
    let err = http(2).send(&put(&server)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(err.attempts(), 3);
    assert!(
        err.to_string().contains("timed out after 3 attempts"),
        "{err}"
    );
    assert!(
        std::error::Error::source(&err).is_some(),
        "the timeout is the source"
    );
}

#[tokio::test]
async fn a_client_for_a_provider_waits_as_its_errors_say() {
    let server = MockServer::start().await;
    answer_all(&server, "PUT", too_many("x-wait", "120")).await;
    let req = put(&server);
    // The provider's own signal asks for more than `max_retry_wait`: no retry, and the error
    // says when to come back.
    let settings = short_waits(3);
    let http = HttpClient::for_provider::<TestProblem>(&settings).unwrap();
    assert_eq!(http.provider(), "test");
    let resp = http.send(&req).await.unwrap();
    let err = TestProblem::classify(&resp, req.retry);
    assert_eq!(
        (err.attempts(), err.retry_after()),
        (1, Some(Duration::from_secs(120)))
    );
    // A client that does not know the signal backs off and retries every time.
    let resp = http_plain(&settings).send(&req).await.unwrap();
    assert_eq!(resp.attempts, 4);
}

fn http_plain(settings: &HttpSettings) -> HttpClient {
    HttpClient::new("plain", settings).unwrap()
}
