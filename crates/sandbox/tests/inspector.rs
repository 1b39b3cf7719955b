//! The inspector's JSON endpoints: the request ring (bound, paging, filters, masking,
//! faults) and record histories, and the page's files.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

const CUSTOMER: &str =
    r#"{"websiteId":"web-1","primaryAddress":{"firstName":"Ada","lastName":"Lovelace"}}"#;
const CUSTOMER_EDITED: &str =
    r#"{"websiteId":"web-1","primaryAddress":{"firstName":"Ada","lastName":"King"}}"#;

async fn admin(sb: &Sandbox, method: Method, path: &str) -> Answer {
    send(method, &format!("{}{path}", sb.base_url()), &[], None).await
}

/// `GET` of the history of Rebilly's customers, with `query`.
async fn history(sb: &Sandbox, query: &str) -> Answer {
    let path = format!("/_sandbox/records/rebilly/customer/history{query}");
    admin(sb, Method::GET, &path).await
}

async fn list(sb: &Sandbox, query: &str) -> Value {
    let a = admin(sb, Method::GET, &format!("/_sandbox/requests{query}")).await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.json
}

fn ids(page: &Value) -> Vec<u64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_u64().expect("id"))
        .collect()
}

async fn put_customer(sb: &Sandbox, id: &str, body: &str) -> Answer {
    let path = format!("/organizations/org-1/customers/{id}");
    rebilly(sb, Method::PUT, &path, Some(body)).await
}

#[tokio::test]
async fn a_request_is_listed_with_its_summary_and_its_detail_masks_secrets() {
    let sb = Sandbox::start().await.unwrap();
    let answer = put_customer(&sb, "cus-1", CUSTOMER).await;
    assert_eq!(answer.status, 201);
    let page = list(&sb, "").await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["kept"], 1);
    assert_eq!(page["capacity"], 2000);
    let item = &page["items"][0];
    assert_eq!(item["provider"], "rebilly");
    assert_eq!(item["method"], "PUT");
    assert_eq!(item["path"], "/rebilly/organizations/org-1/customers/cus-1");
    assert_eq!(item["status"], 201);
    assert!(item["latency_ms"].is_u64());
    assert_eq!(item["fault"], Value::Null);
    assert_eq!(item["error"], Value::Null);
    assert!(item["at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(page["latest"], item["id"]);

    let id = item["id"].as_u64().unwrap();
    let detail = admin(&sb, Method::GET, &format!("/_sandbox/requests/{id}")).await;
    assert_eq!(detail.status, 200);
    let d = &detail.json;
    assert_eq!(d["path"], item["path"]);
    let header = |list: &str, name: &str| {
        d[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h[0] == name)
            .map(|h| h[1].clone())
    };
    assert_eq!(
        header("request_headers", "reb-apikey"),
        Some(json!("[masked]"))
    );
    assert_eq!(
        header("request_headers", "content-type"),
        Some(json!("application/json"))
    );
    assert_eq!(d["request_body"], CUSTOMER);
    assert_eq!(d["request_bytes"], CUSTOMER.len());
    assert_eq!(d["request_truncated"], false);
    assert_eq!(d["response_body"], answer.text);
    assert_eq!(d["response_truncated"], false);
    assert!(!detail.text.contains(DEFAULT_REBILLY_KEY));

    // The other providers' secrets are masked too, Hyfin's keeping its scheme.
    hyfin(&sb, Method::GET, "/api/v4/site/s/customer/nope", None).await;
    payabli(&sb, Method::GET, "/Customer/999", None).await;
    for (provider, header_name, shown) in [
        ("hyfin", "authorization", "Bearer [masked]"),
        ("payabli", "requesttoken", "[masked]"),
    ] {
        let page = list(&sb, &format!("?provider={provider}")).await;
        let id = page["items"][0]["id"].as_u64().unwrap();
        let detail = admin(&sb, Method::GET, &format!("/_sandbox/requests/{id}")).await;
        assert!(!detail.text.contains(DEFAULT_HYFIN_TOKEN));
        assert!(!detail.text.contains(DEFAULT_PAYABLI_TOKEN));
        let found = detail.json["request_headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h[0] == header_name && h[1] == shown);
        assert!(found, "{provider}: {}", detail.text);
    }
    assert_eq!(
        admin(&sb, Method::GET, "/_sandbox/requests/99999")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_ring_keeps_the_newest_requests_up_to_its_size() {
    let sb = Sandbox::start_with(SandboxConfig::default().with_requests_kept(5))
        .await
        .unwrap();
    for n in 1..=8 {
        put_customer(&sb, &format!("cus-{n}"), CUSTOMER).await;
    }
    let page = list(&sb, "").await;
    assert_eq!(page["kept"], 5);
    assert_eq!(page["capacity"], 5);
    assert_eq!(page["evicted"], 3);
    assert_eq!(ids(&page), [8, 7, 6, 5, 4]);
    assert_eq!(
        page["items"][0]["path"],
        "/rebilly/organizations/org-1/customers/cus-8"
    );
    assert_eq!(
        admin(&sb, Method::GET, "/_sandbox/requests/3").await.status,
        404
    );
    assert_eq!(
        admin(&sb, Method::GET, "/_sandbox/requests/4").await.status,
        200
    );
    // Admin requests are not captured.
    admin(&sb, Method::GET, "/_sandbox/stats").await;
    assert_eq!(list(&sb, "").await["latest"], 8);
    assert_eq!(
        admin(&sb, Method::DELETE, "/_sandbox/requests")
            .await
            .status,
        200
    );
    let page = list(&sb, "").await;
    assert_eq!(
        (page["kept"].as_u64(), page["latest"].as_u64()),
        (Some(0), Some(0))
    );
}

#[tokio::test]
async fn pages_walk_the_whole_ring_newest_first_without_gaps() {
    let sb = Sandbox::start().await.unwrap();
    for n in 1..=12 {
        put_customer(&sb, &format!("cus-{n}"), CUSTOMER).await;
    }
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = list(&sb, &format!("?limit=5{cursor}")).await;
        assert_eq!(page["total"], 12);
        seen.extend(ids(&page));
        match page["next_before"].as_u64() {
            Some(b) => cursor = format!("&before={b}"),
            None => break,
        }
    }
    assert_eq!(seen, (1..=12).rev().collect::<Vec<u64>>());
    let bad = admin(&sb, Method::GET, "/_sandbox/requests?limit=many").await;
    assert_eq!(bad.status, 400);
    let bad = admin(&sb, Method::GET, "/_sandbox/requests?provider=stripe").await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn filters_by_provider_status_fault_and_external_id() {
    let sb = Sandbox::start().await.unwrap();
    put_customer(&sb, "cus-alpha", CUSTOMER).await; // 1: 201
    put_customer(&sb, "cus-beta", CUSTOMER).await; // 2: 201
    hyfin(&sb, Method::GET, "/api/v4/site/s/customer/nope", None).await; // 3: 404
    let url = format!(
        "{}/organizations/org-1/customers/cus-gamma",
        sb.rebilly_base_url()
    );
    let headers = [
        ("REB-APIKEY", DEFAULT_REBILLY_KEY),
        ("x-sandbox-fault", "500"),
    ];
    let faulted = send(Method::PUT, &url, &headers, Some(CUSTOMER)).await; // 4: 500
    assert_eq!(faulted.status, 500);

    assert_eq!(ids(&list(&sb, "?provider=hyfin").await), [3]);
    assert_eq!(ids(&list(&sb, "?provider=rebilly").await), [4, 2, 1]);
    assert_eq!(ids(&list(&sb, "?status=2xx").await), [2, 1]);
    assert_eq!(ids(&list(&sb, "?status=404").await), [3]);
    let faults = list(&sb, "?status=fault").await;
    assert_eq!(ids(&faults), [4]);
    assert_eq!(faults["items"][0]["fault"], "500");
    assert_eq!(faults["total"], 1);
    // In the path, in a body (the answer's id), ASCII case ignored.
    assert_eq!(ids(&list(&sb, "?external_id=CUS-BETA").await), [2]);
    assert_eq!(ids(&list(&sb, "?external_id=Lovelace").await), [4, 2, 1]);
    assert_eq!(
        ids(&list(&sb, "?provider=rebilly&status=2xx&external_id=alpha").await),
        [1]
    );
}

#[tokio::test]
async fn a_dropped_answer_is_listed_with_its_fault_and_what_went_wrong() {
    let sb = Sandbox::start().await.unwrap();
    let url = format!(
        "{}/organizations/org-1/customers/cus-1",
        sb.rebilly_base_url()
    );
    let sent = client()
        .put(url)
        .header("REB-APIKEY", DEFAULT_REBILLY_KEY)
        .header("x-sandbox-fault", "drop")
        .header("content-type", "application/json")
        .body(CUSTOMER)
        .send()
        .await;
    assert!(sent.is_err(), "a dropped answer must fail on the client");
    let item = list(&sb, "").await["items"][0].clone();
    assert_eq!(item["fault"], "drop");
    assert_eq!(item["error"], "connection closed before the answer");
    // The write was applied, so the record's history has it.
    let histories = history(&sb, "").await;
    assert_eq!(histories.json["total"], 1);
    assert_eq!(
        histories.json["items"][0]["versions"][0]["request_id"],
        item["id"]
    );
}

#[tokio::test]
async fn a_record_history_has_each_version_with_its_changes_and_request() {
    let sb = Sandbox::start().await.unwrap();
    assert_eq!(put_customer(&sb, "cus-1", CUSTOMER).await.status, 201);
    assert_eq!(put_customer(&sb, "cus-2", CUSTOMER).await.status, 201);
    // Reading a history reconciles it, so the update below is a version of its own.
    let created = history(&sb, "").await;
    assert_eq!(created.json["total"], 2);
    assert_eq!(
        put_customer(&sb, "cus-1", CUSTOMER_EDITED).await.status,
        200
    );
    let requests = ids(&list(&sb, "").await);
    assert_eq!(requests, [3, 2, 1]);

    let a = history(&sb, "").await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["total"], 2);
    let first = &a.json["items"][0];
    assert_eq!(first["key"], "org-1/cus-1");
    let versions = first["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(versions[0]["action"], "created");
    assert_eq!(versions[0]["request_id"], 1);
    assert_eq!(versions[0]["record"]["lastName"], "Lovelace");
    assert_eq!(versions[1]["action"], "updated");
    assert_eq!(versions[1]["request_id"], 3);
    let stored = &sb.records(Provider::Rebilly, "customer")[0];
    assert_eq!(&versions[1]["record"], stored);
    let changes = versions[1]["changes"].as_array().unwrap();
    let last_name = changes
        .iter()
        .find(|c| c["path"] == "lastName")
        .expect("lastName changed");
    assert_eq!(last_name["change"], "changed");
    assert_eq!(last_name["before"], "Lovelace");
    assert_eq!(last_name["after"], "King");
    assert_eq!(a.json["items"][1]["key"], "org-1/cus-2");

    let one = history(&sb, "?offset=1&limit=1").await;
    assert_eq!(one.json["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(one.json["items"][0]["key"], "org-1/cus-2");
    let unknown = admin(
        &sb,
        Method::GET,
        "/_sandbox/records/rebilly/invoice/history",
    )
    .await;
    assert_eq!(unknown.status, 404);

    // A reset empties the store and the histories; the Rust API's reset too.
    assert_eq!(
        admin(&sb, Method::POST, "/_sandbox/reset").await.status,
        200
    );
    let a = history(&sb, "").await;
    assert_eq!(a.json["total"], 0);
    put_customer(&sb, "cus-9", CUSTOMER).await;
    sb.reset();
    let a = history(&sb, "").await;
    assert_eq!(a.json["total"], 0);
}

#[tokio::test]
async fn the_page_and_its_files_are_served_and_need_nothing_from_elsewhere() {
    let sb = Sandbox::start().await.unwrap();
    let page = admin(&sb, Method::GET, "/_sandbox/").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.text.contains("inspector.js"));
    for (path, content_type) in [
        ("/_sandbox/inspector.js", "text/javascript; charset=utf-8"),
        ("/_sandbox/inspector.css", "text/css; charset=utf-8"),
    ] {
        let file = admin(&sb, Method::GET, path).await;
        assert_eq!(file.status, 200, "{path}");
        assert_eq!(file.header("content-type"), Some(content_type));
        assert!(!file.text.is_empty());
        assert!(!file.text.contains("http://") && !file.text.contains("https://"));
    }
    assert!(!page.text.contains("http://") && !page.text.contains("https://"));
}
