//! The request log at `/_sandbox/requests`: what was received and answered, secrets masked,
//! newest first, paged and filtered, bounded.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn log(sb: &Sandbox, query: &str) -> Answer {
    let url = format!("{}/_sandbox/requests{query}", sb.base_url());
    send(Method::GET, &url, &[], None).await
}

#[tokio::test]
async fn requests_are_logged_with_bodies_and_masked_secrets() {
    let sb = Sandbox::start().await.unwrap();
    let body = r#"{"websiteId":"web-1","primaryAddress":{"firstName":"Ada"}}"#;
    let put = rebilly(
        &sb,
        Method::PUT,
        "/organizations/o/customers/c-1?x=1",
        Some(body),
    )
    .await;
    assert_eq!(put.status, 201);
    let url = format!("{}/Customer/single/e", sb.payabli_base_url());
    let denied = send(
        Method::POST,
        &url,
        &[("requestToken", "wrong-token")],
        Some("{}"),
    )
    .await;
    assert_eq!(denied.status, 401);
    let payment = r#"{"external_id":"e-1","gateway_transaction_id":"g","display_name":"Cash","amount":1,"paid_on":"2021-01-01T14:32:18Z"}"#;
    let url = format!("{}/api/v3/site/s/payment/addUpdate", sb.hyfin_base_url());
    let auth = ("authorization", HYFIN_AUTH);
    let failed = send(
        Method::POST,
        &url,
        &[auth, ("x-sandbox-fault", "500")],
        Some(payment),
    )
    .await;
    assert_eq!(failed.status, 500);
    let dropped = client()
        .post(&url)
        .header(auth.0, auth.1)
        .header("x-sandbox-fault", "drop")
        .body(payment)
        .send()
        .await;
    assert!(dropped.is_err());
    sb.stats(); // admin reads are not logged
    let all = log(&sb, "").await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert!(!all.text.contains("sandbox-rebilly-key") && !all.text.contains("sandbox-hyfin-token"));
    assert_eq!(all.json["total"], 4);
    let entries = all.json["requests"].as_array().unwrap();
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [4, 3, 2, 1]);
    assert_eq!(all.json["next_before"], Value::Null);

    let r = &entries[3];
    assert_eq!(r["provider"], "rebilly");
    assert_eq!(r["method"], "PUT");
    assert_eq!(r["path"], "/organizations/o/customers/c-1?x=1");
    assert_eq!(r["status"], 201);
    assert_eq!(r["fault"], Value::Null);
    assert!(r["latency_ms"].as_f64().unwrap() >= 0.0);
    assert!(r["time"].as_str().unwrap().ends_with('Z'));
    assert_eq!(r["request_body"], body);
    let answer: Value = serde_json::from_str(r["response_body"].as_str().unwrap()).unwrap();
    assert_eq!(answer, put.json);
    let headers = r["request_headers"].as_array().unwrap();
    assert!(
        headers.contains(&json!(["reb-apikey", "[masked]"])),
        "{headers:?}"
    );

    assert_eq!(entries[2]["provider"], "payabli");
    assert_eq!(entries[2]["status"], 401);
    assert!(
        entries[2]["request_headers"]
            .as_array()
            .unwrap()
            .contains(&json!(["requesttoken", "[masked]"]))
    );
    assert_eq!(
        (entries[1]["status"].as_i64(), entries[1]["fault"].as_str()),
        (Some(500), Some("500"))
    );
    // The dropped answer was processed: its status is logged with the fault.
    assert_eq!(
        (entries[0]["status"].as_i64(), entries[0]["fault"].as_str()),
        (Some(200), Some("drop"))
    );
    assert_eq!(entries[0]["request_body"], payment);

    let one = log(&sb, "/4").await;
    assert_eq!(one.json, entries[0]);
    assert_eq!(log(&sb, "/99").await.status, 404);
}

#[tokio::test]
async fn pages_filters_bound_and_reset() {
    let config = SandboxConfig {
        request_log: 3,
        ..SandboxConfig::default()
    };
    let sb = Sandbox::start_with(config).await.unwrap();
    for i in 0..5 {
        let path = format!("/organizations/o/customers/c-{i}");
        rebilly(&sb, Method::GET, &path, None).await;
    }
    payabli(&sb, Method::GET, "/Customer/1", None).await;
    let all = log(&sb, "").await;
    assert_eq!(all.json["total"], 3);
    let first = log(&sb, "?limit=2").await;
    let ids = |a: &Answer| -> Vec<i64> {
        a.json["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&first), [6, 5]);
    assert_eq!(first.json["next_before"], 5);
    let second = log(&sb, "?limit=2&before=5").await;
    assert_eq!(ids(&second), [4]);
    assert_eq!(second.json["next_before"], Value::Null);
    assert_eq!(ids(&log(&sb, "?provider=payabli").await), [6]);
    assert_eq!(ids(&log(&sb, "?status=4xx&provider=rebilly").await), [5, 4]);
    assert_eq!(log(&sb, "?status=404").await.json["total"], 3);
    assert_eq!(log(&sb, "?limit=0").await.status, 400);
    assert_eq!(log(&sb, "?provider=stripe").await.status, 400);
    sb.reset();
    assert_eq!(log(&sb, "").await.json["total"], 0);
}
