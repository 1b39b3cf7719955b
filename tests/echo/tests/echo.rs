//! Echo against a wiremock server: what the server received, field by field; errors mapped by
//! the shared core; and the same client through `ProviderFactory`.

use billsync_core::{
    Contact, Customer, ErrorKind, HttpSettings, Options, Outcome, Payment, ProviderFactory,
    RetryConfig, Upsert,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn customer() -> Customer {
    Customer::new("c 1")
        .with_display_name("ABC Plumbing")
        .with_company("ABC Plumbing LLC")
        .with_primary_contact(
            Contact::new("Ann", "Lee")
                .with_email("ann@abc.example")
                .with_phone("+15550100"),
        )
}

fn fast() -> HttpSettings {
    HttpSettings {
        retry: RetryConfig {
            max_retries: 2,
            initial_backoff: std::time::Duration::from_millis(1),
            max_backoff: std::time::Duration::from_millis(2),
            ..RetryConfig::default()
        },
        ..HttpSettings::default()
    }
}

#[tokio::test]
async fn a_customer_is_put_by_external_id_and_the_server_gets_every_field() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/v1/customers/c%201"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "e_9"})))
        .mount(&server)
        .await;
    let client = billsync_echo::EchoClient::builder()
        .base_url(format!("{}/v1", server.uri()))
        .api_token("tok-1")
        .build()
        .unwrap();
    let done = client.upsert(&customer()).await.unwrap();
    assert_eq!(
        (done.outcome, done.provider_id.as_str()),
        (Outcome::Created, "e_9")
    );
    assert_eq!((done.requests, done.external_id.as_str()), (1, "c 1"));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "name": "ABC Plumbing",
            "company": "ABC Plumbing LLC",
            "email": "ann@abc.example",
            "phone": "+15550100"
        })
    );
}

#[tokio::test]
async fn a_payment_amount_goes_out_exactly_and_an_update_says_updated() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/payments/p-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "e_p"})))
        .mount(&server)
        .await;
    let client = billsync_echo::EchoClient::builder()
        .base_url(server.uri())
        .api_token("tok-1")
        .build()
        .unwrap();
    let payment: Payment = serde_json::from_value(serde_json::json!({
        "external_id": "p-1", "customer_external_id": "c 1",
        "amount": 12345678901234.05, "currency": "USD", "paid_at": "2026-11-29T10:00:00.250Z"
    }))
    .unwrap();
    let done = client.upsert(&payment).await.unwrap();
    assert_eq!(done.outcome, Outcome::Updated);
    let received = server.received_requests().await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(body["amount"], "12345678901234.05");
    assert_eq!(body["customer"], "c 1");
    assert_eq!(body["currency"], "USD");
    assert_eq!(body["paid_at"], "2026-11-29T10:00:00.250Z");
}

#[tokio::test]
async fn errors_carry_the_kind_code_fields_and_attempts_and_never_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/customers/bad"))
        .respond_with(ResponseTemplate::new(422).set_body_json(serde_json::json!({
            "error": {"code": "invalid", "message": "bad email",
                      "fields": [{"field": "email", "message": "not deliverable"}]}
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/customers/down"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = billsync_echo::EchoClient::builder()
        .base_url(server.uri())
        .api_token("tok-5ecret")
        .http(fast())
        .build()
        .unwrap();
    let err = client
        .upsert(&Customer::new("bad").with_display_name("B"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.codes(), ["invalid"]);
    assert_eq!(err.field_errors()[0].path, "email");
    assert_eq!((err.status(), err.attempts()), (Some(422), 1));
    let down = client
        .upsert(&Customer::new("down").with_display_name("D"))
        .await
        .unwrap_err();
    assert_eq!((down.kind(), down.attempts()), (ErrorKind::Unavailable, 3));
    for e in [err, down] {
        assert!(!format!("{e} {e:?}").contains("5ecret"));
    }
    let invalid = client.upsert(&Customer::new("")).await.unwrap_err();
    assert_eq!(invalid.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        4,
        "nothing sent for it"
    );
}

#[test]
fn the_factory_builds_from_options_and_names_what_is_missing() {
    let f = &billsync_echo::FACTORY;
    let client = f
        .connect(
            &Options::new()
                .set("base_url", "https://Echo.example/v1/")
                .set("api_token", "t")
                .set("rate_limit", "5/s"),
            None,
        )
        .unwrap();
    assert_eq!(client.account().key(), "echo https://echo.example/v1");
    assert!(client.rate_limit().is_some());
    assert!(f.sandbox_options("http://127.0.0.1:1").is_none());
    let missing = f
        .connect(&Options::new().set("base_url", "https://e.example"), None)
        .unwrap_err();
    assert!(missing.to_string().contains("ECHO_API_TOKEN"), "{missing}");
}
