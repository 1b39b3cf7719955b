//! Payabli's answers through core's status table, its `responseCode` as the error's code, and
//! duplicates told by status and envelope before wording.

use billsync_core::provider_kit::default_kind;
use billsync_core::reqwest::StatusCode;
use billsync_core::reqwest::header::HeaderMap;
use billsync_core::{ErrorKind, RetrySafety};
use serde_json::json;

use super::*;

fn answer(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status: StatusCode::from_u16(status).unwrap(),
        headers: HeaderMap::new(),
        body: body.as_bytes().to_vec().into(),
        attempts: 1,
    }
}

fn envelope(code: i64, text: &str, explanation: &str) -> String {
    json!({
        "isSuccess": false, "responseCode": code, "responseText": text,
        "responseData": {"explanation": explanation, "todoAction": "Fix it."}
    })
    .to_string()
}

#[test]
fn every_error_status_maps_as_cores_default_table() {
    for status in 300..600 {
        for body in ["", "<html>oops</html>", &envelope(3, "Error", "x")] {
            let err = failure(&answer(status, body));
            let want = default_kind(status, false, RetrySafety::Idempotent);
            assert_eq!(err.kind(), want, "{status} {body}");
        }
    }
}

#[test]
fn the_response_code_is_the_errors_code() {
    let err = failure(&answer(
        400,
        &envelope(3004, "Invalid TimeZone", "must be -12..12"),
    ));
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert_eq!(err.codes(), ["3004"]);
    assert_eq!(
        err.messages(),
        ["Invalid TimeZone", "must be -12..12", "to do: Fix it."]
    );
    let err = failure(&answer(503, "Service Unavailable"));
    assert!(err.codes().is_empty());
}

#[test]
fn a_declined_envelope_under_a_success_status_is_rejected() {
    let err = failure(&answer(200, &envelope(2, "Declined", "declined")));
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert_eq!(
        (err.status(), err.codes()),
        (Some(200), &["2".to_owned()][..])
    );
}

#[test]
fn a_reused_key_and_an_existing_customer_are_told_apart_by_the_answer_not_its_wording() {
    // The documented answer to a reused key: 409, plain text.
    let key = PayabliError::from_response(&answer(409, "Duplicated idempotencyKey: k1"));
    assert!(key.is_duplicate_key() && !key.says_exists());
    let key = PayabliError::from_response(&answer(409, "conflict"));
    assert!(
        key.is_duplicate_key(),
        "the status and the missing envelope, not the words"
    );
    // A 409 envelope: the customer's identifiers matched an existing one.
    let exists = PayabliError::from_response(&answer(409, &envelope(3, "Conflict", "matched")));
    assert!(exists.says_exists() && !exists.is_duplicate_key());
    // Last resort, for other statuses: the words.
    let worded = answer(400, &envelope(3003, "Customer already exists", "x"));
    assert!(PayabliError::from_response(&worded).says_exists());
    let worded = answer(400, "Duplicated idempotencyKey: k2");
    assert!(PayabliError::from_response(&worded).is_duplicate_key());
    let other = PayabliError::from_response(&answer(400, &envelope(3003, "Invalid", "zip")));
    assert!(!other.says_exists() && !other.is_duplicate_key());
}
