//! Hyfin's answers through core's status table: the same kinds as every provider.

use std::time::Duration;

use billsync_core::ErrorKind;
use billsync_core::provider_kit::default_kind;
use billsync_core::reqwest::StatusCode;
use billsync_core::reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

use super::*;

fn answer(status: u16, body: &str) -> RawResponse {
    RawResponse {
        status: StatusCode::from_u16(status).unwrap(),
        headers: HeaderMap::new(),
        body: body.as_bytes().to_vec().into(),
        attempts: 2,
    }
}

const SAFETIES: [RetrySafety; 2] = [RetrySafety::Idempotent, RetrySafety::NotAfterSend];

#[test]
fn every_error_status_maps_as_cores_default_table() {
    for status in 300..600 {
        for safety in SAFETIES {
            for body in ["", "<html>oops</html>", r#"{"errors": ["x"]}"#] {
                let err = read_answer(&answer(status, body), safety).unwrap_err();
                assert_eq!(
                    err.kind(),
                    default_kind(status, false, safety),
                    "{status} {safety:?} {body}"
                );
                assert_eq!((err.status(), err.attempts()), (Some(status), 2));
                assert!(err.codes().is_empty(), "Hyfin has no error codes");
            }
        }
    }
}

#[test]
fn success_false_is_rejected_whatever_the_status_with_every_message() {
    let body = r#"{"success": false, "errors": ["invalid field2", "missing field_name"]}"#;
    for status in [200, 400, 422] {
        let err = read_answer(&answer(status, body), RetrySafety::NotAfterSend).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Rejected, "{status}");
        assert_eq!(err.messages(), ["invalid field2", "missing field_name"]);
        let detail = err.detail::<HyfinError>().unwrap();
        assert_eq!((detail.status, detail.success), (status, Some(false)));
    }
}

#[test]
fn a_server_error_to_a_create_has_an_unknown_outcome_and_to_an_update_is_unavailable() {
    let body = r#"{"success": false, "errors": ["database down"]}"#;
    let create = read_answer(&answer(500, body), RetrySafety::NotAfterSend).unwrap_err();
    assert_eq!(create.kind(), ErrorKind::OutcomeUnknown);
    assert!(
        create
            .to_string()
            .contains("check whether the record exists"),
        "{create}"
    );
    let update = read_answer(&answer(500, body), RetrySafety::Idempotent).unwrap_err();
    assert_eq!(update.kind(), ErrorKind::Unavailable);
    assert_eq!(update.messages(), ["database down"]);
    let timeout = read_answer(&answer(408, ""), RetrySafety::Idempotent).unwrap_err();
    assert_eq!(timeout.kind(), ErrorKind::Unavailable);
}

#[test]
fn a_429_carries_its_retry_after() {
    let mut resp = answer(429, "");
    resp.headers
        .insert(RETRY_AFTER, HeaderValue::from_static("12"));
    let err = read_answer(&resp, RetrySafety::NotAfterSend).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(12)));
}

#[test]
fn success_answers_are_accepted_or_decode_errors() {
    let ok = read_answer(
        &answer(200, r#"{"success": true, "action": "added", "_id": "h1"}"#),
        RetrySafety::NotAfterSend,
    )
    .unwrap();
    assert_eq!((ok.action, ok.id.as_str()), (HyfinAction::Added, "h1"));
    for body in [
        "",
        "<html/>",
        r#"{"success": true}"#,
        r#"{"success": true, "_id": " "}"#,
        "{}",
    ] {
        let err = read_answer(&answer(200, body), RetrySafety::Idempotent).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{body}");
        assert_eq!(err.attempts(), 2);
    }
}
