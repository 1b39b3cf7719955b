//! Rebilly transactions through the HTTP API: de-duplication by `requestId`, look-ups and
//! validation.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const TXN: &str = r#"{"type":"sale","websiteId":"web-1","customerId":"cus-1","currency":"USD","amount":35.15,
  "isProcessedOutside":true,"processedTime":"2021-01-01T14:32:18Z","requestId":"pay-65432325",
  "paymentInstruction":{"methods":["cash"],"receivedBy":"front desk"}}"#;

/// `POST /organizations/{org}/transactions` with `body`.
async fn post_txn(sb: &Sandbox, org: &str, body: &str) -> Answer {
    let path = format!("/organizations/{org}/transactions");
    rebilly(sb, Method::POST, &path, Some(body)).await
}

/// `GET` of a path under `/organizations/org-1`.
async fn get(sb: &Sandbox, path: &str) -> Answer {
    rebilly(
        sb,
        Method::GET,
        &format!("/organizations/org-1{path}"),
        None,
    )
    .await
}

/// A sandbox with customer `cus-1` in `org-1` and `TXN` posted once; its answer.
async fn one_transaction() -> (Sandbox, Answer) {
    let sb = Sandbox::start().await.unwrap();
    rebilly_customer(&sb, "org-1", "cus-1").await;
    let first = post_txn(&sb, "org-1", TXN).await;
    assert_eq!(first.status, 201, "{}", first.text);
    (sb, first)
}

#[tokio::test]
async fn transactions_dedupe_by_request_id() {
    let (sb, first) = one_transaction().await;
    let t = &first.json;
    let id = t["id"].as_str().unwrap();
    assert_eq!(
        first.header("location").unwrap(),
        format!(
            "{}/organizations/org-1/transactions/{id}",
            sb.rebilly_base_url()
        )
    );
    assert_eq!(t["result"], "approved");
    assert_eq!(t["status"], "completed");
    assert_eq!(t["requestId"], "pay-65432325");
    assert_eq!(t["customerId"], "cus-1");
    assert_eq!(t["amount"], 35.15);
    assert_eq!(t["currency"], "USD");
    assert_eq!(t["isProcessedOutside"], true);
    assert_eq!(t["processedTime"], "2021-01-01T14:32:18Z");

    // The same requestId: the original transaction, 200, nothing new.
    let again = post_txn(&sb, "org-1", TXN).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.json, first.json);
    assert_eq!(sb.records(Provider::Rebilly, "transaction").len(), 1);
    let s = sb.stats().rebilly;
    assert_eq!((s.created, s.deduplicated), (2, 1));
}

#[tokio::test]
async fn transactions_are_found_by_request_id_and_by_id() {
    let (sb, first) = one_transaction().await;
    let id = first.json["id"].as_str().unwrap();
    let found = get(&sb, "/transactions?filter=requestId:pay-65432325&limit=1").await;
    assert_eq!(found.status, 200);
    assert_eq!(found.json.as_array().unwrap().len(), 1);
    assert_eq!(found.json[0]["id"], id);
    let none = get(&sb, "/transactions?filter=requestId:other&limit=1").await;
    assert_eq!(none.json, json!([]));
    let by_id = get(&sb, &format!("/transactions/{id}")).await;
    assert_eq!(by_id.json["id"], id);
}

#[tokio::test]
async fn another_or_no_request_id_is_a_new_transaction() {
    let (sb, _) = one_transaction().await;
    let mut other: Value = serde_json::from_str(TXN).unwrap();
    other["requestId"] = json!("pay-2");
    assert_eq!(post_txn(&sb, "org-1", &other.to_string()).await.status, 201);
    other.as_object_mut().unwrap().remove("requestId");
    for _ in 0..2 {
        assert_eq!(post_txn(&sb, "org-1", &other.to_string()).await.status, 201);
    }
    let all = get(&sb, "/transactions?filter=customerId:cus-1").await;
    assert_eq!(all.json.as_array().unwrap().len(), 4);
    assert_eq!(all.header("pagination-total"), Some("4"));
    assert_eq!(sb.records(Provider::Rebilly, "transaction").len(), 4);
}

#[tokio::test]
async fn request_id_window_expires() {
    let config = SandboxConfig {
        rebilly_request_id_window: Duration::from_millis(300),
        ..SandboxConfig::default()
    };
    let sb = Sandbox::start_with(config).await.unwrap();
    rebilly_customer(&sb, "o", "cus-1").await;
    assert_eq!(post_txn(&sb, "o", TXN).await.status, 201);
    assert_eq!(post_txn(&sb, "o", TXN).await.status, 200);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(post_txn(&sb, "o", TXN).await.status, 201);
}

#[tokio::test]
async fn transaction_validation() {
    let sb = Sandbox::start().await.unwrap();
    rebilly_customer(&sb, "o", "cus-1").await;
    let base: Value = serde_json::from_str(TXN).unwrap();
    let cases: Vec<(&str, Value)> = vec![
        ("type", json!(null)),
        ("type", json!("refund")),
        ("websiteId", json!(null)),
        ("customerId", json!(null)),
        ("customerId", json!("cus-unknown")),
        ("currency", json!(null)),
        ("currency", json!("usd")),
        ("currency", json!("USDX")),
        ("amount", json!(null)),
        ("amount", json!("35.15")),
        ("amount", json!(-5)),
        ("requestId", json!("has space")),
        ("requestId", json!("x".repeat(51))),
        ("processedTime", json!("yesterday")),
        ("description", json!("x".repeat(256))),
    ];
    for (field, value) in cases {
        let mut body = base.clone();
        body[field] = value.clone();
        let a = post_txn(&sb, "o", &body.to_string()).await;
        assert_eq!(a.status, 422, "{field}={value}: {}", a.text);
        assert_eq!(
            a.json["invalidFields"][0]["field"], field,
            "{field}={value}: {}",
            a.text
        );
    }
    let mut inside = base.clone();
    inside["isProcessedOutside"] = json!(false);
    let a = post_txn(&sb, "o", &inside.to_string()).await;
    assert_eq!(a.status, 422);
    assert_eq!(a.json["invalidFields"][0]["field"], "processedTime");
    assert!(sb.records(Provider::Rebilly, "transaction").is_empty());
}
