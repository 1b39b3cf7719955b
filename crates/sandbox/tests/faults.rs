//! Fault injection, per request (`x-sandbox-fault`) and per sandbox (`Faults`).

mod common;

use std::time::{Duration, Instant};

use billsync_sandbox::Faults;
use common::*;
use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PAYMENT: &str = r#"{"external_id":"e-1","gateway_transaction_id":"g-1","display_name":"VISA **** 1111","amount":10.5,"paid_on":"2021-01-01T14:32:18Z"}"#;
const PAYMENT_PATH: &str = "/api/v3/site/s/payment/addUpdate";

fn payment_url(sb: &Sandbox) -> String {
    format!("{}{PAYMENT_PATH}", sb.hyfin_base_url())
}

/// Sends a Hyfin payment with an `x-sandbox-fault` header; the reqwest result.
async fn faulted(sb: &Sandbox, fault: &str) -> reqwest::Result<reqwest::Response> {
    client()
        .post(payment_url(sb))
        .header("authorization", HYFIN_AUTH)
        .header("x-sandbox-fault", fault)
        .header("content-type", "application/json")
        .body(PAYMENT)
        .send()
        .await
}

/// Sends a raw HTTP/1.1 request and reads everything until the server closes.
async fn raw(sb: &Sandbox, fault: &str) -> Vec<u8> {
    let mut tcp = TcpStream::connect(sb.addr()).await.unwrap();
    let req = format!(
        "POST /hyfin{PAYMENT_PATH} HTTP/1.1\r\nhost: localhost\r\nauthorization: {HYFIN_AUTH}\r\nx-sandbox-fault: {fault}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{PAYMENT}",
        PAYMENT.len()
    );
    tcp.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut out)).await;
    out
}

#[tokio::test]
async fn header_500_and_429_answer_before_processing() {
    let sb = Sandbox::start().await.unwrap();
    let r = faulted(&sb, "500").await.unwrap();
    assert_eq!(r.status(), 500);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["success"], false);

    let r = faulted(&sb, "429").await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());

    // Each provider answers with its own body.
    let reb = send(
        Method::PUT,
        &format!("{}/organizations/o/customers/c", sb.rebilly_base_url()),
        &[
            ("REB-APIKEY", DEFAULT_REBILLY_KEY),
            ("x-sandbox-fault", "429"),
        ],
        Some("{}"),
    )
    .await;
    assert_eq!(reb.status, 429);
    assert_eq!(reb.json["status"], 429);
    assert!(
        reb.header("x-ratelimit-retry-after")
            .unwrap()
            .parse::<i64>()
            .unwrap()
            > chrono::Utc::now().timestamp() - 1
    );
    let pay = payabli_with(
        &sb,
        Method::POST,
        "/Customer/single/e",
        &[("x-sandbox-fault", "500")],
        Some(r#"{"customerNumber":"a"}"#),
    )
    .await;
    assert_eq!(pay.status, 500);
    assert_eq!(pay.json["isSuccess"], false);

    assert!(sb.records(Provider::Hyfin, "payment").is_empty());
    assert!(sb.records(Provider::Rebilly, "customer").is_empty());
    assert!(sb.records(Provider::Payabli, "customer").is_empty());
    let s = sb.stats();
    assert_eq!(
        (s.hyfin.faults, s.hyfin.rate_limited, s.hyfin.created),
        (2, 1, 0)
    );
    assert_eq!((s.rebilly.faults, s.rebilly.rate_limited), (1, 1));
    assert_eq!(s.payabli.faults, 1);
}

#[tokio::test]
async fn header_html() {
    let sb = Sandbox::start().await.unwrap();
    for (fault, status) in [("html", 502), ("html200", 200)] {
        let r = faulted(&sb, fault).await.unwrap();
        assert_eq!(r.status(), status);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let text = r.text().await.unwrap();
        assert!(text.starts_with('<'));
        assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
    }
    assert!(sb.records(Provider::Hyfin, "payment").is_empty());
}

#[tokio::test]
async fn header_drop_closes_without_an_answer_after_the_write() {
    let sb = Sandbox::start().await.unwrap();
    let err = faulted(&sb, "drop").await.expect_err("no answer expected");
    assert!(!err.is_status(), "{err}");
    // Nothing at all on the wire, not even a status line.
    assert_eq!(raw(&sb, "drop").await, b"");
    // The write happened: the client cannot tell, which is the point.
    assert_eq!(sb.records(Provider::Hyfin, "payment").len(), 1);
    let s = sb.stats().hyfin;
    assert_eq!((s.faults, s.created, s.updated), (2, 1, 1));
}

#[tokio::test]
async fn header_truncate_cuts_the_body() {
    let sb = Sandbox::start().await.unwrap();
    let r = faulted(&sb, "truncate").await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.is_err(), "a cut body must fail to read");

    let bytes = raw(&sb, "truncate").await;
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text.split_once("\r\n\r\n").expect("headers arrive");
    let announced: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(|v| v.trim().parse().unwrap())
        })
        .expect("content-length");
    assert!(
        !body.is_empty() && body.len() < announced,
        "{} of {announced}",
        body.len()
    );
    assert_eq!(sb.records(Provider::Hyfin, "payment").len(), 1);
}

#[tokio::test]
async fn header_slow_body_arrives_late_but_whole() {
    let sb = Sandbox::start().await.unwrap();
    let started = Instant::now();
    let r = faulted(&sb, "slow=300").await.unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(body["success"], true);
}

#[tokio::test]
async fn sandbox_faults_every_kind() {
    let sb = Sandbox::start().await.unwrap();
    let hyfin_post = || async {
        client()
            .post(payment_url(&sb))
            .header("authorization", HYFIN_AUTH)
            .header("content-type", "application/json")
            .body(PAYMENT)
            .send()
            .await
    };

    sb.set_faults(Faults {
        server_error_rate: 1.0,
        ..Faults::none()
    });
    assert_eq!(hyfin_post().await.unwrap().status(), 500);

    sb.set_faults(Faults {
        non_json_rate: 1.0,
        ..Faults::none()
    });
    for _ in 0..6 {
        let r = hyfin_post().await.unwrap();
        assert!(r.status() == 200 || r.status() == 502);
        assert!(r.text().await.unwrap().starts_with('<'));
    }

    sb.set_faults(Faults {
        drop_rate: 1.0,
        ..Faults::none()
    });
    assert!(hyfin_post().await.is_err());

    sb.set_faults(Faults {
        truncated_rate: 1.0,
        ..Faults::none()
    });
    assert!(hyfin_post().await.unwrap().bytes().await.is_err());

    sb.set_faults(Faults {
        slow_body: Some(Duration::from_millis(200)),
        ..Faults::none()
    });
    let t = Instant::now();
    assert_eq!(
        hyfin_post()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()["success"],
        true
    );
    assert!(t.elapsed() >= Duration::from_millis(200));

    sb.set_faults(Faults {
        latency: Duration::from_millis(200),
        ..Faults::none()
    });
    let t = Instant::now();
    assert_eq!(hyfin_post().await.unwrap().status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(200));

    sb.set_faults(Faults {
        rate_limit_burst: 2,
        ..Faults::none()
    });
    assert_eq!(hyfin_post().await.unwrap().status(), 429);
    assert_eq!(rebilly_customer(&sb, "o", "c").await.status, 429);
    assert_eq!(hyfin_post().await.unwrap().status(), 200);

    sb.set_faults(Faults::none());
    assert_eq!(hyfin_post().await.unwrap().status(), 200);
    let s = sb.stats();
    assert_eq!(s.hyfin.faults, 1 + 6 + 1 + 1 + 1 + 1);
    assert_eq!(s.hyfin.rate_limited, 1);
    assert_eq!(s.rebilly.rate_limited, 1);
}

#[tokio::test]
async fn random_faults_follow_the_seed() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let config = SandboxConfig::default()
            .with_seed(seed)
            .with_faults(Faults {
                server_error_rate: 0.5,
                ..Faults::none()
            });
        let sb = Sandbox::start_with(config).await.unwrap();
        let mut out = Vec::new();
        for _ in 0..40 {
            out.push(
                hyfin(&sb, Method::GET, "/api/v4/site/s/customer/x", None)
                    .await
                    .status
                    .as_u16(),
            );
        }
        out
    }
    let a = statuses(11).await;
    assert_eq!(a, statuses(11).await);
    assert_ne!(a, statuses(12).await);
    let errors = a.iter().filter(|s| **s == 500).count();
    assert!((8..=32).contains(&errors), "{errors} of 40");
    assert!(a.iter().all(|s| *s == 500 || *s == 404));
}

#[tokio::test]
async fn faults_over_http_admin() {
    let sb = Sandbox::start().await.unwrap();
    let url = format!("{}/_sandbox/faults", sb.base_url());
    let set = send(
        Method::POST,
        &url,
        &[],
        Some(r#"{"server_error_rate": 1, "latency_ms": 5}"#),
    )
    .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(sb.faults().server_error_rate, 1.0);
    assert_eq!(sb.faults().latency, Duration::from_millis(5));
    assert_eq!(
        hyfin(&sb, Method::GET, "/api/v4/site/s/customer/x", None)
            .await
            .status,
        500
    );
    // Admin endpoints themselves are never faulted.
    let got = send(Method::GET, &url, &[], None).await;
    assert_eq!(got.json["server_error_rate"], 1.0);
    let bad = send(Method::POST, &url, &[], Some(r#"{"drop_rate": "lots"}"#)).await;
    assert_eq!(bad.status, 400);
    send(Method::POST, &url, &[], Some("{}")).await;
    assert_eq!(
        hyfin(&sb, Method::GET, "/api/v4/site/s/customer/x", None)
            .await
            .status,
        404
    );
}
