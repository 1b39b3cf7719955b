//! Hyfin over HTTP, against wiremock: each answer Hyfin can give and what the client makes of it.

mod common;

use std::time::Duration;

use billsync_core::{
    Address, Contact, Customer, ErrorKind, Outcome, Payment, PaymentMethod, PaymentSubType, Upsert,
};
use billsync_hyfin::{HyfinClient, HyfinCustomerApi, HyfinError};
use common::*;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "hyfin-secret-token-9f8e7d";
const CUSTOMER_PATH: &str = "/api/v4/site/site-1/customer/addUpdate";
const CONTACT_PATH: &str = "/api/v4/site/site-1/contact/addUpdate";
const PAYMENT_PATH: &str = "/api/v3/site/site-1/payment/addUpdate";

fn client(server: &MockServer) -> HyfinClient {
    common::client(server, TOKEN, HyfinCustomerApi::V4)
}

fn customer() -> Customer {
    Customer::new("cust-1")
        .with_display_name("ABC Plumbing")
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

fn payment() -> Payment {
    Payment::new(
        "pay-1",
        "cust-1",
        "35.15".parse().unwrap(),
        "USD",
        "2021-01-01T14:32:18Z".parse().unwrap(),
    )
    .with_method(PaymentMethod::Card)
    .with_sub_type(PaymentSubType::Visa)
    .with_gateway_transaction_id("gw-1")
    .with_method_display_name("VISA **** 5123")
}

fn ok(action: &str, id: &str) -> ResponseTemplate {
    reply(200, json!({"success": true, "action": action, "_id": id}))
}

#[tokio::test]
async fn first_upsert_adds_second_updates_the_same_record() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CUSTOMER_PATH))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(
            json!({"_id": "60f720d248f143332af022e0", "display_name": "ABC Plumbing"}),
        ))
        .respond_with(ok("updated", "60f720d248f143332af022e0"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CUSTOMER_PATH))
        .respond_with(ok("added", "60f720d248f143332af022e0"))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let first = client.upsert(&customer()).await.unwrap();
    assert_eq!(first.outcome, Outcome::Created);
    assert_eq!(first.provider_id, "60f720d248f143332af022e0");
    let second = client.upsert(&customer()).await.unwrap();
    assert_eq!(second.outcome, Outcome::Updated);
    assert_eq!(second.provider_id, "60f720d248f143332af022e0");
    let bodies: Vec<serde_json::Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.body_json().unwrap())
        .collect();
    assert!(bodies[0].get("_id").is_none(), "a create sends no _id");
    assert_eq!(bodies[1]["_id"], "60f720d248f143332af022e0");
}

#[tokio::test]
async fn rejected_carries_every_message() {
    let server = MockServer::start().await;
    let refused = reply(
        200,
        json!({"success": false, "errors": ["invalid field2", "missing field_name"]}),
    );
    answer_all(&server, "POST", refused).await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert_eq!(err.messages(), ["invalid field2", "missing field_name"]);
    assert_eq!(err.provider(), Some("hyfin"));
    assert!(
        err.to_string()
            .contains("invalid field2; missing field_name"),
        "{err}"
    );
    let detail = err.detail::<HyfinError>().unwrap();
    assert_eq!(detail.errors.len(), 2);
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "a rejection is not retried"
    );
}

#[tokio::test]
async fn unauthorized_is_an_auth_error_without_the_token() {
    let server = MockServer::start().await;
    answer_all(&server, "POST", text(401, "<html>401 Unauthorized</html>")).await;
    let err = client(&server).upsert(&payment()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status(), Some(401));
    for text in [
        err.to_string(),
        format!("{err:?}"),
        format!("{:?}", client(&server)),
    ] {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
    }
}

#[tokio::test]
async fn rate_limited_then_success_resends_the_same_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PAYMENT_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(PAYMENT_PATH))
        .respond_with(ok("added", "p1"))
        .expect(1)
        .mount(&server)
        .await;
    let done = client(&server).upsert(&payment()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Created);
    assert_eq!(done.requests, 2);
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs[0].body, reqs[1].body);
}

#[tokio::test]
async fn rate_limited_for_too_long_says_when_to_come_back() {
    let server = MockServer::start().await;
    let too_long = ResponseTemplate::new(429).insert_header("retry-after", "3600");
    answer_exactly(&server, 1, "POST", too_long).await;
    let err = client(&server).upsert(&payment()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!((err.status(), err.attempts()), (Some(429), 1));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn server_error_then_success_for_an_idempotent_payment() {
    let server = MockServer::start().await;
    answer_first_exactly(&server, 1, "POST", ResponseTemplate::new(500)).await;
    answer_exactly(&server, 1, "POST", ok("updated", "p1")).await;
    let done = client(&server).upsert(&payment()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Updated);
    assert_eq!(done.requests, 2);
}

#[tokio::test]
async fn server_error_on_a_customer_create_is_not_retried_blindly() {
    let server = MockServer::start().await;
    answer_exactly(&server, 1, "POST", ResponseTemplate::new(500)).await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn server_errors_exhaust_retries_on_updates() {
    let server = MockServer::start().await;
    answer_exactly(&server, 3, "POST", ResponseTemplate::new(503)).await;
    let err = client(&server).upsert(&payment()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert_eq!(err.status(), Some(503));
}

#[tokio::test]
async fn malformed_or_empty_bodies_are_decode_errors() {
    for body in [
        "{\"success\": tru",
        "",
        "<html>oops</html>",
        "{\"success\": true}",
    ] {
        let server = MockServer::start().await;
        answer_all(&server, "POST", text(200, body)).await;
        let err = client(&server).upsert(&payment()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "body {body:?}");
    }
}

#[tokio::test]
async fn timeouts_retry_idempotent_writes_but_not_creates() {
    let server = MockServer::start().await;
    let late = ok("added", "x").set_delay(Duration::from_secs(2));
    answer_all(&server, "POST", late).await;
    let client = client(&server);
    let err = client.upsert(&payment()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        3,
        "first attempt and two retries"
    );

    server.reset().await;
    let late = ok("added", "x").set_delay(Duration::from_secs(2));
    answer_all(&server, "POST", late).await;
    let err = client.upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "a create is sent once"
    );
}

#[tokio::test]
async fn nothing_is_sent_for_an_invalid_record() {
    let server = MockServer::start().await;
    let mut bad = customer();
    bad.primary_contact = None;
    bad.display_name = None;
    let err = client(&server).upsert(&bad).await.unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["display_name", "primary_contact"]);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn several_contacts_are_added_first_then_referenced() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CONTACT_PATH))
        .and(body_partial_json(json!({"first_name": "John"})))
        .respond_with(ok("added", "6839e415564d3cc21603221e"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CONTACT_PATH))
        .and(body_partial_json(json!({"first_name": "Mary"})))
        .respond_with(ok("added", "6839e415564d3cc2160t623c"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CUSTOMER_PATH))
        .respond_with(ok("added", "c1"))
        .mount(&server)
        .await;
    let customer =
        customer().with_contact(Contact::new("Mary", "Major").with_email("office@abc.com"));
    let client = client(&server);
    let done = client.upsert(&customer).await.unwrap();
    assert_eq!((done.outcome, done.requests), (Outcome::Created, 3));
    let reqs = server.received_requests().await.unwrap();
    let body: serde_json::Value = reqs[2].body_json().unwrap();
    assert_eq!(
        body,
        json!({
            "display_name": "ABC Plumbing",
            "contacts": [
                {"_id": "6839e415564d3cc21603221e", "isPrimary": true},
                {"_id": "6839e415564d3cc2160t623c", "isPrimary": false}
            ]
        })
    );
    // Second time round the contacts are updated by id, not added again.
    client.upsert(&customer).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let again: serde_json::Value = reqs[3].body_json().unwrap();
    assert_eq!(again["_id"], "6839e415564d3cc21603221e");
}
