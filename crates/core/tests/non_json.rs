//! A success answer whose body is not JSON (a proxy's HTML page) against wiremock: retried like a
//! 5xx when the request is safe to repeat, never when it is not.

mod common;

use billsync_core::reqwest::Method;
use billsync_core::url::Url;
use billsync_core::{PreparedRequest, RetrySafety};
use common::*;
use wiremock::{MockServer, ResponseTemplate};

const PROXY_PAGE: &str = "<html><body><h1>Welcome to nginx!</h1></body></html>";

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
    answer_first(&server, 2, "GET", html()).await;
    answer_all(&server, "GET", reply(200, serde_json::json!({"id": "c-1"}))).await;
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
        let cut_off = ResponseTemplate::new(200).set_body_raw(body, "application/json");
        answer_first(&server, 1, "GET", cut_off).await;
        answer_all(&server, "GET", reply(200, serde_json::json!({"ok": true}))).await;
        let resp = http(3).send(&get(&server)).await.unwrap();
        assert_eq!((resp.status.as_u16(), resp.attempts), (200, 2), "{body}");
        assert_eq!(&resp.body[..], b"{\"ok\":true}", "{body}");
    }
}

#[tokio::test]
async fn when_retries_run_out_the_last_page_is_returned_for_the_provider_to_refuse() {
    let server = MockServer::start().await;
    answer_exactly(&server, 3, "GET", html()).await;
    let resp = http(2).send(&get(&server)).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (200, 3));
    assert_eq!(&resp.body[..], PROXY_PAGE.as_bytes());
    let err = resp.json::<serde_json::Value>("test").unwrap_err();
    assert_eq!(err.kind(), billsync_core::ErrorKind::Decode);
}

#[tokio::test]
async fn a_create_that_cannot_be_deduplicated_is_not_repeated_on_a_page() {
    let server = MockServer::start().await;
    answer_exactly(&server, 1, "POST", html()).await;
    let resp = http(3).send(&create(&server)).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (200, 1));
}

#[tokio::test]
async fn json_and_empty_success_answers_are_not_retried() {
    for template in [
        reply(200, serde_json::json!([1, 2])),
        ResponseTemplate::new(204),
        ResponseTemplate::new(200).set_body_raw("  \n", "text/plain"),
    ] {
        let server = MockServer::start().await;
        answer_exactly(&server, 1, "GET", template).await;
        let resp = http(3).send(&get(&server)).await.unwrap();
        assert_eq!(resp.attempts, 1);
    }
}

#[tokio::test]
async fn a_non_json_client_error_is_not_retried() {
    let server = MockServer::start().await;
    let forbidden = ResponseTemplate::new(403).set_body_raw(PROXY_PAGE, "text/html");
    answer_exactly(&server, 1, "GET", forbidden).await;
    let resp = http(3).send(&get(&server)).await.unwrap();
    assert_eq!((resp.status.as_u16(), resp.attempts), (403, 1));
}
