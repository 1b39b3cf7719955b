//! Payabli over HTTP, against wiremock: what each error answer becomes, and what is never
//! sent.

mod common;

use billsync_core::{ErrorKind, Outcome, Payment, Provider, Upsert};
use billsync_payabli::PayabliError;
use common::*;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_400_envelope_is_rejected_with_explanation_and_todo() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(none_found())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "isSuccess": false, "responseCode": 3003, "responseText": "Invalid parameter",
            "pageidentifier": null,
            "responseData": {"explanation": "Invalid customer identifiers", "todoAction": "Send an identifier"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Rejected);
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
    Mock::given(method("GET"))
        .respond_with(none_found())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "isSuccess": false, "responseCode": 2, "responseText": "Declined", "responseData": null
        })))
        .mount(&server)
        .await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Rejected);
    assert_eq!(err.messages(), ["Declined"]);
}

#[tokio::test]
async fn unauthorized_is_auth_and_never_shows_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Auth);
    for text in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[tokio::test]
async fn rate_limited_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(none_found())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(created(8))
        .mount(&server)
        .await;
    let done = client(&server).upsert(&customer()).await.unwrap();
    assert_eq!((done.outcome, done.requests), (Outcome::Created, 3));
}

#[tokio::test]
async fn garbage_and_bare_ids() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(none_found())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>gateway</html>"))
        .mount(&server)
        .await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Decode);

    for data in [json!(123), json!("123")] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(none_found())
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"isSuccess": true, "responseData": data})),
            )
            .mount(&server)
            .await;
        let done = client(&server).upsert(&customer()).await.unwrap();
        assert_eq!(done.provider_id, "123");
    }
}

#[tokio::test]
async fn a_remembered_id_gone_at_payabli_is_looked_up_again() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(none_found())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(created(10))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(created(11))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/Customer/10"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"isSuccess": false, "responseText": "Not found"})),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    assert_eq!(client.upsert(&customer()).await.unwrap().provider_id, "10");
    let again = client.upsert(&customer()).await.unwrap();
    assert_eq!(
        (again.outcome, again.provider_id.as_str()),
        (Outcome::Created, "11")
    );
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let server = MockServer::start().await;
    let mut bad = customer();
    bad.utc_offset_hours = Some(13);
    bad.external_id = "x".repeat(251);
    let err = client(&server).upsert(&bad).await.unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["external_id", "utc_offset_hours"]);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn payments_are_unsupported_through_the_dynamic_path() {
    let server = MockServer::start().await;
    let client: Box<dyn Provider> = Box::new(client(&server));
    assert!(!client.capabilities().payments.is_supported());
    let payment = Payment::new(
        "p1",
        "cust-77",
        "1.00".parse().unwrap(),
        "USD",
        "2024-01-01T00:00:00Z".parse().unwrap(),
    );
    let err = client.upsert_payment(&payment).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Unsupported);
    assert_eq!(
        err.to_string(),
        "payabli: payabli does not support syncing payments"
    );
}
