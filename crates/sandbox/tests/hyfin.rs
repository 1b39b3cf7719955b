//! Hyfin: customers, contacts and payments through the HTTP API.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

const CUSTOMER: &str = r#"{
  "display_name": "ABC Plumbing",
  "primary_contact": {
    "first_name": "John", "last_name": "Doe", "mobile_phone": "333-444-5555",
    "email": "johndoe@abc.com",
    "billing_address": {"address_line1": "123 Main Street", "city": "Naples", "state_code": "FL", "zip_code": "34102"}
  }
}"#;

const PAYMENT: &str = r#"{
  "external_id": "65432325", "gateway_transaction_id": "53912387124235234",
  "payment_type": "payment_card", "payment_sub_type": "visa", "display_name": "VISA **** 5123",
  "amount": 35.15, "paid_on": "2021-01-01T14:32:18Z", "status": "captured",
  "invoice": {"external_id": "65432661"}
}"#;

fn is_object_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[tokio::test]
async fn customer_add_update_and_get() {
    let sb = Sandbox::start().await.unwrap();
    let added = hyfin(
        &sb,
        Method::POST,
        "/api/v4/site/site-1/customer/addUpdate",
        Some(CUSTOMER),
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.json["success"], true);
    assert_eq!(added.json["action"], "added");
    let id = added.json["_id"].as_str().unwrap().to_owned();
    assert!(is_object_id(&id), "{id}");

    let update = json!({"_id": id, "display_name": "ABC Plumbing & Heating", "primary_contact": {"first_name": "John"}});
    let updated = hyfin(
        &sb,
        Method::POST,
        "/api/v4/site/site-1/customer/addUpdate",
        Some(&update.to_string()),
    )
    .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(
        updated.json,
        json!({"success": true, "action": "updated", "_id": id})
    );

    let got = hyfin(
        &sb,
        Method::GET,
        &format!("/api/v4/site/site-1/customer/{id}"),
        None,
    )
    .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json["display_name"], "ABC Plumbing & Heating");
    assert_eq!(got.json["_id"], id.as_str());
    assert!(got.json["created_at"].is_string());

    // Records are per site.
    let other = hyfin(
        &sb,
        Method::GET,
        &format!("/api/v4/site/site-2/customer/{id}"),
        None,
    )
    .await;
    assert_eq!(other.status, 404);
    assert_eq!(other.json["success"], false);

    let stats = sb.stats().hyfin;
    assert_eq!(
        (stats.created, stats.updated, stats.rejected, stats.requests),
        (1, 1, 1, 4)
    );
    assert_eq!(sb.records(Provider::Hyfin, "customer").len(), 1);
}

#[tokio::test]
async fn customer_with_contact_references() {
    let sb = Sandbox::start().await.unwrap();
    let contact = hyfin(
        &sb,
        Method::POST,
        "/api/v4/site/s/contact/addUpdate",
        Some(r#"{"first_name":"Jane","last_name":"Roe","emails":[{"label":"work","address":"jane@roe.com","is_primary":true}]}"#),
    )
    .await;
    assert_eq!(contact.status, 200, "{}", contact.text);
    assert_eq!(contact.json["action"], "added");
    let cid = contact.json["_id"].as_str().unwrap().to_owned();

    let got = hyfin(
        &sb,
        Method::GET,
        &format!("/api/v4/site/s/contact/{cid}"),
        None,
    )
    .await;
    assert_eq!(got.json["display_name"], "Jane Roe");
    assert_eq!(got.json["language"], "en");

    let update = json!({"_id": cid, "last_name": "Smith"});
    let updated = hyfin(
        &sb,
        Method::POST,
        "/api/v4/site/s/contact/addUpdate",
        Some(&update.to_string()),
    )
    .await;
    assert_eq!(updated.json["action"], "updated");

    let body = json!({"display_name": "Roe Family", "contacts": [{"_id": cid, "isPrimary": true}]});
    let added = hyfin(
        &sb,
        Method::POST,
        "/api/v4/site/s/customer/addUpdate",
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.text);
    let id = added.json["_id"].as_str().unwrap();
    let got = hyfin(
        &sb,
        Method::GET,
        &format!("/api/v4/site/s/customer/{id}"),
        None,
    )
    .await;
    assert_eq!(got.json["contacts"][0]["isPrimary"], true);
    assert_eq!(got.json["contacts"][0]["last_name"], "Smith");

    // A reference to a contact that does not exist is refused.
    let bad = json!({"display_name": "X", "contacts": [{"_id": "6839e415564d3cc21603221e", "isPrimary": true}]});
    let refused = hyfin(
        &sb,
        Method::POST,
        "/api/v4/site/s/customer/addUpdate",
        Some(&bad.to_string()),
    )
    .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.text.contains("6839e415564d3cc21603221e"),
        "{}",
        refused.text
    );
}

#[tokio::test]
async fn customer_validation() {
    let sb = Sandbox::start().await.unwrap();
    let cases = [
        (r#"{"primary_contact":{"first_name":"J"}}"#, "display_name"),
        (r#"{"display_name":"X"}"#, "primary_contact or contacts"),
        (
            r#"{"display_name":"X","contacts":[]}"#,
            "primary_contact or contacts",
        ),
        (
            r#"{"display_name":"X","primary_contact":{"email":"not-an-email"}}"#,
            "primary_contact.email",
        ),
        (
            r#"{"display_name":"X","primary_contact":{},"deleted":"yes"}"#,
            "deleted",
        ),
        (
            r#"{"_id":"60f720d248f143332af022e0","display_name":"X","primary_contact":{}}"#,
            "was not found",
        ),
        (
            r#"{"display_name":"X","primary_contact":{},"parent_customer":"nope"}"#,
            "parent_customer",
        ),
        (
            r#"{"display_name":"X","contacts":[{"isPrimary":true}]}"#,
            "contacts[0]._id",
        ),
    ];
    for (body, needle) in cases {
        let a = hyfin(
            &sb,
            Method::POST,
            "/api/v4/site/s/customer/addUpdate",
            Some(body),
        )
        .await;
        assert_eq!(a.status, 400, "{body}: {}", a.text);
        assert_eq!(a.json["success"], false);
        let errors = a.json["errors"].as_array().expect("errors array");
        assert!(
            errors.iter().any(|e| e.as_str().unwrap().contains(needle)),
            "{body}: {errors:?} lacks {needle}"
        );
        assert!(a.json.get("action").is_none());
    }
    assert_eq!(sb.stats().hyfin.rejected, cases.len() as u64);
    assert!(sb.records(Provider::Hyfin, "customer").is_empty());
}

#[tokio::test]
async fn payment_upsert_by_external_id() {
    let sb = Sandbox::start().await.unwrap();
    let path = "/api/v3/site/s/payment/addUpdate";
    let added = hyfin(&sb, Method::POST, path, Some(PAYMENT)).await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.json["action"], "added");
    let id = added.json["_id"].as_str().unwrap().to_owned();

    let mut changed: serde_json::Value = serde_json::from_str(PAYMENT).unwrap();
    changed["status"] = json!("refunded");
    let again = hyfin(&sb, Method::POST, path, Some(&changed.to_string())).await;
    assert_eq!(
        again.json,
        json!({"success": true, "action": "updated", "_id": id})
    );

    let got = hyfin(
        &sb,
        Method::GET,
        &format!("/api/v3/site/s/payment/{id}"),
        None,
    )
    .await;
    assert_eq!(got.json["status"], "refunded");
    assert_eq!(got.json["amount"], 35.15);
    assert_eq!(got.json["active"], true);

    // Another site has its own payments: the same external id adds there.
    let elsewhere = hyfin(
        &sb,
        Method::POST,
        "/api/v3/site/t/payment/addUpdate",
        Some(PAYMENT),
    )
    .await;
    assert_eq!(elsewhere.json["action"], "added");
    assert_ne!(elsewhere.json["_id"], id.as_str());

    // Defaults when status is left out.
    let mut minimal: serde_json::Value = serde_json::from_str(PAYMENT).unwrap();
    minimal["external_id"] = json!("other");
    minimal.as_object_mut().unwrap().remove("status");
    let m = hyfin(&sb, Method::POST, path, Some(&minimal.to_string())).await;
    let mid = m.json["_id"].as_str().unwrap();
    let got = hyfin(
        &sb,
        Method::GET,
        &format!("/api/v3/site/s/payment/{mid}"),
        None,
    )
    .await;
    assert_eq!(got.json["status"], "captured");
}

#[tokio::test]
async fn payment_validation() {
    let sb = Sandbox::start().await.unwrap();
    let base: serde_json::Value = serde_json::from_str(PAYMENT).unwrap();
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        ("external_id", json!(null), "missing external_id"),
        (
            "gateway_transaction_id",
            json!(null),
            "missing gateway_transaction_id",
        ),
        ("display_name", json!(""), "display_name"),
        ("amount", json!("35.15"), "invalid amount"),
        ("amount", json!(35.155), "two decimal"),
        ("amount", json!(-1), "invalid amount"),
        ("paid_on", json!("2021-01-01"), "invalid paid_on"),
        (
            "paid_on",
            json!("2021-01-01T14:32:18.123Z"),
            "invalid paid_on",
        ),
        ("payment_type", json!("bitcoin"), "invalid payment_type"),
        ("payment_sub_type", json!("jcb"), "invalid payment_sub_type"),
        ("status", json!("pending"), "invalid status"),
        ("tip", json!("1"), "invalid tip"),
    ];
    for (field, value, needle) in cases {
        let mut body = base.clone();
        body[field] = value.clone();
        let a = hyfin(
            &sb,
            Method::POST,
            "/api/v3/site/s/payment/addUpdate",
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(a.status, 400, "{field}={value}: {}", a.text);
        let errors = a.json["errors"].as_array().unwrap();
        assert!(
            errors.iter().any(|e| e.as_str().unwrap().contains(needle)),
            "{field}={value}: {errors:?}"
        );
    }
    assert!(sb.records(Provider::Hyfin, "payment").is_empty());
}

#[tokio::test]
async fn auth_and_malformed_bodies() {
    let sb = Sandbox::start().await.unwrap();
    let url = format!("{}/api/v4/site/s/customer/addUpdate", sb.hyfin_base_url());
    for headers in [
        vec![],
        vec![("authorization", "Bearer wrong")],
        vec![("authorization", "sandbox-hyfin-token")],
    ] {
        let a = send(Method::POST, &url, &headers, Some(CUSTOMER)).await;
        assert_eq!(a.status, 401);
        assert_eq!(a.json["success"], false);
        assert!(
            a.json["errors"][0]
                .as_str()
                .unwrap()
                .contains("Unauthorized")
        );
    }
    assert_eq!(sb.stats().hyfin.auth_failures, 3);
    assert!(sb.records(Provider::Hyfin, "customer").is_empty());

    for path in [
        "/api/v4/site/s/customer/addUpdate",
        "/api/v4/site/s/contact/addUpdate",
        "/api/v3/site/s/payment/addUpdate",
    ] {
        for body in [
            "{not json",
            "",
            "[1,2]",
            "\"text\"",
            "{\"display_name\": \"\u{0}\"",
            "nul",
        ] {
            let a = hyfin(&sb, Method::POST, path, Some(body)).await;
            assert_eq!(a.status, 400, "{path} {body:?}: {}", a.text);
            assert_eq!(a.json["success"], false);
            assert!(!a.json["errors"].as_array().unwrap().is_empty());
        }
    }
    let unknown = hyfin(&sb, Method::GET, "/api/v9/nothing", None).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json["success"], false);
}
