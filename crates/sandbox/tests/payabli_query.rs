//! Payabli's `GET /Query/customers/{entry}`: filters and paging.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

/// A sandbox with 25 customers `N-00`..`N-24` in entry point `e` (first names alternate
/// `Even`/`Odd`) and one `N-03` in entry point `other`.
async fn twenty_five_customers() -> Sandbox {
    let sb = Sandbox::start().await.unwrap();
    for i in 0..25 {
        let body = json!({
            "customerNumber": format!("N-{i:02}"),
            "firstname": if i % 2 == 0 { "Even" } else { "Odd" },
            "lastname": format!("L{i}"),
            "email": format!("c{i}@example.com"),
        });
        let path = "/Customer/single/e";
        let a = payabli(&sb, Method::POST, path, Some(&body.to_string())).await;
        assert_eq!(a.status, 200, "{}", a.text);
    }
    let other = json!({"customerNumber": "N-03", "firstname": "Irene"}).to_string();
    let a = payabli(&sb, Method::POST, "/Customer/single/other", Some(&other)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    sb
}

/// `GET /Query/customers/e?{query}`.
async fn query(sb: &Sandbox, query: &str) -> Answer {
    let path = format!("/Query/customers/e?{query}");
    payabli(sb, Method::GET, &path, None).await
}

#[tokio::test]
async fn query_pages() {
    let sb = twenty_five_customers().await;
    let page1 = query(&sb, "fromRecord=0&limitRecord=10").await;
    assert_eq!(page1.status, 200);
    assert_eq!(
        page1.json["Summary"],
        json!({"totalRecords": 25, "pageSize": 10, "totalPages": 3, "pageidentifier": null})
    );
    assert_eq!(page1.json["Records"].as_array().unwrap().len(), 10);
    let page3 = query(&sb, "fromRecord=20&limitRecord=10").await;
    assert_eq!(page3.json["Records"].as_array().unwrap().len(), 5);
    assert_eq!(page3.json["Records"][0]["customerNumber"], "N-20");
    let default_page = query(&sb, "").await;
    assert_eq!(default_page.json["Records"].as_array().unwrap().len(), 20);
    let missing_entry = payabli(&sb, Method::GET, "/Query/customers/none", None).await;
    assert_eq!(missing_entry.json["Summary"]["totalRecords"], 0);
}

#[tokio::test]
async fn query_filters() {
    let sb = twenty_five_customers().await;
    let one = query(&sb, "customernumber(eq)=N-03&fromRecord=0&limitRecord=20").await;
    assert_eq!(one.status, 200);
    assert_eq!(one.json["Summary"]["totalRecords"], 1);
    assert_eq!(one.json["Records"][0]["customerNumber"], "N-03");
    // Percent-encoded filter names, as clients send them.
    let encoded = query(&sb, "customernumber%28eq%29=N-04").await;
    assert_eq!(encoded.json["Records"][0]["customerNumber"], "N-04");

    let total = |a: Answer| a.json["Summary"]["totalRecords"].clone();
    assert_eq!(total(query(&sb, "firstname(eq)=even").await), 13);
    assert_eq!(total(query(&sb, "firstname(ne)=Even").await), 12);
    assert_eq!(
        total(query(&sb, "firstname(eq)=Even&lastname(eq)=L4").await),
        1
    );
    assert_eq!(total(query(&sb, "lastname(eq)=L4").await), 1);
    let by_email = query(&sb, "email(eq)=c7@example.com").await;
    assert_eq!(by_email.json["Records"][0]["customerNumber"], "N-07");
    // Unknown filters are ignored.
    let unknown = query(&sb, "favouritecolour(eq)=blue&limitRecord=100").await;
    assert_eq!(total(unknown), 25);
    let nobody = query(&sb, "customernumber(eq)=nobody").await;
    assert_eq!(nobody.json["Records"], json!([]));
}
