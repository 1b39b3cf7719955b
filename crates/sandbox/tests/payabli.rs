//! Payabli: create, identifier matching, idempotency, update, GET and validation (Query:
//! payabli_query.rs).

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::json;

const CREATE: &str = "/Customer/single/entry-1?forceCustomerCreation=false&replaceExisting=0";

fn customer(number: &str) -> String {
    json!({
        "customerNumber": number, "firstname": "Irene", "lastname": "Adler",
        "email": format!("{number}@example.com"), "address1": "221B Baker St", "city": "London",
        "country": "GB", "timeZone": 0, "additionalFields": {"tier": "gold"}
    })
    .to_string()
}

#[tokio::test]
async fn create_update_get() {
    let sb = Sandbox::start().await.unwrap();
    let created = payabli(&sb, Method::POST, CREATE, Some(&customer("C-1"))).await;
    assert_eq!(created.status, 200, "{}", created.text);
    let env = &created.json;
    assert_eq!(env["isSuccess"], true);
    assert_eq!(env["responseCode"], 1);
    assert_eq!(env["responseText"], "Success");
    assert!(env.as_object().unwrap().contains_key("pageIdentifier"));
    let record = &env["responseData"];
    let id = record["customerId"]
        .as_i64()
        .expect("customerId is an integer");
    assert_eq!(record["customerNumber"], "C-1");
    assert_eq!(record["Firstname"], "Irene");
    assert_eq!(record["Lastname"], "Adler");
    assert_eq!(record["Email"], "C-1@example.com");
    assert_eq!(record["Address1"], "221B Baker St");
    assert_eq!(record["AdditionalFields"]["tier"], "gold");

    let update = json!({"email": "irene@adler.example", "additionalFields": {"since": "1891"}});
    let updated = payabli(
        &sb,
        Method::PUT,
        &format!("/Customer/{id}"),
        Some(&update.to_string()),
    )
    .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.json["isSuccess"], true);
    assert_eq!(updated.json["responseCode"], 1);
    assert_eq!(updated.json["responseData"], " ");
    assert_eq!(updated.json["responseText"], "Success");

    let got = payabli(&sb, Method::GET, &format!("/Customer/{id}"), None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json["customerId"], id);
    assert_eq!(got.json["Email"], "irene@adler.example");
    assert_eq!(got.json["Firstname"], "Irene");
    assert_eq!(
        got.json["AdditionalFields"],
        json!({"tier": "gold", "since": "1891"})
    );
    assert!(
        got.json.get("isSuccess").is_none(),
        "GET answers the bare record"
    );

    for (method, path, body) in [
        (Method::PUT, "/Customer/999999", Some("{}")),
        (Method::GET, "/Customer/999999", None),
        (Method::GET, "/Customer/not-a-number", None),
    ] {
        let a = payabli(&sb, method, path, body).await;
        assert_eq!(a.status, 404, "{path}: {}", a.text);
        assert_eq!(a.json["isSuccess"], false);
    }
    let s = sb.stats().payabli;
    assert_eq!((s.created, s.updated, s.rejected), (1, 1, 3));
}

#[tokio::test]
async fn identifier_match_conflict_replace_and_force() {
    let sb = Sandbox::start().await.unwrap();
    let first = payabli(&sb, Method::POST, CREATE, Some(&customer("C-7"))).await;
    let id = first.json["responseData"]["customerId"].as_i64().unwrap();

    let conflict = payabli(&sb, Method::POST, CREATE, Some(&customer("C-7"))).await;
    assert_eq!(conflict.status, 409, "{}", conflict.text);
    assert_eq!(conflict.json["isSuccess"], false);
    assert_eq!(conflict.json["responseText"], "Customer already exists");
    assert_eq!(conflict.json["responseData"]["customerId"], id);
    assert!(conflict.json["responseData"]["explanation"].is_string());
    assert!(conflict.json["responseData"]["todoAction"].is_string());

    // Same number in another entrypoint: no match.
    let other = payabli(
        &sb,
        Method::POST,
        "/Customer/single/entry-2",
        Some(&customer("C-7")),
    )
    .await;
    assert_eq!(other.status, 200);
    assert_ne!(other.json["responseData"]["customerId"], id);

    let mut replacement: serde_json::Value = serde_json::from_str(&customer("C-7")).unwrap();
    replacement["firstname"] = json!("Replaced");
    let replaced = payabli(
        &sb,
        Method::POST,
        "/Customer/single/entry-1?forceCustomerCreation=false&replaceExisting=1",
        Some(&replacement.to_string()),
    )
    .await;
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    assert_eq!(replaced.json["responseData"]["customerId"], id);
    assert_eq!(replaced.json["responseData"]["Firstname"], "Replaced");

    let forced = payabli(
        &sb,
        Method::POST,
        "/Customer/single/entry-1?forceCustomerCreation=true&replaceExisting=0",
        Some(&customer("C-7")),
    )
    .await;
    assert_eq!(forced.status, 200);
    assert_ne!(forced.json["responseData"]["customerId"], id);

    let s = sb.stats().payabli;
    assert_eq!((s.created, s.updated, s.rejected), (3, 1, 1));
    assert_eq!(sb.records(Provider::Payabli, "customer").len(), 3);
}

/// `POST /Customer/single/e` of `body` with the `extra` headers.
async fn create_with(sb: &Sandbox, extra: &[(&str, &str)], body: &str) -> Answer {
    payabli_with(sb, Method::POST, "/Customer/single/e", extra, Some(body)).await
}

#[tokio::test]
async fn idempotency_key_conflict_and_window() {
    let config =
        SandboxConfig::default().with_payabli_idempotency_window(Duration::from_millis(300));
    let sb = Sandbox::start_with(config).await.unwrap();
    let key = [("idempotencyKey", "key-123")];
    let first = create_with(&sb, &key, &customer("K-1")).await;
    assert_eq!(first.status, 200);
    // A different body with the same key is still a duplicate.
    let again = create_with(&sb, &key, &customer("K-2")).await;
    assert_eq!(again.status, 409);
    assert_eq!(again.text, "Duplicated idempotencyKey: key-123");
    assert_eq!(sb.stats().payabli.deduplicated, 1);
    assert_eq!(sb.records(Provider::Payabli, "customer").len(), 1);

    tokio::time::sleep(Duration::from_millis(350)).await;
    let later = create_with(&sb, &key, &customer("K-2")).await;
    assert_eq!(later.status, 200, "{}", later.text);

    // A failed write does not use up its key.
    let other_key = [("idempotencyKey", "k-2")];
    let bad = create_with(&sb, &other_key, r#"{"email":"x"}"#).await;
    assert_eq!(bad.status, 400);
    let good = create_with(&sb, &other_key, &customer("K-3")).await;
    assert_eq!(good.status, 200);
}

/// Customer bodies that break one documented limit each: the response code and a word the
/// explanation must contain.
fn envelope_cases() -> Vec<(serde_json::Value, i64, &'static str)> {
    let long = |n: usize| "x".repeat(n);
    vec![
        (json!({"customerNumber": long(251)}), 3003, "customerNumber"),
        (
            json!({"customerNumber": "n", "email": format!("{}@example.com", long(320))}),
            3003,
            "email",
        ),
        (
            json!({"customerNumber": "n", "email": "not-an-email"}),
            3003,
            "email",
        ),
        (
            json!({"customerNumber": "n", "shippingAddress": long(251)}),
            3003,
            "shippingAddress",
        ),
        (
            json!({"customerNumber": "n", "shippingAddress1": long(101)}),
            3003,
            "shippingAddress1",
        ),
        (
            json!({"customerNumber": "n", "shippingCity": long(251)}),
            3003,
            "shippingCity",
        ),
        (
            json!({"customerNumber": "n", "shippingZip": long(51)}),
            3003,
            "shippingZip",
        ),
        (
            json!({"customerNumber": "n", "timeZone": 13}),
            3004,
            "timeZone",
        ),
        (
            json!({"customerNumber": "n", "timeZone": -13}),
            3004,
            "timeZone",
        ),
        (
            json!({"customerNumber": "n", "country": "GBR"}),
            3003,
            "country",
        ),
        (
            json!({"customerNumber": "n", "customerStatus": 7}),
            3003,
            "customerStatus",
        ),
        (json!({"firstname": "Only"}), 3003, "identifier"),
        (json!({"company": "No identifier"}), 3003, "identifier"),
        (json!({}), 3003, "identifier"),
    ]
}

#[tokio::test]
async fn validation_envelopes() {
    let sb = Sandbox::start().await.unwrap();
    let cases = envelope_cases();
    for (body, code, needle) in &cases {
        let a = payabli(
            &sb,
            Method::POST,
            "/Customer/single/e",
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(a.status, 400, "{body}: {}", a.text);
        assert_eq!(a.json["isSuccess"], false);
        assert_eq!(a.json["responseCode"], *code, "{body}");
        assert!(a.json["responseText"].is_string());
        let explanation = a.json["responseData"]["explanation"].as_str().unwrap();
        assert!(explanation.contains(needle), "{body}: {explanation}");
        assert!(a.json["responseData"]["todoAction"].is_string());
    }
}

#[tokio::test]
async fn identifiers_that_suffice_and_limits_on_updates() {
    let sb = Sandbox::start().await.unwrap();
    let long = |n: usize| "x".repeat(n);
    // Identifiers that suffice on their own.
    for body in [
        json!({"customerNumber": "A"}),
        json!({"email": "a@b.co"}),
        json!({"firstname": "A", "lastname": "B"}),
    ] {
        let a = payabli(
            &sb,
            Method::POST,
            "/Customer/single/e",
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(a.status, 200, "{body}: {}", a.text);
    }
    // Limits apply to updates too.
    let id = sb.records(Provider::Payabli, "customer")[0]["customerId"]
        .as_i64()
        .unwrap();
    let a = payabli(
        &sb,
        Method::PUT,
        &format!("/Customer/{id}"),
        Some(r#"{"timeZone": 20}"#),
    )
    .await;
    assert_eq!(a.status, 400);
    assert_eq!(a.json["responseCode"], 3004);
    let entry = payabli(
        &sb,
        Method::POST,
        &format!("/Customer/single/{}", long(51)),
        Some(&customer("Z")),
    )
    .await;
    assert_eq!(entry.status, 400);
    assert_eq!(entry.json["responseCode"], 3001);
}

#[tokio::test]
async fn auth_and_malformed_bodies() {
    let sb = Sandbox::start().await.unwrap();
    let url = format!("{}/Customer/single/e", sb.payabli_base_url());
    for headers in [
        vec![],
        vec![("requestToken", "wrong")],
        vec![("authorization", "Bearer sandbox-payabli-token")],
    ] {
        let a = send(Method::POST, &url, &headers, Some(&customer("A"))).await;
        assert_eq!(a.status, 401);
        assert_eq!(a.json["isSuccess"], false);
        assert_eq!(a.json["responseText"], "Unauthorized");
    }
    assert_eq!(sb.stats().payabli.auth_failures, 3);
    let created = payabli(
        &sb,
        Method::POST,
        "/Customer/single/e",
        Some(&customer("A")),
    )
    .await;
    let id = created.json["responseData"]["customerId"].as_i64().unwrap();
    for path in ["/Customer/single/e".to_owned(), format!("/Customer/{id}")] {
        let method = if path.contains("single") {
            Method::POST
        } else {
            Method::PUT
        };
        for body in ["{", "", "[]", "null", "{\"email\": }"] {
            let a = payabli(&sb, method.clone(), &path, Some(body)).await;
            assert_eq!(a.status, 400, "{path} {body:?}: {}", a.text);
            assert_eq!(a.json["isSuccess"], false);
            assert!(a.json["responseData"]["explanation"].is_string());
        }
    }
    let bad_flag = payabli(
        &sb,
        Method::POST,
        "/Customer/single/e?replaceExisting=yes",
        Some(&customer("B")),
    )
    .await;
    assert_eq!(bad_flag.status, 400);
}
