//! Reading a customer back by external id through Hyfin's 3.1 `GET customer/{external_id}`,
//! against wiremock.

mod common;

use billsync_core::ErrorKind;
use billsync_hyfin::{HyfinClient, HyfinCustomerApi};
use common::*;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "hyfin-lookup-secret-77aa";

fn client(server: &MockServer) -> HyfinClient {
    common::client(server, TOKEN, HyfinCustomerApi::V4)
}

/// Hyfin's sample answer of `en/3.1/getCustomer`, for `external_id`.
fn sample(external_id: &str) -> serde_json::Value {
    json!({
      "_id": "6839e415564d3cc2160d945e",
      "external_id": external_id,
      "first_name": "John",
      "last_name": "Doe",
      "account_name": null,
      "mobile_phone": "12223334444",
      "email": "johndoe@abc.com",
      "notes": "World's best customer",
      "active": false,
      "notification_options": { "notify_phone": true, "notify_email": false },
      "created_at": "2025-05-30T19:19:44.143Z",
      "updated_at": "2025-05-30T19:19:44.143Z"
    })
}

#[tokio::test]
async fn reads_every_field_and_encodes_the_external_id_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3.1/site/site-1/customer/a%2Fb%20c"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(reply(200, sample("a/b c")))
        .expect(1)
        .mount(&server)
        .await;
    let found = client(&server)
        .customer_by_external_id("a/b c")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id.as_deref(), Some("6839e415564d3cc2160d945e"));
    assert_eq!(found.external_id.as_deref(), Some("a/b c"));
    assert_eq!(found.first_name.as_deref(), Some("John"));
    assert_eq!(found.last_name.as_deref(), Some("Doe"));
    assert_eq!(found.account_name, None);
    assert_eq!(found.mobile_phone.as_deref(), Some("12223334444"));
    assert_eq!(found.email.as_deref(), Some("johndoe@abc.com"));
    assert_eq!(found.notes.as_deref(), Some("World's best customer"));
    assert_eq!(found.active, Some(false));
    let options = found.notification_options.unwrap();
    assert_eq!(
        (options.notify_phone, options.notify_email),
        (Some(true), Some(false))
    );
    assert!(found.created_at.is_some() && found.updated_at.is_some());
}

#[tokio::test]
async fn not_found_is_none() {
    let server = MockServer::start().await;
    let not_found = reply(404, json!({"success": false, "errors": ["not found"]}));
    answer_exactly(&server, 1, "GET", not_found).await;
    assert_eq!(
        client(&server)
            .customer_by_external_id("nobody")
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_server_error_is_retried() {
    let server = MockServer::start().await;
    answer_first_exactly(&server, 1, "GET", ResponseTemplate::new(503)).await;
    answer_exactly(&server, 1, "GET", reply(200, sample("c-1"))).await;
    let found = client(&server)
        .customer_by_external_id("c-1")
        .await
        .unwrap();
    assert_eq!(found.and_then(|c| c.external_id).as_deref(), Some("c-1"));
}

#[tokio::test]
async fn answers_that_are_not_the_customer_asked_for_are_errors() {
    for (status, body, kind) in [
        (200, sample("someone-else"), ErrorKind::Decode),
        (200, json!({"unexpected": true}), ErrorKind::Decode),
        (
            200,
            json!({"success": false, "errors": ["bad site"]}),
            ErrorKind::Rejected,
        ),
        (401, json!({"message": "no"}), ErrorKind::Auth),
    ] {
        let server = MockServer::start().await;
        answer_all(&server, "GET", reply(status, body.clone())).await;
        let err = client(&server)
            .customer_by_external_id("c-1")
            .await
            .unwrap_err();
        assert_eq!(err.kind(), kind, "{body}");
        assert!(!format!("{err} {err:?}").contains(TOKEN));
    }
}

#[tokio::test]
async fn a_blank_external_id_sends_nothing() {
    let server = MockServer::start().await;
    let err = client(&server)
        .customer_by_external_id("  ")
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidInput));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_prepared_read_redacts_the_token() {
    let server = MockServer::start().await;
    let req = client(&server).prepare_customer_lookup("c-1").unwrap();
    let shown = serde_json::to_string(&req.render()).unwrap();
    assert!(
        shown.contains("/api/v3.1/site/site-1/customer/c-1"),
        "{shown}"
    );
    assert!(!shown.contains(TOKEN), "{shown}");
}
