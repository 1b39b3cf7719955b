//! Helpers shared by the sandbox's integration tests: one plain reqwest call per helper.
#![allow(dead_code)]

use reqwest::header::HeaderMap;
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

#[allow(unused_imports)]
pub use billsync_sandbox::{
    DEFAULT_HYFIN_TOKEN, DEFAULT_PAYABLI_TOKEN, DEFAULT_REBILLY_KEY, Provider, Sandbox,
    SandboxConfig,
};

/// An answer: status, headers, body text and the body as JSON (Null when it is not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub fn client() -> Client {
    Client::builder().build().expect("client")
}

/// Sends a request with raw body text and extra headers.
pub async fn send(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Answer {
    let mut req = client().request(method, url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req
            .header("content-type", "application/json")
            .body(b.to_owned());
    }
    let resp = req.send().await.expect("request failed");
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        text,
        json,
    }
}

pub const HYFIN_AUTH: &str = "Bearer sandbox-hyfin-token";

pub async fn hyfin(sb: &Sandbox, method: Method, path: &str, body: Option<&str>) -> Answer {
    let url = format!("{}{path}", sb.hyfin_base_url());
    send(method, &url, &[("authorization", HYFIN_AUTH)], body).await
}

pub async fn rebilly(sb: &Sandbox, method: Method, path: &str, body: Option<&str>) -> Answer {
    let url = format!("{}{path}", sb.rebilly_base_url());
    send(method, &url, &[("REB-APIKEY", DEFAULT_REBILLY_KEY)], body).await
}

pub async fn payabli(sb: &Sandbox, method: Method, path: &str, body: Option<&str>) -> Answer {
    payabli_with(sb, method, path, &[], body).await
}

pub async fn payabli_with(
    sb: &Sandbox,
    method: Method,
    path: &str,
    extra: &[(&str, &str)],
    body: Option<&str>,
) -> Answer {
    let url = format!("{}{path}", sb.payabli_base_url());
    let mut headers = vec![("requestToken", DEFAULT_PAYABLI_TOKEN)];
    headers.extend_from_slice(extra);
    send(method, &url, &headers, body).await
}

/// A Rebilly customer, created so transactions can refer to it.
pub async fn rebilly_customer(sb: &Sandbox, org: &str, id: &str) -> Answer {
    rebilly(
        sb,
        Method::PUT,
        &format!("/organizations/{org}/customers/{id}"),
        Some(r#"{"websiteId":"web-1","primaryAddress":{"firstName":"Ada","lastName":"Lovelace","emails":[{"label":"main","value":"ada@example.com","primary":true}]}}"#),
    )
    .await
}
