//! Rebilly's problems through core's status table, its codes and field problems, and a reused
//! `requestId` told by status and field before wording.

use std::time::{SystemTime, UNIX_EPOCH};

use billsync_core::provider_kit::default_kind;
use billsync_core::reqwest::StatusCode;
use billsync_core::reqwest::header::{CONTENT_TYPE, HeaderValue, LOCATION};
use billsync_core::{ErrorKind, RetrySafety};
use serde_json::json;

use super::*;

fn problem(json: serde_json::Value) -> RebillyProblem {
    serde_json::from_value(json).unwrap()
}

fn answer(status: u16, body: serde_json::Value) -> RawResponse {
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    RawResponse {
        status: StatusCode::from_u16(status).unwrap(),
        headers,
        body: serde_json::to_vec(&body).unwrap().into(),
        attempts: 1,
    }
}

#[test]
fn every_error_status_maps_as_cores_default_table() {
    for status in 300..600 {
        for safety in [RetrySafety::Idempotent, RetrySafety::NotAfterSend] {
            let body = json!({"title": "Something", "status": status});
            let err = RebillyProblem::classify(&answer(status, body), safety);
            assert_eq!(err.kind(), default_kind(status, false, safety), "{status}");
            assert_eq!(err.messages(), ["Something"]);
        }
    }
}

#[test]
fn a_validation_problem_lists_its_fields_and_its_type_is_the_code() {
    let body = json!({
        "type": "https://api.rebilly.com/errors/validation-error",
        "title": "Validation error", "status": 422,
        "invalidFields": [
            {"field": "primaryAddress.postalCode", "message": "is too long"},
            {"field": "email", "message": "is not an email"}
        ]
    });
    let err = RebillyProblem::classify(&answer(422, body), RetrySafety::Idempotent);
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        err.codes(),
        ["https://api.rebilly.com/errors/validation-error"]
    );
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["primaryAddress.postalCode", "email"]);
    assert!(err.to_string().contains("2 field problems"), "{err}");
    // A 400 without fields is a plain rejection; `about:blank` is no code.
    let body = json!({"type": "about:blank", "title": "Bad Request"});
    let err = RebillyProblem::classify(&answer(400, body), RetrySafety::Idempotent);
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert!(err.codes().is_empty());
}

#[test]
fn a_429_waits_until_rebillys_epoch_header() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut resp = answer(429, json!({"title": "Rate Limit Exceeded"}));
    resp.headers.insert(
        RETRY_AFTER_HEADER,
        HeaderValue::from_str(&(now + 100).to_string()).unwrap(),
    );
    let err = RebillyProblem::classify(&resp, RetrySafety::Idempotent);
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    let wait = err.retry_after().unwrap().as_secs();
    assert!((98..=100).contains(&wait), "{wait}");
}

#[test]
fn duplicate_request_ids_are_told_from_other_problems() {
    for dup in [
        json!({"detail": "Transaction with this requestId already exists"}),
        json!({"title": "Duplicate request ID"}),
        json!({"invalidFields": [{"field": "requestId", "message": "must be unique"}]}),
    ] {
        assert!(problem(dup.clone()).is_duplicate_request_id(), "{dup}");
    }
    for other in [
        json!({"invalidFields": [{"field": "requestId", "message": "does not match pattern"}]}),
        json!({"title": "Conflict", "detail": "Customer already blocked"}),
        json!({}),
    ] {
        assert!(!problem(other.clone()).is_duplicate_request_id(), "{other}");
    }
}

fn reuse(status: u16, body: serde_json::Value) -> RequestIdReuse {
    let resp = answer(status, body);
    request_id_reuse(&resp, RebillyProblem::parse(&resp).as_ref())
}

#[test]
fn a_reused_request_id_is_told_by_status_and_field_first() {
    use RequestIdReuse::{Named, No, Possibly};
    // A 409 is a candidate whatever its wording: the lookup decides.
    assert_eq!(reuse(409, json!({})), Possibly { said: false });
    assert_eq!(
        reuse(409, json!({"detail": "Customer is blocklisted"})),
        Possibly { said: false }
    );
    // A 409 naming some `id` is not taken as the transaction unless it is about the requestId.
    assert_eq!(reuse(409, json!({"id": "cus-1"})), Possibly { said: false });
    assert_eq!(
        reuse(
            409,
            json!({"id": "txn_1", "detail": "requestId already used"})
        ),
        Named("txn_1".to_owned())
    );
    assert_eq!(
        reuse(409, json!({"transactionId": "txn_2"})),
        Named("txn_2".to_owned())
    );
    // The `requestId` field of a validation problem, whatever its message.
    let field =
        |message: &str| json!({"invalidFields": [{"field": "requestId", "message": message}]});
    assert_eq!(
        reuse(422, field("does not match pattern")),
        Possibly { said: false }
    );
    assert_eq!(
        reuse(400, field("has already been used")),
        Possibly { said: true }
    );
    // Wording alone, as a last resort, on a validation status only.
    assert_eq!(
        reuse(400, json!({"title": "Duplicate request ID"})),
        Possibly { said: true }
    );
    assert_eq!(reuse(500, json!({"title": "Duplicate request ID"})), No);
    assert_eq!(
        reuse(
            422,
            json!({"invalidFields": [{"field": "amount", "message": "x"}]})
        ),
        No
    );
    assert_eq!(reuse(404, json!({})), No);
    // A `Location` names the transaction when the problem is about the requestId.
    let mut resp = answer(409, json!({"detail": "requestId already exists"}));
    resp.headers.insert(
        LOCATION,
        HeaderValue::from_static("https://api.example/transactions/txn_3"),
    );
    let said = request_id_reuse(&resp, RebillyProblem::parse(&resp).as_ref());
    assert_eq!(said, Named("txn_3".to_owned()));
}
