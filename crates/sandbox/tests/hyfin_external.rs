//! Hyfin's external-id customer API, from its 3.0 / 3.1 / 4.0s docs: `customer/addUpdate`
//! keyed by `external_id` (same value updates, a new one adds) and the v3.1 `GET` by
//! `external_id`.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const SAMPLE: &str = r#"{
  "external_id": "39772634", "first_name": "John", "last_name": "Doe", "account_name": "",
  "mobile_phone": "111-222-3333", "email": "johndoe@abc.com", "notes": "World's best customer",
  "active": true, "notification_options": {"notify_phone": true, "notify_email": true}
}"#;

async fn get_external(sb: &Sandbox, site: &str, external_id: &str) -> Answer {
    let path = format!("/api/v3.1/site/{site}/customer/{external_id}");
    hyfin(sb, Method::GET, &path, None).await
}

#[tokio::test]
async fn same_external_id_updates_and_a_new_one_adds() {
    let sb = Sandbox::start().await.unwrap();
    let added = hyfin(
        &sb,
        Method::POST,
        "/api/v3/site/s-1/customer/addUpdate",
        Some(SAMPLE),
    )
    .await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.json["success"], true);
    assert_eq!(added.json["action"], "added");
    let id = added.json["_id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 24);

    let got = get_external(&sb, "s-1", "39772634").await;
    assert_eq!(got.status, 200, "{}", got.text);
    let c = &got.json;
    assert_eq!(c["_id"], id.as_str());
    assert_eq!(c["external_id"], "39772634");
    assert_eq!(c["first_name"], "John");
    assert_eq!(c["last_name"], "Doe");
    assert_eq!(c["account_name"], "");
    assert_eq!(c["mobile_phone"], "111-222-3333");
    assert_eq!(c["email"], "johndoe@abc.com");
    assert_eq!(c["notes"], "World's best customer");
    assert_eq!(c["active"], true);
    assert_eq!(
        c["notification_options"],
        json!({"notify_phone": true, "notify_email": true})
    );
    assert!(c["created_at"].is_string() && c["updated_at"].is_string());

    // Same external_id, through v3.1: an update of the same customer.
    let update = json!({"external_id": "39772634", "first_name": "Johnny", "last_name": "Doe",
        "email": "johnny@abc.com", "active": false});
    let path = "/api/v3.1/site/s-1/customer/addUpdate";
    let updated = hyfin(&sb, Method::POST, path, Some(&update.to_string())).await;
    assert_eq!(
        updated.json,
        json!({"success": true, "action": "updated", "_id": id})
    );
    let got = get_external(&sb, "s-1", "39772634").await;
    assert_eq!(got.json["first_name"], "Johnny");
    assert_eq!(got.json["email"], "johnny@abc.com");
    assert_eq!(got.json["active"], false);
    assert_eq!(got.json["mobile_phone"], "111-222-3333");
    assert_eq!(got.json["created_at"], c["created_at"]);

    // A new external_id adds; another site keeps its own.
    let other = SAMPLE.replace("39772634", "555");
    let second = hyfin(
        &sb,
        Method::POST,
        "/api/v3/site/s-1/customer/addUpdate",
        Some(&other),
    )
    .await;
    assert_eq!(second.json["action"], "added");
    assert_ne!(second.json["_id"], id.as_str());
    let elsewhere = hyfin(
        &sb,
        Method::POST,
        "/api/v3/site/s-2/customer/addUpdate",
        Some(SAMPLE),
    )
    .await;
    assert_eq!(elsewhere.json["action"], "added");
    assert_eq!(sb.records(Provider::Hyfin, "customer").len(), 3);
    let s = sb.stats().hyfin;
    assert_eq!((s.created, s.updated), (3, 1));
    // The v4 GET by _id reads the same record.
    let v4 = hyfin(
        &sb,
        Method::GET,
        &format!("/api/v4/site/s-1/customer/{id}"),
        None,
    )
    .await;
    assert_eq!(v4.json["external_id"], "39772634");
}

#[tokio::test]
async fn the_4_0s_body_on_the_v4_path_is_keyed_by_external_id() {
    let sb = Sandbox::start().await.unwrap();
    let path = "/api/v4/site/s-1/customer/addUpdate";
    let first = hyfin(&sb, Method::POST, path, Some(SAMPLE)).await;
    assert_eq!(first.json["action"], "added", "{}", first.text);
    let again = hyfin(&sb, Method::POST, path, Some(SAMPLE)).await;
    assert_eq!(again.json["action"], "updated");
    assert_eq!(again.json["_id"], first.json["_id"]);
    let deleted = json!({"external_id": "39772634", "first_name": "John", "last_name": "Doe", "deleted": true});
    hyfin(&sb, Method::POST, path, Some(&deleted.to_string())).await;
    let got = get_external(&sb, "s-1", "39772634").await;
    assert_eq!(got.json["deleted"], true);
    assert_eq!(sb.records(Provider::Hyfin, "customer").len(), 1);
}

#[tokio::test]
async fn external_id_customers_are_validated() {
    let sb = Sandbox::start().await.unwrap();
    let path = "/api/v3/site/s-1/customer/addUpdate";
    let base: Value = serde_json::from_str(SAMPLE).unwrap();
    for (field, value, error) in [
        ("external_id", Value::Null, "missing external_id"),
        ("first_name", json!(""), "missing first_name"),
        ("last_name", Value::Null, "missing last_name"),
        ("email", json!("not-an-email"), "invalid email"),
        ("email", Value::Null, "missing email"),
        ("mobile_phone", json!(""), "missing mobile_phone"),
        ("active", json!("yes"), "invalid active"),
        (
            "notification_options",
            json!([]),
            "invalid notification_options",
        ),
    ] {
        let mut body = base.clone();
        body[field] = value;
        let a = hyfin(&sb, Method::POST, path, Some(&body.to_string())).await;
        assert_eq!(a.status, 400, "{field}: {}", a.text);
        assert_eq!(a.json["success"], false);
        let errors = a.json["errors"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e.as_str().unwrap().starts_with(error)),
            "{field}: {errors:?}"
        );
    }
    assert!(sb.records(Provider::Hyfin, "customer").is_empty());
    let missing = get_external(&sb, "s-1", "nobody").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json["success"], false);
}
