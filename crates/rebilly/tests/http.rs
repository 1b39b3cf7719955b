//! The Rebilly client against wiremock: each answer of `PUT /customers/{id}` and
//! `POST /transactions`, retries, headers, and the key never in an error's text.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use billsync_core::rust_decimal::Decimal;
use billsync_core::secrecy::SecretString;
use billsync_core::{
    Address, Contact, Customer, ErrorKind, HttpSettings, IdMap, MemoryIdMap, Outcome, Payment,
    PaymentMethod, Provider, RecordKind, RetryConfig, Upsert,
};
use billsync_rebilly::{RebillyClient, RebillyConfig, RebillyProblem};
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_sandbox_SECRET-KEY-0123456789";
const CUSTOMER_PATH: &str = "/rebilly/organizations/org-1/customers/cust-1";
const TRANSACTIONS_PATH: &str = "/rebilly/organizations/org-1/transactions";

fn settings(max_retries: u32) -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_secs(5),
        retry: RetryConfig {
            max_retries,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(10),
            max_retry_wait: Duration::from_secs(5),
            ..RetryConfig::default()
        },
        ..HttpSettings::default()
    }
}

fn config(server: &MockServer, max_retries: u32) -> billsync_rebilly::RebillyConfigBuilder {
    RebillyConfig::builder()
        .base_url(format!("{}/rebilly", server.uri()))
        .organization_id("org-1")
        .website_id("web-1")
        .http(settings(max_retries))
}

fn client(server: &MockServer) -> RebillyClient {
    RebillyClient::new(
        config(server, 3)
            .api_key(SecretString::from(KEY))
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn customer() -> Customer {
    Customer::new("cust-1")
        .with_company("ABC Plumbing")
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
        Decimal::new(3510, 2),
        "USD",
        "2021-01-01T14:32:18Z".parse().unwrap(),
    )
    .with_method(PaymentMethod::Card)
}

fn problem(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/problem+json")
        .set_body_json(body)
}

fn assert_no_key(err: &billsync_core::Error) {
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(KEY), "{shown}");
    }
}

#[tokio::test]
async fn created_201_reads_location_and_sends_the_key_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(CUSTOMER_PATH))
        .and(header("reb-apikey", KEY))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(serde_json::json!({
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
                .set_body_json(serde_json::json!({"websiteId": "web-1"})),
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
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "cust-1", "email": "johndoe@abc.com", "revision": 3
        })))
        .mount(&server)
        .await;
    let done = Upsert::<Customer>::upsert(&client(&server), &customer())
        .await
        .unwrap();
    assert_eq!(done.outcome, Outcome::Updated);
    assert_eq!(done.provider_id, "cust-1");
}

#[tokio::test]
async fn ids_are_one_percent_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/rebilly/organizations/org-1/customers/a@b.c~d"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "a@b.c~d"})),
        )
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
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "cust-1"})))
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
        Mock::given(method("PUT"))
            .respond_with(problem(
                status,
                serde_json::json!({"title": "Unauthorized", "status": status, "detail": "Invalid credentials"}),
            ))
            .expect(1)
            .mount(&server)
            .await;
        let err = Upsert::<Customer>::upsert(&client(&server), &customer())
            .await
            .unwrap_err();
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
    Mock::given(method("PUT"))
        .respond_with(problem(
            409,
            serde_json::json!({"title": "Conflict", "status": 409, "detail": "Customer is locked"}),
        ))
        .mount(&server)
        .await;
    let err = Upsert::<Customer>::upsert(&client(&server), &customer())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("Customer is locked"), "{err}");
    assert_no_key(&err);
}

#[tokio::test]
async fn validation_422_carries_every_invalid_field() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(problem(
            422,
            serde_json::json!({
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
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = Upsert::<Customer>::upsert(&client(&server), &customer())
        .await
        .unwrap_err();
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
    Mock::given(method("PUT"))
        .respond_with(
            problem(
                429,
                serde_json::json!({"title": "Rate Limit Exceeded", "status": 429}),
            )
            .insert_header("x-ratelimit-retry-after", epoch_in(2).as_str()),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "cust-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let done = Upsert::<Customer>::upsert(&client(&server), &customer())
        .await
        .unwrap();
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
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-retry-after", epoch_in(600).as_str()),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = Upsert::<Customer>::upsert(&client(&server), &customer())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    let wait = err.retry_after().unwrap();
    assert!(wait > Duration::from_secs(590) && wait <= Duration::from_secs(600));
    assert_eq!((err.status(), err.attempts()), (Some(429), 1));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn server_error_then_success_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>down</html>"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "cust-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let done = Upsert::<Customer>::upsert(&client(&server), &customer())
        .await
        .unwrap();
    assert_eq!(done.outcome, Outcome::Created);
    assert_eq!(done.requests, 2);
}

#[tokio::test]
async fn garbage_answers_are_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/html")
                .set_body_string("<html>maintenance</html>"),
        )
        .mount(&server)
        .await;
    let err = Upsert::<Customer>::upsert(&client(&server), &customer())
        .await
        .unwrap_err();
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
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&server)
            .await;
        let c = RebillyClient::new(
            config(&server, 0)
                .api_key(SecretString::from(KEY))
                .build()
                .unwrap(),
        )
        .unwrap();
        let err = Upsert::<Customer>::upsert(&c, &customer())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), kind, "{status} {body:?}");
        assert_no_key(&err);
    }
}

#[tokio::test]
async fn invalid_records_send_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let mut c = customer();
    c.external_id = "has space".into();
    let err = Upsert::<Customer>::upsert(&client(&server), &c)
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidInput));
    assert_eq!(err.field_errors()[0].path, "external_id");
}

#[tokio::test]
async fn transaction_post_carries_request_id_and_exact_amount() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRANSACTIONS_PATH))
        .and(header("reb-apikey", KEY))
        .and(body_partial_json(serde_json::json!({
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
                .set_body_json(serde_json::json!({
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
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "txn_2"})))
        .mount(&server)
        .await;
    let done = Upsert::<Payment>::upsert(&client(&server), &payment())
        .await
        .unwrap();
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
            serde_json::json!({"title": "Conflict", "status": 409,
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
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            {"id": "txn_original", "requestId": "pay-1", "result": "approved"}
        ])))
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
    Mock::given(method("POST"))
        .respond_with(problem(
            422,
            serde_json::json!({"title": "Validation error", "status": 422,
                "transactionId": "txn_named",
                "invalidFields": [{"field": "requestId", "message": "requestId has already been used"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let done = Upsert::<Payment>::upsert(&client(&server), &payment())
        .await
        .unwrap();
    assert_eq!(
        (done.outcome, done.provider_id.as_str()),
        (Outcome::Unchanged, "txn_named")
    );
}

#[tokio::test]
async fn duplicate_answered_with_the_existing_transaction_is_unchanged() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "txn_existing", "requestId": "pay-1", "result": "approved"
        })))
        .mount(&server)
        .await;
    let done = Upsert::<Payment>::upsert(&client(&server), &payment())
        .await
        .unwrap();
    assert_eq!(
        (done.outcome, done.provider_id.as_str()),
        (Outcome::Unchanged, "txn_existing")
    );
}

#[tokio::test]
async fn other_conflicts_and_declines_are_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(problem(
            409,
            serde_json::json!({"title": "Conflict", "status": 409, "detail": "Customer is blocklisted"}),
        ))
        .mount(&server)
        .await;
    let err = Upsert::<Payment>::upsert(&client(&server), &payment())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_no_key(&err);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "id": "txn_d", "result": "declined"
        })))
        .mount(&server)
        .await;
    let err = Upsert::<Payment>::upsert(&client(&server), &payment())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert!(err.to_string().contains("txn_d"), "{err}");
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
