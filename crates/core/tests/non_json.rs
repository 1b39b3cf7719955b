//! A success answer whose body is not JSON (a proxy's HTML page) against wiremock: retried like a
//! 5xx when the request is safe to repeat, never when it is not.

use std::time::Duration;

use billsync_core::provider_kit::HttpClient;
use billsync_core::reqwest::Method;
use billsync_core::url::Url;
use billsync_core::{HttpSettings, PreparedRequest, RetryConfig, RetrySafety};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROXY_PAGE: &str = "<html><body><h1>Welcome to nginx!</h1></body></html>";

fn http(max_retries: u32) -> HttpClient {
    let settings = HttpSettings {
        timeout: Duration::from_millis(500),
        retry: RetryConfig {
            max_retries,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(10),
            ..RetryConfig::default()
        },
        ..HttpSettings::default()
    };
    HttpClient::new("test", &settings).unwrap()
}

fn html() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(PROXY_PAGE, "text/html")
}

fn get(server: &MockServer) -> PreparedRequest {
    let url = Url::parse(&format!("{}/customers/c-1", server.uri())).unwrap();
    PreparedRequest::new(Method::GET, url, "test.read", RetrySafety::Idempotent)
}

fn create(server: &MockServer) -> PreparedRequest {
    let url = Url::parse(&format!("{}/customers", server.uri())).unwrap();
    PreparedRequest::new(Method::POST, url, "test.create", RetrySafety::NotAfterSend)
        .with_json(&serde_json::json!({"name": "x"}))
        .unwrap()
}

#[tokio::test]
async fn an_html_page_with_200_is_retried_and_the_json_answer_after_it_is_returned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(html())
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "c-1"})))
        .mount(&server)
        .await;
    let resp = http(3).send(&get(&server)).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (200, 3));
    let body: serde_json::Value = resp.json("test").unwrap();
    assert_eq!(body["id"], "c-1");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_cut_off_json_body_and_plain_text_count_as_not_json_too() {
    for body in ["{\"id\": \"c-", "Service Temporarily Unavailable"] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
            .mount(&server)
            .await;
        let resp = http(3).send(&get(&server)).await.unwrap();
        assert_eq!((resp.status.as_u16(), resp.attempts), (200, 2), "{body}");
        assert_eq!(&resp.body[..], b"{\"ok\":true}", "{body}");
    }
}

#[tokio::test]
async fn when_retries_run_out_the_last_page_is_returned_for_the_provider_to_refuse() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(html())
        .expect(3)
        .mount(&server)
        .await;
    let resp = http(2).send(&get(&server)).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (200, 3));
    assert_eq!(&resp.body[..], PROXY_PAGE.as_bytes());
    let err = resp.json::<serde_json::Value>("test").unwrap_err();
    assert_eq!(err.kind(), billsync_core::ErrorKind::Decode);
}

#[tokio::test]
async fn a_create_that_cannot_be_deduplicated_is_not_repeated_on_a_page() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(html())
        .expect(1)
        .mount(&server)
        .await;
    let resp = http(3).send(&create(&server)).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (200, 1));
}

#[tokio::test]
async fn json_and_empty_success_answers_are_not_retried() {
    for template in [
        ResponseTemplate::new(200).set_body_json(serde_json::json!([1, 2])),
        ResponseTemplate::new(204),
        ResponseTemplate::new(200).set_body_raw("  \n", "text/plain"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(template)
            .expect(1)
            .mount(&server)
            .await;
        let resp = http(3).send(&get(&server)).await.unwrap();
        assert_eq!(resp.attempts, 1);
    }
}

#[tokio::test]
async fn a_non_json_client_error_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(PROXY_PAGE, "text/html"))
        .expect(1)
        .mount(&server)
        .await;
    let resp = http(3).send(&get(&server)).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (403, 1));
}
