//! Rebilly, from its OpenAPI definitions: paths without an organization (the SDKs' default
//! organization), `GET /customers` and `POST /customers`, and `PUT` replacing the writable
//! fields.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

fn customer(first: &str, email: &str, website: &str) -> String {
    json!({
        "websiteId": website,
        "primaryAddress": {"firstName": first, "lastName": "Test", "city": "Austin",
            "emails": [{"label": "main", "value": email, "primary": true}]}
    })
    .to_string()
}

#[tokio::test]
async fn paths_without_an_organization_use_the_default_one() {
    let sb = Sandbox::start().await.unwrap();
    let put = rebilly(
        &sb,
        Method::PUT,
        "/customers/cus-1",
        Some(&customer("Ada", "ada@example.com", "web-1")),
    )
    .await;
    assert_eq!(put.status, 201, "{}", put.text);
    assert_eq!(put.json["organizationId"], "default");
    let got = rebilly(&sb, Method::GET, "/customers/cus-1", None).await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.json["firstName"], "Ada");
    assert_eq!(got.json["email"], "ada@example.com");
    assert_eq!(got.json["primaryAddress"]["city"], "Austin");
    // The same record under its organization's path.
    let scoped = rebilly(
        &sb,
        Method::GET,
        "/organizations/default/customers/cus-1",
        None,
    )
    .await;
    assert_eq!(scoped.json, got.json);

    let txn = json!({"type": "sale", "websiteId": "web-1", "customerId": "cus-1",
        "currency": "USD", "amount": 12.5, "isProcessedOutside": true, "requestId": "r-1"});
    let posted = rebilly(&sb, Method::POST, "/transactions", Some(&txn.to_string())).await;
    assert_eq!(posted.status, 201, "{}", posted.text);
    let id = posted.json["id"].as_str().unwrap().to_owned();
    let read = rebilly(&sb, Method::GET, &format!("/transactions/{id}"), None).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.json["customerId"], "cus-1");
    assert_eq!(read.json["amount"], 12.5);
    assert_eq!(read.json["requestId"], "r-1");
    let listed = rebilly(
        &sb,
        Method::GET,
        "/transactions?filter=requestId:r-1&limit=1",
        None,
    )
    .await;
    assert_eq!(listed.json.as_array().map(Vec::len), Some(1));
    assert_eq!(listed.json[0]["id"], id.as_str());

    // Another organization does not see them.
    let other = rebilly(
        &sb,
        Method::GET,
        "/organizations/org-2/customers/cus-1",
        None,
    )
    .await;
    assert_eq!(other.status, 404);
}

#[tokio::test]
async fn post_creates_customers_with_generated_ids_with_or_without_the_slash() {
    let sb = Sandbox::start().await.unwrap();
    let mut ids = Vec::new();
    for (path, first) in [
        ("/customers", "Ada"),
        ("/customers/", "Grace"),
        ("/organizations/o-1/customers", "Alan"),
    ] {
        let email = format!("{}@example.com", first.to_lowercase());
        let a = rebilly(
            &sb,
            Method::POST,
            path,
            Some(&customer(first, &email, "web-1")),
        )
        .await;
        assert_eq!(a.status, 201, "{path}: {}", a.text);
        let id = a.json["id"].as_str().unwrap().to_owned();
        let location = a.header("location").unwrap().to_owned();
        assert!(
            location.ends_with(&format!("/customers/{id}")),
            "{location}"
        );
        // Read back through the Location the answer gave.
        let got = send(
            Method::GET,
            &location,
            &[("REB-APIKEY", DEFAULT_REBILLY_KEY)],
            None,
        )
        .await;
        assert_eq!(got.status, 200, "{location}");
        assert_eq!(got.json["firstName"], first);
        assert_eq!(got.json["email"], email.as_str());
        assert_eq!(got.json["websiteId"], "web-1");
        assert_eq!(got.json["revision"], 0);
        ids.push(id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(sb.stats().rebilly.created, 3);

    let bad = rebilly(
        &sb,
        Method::POST,
        "/customers",
        Some(r#"{"primaryAddress":{"country":"usa"}}"#),
    )
    .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.json["invalidFields"][0]["field"],
        "primaryAddress.country"
    );
    assert_eq!(sb.records(Provider::Rebilly, "customer").len(), 3);
}

fn emails(a: &Answer) -> Vec<String> {
    a.json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["email"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn customer_list_pages_filters_sorts_and_searches() {
    let sb = Sandbox::start().await.unwrap();
    for (i, first) in ["Dora", "Ada", "Cleo", "Bea", "Eve"].iter().enumerate() {
        let email = format!("{}@example.com", first.to_lowercase());
        let website = if i % 2 == 0 { "web-even" } else { "web-odd" };
        let a = rebilly(
            &sb,
            Method::PUT,
            &format!("/customers/cus-{i}"),
            Some(&customer(first, &email, website)),
        )
        .await;
        assert_eq!(a.status, 201);
    }
    let page = rebilly(
        &sb,
        Method::GET,
        "/customers?limit=2&offset=1&sort=email",
        None,
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert_eq!(emails(&page), ["bea@example.com", "cleo@example.com"]);
    assert_eq!(page.header("pagination-total"), Some("5"));
    assert_eq!(page.header("pagination-limit"), Some("2"));
    assert_eq!(page.header("pagination-offset"), Some("1"));

    let desc = rebilly(&sb, Method::GET, "/customers/?sort=-email", None).await;
    assert_eq!(emails(&desc)[0], "eve@example.com");
    // Default order: newest first.
    let newest = rebilly(&sb, Method::GET, "/customers", None).await;
    assert_eq!(newest.json[0]["id"], "cus-4");
    assert_eq!(newest.json.as_array().map(Vec::len), Some(5));

    let odd = rebilly(
        &sb,
        Method::GET,
        "/customers?filter=websiteId:web-odd&sort=email",
        None,
    )
    .await;
    assert_eq!(emails(&odd), ["ada@example.com", "bea@example.com"]);
    assert_eq!(odd.header("pagination-total"), Some("2"));
    let search = rebilly(&sb, Method::GET, "/customers?q=CLEO", None).await;
    assert_eq!(emails(&search), ["cleo@example.com"]);
    let bad = rebilly(&sb, Method::GET, "/customers?limit=5000", None).await;
    assert_eq!(bad.status, 400);
    // Another organization's list is its own.
    let other = rebilly(&sb, Method::GET, "/organizations/o-9/customers", None).await;
    assert_eq!(other.json, json!([]));
}

#[tokio::test]
async fn put_replaces_the_writable_fields_and_omitted_ones_are_cleared() {
    let sb = Sandbox::start().await.unwrap();
    let full = json!({
        "websiteId": "web-1", "locale": "en-US", "customFields": {"tier": "gold"},
        "personId": "p-1", "notificationEmails": ["ops@example.com"],
        "taxNumbers": [{"type": "other", "value": "123"}],
        "primaryAddress": {"firstName": "Ada", "lastName": "Lovelace", "city": "London"}
    });
    let created = rebilly(
        &sb,
        Method::PUT,
        "/organizations/o/customers/c-1",
        Some(&full.to_string()),
    )
    .await;
    assert_eq!(created.status, 201);
    let replaced = rebilly(
        &sb,
        Method::PUT,
        "/organizations/o/customers/c-1",
        Some(r#"{"websiteId":"web-2"}"#),
    )
    .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text);

    let got = rebilly(&sb, Method::GET, "/organizations/o/customers/c-1", None).await;
    let c = &got.json;
    assert_eq!(c["websiteId"], "web-2");
    for cleared in [
        "locale",
        "personId",
        "primaryAddress",
        "firstName",
        "lastName",
        "email",
    ] {
        assert_eq!(c[cleared], Value::Null, "{cleared}");
    }
    assert_eq!(c["customFields"], json!({}));
    assert_eq!(c["notificationEmails"], json!([]));
    assert_eq!(c["taxNumbers"], json!([]));
    assert_eq!(c["revision"], 1);
    assert_eq!(c["createdTime"], created.json["createdTime"]);
    assert_eq!(
        sb.records(Provider::Rebilly, "customer"),
        vec![got.json.clone()]
    );
}
