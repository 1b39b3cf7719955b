//! Payabli, from its API reference: `DELETE /Customer/{id}`, the organization list, the list
//! query semantics (limits, `|` lists, documented filters, `sortBy`), typed-field validation
//! and `PUT` changing only the fields sent.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn create(sb: &Sandbox, entry: &str, body: Value) -> i64 {
    let path = format!("/Customer/single/{entry}");
    let a = payabli(sb, Method::POST, &path, Some(&body.to_string())).await;
    assert_eq!(a.status, 200, "{}", a.text);
    a.json["responseData"]["customerId"].as_i64().unwrap()
}

fn numbers(a: &Answer) -> Vec<String> {
    a.json["Records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["customerNumber"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn delete_answers_an_envelope_and_removes_the_customer() {
    let sb = Sandbox::start().await.unwrap();
    let id = create(
        &sb,
        "e-1",
        json!({"customerNumber": "C-1", "email": "a@example.com"}),
    )
    .await;
    let keep = create(
        &sb,
        "e-1",
        json!({"customerNumber": "C-2", "email": "b@example.com"}),
    )
    .await;
    let deleted = payabli(&sb, Method::DELETE, &format!("/Customer/{id}"), None).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(deleted.json["isSuccess"], true);
    assert_eq!(deleted.json["responseCode"], 1);
    assert_eq!(deleted.json["responseText"], "Success");
    assert_eq!(deleted.json["responseData"], id);

    let got = payabli(&sb, Method::GET, &format!("/Customer/{id}"), None).await;
    assert_eq!(got.status, 404);
    let again = payabli(&sb, Method::DELETE, &format!("/Customer/{id}"), None).await;
    assert_eq!(again.status, 404);
    assert_eq!(again.json["isSuccess"], false);
    let listed = payabli(
        &sb,
        Method::GET,
        "/Query/customers/e-1?customernumber(eq)=C-1",
        None,
    )
    .await;
    assert_eq!(listed.json["Summary"]["totalRecords"], 0);
    let records = sb.records(Provider::Payabli, "customer");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["customerId"], keep);
    // The number is free again: a new create is not a conflict.
    create(
        &sb,
        "e-1",
        json!({"customerNumber": "C-1", "email": "a@example.com"}),
    )
    .await;
}

#[tokio::test]
async fn organization_list_covers_every_entrypoint() {
    let sb = Sandbox::start().await.unwrap();
    create(
        &sb,
        "e-1",
        json!({"customerNumber": "A-1", "email": "a@example.com"}),
    )
    .await;
    create(
        &sb,
        "e-2",
        json!({"customerNumber": "B-1", "email": "b@example.com"}),
    )
    .await;
    let org = payabli(
        &sb,
        Method::GET,
        "/Query/customers/org/236?sortBy=asc(customernumber)",
        None,
    )
    .await;
    assert_eq!(org.status, 200, "{}", org.text);
    assert_eq!(org.json["Summary"]["totalRecords"], 2);
    assert_eq!(numbers(&org), ["A-1", "B-1"]);
    assert_eq!(org.json["Records"][1]["PaypointEntryname"], "e-2");
    let filtered = payabli(
        &sb,
        Method::GET,
        "/Query/customers/org/236?email(eq)=b@example.com",
        None,
    )
    .await;
    assert_eq!(numbers(&filtered), ["B-1"]);
    let bad = payabli(&sb, Method::GET, "/Query/customers/org/abc", None).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json["isSuccess"], false);
}

#[tokio::test]
async fn list_query_semantics_follow_the_docs() {
    let sb = Sandbox::start().await.unwrap();
    for i in 0..25 {
        let status = if i % 5 == 0 { 0 } else { 1 };
        let body = json!({"customerNumber": format!("N-{i:02}"), "firstname": format!("First{i:02}"),
            "lastname": "Holmes", "customerUsername": format!("user{i}"), "customerStatus": status,
            "email": format!("c{i}@example.com"), "balance": i});
        create(&sb, "e-1", body).await;
    }
    let q = |query: &'static str| {
        let sb = &sb;
        async move {
            payabli(
                sb,
                Method::GET,
                &format!("/Query/customers/e-1?{query}"),
                None,
            )
            .await
        }
    };
    assert_eq!(numbers(&q("").await).len(), 20);
    for all in ["limitRecord=0", "limitRecord=-1"] {
        let a = q(all).await;
        assert_eq!(a.status, 200, "{all}: {}", a.text);
        assert_eq!(numbers(&a).len(), 25, "{all}");
        assert_eq!(a.json["Summary"]["totalPages"], 1, "{all}");
    }
    assert_eq!(
        numbers(&q("customernumber(in)=N-01|N-03").await),
        ["N-01", "N-03"]
    );
    assert!(numbers(&q("customernumber(in)=N-01,N-03").await).is_empty());
    assert_eq!(
        numbers(&q("customernumber(nin)=N-01|N-03&limitRecord=0").await).len(),
        23
    );
    assert_eq!(
        numbers(&q("status(eq)=0").await),
        ["N-00", "N-05", "N-10", "N-15", "N-20"]
    );
    assert_eq!(
        numbers(&q("status(in)=0|-99&balance(gt)=10").await),
        ["N-15", "N-20"]
    );
    assert_eq!(numbers(&q("username(eq)=USER7").await), ["N-07"]);
    assert_eq!(numbers(&q("name(ct)=first12%20holmes").await), ["N-12"]);
    let sorted = q("sortBy=desc(customernumber)&limitRecord=3").await;
    assert_eq!(numbers(&sorted), ["N-24", "N-23", "N-22"]);
    let by_balance = q("sortBy=asc(balance)&fromRecord=2&limitRecord=2").await;
    assert_eq!(numbers(&by_balance), ["N-02", "N-03"]);
    assert_eq!(by_balance.json["Summary"]["totalRecords"], 25);
}

#[tokio::test]
async fn typed_fields_are_validated() {
    let sb = Sandbox::start().await.unwrap();
    for (field, value, code) in [
        ("createdAt", json!("yesterday"), 3003),
        ("createdAt", json!(20220701), 3003),
        ("balance", json!("12.50"), 3003),
        ("timeZone", json!(14), 3004),
        ("customerStatus", json!(7), 3003),
    ] {
        let mut body = json!({"customerNumber": "T-1", "email": "t@example.com"});
        body[field] = value.clone();
        let path = "/Customer/single/e-1";
        let a = payabli(&sb, Method::POST, path, Some(&body.to_string())).await;
        assert_eq!(a.status, 400, "{field}={value}: {}", a.text);
        assert_eq!(a.json["isSuccess"], false);
        assert_eq!(a.json["responseCode"], code, "{field}");
        let why = a.json["responseData"]["explanation"].as_str().unwrap();
        assert!(why.contains(field), "{why}");
    }
    assert!(sb.records(Provider::Payabli, "customer").is_empty());

    let body = json!({"customerNumber": "T-2", "email": "t@example.com", "createdAt": "2022-07-01 15:00:01"});
    let id = create(&sb, "e-1", body).await;
    let got = payabli(&sb, Method::GET, &format!("/Customer/{id}"), None).await;
    assert_eq!(got.json["Created"], "2022-07-01 15:00:01");
    // An update is checked the same way and changes nothing when refused.
    let bad = payabli(
        &sb,
        Method::PUT,
        &format!("/Customer/{id}"),
        Some(r#"{"createdAt":"yesterday","email":"x@example.com"}"#),
    )
    .await;
    assert_eq!(bad.status, 400);
    let again = payabli(&sb, Method::GET, &format!("/Customer/{id}"), None).await;
    assert_eq!(again.json["Email"], "t@example.com");
}

#[tokio::test]
async fn put_changes_only_the_fields_sent_and_null_clears() {
    let sb = Sandbox::start().await.unwrap();
    let id = create(
        &sb,
        "e-1",
        json!({
            "customerNumber": "U-1", "firstname": "Irene", "lastname": "Adler", "phone": "555-0100",
            "email": "irene@example.com", "city": "London", "balance": 5,
            "additionalFields": {"tier": "gold", "team": "red"}
        }),
    )
    .await;
    let update = json!({"phone": null, "lastname": "Norton", "city": null,
        "additionalFields": {"team": null, "since": "1891"}});
    let a = payabli(
        &sb,
        Method::PUT,
        &format!("/Customer/{id}"),
        Some(&update.to_string()),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);

    let got = payabli(&sb, Method::GET, &format!("/Customer/{id}"), None).await;
    let r = &got.json;
    assert_eq!(r["Phone"], Value::Null);
    assert_eq!(r["City"], Value::Null);
    assert_eq!(r["Lastname"], "Norton");
    assert_eq!(r["Firstname"], "Irene");
    assert_eq!(r["Email"], "irene@example.com");
    assert_eq!(r["customerNumber"], "U-1");
    assert_eq!(r["Balance"], 5);
    assert_eq!(
        r["AdditionalFields"],
        json!({"tier": "gold", "since": "1891"})
    );
}
