//! Unit tests of the error type: its sentence, its details, its kinds.

use super::*;

#[test]
fn display_is_one_sentence_with_provider_status_and_messages() {
    let e = Error::new(ErrorKind::Rejected, "the record was rejected")
        .with_provider("hyfin")
        .with_status(400)
        .with_messages(["invalid field2", "missing field_name"]);
    assert_eq!(
        e.to_string(),
        "hyfin: the record was rejected (HTTP 400): invalid field2; missing field_name"
    );
    assert!(!e.is_retryable());
    assert_eq!(e.kind().name(), "rejected");
}

#[test]
fn long_messages_are_cut_and_many_are_summarized() {
    let e = Error::new(ErrorKind::Rejected, "rejected")
        .with_messages((0..15).map(|i| format!("m{i} {}", "x".repeat(1000))));
    let text = e.to_string();
    assert!(text.ends_with("; and 5 more"), "{text}");
    assert!(text.len() < 4000);
}

#[test]
fn detail_downcasts_to_the_providers_type() {
    #[derive(Debug)]
    struct Body(u32);
    let e = Error::new(ErrorKind::Conflict, "conflict").with_detail(Body(7));
    assert_eq!(e.detail::<Body>().map(|b| b.0), Some(7));
    assert!(e.detail::<String>().is_none());
}

#[test]
fn retryable_kinds() {
    let retry = |k| Error::new(k, "x").is_retryable();
    assert!(retry(ErrorKind::RateLimited));
    assert!(retry(ErrorKind::Unavailable));
    assert!(retry(ErrorKind::Transport));
    assert!(!retry(ErrorKind::OutcomeUnknown));
    assert!(!retry(ErrorKind::Auth));
    assert!(!retry(ErrorKind::InvalidInput));
}

#[test]
fn details_are_read_through_accessors() {
    let field = FieldError {
        path: "email".to_owned(),
        message: "is not an email".to_owned(),
    };
    let e = Error::invalid_input(vec![field.clone()]);
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(e.field_errors(), std::slice::from_ref(&field));
    assert_eq!(e.attempts(), 0);
    assert_eq!(e.status(), None);
    assert!(e.codes().is_empty());
    assert_eq!(
        e.to_string(),
        "invalid record (1 problem), nothing was sent: email: is not an email"
    );

    let e = Error::rate_limited("rate limited", Some(Duration::from_secs(7)))
        .with_provider("payabli")
        .with_status(429)
        .with_codes(["3"])
        .with_attempts(5);
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(e.status(), Some(429));
    assert_eq!(e.codes(), ["3"]);
    assert_eq!(e.attempts(), 5);
    assert!(e.field_errors().is_empty());
    assert!(e.is_retryable());

    let e = Error::new(ErrorKind::Rejected, "rejected").with_field_errors([field]);
    assert_eq!(
        e.field_errors().len(),
        1,
        "a provider's field list on any kind"
    );
}
