//! Rebilly: customers, authentication and rate limits through the HTTP API (transactions:
//! rebilly_transactions.rs).

mod common;

use std::time::Duration;

use billsync_sandbox::RateLimit;
use common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn customer_put_creates_then_updates() {
    let sb = Sandbox::start().await.unwrap();
    let created = rebilly_customer(&sb, "org-1", "cus-1").await;
    assert_eq!(created.status, 201, "{}", created.text);
    let location = created.header("location").unwrap();
    assert_eq!(
        location,
        format!(
            "{}/organizations/org-1/customers/cus-1",
            sb.rebilly_base_url()
        )
    );
    let c = &created.json;
    assert_eq!(c["id"], "cus-1");
    assert_eq!(c["email"], "ada@example.com");
    assert_eq!(c["firstName"], "Ada");
    assert_eq!(c["lastName"], "Lovelace");
    assert_eq!(c["websiteId"], "web-1");
    assert_eq!(c["customFields"], json!({}));
    assert_eq!(c["revision"], 0);
    assert_eq!(c["createdTime"], c["updatedTime"]);

    let body = json!({"websiteId": "web-1", "customFields": {"tier": "gold"}, "primaryAddress": {"firstName": "Augusta", "lastName": "King"}});
    let updated = rebilly(
        &sb,
        Method::PUT,
        "/organizations/org-1/customers/cus-1",
        Some(&body.to_string()),
    )
    .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert!(updated.header("location").is_none());
    assert_eq!(updated.json["firstName"], "Augusta");
    assert_eq!(updated.json["email"], serde_json::Value::Null);
    assert_eq!(updated.json["revision"], 1);
    assert_eq!(updated.json["createdTime"], c["createdTime"]);
    assert_eq!(updated.json["customFields"]["tier"], "gold");

    let got = rebilly(
        &sb,
        Method::GET,
        "/organizations/org-1/customers/cus-1",
        None,
    )
    .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json, updated.json);

    // Organizations are separate.
    let missing = rebilly(
        &sb,
        Method::GET,
        "/organizations/org-2/customers/cus-1",
        None,
    )
    .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json["status"], 404);

    let s = sb.stats().rebilly;
    assert_eq!((s.created, s.updated, s.rejected), (1, 1, 1));
}

/// Customer bodies that break one documented limit each, and the field Rebilly names.
fn customer_problems() -> Vec<(serde_json::Value, &'static str)> {
    let long = |n: usize| "x".repeat(n);
    vec![
        (
            json!({"primaryAddress": {"firstName": long(46)}}),
            "primaryAddress.firstName",
        ),
        (
            json!({"primaryAddress": {"lastName": long(46)}}),
            "primaryAddress.lastName",
        ),
        (
            json!({"primaryAddress": {"organization": long(256)}}),
            "primaryAddress.organization",
        ),
        (
            json!({"primaryAddress": {"address": long(61)}}),
            "primaryAddress.address",
        ),
        (
            json!({"primaryAddress": {"address2": long(61)}}),
            "primaryAddress.address2",
        ),
        (
            json!({"primaryAddress": {"city": long(46)}}),
            "primaryAddress.city",
        ),
        (
            json!({"primaryAddress": {"region": long(46)}}),
            "primaryAddress.region",
        ),
        (
            json!({"primaryAddress": {"country": "us"}}),
            "primaryAddress.country",
        ),
        (
            json!({"primaryAddress": {"country": "USA"}}),
            "primaryAddress.country",
        ),
        (
            json!({"primaryAddress": {"postalCode": "12345678901"}}),
            "primaryAddress.postalCode",
        ),
        (
            json!({"primaryAddress": {"postalCode": "12#45"}}),
            "primaryAddress.postalCode",
        ),
        (
            json!({"primaryAddress": {"emails": [{"label": "main", "value": "nope"}]}}),
            "primaryAddress.emails.0.value",
        ),
        (
            json!({"primaryAddress": {"emails": [{"label": long(46), "value": "a@b.co"}]}}),
            "primaryAddress.emails.0.label",
        ),
        (
            json!({"primaryAddress": {"emails": [{"label": "m", "value": format!("{}@b.co", long(256))}]}}),
            "primaryAddress.emails.0.value",
        ),
        (
            json!({"primaryAddress": {"phoneNumbers": [{"label": "m", "value": long(51)}]}}),
            "primaryAddress.phoneNumbers.0.value",
        ),
        (
            json!({"primaryAddress": {"phoneNumbers": [{"label": long(46), "value": "1"}]}}),
            "primaryAddress.phoneNumbers.0.label",
        ),
        (json!({"websiteId": long(51)}), "websiteId"),
        (json!({"customFields": "x"}), "customFields"),
    ]
}

#[tokio::test]
async fn customer_validation_problems() {
    let sb = Sandbox::start().await.unwrap();
    let long = |n: usize| "x".repeat(n);
    let cases = customer_problems();
    for (body, field) in &cases {
        let a = rebilly(
            &sb,
            Method::PUT,
            "/organizations/o/customers/c-1",
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(a.status, 422, "{body}: {}", a.text);
        assert_eq!(a.header("content-type"), Some("application/problem+json"));
        assert_eq!(a.json["title"], "Validation error");
        assert_eq!(a.json["status"], 422);
        assert!(a.json["type"].is_string() && a.json["detail"].is_string());
        let fields: Vec<&str> = a.json["invalidFields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, [*field], "{body}");
        assert!(a.json["invalidFields"][0]["message"].is_string());
    }
    for id in ["has space", &long(51), "a/b"] {
        let url = format!(
            "{}/organizations/o/customers/{}",
            sb.rebilly_base_url(),
            id.replace(' ', "%20").replace('/', "%2F")
        );
        let a = send(
            Method::PUT,
            &url,
            &[("REB-APIKEY", DEFAULT_REBILLY_KEY)],
            Some("{}"),
        )
        .await;
        assert_eq!(a.status, 422, "{id}: {}", a.text);
        assert_eq!(a.json["invalidFields"][0]["field"], "id");
    }
    assert!(sb.records(Provider::Rebilly, "customer").is_empty());
    assert_eq!(sb.stats().rebilly.rejected, cases.len() as u64 + 3);
}

#[tokio::test]
async fn auth_and_malformed_bodies() {
    let sb = Sandbox::start().await.unwrap();
    let url = format!("{}/organizations/o/customers/c", sb.rebilly_base_url());
    for headers in [
        vec![],
        vec![("REB-APIKEY", "wrong")],
        vec![("authorization", "Bearer wrong")],
    ] {
        let a = send(Method::PUT, &url, &headers, Some("{}")).await;
        assert_eq!(a.status, 401);
        assert_eq!(a.json["title"], "Unauthorized");
        assert_eq!(a.json["status"], 401);
    }
    let bearer = send(
        Method::PUT,
        &url,
        &[("authorization", "Bearer sandbox-rebilly-key")],
        Some("{}"),
    )
    .await;
    assert_eq!(bearer.status, 201, "{}", bearer.text);
    assert_eq!(sb.stats().rebilly.auth_failures, 3);

    for path in [
        "/organizations/o/customers/c",
        "/organizations/o/transactions",
    ] {
        let method = if path.ends_with("/c") {
            Method::PUT
        } else {
            Method::POST
        };
        for body in ["{oops", "", "[]", "42"] {
            let a = rebilly(&sb, method.clone(), path, Some(body)).await;
            assert_eq!(a.status, 400, "{path} {body:?}: {}", a.text);
            assert_eq!(a.json["status"], 400);
        }
    }
}

#[tokio::test]
async fn rate_limit_headers_and_429() {
    let config = SandboxConfig::default().with_rate_limit(
        Provider::Rebilly,
        RateLimit::new(3, Duration::from_secs(60)),
    );
    let sb = Sandbox::start_with(config).await.unwrap();
    for i in 0..3u32 {
        let a = rebilly_customer(&sb, "o", &format!("c-{i}")).await;
        assert_eq!(a.status, 201);
        assert_eq!(a.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(
            a.header("x-ratelimit-remaining").unwrap(),
            (2 - i).to_string()
        );
    }
    let limited = rebilly_customer(&sb, "o", "c-9").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.json["status"], 429);
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));
    let retry_at: i64 = limited
        .header("x-ratelimit-retry-after")
        .unwrap()
        .parse()
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!(
        retry_at > now && retry_at <= now + 61,
        "{retry_at} vs {now}"
    );
    assert_eq!(sb.stats().rebilly.rate_limited, 1);
    assert_eq!(sb.records(Provider::Rebilly, "customer").len(), 3);
    // Reads are not limited.
    let read = rebilly(&sb, Method::GET, "/organizations/o/customers/c-0", None).await;
    assert_eq!(read.status, 200);
    // Other providers are not limited.
    let h = hyfin(&sb, Method::GET, "/api/v4/site/s/customer/x", None).await;
    assert_eq!(h.status, 404);
}

#[tokio::test]
async fn rate_limit_window_resets() {
    let config = SandboxConfig::default().with_rate_limit(
        Provider::Rebilly,
        RateLimit::new(1, Duration::from_millis(300)),
    );
    let sb = Sandbox::start_with(config).await.unwrap();
    assert_eq!(rebilly_customer(&sb, "o", "a").await.status, 201);
    assert_eq!(rebilly_customer(&sb, "o", "b").await.status, 429);
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(rebilly_customer(&sb, "o", "b").await.status, 201);
}
