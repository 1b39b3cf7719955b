//! Payabli over HTTP, against wiremock: every error answer, and the duplicates it tells apart.

mod common;

use billsync_core::{ErrorKind, Outcome, Upsert};
use billsync_payabli::PayabliError;
use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_400_envelope_is_rejected_with_explanation_and_todo() {
    let server = MockServer::start().await;
    answer_all(&server, "GET", none_found()).await;
    let invalid = reply(
        400,
        json!({
            "isSuccess": false, "responseCode": 3003, "responseText": "Invalid parameter",
            "pageidentifier": null,
            "responseData": {"explanation": "Invalid customer identifiers", "todoAction": "Send an identifier"}
        }),
    );
    answer_exactly(&server, 1, "POST", invalid).await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert_eq!(
        err.messages(),
        [
            "Invalid parameter",
            "Invalid customer identifiers",
            "to do: Send an identifier"
        ]
    );
    assert_eq!(
        err.detail::<PayabliError>().unwrap().response_code,
        Some(3003)
    );
}

#[tokio::test]
async fn declined_with_200_is_rejected() {
    let server = MockServer::start().await;
    answer_all(&server, "GET", none_found()).await;
    let declined = reply(
        200,
        json!({
            "isSuccess": false, "responseCode": 2, "responseText": "Declined", "responseData": null
        }),
    );
    answer_all(&server, "POST", declined).await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert_eq!(err.messages(), ["Declined"]);
}

#[tokio::test]
async fn unauthorized_is_auth_and_never_shows_the_token() {
    let server = MockServer::start().await;
    answer_all(&server, "GET", ResponseTemplate::new(401)).await;
    let client = client(&server);
    let err = client.upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    for text in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[tokio::test]
async fn rate_limited_then_success() {
    let server = MockServer::start().await;
    answer_first(&server, 1, "GET", ResponseTemplate::new(429)).await;
    answer_all(&server, "GET", none_found()).await;
    answer_all(&server, "POST", created(8)).await;
    let done = client(&server).upsert(&customer()).await.unwrap();
    assert_eq!((done.outcome, done.requests), (Outcome::Created, 3));
}

#[tokio::test]
async fn garbage_and_bare_ids() {
    let server = MockServer::start().await;
    answer_all(&server, "GET", none_found()).await;
    answer_all(&server, "POST", text(200, "<html>gateway</html>")).await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);

    for data in [json!(123), json!("123")] {
        let server = MockServer::start().await;
        answer_all(&server, "GET", none_found()).await;
        let bare = reply(200, json!({"isSuccess": true, "responseData": data}));
        answer_all(&server, "POST", bare).await;
        let done = client(&server).upsert(&customer()).await.unwrap();
        assert_eq!(done.provider_id, "123");
    }
}

#[tokio::test]
async fn a_409_envelope_to_a_create_is_an_existing_customer_found_and_updated() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(QUERY))
        .respond_with(none_found())
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(QUERY))
        .respond_with(found(55))
        .expect(1)
        .mount(&server)
        .await;
    // No "already exists" wording: the 409 with Payabli's envelope is what counts.
    Mock::given(method("POST"))
        .and(path(CREATE))
        .respond_with(reply(
            409,
            json!({
                "isSuccess": false, "responseCode": 3, "responseText": "Conflict",
                "responseData": {"explanation": "Identifiers matched.", "todoAction": "Update it."}
            }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/Customer/55"))
        .respond_with(updated())
        .expect(1)
        .mount(&server)
        .await;
    let done = client(&server).upsert(&customer()).await.unwrap();
    assert_eq!(
        (done.outcome, done.provider_id.as_str(), done.requests),
        (Outcome::Updated, "55", 4)
    );
}

#[tokio::test]
async fn two_server_errors_then_a_rejection_reports_three_attempts_and_the_code() {
    let server = MockServer::start().await;
    answer_all(&server, "GET", none_found()).await;
    answer_first_exactly(&server, 2, "POST", text(503, "Service Unavailable")).await;
    let invalid = reply(
        400,
        json!({
            "isSuccess": false, "responseCode": 3003, "responseText": "Invalid parameter",
            "responseData": {"explanation": "zip is invalid", "todoAction": "Fix the zip."}
        }),
    );
    answer_exactly(&server, 1, "POST", invalid).await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.codes(), ["3003"]);
    assert_eq!(err.status(), Some(400));
}
