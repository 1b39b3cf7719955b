//! The Rebilly client against wiremock: each answer of `PUT /customers/{id}`, retries, headers,
//! and the key never in an error's text.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use billsync_core::secrecy::SecretString;
use billsync_core::{Customer, ErrorKind, Outcome, Provider, Upsert};
use billsync_rebilly::{RebillyClient, RebillyProblem};
use common::*;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
#[tokio::test]
async fn created_201_reads_location_and_sends_the_key_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(CUSTOMER_PATH))
        .and(header("reb-apikey", KEY))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(json!({
            "websiteId": "web-1",
            "primaryAddress": {
                "firstName": "John",
                "organization": "ABC Plumbing",
                "postalCode": "34102",
                "emails": [{"label": "main", "value": "johndoe@abc.com", "primary": true}],
                "phoneNumbers": [{"label": "main", "value": "333-444-5555", "primary": true}]
            }
        })))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header(
                    "location",
                    "https://api-sandbox.rebilly.com/organizations/org-1/customers/cust-from-location",
                )
                .set_body_json(json!({"websiteId": "web-1"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let done = Upsert::<Customer>::upsert(&c, &customer()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Created);
    assert_eq!(done.provider_id, "cust-from-location");
    assert_eq!(done.provider, "rebilly");
    assert_eq!(done.requests, 1);
}

#[tokio::test]
async fn ok_200_is_an_update_with_the_body_id() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(CUSTOMER_PATH))
        .respond_with(reply(
            200,
            json!({
                "id": "cust-1", "email": "johndoe@abc.com", "revision": 3
            }),
        ))
        .mount(&server)
        .await;
    let done = upsert_customer(&server).await.unwrap();
    assert_eq!(done.outcome, Outcome::Updated);
    assert_eq!(done.provider_id, "cust-1");
}

#[tokio::test]
async fn ids_are_one_percent_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/rebilly/organizations/org-1/customers/a@b.c~d"))
        .respond_with(reply(200, json!({"id": "a@b.c~d"})))
        .expect(1)
        .mount(&server)
        .await;
    let mut c = customer();
    c.external_id = "a@b.c~d".into();
    let done = Upsert::<Customer>::upsert(&client(&server), &c)
        .await
        .unwrap();
    assert_eq!(done.provider_id, "a@b.c~d");
}

#[tokio::test]
async fn jwt_goes_as_bearer() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(header("authorization", "Bearer jwt-token-XYZ"))
        .respond_with(reply(200, json!({"id": "cust-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = RebillyClient::new(
        config(&server, 0)
            .jwt(SecretString::from("jwt-token-XYZ"))
            .build()
            .unwrap(),
    )
    .unwrap();
    Upsert::<Customer>::upsert(&c, &customer()).await.unwrap();
    let requests: Vec<Request> = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("reb-apikey").is_none());
    assert!(!format!("{c:?}").contains("jwt-token-XYZ"));
}

#[tokio::test]
async fn unauthorized_and_forbidden_are_auth_errors_without_the_key() {
    for status in [401, 403] {
        let server = MockServer::start().await;
        let unauthorized = problem(
            status,
            json!({"title": "Unauthorized", "status": status, "detail": "Invalid credentials"}),
        );
        answer_exactly(&server, 1, "PUT", unauthorized).await;
        let err = upsert_customer(&server).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Auth, "{status}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.provider(), Some("rebilly"));
        assert!(!err.is_retryable());
        assert_no_key(&err);
        assert_eq!(
            err.detail::<RebillyProblem>()
                .and_then(|p| p.detail.as_deref()),
            Some("Invalid credentials")
        );
    }
}

#[tokio::test]
async fn conflict_409_is_a_conflict() {
    let server = MockServer::start().await;
    let locked = problem(
        409,
        json!({"title": "Conflict", "status": 409, "detail": "Customer is locked"}),
    );
    answer_all(&server, "PUT", locked).await;
    let err = upsert_customer(&server).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("Customer is locked"), "{err}");
    assert_no_key(&err);
}

#[tokio::test]
async fn validation_422_carries_every_invalid_field() {
    let server = MockServer::start().await;
    let invalid = problem(
        422,
        json!({
            "type": "https://api.rebilly.com/problems/validation-error",
            "title": "Validation error",
            "status": 422,
            "detail": "The request body is invalid",
            "invalidFields": [
                {"field": "primaryAddress.postalCode", "message": "Postal code is invalid"},
                {"field": "websiteId", "message": "Website does not exist"},
                {"field": "customFields.foo", "message": "Unknown custom field"}
            ]
        }),
    );
    answer_exactly(&server, 1, "PUT", invalid).await;
    let err = upsert_customer(&server).await.unwrap_err();
    let fields = err.field_errors();
    assert_eq!(fields.len(), 3, "{err}");
    assert_eq!(fields[0].path, "primaryAddress.postalCode");
    assert_eq!(fields[1].message, "Website does not exist");
    assert_eq!(fields[2].path, "customFields.foo");
    assert_eq!(err.status(), Some(422));
    assert_no_key(&err);
}

fn epoch_in(secs: u64) -> String {
    (SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + secs)
        .to_string()
}

#[tokio::test]
async fn rate_limit_429_waits_until_the_epoch_then_succeeds() {
    let server = MockServer::start().await;
    let wait = problem(429, json!({"title": "Rate Limit Exceeded", "status": 429}))
        .insert_header("x-ratelimit-retry-after", epoch_in(2).as_str());
    answer_first_exactly(&server, 1, "PUT", wait).await;
    answer_exactly(&server, 1, "PUT", reply(200, json!({"id": "cust-1"}))).await;
    let started = std::time::Instant::now();
    let done = upsert_customer(&server).await.unwrap();
    assert_eq!(done.outcome, Outcome::Updated);
    assert_eq!(done.requests, 2);
    // The header is an instant 1 to 2 seconds away: the client waited until it, rather than
    // treating the (huge) number as a delay or ignoring it and backing off for milliseconds.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
}

#[tokio::test]
async fn rate_limit_beyond_the_bounded_wait_is_returned_with_when_to_retry() {
    let server = MockServer::start().await;
    let far = ResponseTemplate::new(429).insert_header("x-ratelimit-retry-after", epoch_in(600));
    answer_exactly(&server, 1, "PUT", far).await;
    let err = upsert_customer(&server).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    let wait = err.retry_after().unwrap();
    assert!(wait > Duration::from_secs(590) && wait <= Duration::from_secs(600));
    assert_eq!((err.status(), err.attempts()), (Some(429), 1));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn server_error_then_success_is_retried() {
    let server = MockServer::start().await;
    answer_first_exactly(&server, 1, "PUT", text(503, "<html>down</html>")).await;
    answer_exactly(&server, 1, "PUT", reply(201, json!({"id": "cust-1"}))).await;
    let done = upsert_customer(&server).await.unwrap();
    assert_eq!(done.outcome, Outcome::Created);
    assert_eq!(done.requests, 2);
}

#[tokio::test]
async fn garbage_answers_are_typed_errors() {
    let server = MockServer::start().await;
    let maintenance = ResponseTemplate::new(200)
        .insert_header("content-type", "text/html")
        .set_body_string("<html>maintenance</html>");
    answer_all(&server, "PUT", maintenance).await;
    let err = upsert_customer(&server).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(!err.to_string().contains("maintenance"), "{err}");

    for (status, body, kind) in [
        (200, "", ErrorKind::Decode),
        (200, "{not json", ErrorKind::Decode),
        (200, "[1, 2]", ErrorKind::Decode),
        (502, "<html>bad gateway</html>", ErrorKind::Unavailable),
        (422, "\u{0}\u{1}garbage", ErrorKind::Rejected),
        // A request timeout left after the retries: unavailable, as for every provider.
        (408, "", ErrorKind::Unavailable),
    ] {
        let server = MockServer::start().await;
        answer_all(&server, "PUT", text(status, body)).await;
        let err = Upsert::<Customer>::upsert(&client_retrying(&server, 0), &customer())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), kind, "{status} {body:?}");
        assert_no_key(&err);
    }
}

#[tokio::test]
async fn invalid_records_send_nothing() {
    let server = MockServer::start().await;
    answer_exactly(&server, 0, "PUT", ResponseTemplate::new(200)).await;
    let mut c = customer();
    c.external_id = "has space".into();
    let err = Upsert::<Customer>::upsert(&client(&server), &c)
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidInput));
    assert_eq!(err.field_errors()[0].path, "external_id");
}

#[tokio::test]
async fn provider_exposes_both_kinds() {
    let server = MockServer::start().await;
    let c = client(&server);
    let p: &dyn Provider = &c;
    assert_eq!(p.name(), "rebilly");
    assert!(p.customers().is_some() && p.payments().is_some());
    assert_eq!(
        p.capabilities().payments,
        billsync_core::Support::CreateOnly
    );
    assert!(!format!("{c:?}").contains(KEY));
}

#[tokio::test]
async fn two_server_errors_then_a_validation_problem_reports_three_attempts_and_its_details() {
    let server = MockServer::start().await;
    answer_first_exactly(&server, 2, "PUT", ResponseTemplate::new(503)).await;
    let invalid = problem(
        422,
        json!({
            "type": "https://api.rebilly.com/errors/validation-error",
            "title": "Validation error", "status": 422,
            "invalidFields": [{"field": "email", "message": "is taken"}]
        }),
    );
    answer_exactly(&server, 1, "PUT", invalid).await;
    let err = upsert_customer(&server).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.attempts(), 3);
    assert_eq!(err.status(), Some(422));
    assert_eq!(
        err.codes(),
        ["https://api.rebilly.com/errors/validation-error"]
    );
    assert_eq!(err.field_errors()[0].path, "email");
    assert_eq!(err.field_errors()[0].message, "is taken");
}
