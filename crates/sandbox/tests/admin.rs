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

/// A POST with `body` to a Hyfin path.
async fn hyfin_post(sb: &Sandbox, path: &str, body: &str) -> Answer {
    hyfin(sb, Method::POST, path, Some(body)).await
}

/// A Payabli customer create with `body`.
async fn payabli_customer(sb: &Sandbox, body: &str) -> Answer {
    payabli(sb, Method::POST, "/Customer/single/e", Some(body)).await
}

/// A request without credentials to the sandbox's own `/_sandbox/...` endpoints.
async fn admin(sb: &Sandbox, method: Method, path: &str) -> Answer {
    send(method, &format!("{}{path}", sb.base_url()), &[], None).await
}

const HYFIN_PAYMENT: &str = "/api/v3/site/s/payment/addUpdate";
const HYFIN_CUSTOMER: &str = "/api/v4/site/s/customer/addUpdate";

#[tokio::test]
async fn stats_over_http_match_the_api() {
    let sb = Sandbox::start().await.unwrap();
    hyfin_post(&sb, HYFIN_PAYMENT, PAYMENT).await;
    hyfin_post(&sb, HYFIN_PAYMENT, PAYMENT).await;
    hyfin_post(&sb, HYFIN_PAYMENT, "{}").await;
    send(
        Method::GET,
        &format!("{}/organizations/o/customers/x", sb.rebilly_base_url()),
        &[],
        None,
    )
    .await;
    payabli_customer(&sb, r#"{"customerNumber":"n"}"#).await;

    let over_http = admin(&sb, Method::GET, "/_sandbox/stats").await;
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

    let records = admin(&sb, Method::GET, "/_sandbox/records/hyfin/payment").await;
    assert_eq!(records.json.as_array().unwrap().len(), 1);
    assert_eq!(records.json[0]["external_id"], "e-1");
    let unknown = admin(&sb, Method::GET, "/_sandbox/records/hyfin/invoice").await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn reset_over_http_clears_records_and_stats() {
    let sb = Sandbox::start().await.unwrap();
    hyfin_post(&sb, HYFIN_PAYMENT, PAYMENT).await;
    payabli_customer(&sb, r#"{"customerNumber":"n"}"#).await;
    assert_eq!(sb.records(Provider::Hyfin, "payment").len(), 1);
    assert_eq!(sb.records(Provider::Payabli, "customer").len(), 1);

    let reset = admin(&sb, Method::POST, "/_sandbox/reset").await;
    assert_eq!(reset.status, 200);
    assert_eq!(sb.stats(), Stats::default());
    assert!(sb.records(Provider::Hyfin, "payment").is_empty());
    assert!(sb.records(Provider::Payabli, "customer").is_empty());
    // After a reset the same external id is a new payment again.
    let again = hyfin_post(&sb, HYFIN_PAYMENT, PAYMENT).await;
    assert_eq!(again.json["action"], "added");
}

/// The ids of what `write_one_of_each` stored.
struct Written {
    hyfin_customer: String,
    hyfin_payment: String,
    rebilly_txn: serde_json::Value,
    payabli_customer: i64,
}

/// One Hyfin customer and payment, one Rebilly customer and transaction, one Payabli customer.
async fn write_one_of_each(sb: &Sandbox) -> Written {
    let customer = hyfin_post(
        sb,
        HYFIN_CUSTOMER,
        r#"{"display_name":"Kept","primary_contact":{"first_name":"K"}}"#,
    )
    .await;
    let payment = hyfin_post(sb, HYFIN_PAYMENT, PAYMENT).await;
    rebilly_customer(sb, "o", "cus-1").await;
    let txn = rebilly(sb, Method::POST, "/organizations/o/transactions", Some(TXN)).await;
    assert_eq!(txn.status, 201);
    let created = payabli_customer(sb, r#"{"customerNumber":"P-1","firstname":"Pat"}"#).await;
    Written {
        hyfin_customer: customer.json["_id"].as_str().unwrap().to_owned(),
        hyfin_payment: payment.json["_id"].as_str().unwrap().to_owned(),
        rebilly_txn: txn.json["id"].clone(),
        payabli_customer: created.json["responseData"]["customerId"].as_i64().unwrap(),
    }
}

/// Hyfin after a restart: the record reads back, the external-id index is rebuilt (the same
/// payment updates) and a new record gets a fresh id.
async fn hyfin_kept(sb: &Sandbox, before: &Written) {
    let path = format!("/api/v4/site/s/customer/{}", before.hyfin_customer);
    let got = hyfin(sb, Method::GET, &path, None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json["display_name"], "Kept");
    let again = hyfin_post(sb, HYFIN_PAYMENT, PAYMENT).await;
    assert_eq!(again.json["action"], "updated");
    assert_eq!(again.json["_id"], before.hyfin_payment.as_str());
    let second = hyfin_post(
        sb,
        HYFIN_CUSTOMER,
        r#"{"display_name":"New","primary_contact":{"first_name":"N"}}"#,
    )
    .await;
    assert_ne!(second.json["_id"], before.hyfin_customer.as_str());
    assert_eq!(sb.records(Provider::Hyfin, "customer").len(), 2);
}

/// Rebilly after a restart: the requestId window is rebuilt and the customer reads back.
async fn rebilly_kept(sb: &Sandbox, before: &Written) {
    let dup = rebilly(sb, Method::POST, "/organizations/o/transactions", Some(TXN)).await;
    assert_eq!(dup.status, 200);
    assert_eq!(dup.json["id"], before.rebilly_txn);
    let customer = rebilly(sb, Method::GET, "/organizations/o/customers/cus-1", None).await;
    assert_eq!(customer.json["firstName"], "Ada");
}

/// Payabli after a restart: the identifier still matches and new ids do not collide.
async fn payabli_kept(sb: &Sandbox, before: &Written) {
    let conflict = payabli_customer(sb, r#"{"customerNumber":"P-1"}"#).await;
    assert_eq!(conflict.status, 409);
    let next = payabli_customer(sb, r#"{"customerNumber":"P-2"}"#).await;
    let next_id = next.json["responseData"]["customerId"].as_i64().unwrap();
    assert!(next_id > before.payabli_customer);
    let path = format!("/Customer/{}", before.payabli_customer);
    let got = payabli(sb, Method::GET, &path, None).await;
    assert_eq!(got.json["Firstname"], "Pat");
}

#[tokio::test]
async fn records_survive_a_restart_with_sqlite() {
    let db = temp_db("restart");
    let config = SandboxConfig::default().with_data(&db);

    let sb = Sandbox::start_with(config.clone()).await.unwrap();
    let before = write_one_of_each(&sb).await;
    sb.shutdown().await;

    let sb = Sandbox::start_with(config.clone()).await.unwrap();
    hyfin_kept(&sb, &before).await;
    rebilly_kept(&sb, &before).await;
    payabli_kept(&sb, &before).await;

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
