//! The Rebilly client against wiremock: each answer of `POST /transactions`, a reused
//! `requestId`, retries, and the transaction lookup.

mod common;

use std::sync::Arc;

use billsync_core::{ErrorKind, IdMap, MemoryIdMap, Outcome, Payment, RecordKind, Upsert};
use common::*;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
#[tokio::test]
async fn transaction_post_carries_request_id_and_exact_amount() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRANSACTIONS_PATH))
        .and(header("reb-apikey", KEY))
        .and(body_partial_json(json!({
            "type": "sale",
            "websiteId": "web-1",
            "customerId": "cust-1",
            "currency": "USD",
            "requestId": "pay-1",
            "isProcessedOutside": true,
            "processedTime": "2021-01-01T14:32:18Z",
            "paymentInstruction": {"methods": ["payment-card"]}
        })))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header(
                    "location",
                    "https://api-sandbox.rebilly.com/organizations/org-1/transactions/txn_1",
                )
                .set_body_json(json!({
                    "id": "txn_1", "requestId": "pay-1", "result": "approved", "status": "completed"
                })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);
    let done = Upsert::<Payment>::upsert(&c, &payment()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Created);
    assert_eq!(done.provider_id, "txn_1");
    let sent = &server.received_requests().await.unwrap()[0];
    let text = String::from_utf8_lossy(&sent.body);
    assert!(text.contains("\"amount\":35.10"), "{text}");

    // A repeat is not sent again: the id map remembers the transaction.
    let again = Upsert::<Payment>::upsert(&c, &payment()).await.unwrap();
    assert_eq!(again.outcome, Outcome::Unchanged);
    assert_eq!(again.provider_id, "txn_1");
    assert_eq!(again.requests, 0);
    assert!(
        Upsert::<Payment>::prepare(&c, &payment())
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn transaction_5xx_then_success_is_retried_with_the_same_request_id() {
    let server = MockServer::start().await;
    answer_first(&server, 1, "POST", ResponseTemplate::new(500)).await;
    answer_all(&server, "POST", reply(201, json!({"id": "txn_2"}))).await;
    let done = upsert_payment(&server).await.unwrap();
    assert_eq!((done.outcome, done.requests), (Outcome::Created, 2));
    let bodies: Vec<serde_json::Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn duplicate_request_id_without_an_id_is_looked_up_and_unchanged() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRANSACTIONS_PATH))
        .respond_with(problem(
            409,
            json!({"title": "Conflict", "status": 409,
                "detail": "Transaction with the same requestId already exists"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(TRANSACTIONS_PATH))
        .and(query_param("filter", "requestId:pay-1"))
        .and(query_param("limit", "1"))
        .and(header("reb-apikey", KEY))
        .respond_with(reply(
            200,
            json!([
                {"id": "txn_original", "requestId": "pay-1", "result": "approved"}
            ]),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let ids = Arc::new(MemoryIdMap::new());
    let c = client(&server).with_id_map(ids.clone());
    let done = Upsert::<Payment>::upsert(&c, &payment()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Unchanged);
    assert_eq!(done.provider_id, "txn_original");
    assert_eq!(done.requests, 2);
    assert_eq!(
        ids.get(c.account(), RecordKind::Payment, "pay-1")
            .unwrap()
            .as_deref(),
        Some("txn_original")
    );
}

#[tokio::test]
async fn duplicate_request_id_naming_the_transaction_is_unchanged() {
    let server = MockServer::start().await;
    let used = problem(
        422,
        json!({"title": "Validation error", "status": 422,
                "transactionId": "txn_named",
                "invalidFields": [{"field": "requestId", "message": "requestId has already been used"}]}),
    );
    answer_exactly(&server, 1, "POST", used).await;
    let done = upsert_payment(&server).await.unwrap();
    assert_eq!(
        (done.outcome, done.provider_id.as_str()),
        (Outcome::Unchanged, "txn_named")
    );
}

#[tokio::test]
async fn duplicate_answered_with_the_existing_transaction_is_unchanged() {
    let server = MockServer::start().await;
    let existing = reply(
        200,
        json!({
            "id": "txn_existing", "requestId": "pay-1", "result": "approved"
        }),
    );
    answer_all(&server, "POST", existing).await;
    let done = upsert_payment(&server).await.unwrap();
    assert_eq!(
        (done.outcome, done.provider_id.as_str()),
        (Outcome::Unchanged, "txn_existing")
    );
}

#[tokio::test]
async fn other_conflicts_and_declines_are_errors() {
    let server = MockServer::start().await;
    let blocklisted = problem(
        409,
        json!({"title": "Conflict", "status": 409, "detail": "Customer is blocklisted"}),
    );
    answer_all(&server, "POST", blocklisted).await;
    let err = upsert_payment(&server).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_no_key(&err);

    let server = MockServer::start().await;
    let declined = reply(
        201,
        json!({
            "id": "txn_d", "result": "declined"
        }),
    );
    answer_all(&server, "POST", declined).await;
    let err = upsert_payment(&server).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert!(err.to_string().contains("txn_d"), "{err}");
}

/// Mounts `POST /transactions` answering `status` with `body`, and the `requestId` lookup
/// answering `found`.
async fn conflict_then_lookup(
    status: u16,
    body: serde_json::Value,
    found: serde_json::Value,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRANSACTIONS_PATH))
        .respond_with(problem(status, body))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(TRANSACTIONS_PATH))
        .and(query_param("filter", "requestId:pay-1"))
        .respond_with(reply(200, found))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_409_is_checked_by_lookup_whatever_its_wording() {
    // No word about the requestId: the status is what counts, and the lookup confirms it.
    let server = conflict_then_lookup(
        409,
        json!({"title": "Conflict", "status": 409}),
        json!([{"id": "txn_found", "requestId": "pay-1", "result": "approved"}]),
    )
    .await;
    let done = upsert_payment(&server).await.unwrap();
    assert_eq!(
        (done.outcome, done.provider_id.as_str(), done.requests),
        (Outcome::Unchanged, "txn_found", 2)
    );
}

#[tokio::test]
async fn a_request_id_field_problem_with_no_transaction_behind_it_is_the_answers_error() {
    let server = conflict_then_lookup(
        422,
        json!({"title": "Validation error", "status": 422,
            "invalidFields": [{"field": "requestId", "message": "does not match pattern"}]}),
        json!([]),
    )
    .await;
    let err = upsert_payment(&server).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.field_errors()[0].path, "requestId");
    assert_eq!((err.status(), err.attempts()), (Some(422), 1));
}
