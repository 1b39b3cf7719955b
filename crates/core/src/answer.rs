//! Reading a provider's answer: a success body decoded into the provider's wire type, or an error
//! answer turned into an [`Error`] the same way for every provider.
//!
//! A provider crate describes only what is its own, by implementing [`ProviderErrors`] on its
//! error-body type: how to parse the body, its messages, its codes, its field problems, its
//! retry-after signal and the statuses it documents differently ([`StatusTable`]). Everything
//! else (the kind of each status, the sentence, the attempts, the retry-after) is decided here.

use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::retry::standard_retry_after;
use crate::{Error, ErrorKind, FieldError, ProviderDetail, RawResponse, RetrySafety, StatusTable};

/// A provider's error format, implemented on the type of its parsed error body (which the error
/// then carries as its [`detail`](Error::detail)). Every provider maps errors through the same
/// [`ProviderErrors::classify`].
pub trait ProviderErrors: ProviderDetail + Sized {
    /// The provider's name, as in errors and reports.
    const PROVIDER: &'static str;

    /// The provider's status table: the default, plus its documented differences.
    const STATUSES: StatusTable = StatusTable::DEFAULT;

    /// The body parsed as the provider's error body, when it is one.
    fn parse(resp: &RawResponse) -> Option<Self>;

    /// The provider's messages, in its order (shown in the error's sentence).
    fn messages(&self) -> Vec<String>;

    /// The provider's own error codes (matched before any message text).
    fn codes(&self) -> Vec<String> {
        Vec::new()
    }

    /// The field problems the provider listed, if it lists them.
    fn field_errors(&self) -> Vec<FieldError> {
        Vec::new()
    }

    /// Whether a body that came with a success status says the call failed (an envelope with a
    /// failure flag): such an answer is [`ErrorKind::Rejected`].
    fn is_failure(&self) -> bool {
        false
    }

    /// How long the provider asked to wait, from an answer's headers (the standard
    /// `Retry-After` unless the provider has its own signal).
    fn retry_after(headers: &HeaderMap) -> Option<Duration> {
        standard_retry_after(headers)
    }

    /// The error for an answer that is not a success (or a success whose body says failure),
    /// for a request of `safety`: the kind from [`ProviderErrors::STATUSES`], the provider's
    /// messages, codes, field problems and body as detail, the HTTP status, the attempts made
    /// and, when rate limited, how long to wait.
    fn classify(resp: &RawResponse, safety: RetrySafety) -> Error {
        classify::<Self>(resp, safety)
    }
}

fn classify<B: ProviderErrors>(resp: &RawResponse, safety: RetrySafety) -> Error {
    let status = resp.status.as_u16();
    let body = B::parse(resp);
    let fields = body.as_ref().map(B::field_errors).unwrap_or_default();
    let kind = if resp.status.is_success() && body.as_ref().is_some_and(B::is_failure) {
        ErrorKind::Rejected
    } else {
        B::STATUSES.kind(status, !fields.is_empty(), safety)
    };
    let retry_after = match kind {
        ErrorKind::RateLimited => B::retry_after(&resp.headers),
        _ => None,
    };
    let sentence = sentence(kind, fields.len(), retry_after, resp.attempts);
    let mut err = Error::new(kind, sentence)
        .with_provider(B::PROVIDER)
        .with_status(status)
        .with_attempts(resp.attempts)
        .with_retry_after(retry_after)
        .with_field_errors(fields);
    if let Some(body) = body {
        err = err
            .with_messages(body.messages())
            .with_codes(body.codes())
            .with_detail(body);
    }
    err
}

/// Our one sentence for an error answer of `kind`.
fn sentence(
    kind: ErrorKind,
    fields: usize,
    retry_after: Option<Duration>,
    attempts: u32,
) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    match kind {
        ErrorKind::InvalidInput => format!(
            "the record was rejected as invalid ({fields} field problem{})",
            plural(fields)
        ),
        ErrorKind::Auth => "the credentials were refused".to_owned(),
        ErrorKind::NotFound => "the account or record was not found".to_owned(),
        ErrorKind::Conflict => "the write conflicts with the provider's state".to_owned(),
        ErrorKind::RateLimited => match retry_after {
            Some(wait) => format!("rate limited; retry in {}s", wait.as_secs()),
            None => "rate limited; retries exhausted".to_owned(),
        },
        ErrorKind::Unavailable => format!(
            "the service is unavailable after {attempts} attempt{}",
            plural(attempts as usize)
        ),
        ErrorKind::OutcomeUnknown => "the service failed after the request was sent; it was not retried because the provider cannot de-duplicate it, so check whether the record exists".to_owned(),
        ErrorKind::Decode => "the answer's status was not expected".to_owned(),
        _ => "the record was rejected".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    use super::*;
    use crate::response::tests::answer;

    /// A made-up provider: `{"code": "...", "message": "...", "fields": ["a"], "ok": false}`.
    #[derive(Debug, serde::Deserialize)]
    struct Body {
        code: Option<String>,
        message: Option<String>,
        #[serde(default)]
        fields: Vec<String>,
        ok: Option<bool>,
    }

    impl ProviderErrors for Body {
        const PROVIDER: &'static str = "madeup";
        const STATUSES: StatusTable = StatusTable::with_overrides(&[(402, ErrorKind::Auth)]);

        fn parse(resp: &RawResponse) -> Option<Self> {
            serde_json::from_slice(&resp.body).ok()
        }
        fn messages(&self) -> Vec<String> {
            self.message.iter().cloned().collect()
        }
        fn codes(&self) -> Vec<String> {
            self.code.iter().cloned().collect()
        }
        fn field_errors(&self) -> Vec<FieldError> {
            let field = |f: &String| FieldError {
                path: f.clone(),
                message: "is wrong".to_owned(),
            };
            self.fields.iter().map(field).collect()
        }
        fn is_failure(&self) -> bool {
            self.ok == Some(false)
        }
    }

    #[test]
    fn an_error_answer_carries_kind_status_codes_messages_fields_attempts_and_detail() {
        let body = r#"{"code": "E42", "message": "bad email", "fields": ["email"]}"#;
        let err = Body::classify(&answer(422, body, 2), RetrySafety::Idempotent);
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(err.provider(), Some("madeup"));
        assert_eq!(err.status(), Some(422));
        assert_eq!(err.codes(), ["E42"]);
        assert_eq!(err.messages(), ["bad email"]);
        assert_eq!(err.field_errors()[0].path, "email");
        assert_eq!(err.attempts(), 2);
        assert_eq!(err.retry_after(), None);
        assert_eq!(
            err.detail::<Body>().and_then(|b| b.code.as_deref()),
            Some("E42")
        );
        assert_eq!(
            err.to_string(),
            "madeup: the record was rejected as invalid (1 field problem) (HTTP 422): email: is wrong; bad email"
        );
    }

    #[test]
    fn the_providers_override_and_the_default_table_both_apply() {
        let kind =
            |status| Body::classify(&answer(status, "{}", 1), RetrySafety::Idempotent).kind();
        assert_eq!(kind(402), ErrorKind::Auth);
        assert_eq!(kind(422), ErrorKind::Rejected, "no field problems");
        assert_eq!(kind(408), ErrorKind::Unavailable);
        assert_eq!(
            kind(200),
            ErrorKind::Decode,
            "a success body that is not a failure"
        );
    }

    #[test]
    fn a_success_status_with_a_failure_body_is_rejected() {
        let err = Body::classify(
            &answer(200, r#"{"ok": false, "message": "declined"}"#, 1),
            RetrySafety::Idempotent,
        );
        assert_eq!(err.kind(), ErrorKind::Rejected);
        assert_eq!(err.messages(), ["declined"]);
    }

    #[test]
    fn a_body_that_is_not_the_providers_maps_by_status_alone() {
        let err = Body::classify(
            &answer(503, "<html>down</html>", 5),
            RetrySafety::Idempotent,
        );
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        assert!(err.messages().is_empty() && err.detail::<Body>().is_none());
        assert_eq!(
            err.to_string(),
            "madeup: the service is unavailable after 5 attempts (HTTP 503)"
        );
        let err = Body::classify(&answer(503, "", 1), RetrySafety::NotAfterSend);
        assert_eq!(err.kind(), ErrorKind::OutcomeUnknown);
    }

    #[test]
    fn a_429_says_when_to_come_back() {
        let mut resp = answer(429, "", 3);
        resp.headers
            .insert(RETRY_AFTER, HeaderValue::from_static("30"));
        let err = Body::classify(&resp, RetrySafety::NotAfterSend);
        assert_eq!(err.kind(), ErrorKind::RateLimited);
        assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
        assert!(err.to_string().contains("retry in 30s"), "{err}");
        let err = Body::classify(&answer(429, "", 3), RetrySafety::Idempotent);
        assert_eq!(err.retry_after(), None);
    }
}
