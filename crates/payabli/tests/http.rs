//! Payabli over HTTP, against wiremock: lookup, create, update and retries.

mod common;

use billsync_core::{ErrorKind, IdempotencyKey, Outcome, Payment, Provider, Upsert, UpsertOptions};
use common::*;
use serde_json::json;
use wiremock::matchers::{header, header_exists, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_new_customer_is_looked_up_then_created_then_updated_by_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(QUERY))
        .and(query_param("customernumber(eq)", "cust-77"))
        .and(header("requesttoken", TOKEN))
        .respond_with(none_found())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CREATE))
        .and(query_param("forceCustomerCreation", "false"))
        .and(query_param("replaceExisting", "0"))
        .and(header_exists("idempotencykey"))
        .respond_with(created(4242))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/Customer/4242"))
        .respond_with(updated())
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);

    let first = client.upsert(&customer()).await.unwrap();
    assert_eq!(
        (first.outcome, first.provider_id.as_str(), first.requests),
        (Outcome::Created, "4242", 2)
    );
    let body: serde_json::Value = server.received_requests().await.unwrap()[1]
        .body_json()
        .unwrap();
    assert_eq!(body["customerNumber"], "cust-77");
    assert_eq!(body["identifierFields"], json!(["customernumber"]));

    // The id is remembered: one PUT, no lookup.
    let second = client.upsert(&customer()).await.unwrap();
    assert_eq!((second.outcome, second.requests), (Outcome::Updated, 1));
}

#[tokio::test]
async fn an_existing_customer_created_elsewhere_is_found_and_updated() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(QUERY))
        .respond_with(found(99))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/api/Customer/99"))
        .respond_with(updated())
        .expect(1)
        .mount(&server)
        .await;
    answer_exactly(&server, 0, "POST", created(1)).await;
    let done = client(&server).upsert(&customer()).await.unwrap();
    assert_eq!(
        (done.outcome, done.provider_id.as_str(), done.requests),
        (Outcome::Updated, "99", 2)
    );
}

#[tokio::test]
async fn the_idempotency_key_is_the_same_on_a_retried_create() {
    let server = MockServer::start().await;
    answer_all(&server, "GET", none_found()).await;
    answer_first_exactly(&server, 1, "POST", ResponseTemplate::new(503)).await;
    answer_exactly(&server, 1, "POST", created(5)).await;
    let key = IdempotencyKey::new("key-abc-123").unwrap();
    let done = client(&server)
        .upsert_with(&customer(), &UpsertOptions::with_idempotency_key(key))
        .await
        .unwrap();
    assert_eq!((done.outcome, done.requests), (Outcome::Created, 3));
    let keys: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| {
            r.headers
                .get("idempotencykey")
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(keys, ["key-abc-123", "key-abc-123"]);
}

#[tokio::test]
async fn a_duplicate_key_after_a_retry_means_the_first_attempt_created_it() {
    let server = MockServer::start().await;
    answer_first(&server, 1, "GET", none_found()).await;
    answer_all(&server, "GET", found(31)).await;
    answer_first(&server, 1, "POST", ResponseTemplate::new(502)).await;
    answer_all(&server, "POST", text(409, "Duplicated idempotencyKey: k")).await;
    let done = client(&server).upsert(&customer()).await.unwrap();
    assert_eq!(
        (done.outcome, done.provider_id.as_str()),
        (Outcome::Created, "31")
    );
}

#[tokio::test]
async fn a_conflict_on_a_first_attempt_is_an_error_not_retried() {
    let server = MockServer::start().await;
    answer_all(&server, "GET", none_found()).await;
    let duplicate_key = text(409, "Duplicated idempotencyKey: k");
    answer_exactly(&server, 1, "POST", duplicate_key).await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(
        err.to_string().contains("Duplicated idempotencyKey"),
        "{err}"
    );
}

#[tokio::test]
async fn a_remembered_id_gone_at_payabli_is_looked_up_again() {
    let server = MockServer::start().await;
    answer_all(&server, "GET", none_found()).await;
    answer_first(&server, 1, "POST", created(10)).await;
    answer_all(&server, "POST", created(11)).await;
    Mock::given(method("PUT"))
        .and(path("/api/Customer/10"))
        .respond_with(reply(
            404,
            json!({"isSuccess": false, "responseText": "Not found"}),
        ))
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
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert_eq!(
        err.to_string(),
        "payabli: payabli does not support syncing payments"
    );
}

#[tokio::test]
async fn after_a_listing_prepare_and_upsert_both_skip_the_lookup() {
    let server = MockServer::start().await;
    // The listing: one page, one customer that is not ours.
    Mock::given(method("GET"))
        .and(path(QUERY))
        .and(query_param("fromRecord", "0"))
        .respond_with(reply(
            200,
            json!({"Summary": {"totalRecords": 1},
                   "Records": [{"customerId": 5, "customerNumber": "other-1"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CREATE))
        .respond_with(created(4242))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let before: Vec<_> = client.prepare(&customer()).unwrap();
    assert_eq!(
        before.iter().map(|r| r.operation).collect::<Vec<_>>(),
        ["customer.lookup", "customer.create"]
    );

    assert_eq!(
        client
            .warm_up(billsync_core::RecordKind::Customer)
            .await
            .unwrap(),
        1
    );
    let after = client.prepare(&customer()).unwrap();
    assert_eq!(
        after.iter().map(|r| r.operation).collect::<Vec<_>>(),
        ["customer.create"]
    );
    assert_eq!(after[0].body, before[1].body);
    let done = client.upsert(&customer()).await.unwrap();
    assert_eq!(
        (done.outcome, done.provider_id.as_str(), done.requests),
        (Outcome::Created, "4242", 1)
    );
    // Two requests in all: the listing and the create; no lookup by customer number.
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter()
            .all(|r| !r.url.query().unwrap_or("").contains("customernumber"))
    );
}
