//! Admin endpoints, stats, reset, SQLite persistence across restarts and `serve`.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use billsync_sandbox::{Stats, serve};
use common::*;
use reqwest::Method;
use serde_json::json;

const PAYMENT: &str = r#"{"external_id":"e-1","gateway_transaction_id":"g-1","display_name":"Cash","amount":10,"paid_on":"2021-01-01T14:32:18Z","payment_type":"cash"}"#;
const TXN: &str = r#"{"type":"sale","websiteId":"w","customerId":"cus-1","currency":"USD","amount":10,"isProcessedOutside":true,"requestId":"r-1"}"#;

fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "billsync-sandbox-{name}-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("sandbox.sqlite")
}

#[tokio::test]
async fn stats_over_http_match_the_api_and_reset_clears() {
    let sb = Sandbox::start().await.unwrap();
    hyfin(
        &sb,
        Method::POST,
        "/api/v3/site/s/payment/addUpdate",
        Some(PAYMENT),
    )
    .await;
    hyfin(
        &sb,
        Method::POST,
        "/api/v3/site/s/payment/addUpdate",
        Some(PAYMENT),
    )
    .await;
    hyfin(
        &sb,
        Method::POST,
        "/api/v3/site/s/payment/addUpdate",
        Some("{}"),
    )
    .await;
    send(
        Method::GET,
        &format!("{}/organizations/o/customers/x", sb.rebilly_base_url()),
        &[],
        None,
    )
    .await;
    payabli(
        &sb,
        Method::POST,
        "/Customer/single/e",
        Some(r#"{"customerNumber":"n"}"#),
    )
    .await;

    let over_http = send(
        Method::GET,
        &format!("{}/_sandbox/stats", sb.base_url()),
        &[],
        None,
    )
    .await;
    assert_eq!(over_http.status, 200);
    let parsed: Stats = serde_json::from_value(over_http.json.clone()).unwrap();
    assert_eq!(parsed, sb.stats());
    assert_eq!(
        over_http.json["hyfin"],
        json!({"requests": 3, "created": 1, "updated": 1, "rejected": 1, "deduplicated": 0,
               "rate_limited": 0, "auth_failures": 0, "faults": 0})
    );
    assert_eq!(over_http.json["rebilly"]["auth_failures"], 1);
    assert_eq!(over_http.json["payabli"]["created"], 1);
    assert_eq!(sb.stats().total_requests(), 5);

    let records = send(
        Method::GET,
        &format!("{}/_sandbox/records/hyfin/payment", sb.base_url()),
        &[],
        None,
    )
    .await;
    assert_eq!(records.json.as_array().unwrap().len(), 1);
    assert_eq!(records.json[0]["external_id"], "e-1");
    let unknown = send(
        Method::GET,
        &format!("{}/_sandbox/records/hyfin/invoice", sb.base_url()),
        &[],
        None,
    )
    .await;
    assert_eq!(unknown.status, 404);

    let reset = send(
        Method::POST,
        &format!("{}/_sandbox/reset", sb.base_url()),
        &[],
        None,
    )
    .await;
    assert_eq!(reset.status, 200);
    assert_eq!(sb.stats(), Stats::default());
    assert!(sb.records(Provider::Hyfin, "payment").is_empty());
    assert!(sb.records(Provider::Payabli, "customer").is_empty());
    // After a reset the same external id is a new payment again.
    let again = hyfin(
        &sb,
        Method::POST,
        "/api/v3/site/s/payment/addUpdate",
        Some(PAYMENT),
    )
    .await;
    assert_eq!(again.json["action"], "added");
}

#[tokio::test]
async fn records_survive_a_restart_with_sqlite() {
    let db = temp_db("restart");
    let config = SandboxConfig::default().with_data(&db);

    let sb = Sandbox::start_with(config.clone()).await.unwrap();
    let customer = hyfin(
        &sb,
        Method::POST,
        "/api/v4/site/s/customer/addUpdate",
        Some(r#"{"display_name":"Kept","primary_contact":{"first_name":"K"}}"#),
    )
    .await;
    let hyfin_id = customer.json["_id"].as_str().unwrap().to_owned();
    let payment = hyfin(
        &sb,
        Method::POST,
        "/api/v3/site/s/payment/addUpdate",
        Some(PAYMENT),
    )
    .await;
    let payment_id = payment.json["_id"].as_str().unwrap().to_owned();
    rebilly_customer(&sb, "o", "cus-1").await;
    let txn = rebilly(
        &sb,
        Method::POST,
        "/organizations/o/transactions",
        Some(TXN),
    )
    .await;
    assert_eq!(txn.status, 201);
    let created = payabli(
        &sb,
        Method::POST,
        "/Customer/single/e",
        Some(r#"{"customerNumber":"P-1","firstname":"Pat"}"#),
    )
    .await;
    let payabli_id = created.json["responseData"]["customerId"].as_i64().unwrap();
    sb.shutdown().await;

    let sb = Sandbox::start_with(config.clone()).await.unwrap();
    let got = hyfin(
        &sb,
        Method::GET,
        &format!("/api/v4/site/s/customer/{hyfin_id}"),
        None,
    )
    .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json["display_name"], "Kept");
    // The external-id index is rebuilt: the same payment updates.
    let again = hyfin(
        &sb,
        Method::POST,
        "/api/v3/site/s/payment/addUpdate",
        Some(PAYMENT),
    )
    .await;
    assert_eq!(again.json["action"], "updated");
    assert_eq!(again.json["_id"], payment_id.as_str());
    // The requestId window is rebuilt too.
    let dup = rebilly(
        &sb,
        Method::POST,
        "/organizations/o/transactions",
        Some(TXN),
    )
    .await;
    assert_eq!(dup.status, 200);
    assert_eq!(dup.json["id"], txn.json["id"]);
    assert_eq!(
        rebilly(&sb, Method::GET, "/organizations/o/customers/cus-1", None)
            .await
            .json["firstName"],
        "Ada"
    );
    // Payabli: the identifier still matches and new ids do not collide.
    let conflict = payabli(
        &sb,
        Method::POST,
        "/Customer/single/e",
        Some(r#"{"customerNumber":"P-1"}"#),
    )
    .await;
    assert_eq!(conflict.status, 409);
    let next = payabli(
        &sb,
        Method::POST,
        "/Customer/single/e",
        Some(r#"{"customerNumber":"P-2"}"#),
    )
    .await;
    assert!(next.json["responseData"]["customerId"].as_i64().unwrap() > payabli_id);
    assert_eq!(
        payabli(&sb, Method::GET, &format!("/Customer/{payabli_id}"), None)
            .await
            .json["Firstname"],
        "Pat"
    );
    // A new Hyfin record gets a fresh id.
    let second = hyfin(
        &sb,
        Method::POST,
        "/api/v4/site/s/customer/addUpdate",
        Some(r#"{"display_name":"New","primary_contact":{"first_name":"N"}}"#),
    )
    .await;
    assert_ne!(second.json["_id"], hyfin_id.as_str());
    assert_eq!(sb.records(Provider::Hyfin, "customer").len(), 2);

    // A reset empties the file as well.
    sb.reset();
    sb.shutdown().await;
    let sb = Sandbox::start_with(config).await.unwrap();
    assert!(sb.records(Provider::Hyfin, "customer").is_empty());
    assert!(sb.records(Provider::Payabli, "customer").is_empty());
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

#[tokio::test]
async fn serve_runs_in_the_foreground_until_shutdown() {
    // Find a free port, then serve on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(addr, SandboxConfig::default(), async move {
        let _ = stopped.await;
    }));
    let url = format!("http://{addr}/_sandbox/stats");
    let mut answer = None;
    for _ in 0..50 {
        if let Ok(r) = client().get(&url).send().await {
            answer = Some(r.status());
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(answer, Some(reqwest::StatusCode::OK));
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn config_debug_hides_tokens() {
    let config = SandboxConfig {
        hyfin_token: "hy-secret-1".into(),
        rebilly_key: "rb-secret-2".into(),
        payabli_token: "pb-secret-3".into(),
        ..SandboxConfig::default()
    };
    let text = format!("{config:?}");
    for secret in ["hy-secret-1", "rb-secret-2", "pb-secret-3"] {
        assert!(!text.contains(secret), "{text}");
    }
    let sb = Sandbox::start_with(config).await.unwrap();
    assert!(!format!("{sb:?}").contains("secret"));
    // The configured tokens are the ones accepted.
    let url = format!("{}/api/v4/site/s/customer/x", sb.hyfin_base_url());
    assert_eq!(
        send(Method::GET, &url, &[("authorization", HYFIN_AUTH)], None)
            .await
            .status,
        401
    );
    assert_eq!(
        send(
            Method::GET,
            &url,
            &[("authorization", "Bearer hy-secret-1")],
            None
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn drop_stops_the_server() {
    let sb = Sandbox::start().await.unwrap();
    let addr = sb.addr();
    drop(sb);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}
