//! Rebilly's error bodies and their mapping to [`billsync_core::Error`].

use std::time::Duration;

use billsync_core::reqwest::header::HeaderMap;
use billsync_core::{Error, ErrorKind, FieldError, RawResponse};
use serde::Deserialize;

/// The header holding the UTC epoch second after which a rate-limited request may be retried.
pub const RETRY_AFTER_HEADER: &str = "x-ratelimit-retry-after";

/// A Rebilly problem-details body (RFC 7807, `schemas/ProblemTypes/*.yaml`), as reachable
/// through [`Error::detail`]. Rebilly sends it as `application/json` or
/// `application/problem+json`; both parse.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RebillyProblem {
    /// Problem type URI (`about:blank` when absent).
    #[serde(default, rename = "type")]
    pub problem_type: Option<String>,
    /// Short summary (`Validation error`, `Conflict`, `Rate Limit Exceeded`).
    #[serde(default)]
    pub title: Option<String>,
    /// The HTTP status Rebilly wrote in the body.
    #[serde(default)]
    pub status: Option<u16>,
    /// Explanation of this occurrence.
    #[serde(default)]
    pub detail: Option<String>,
    /// URI of this occurrence.
    #[serde(default)]
    pub instance: Option<String>,
    /// The invalid fields of a 422 (or 400), in Rebilly's dot notation.
    #[serde(default)]
    pub invalid_fields: Vec<InvalidField>,
    /// An id Rebilly may put in a problem body (e.g. of an existing resource).
    #[serde(default)]
    pub id: Option<String>,
    /// A transaction id Rebilly may put in a problem body.
    #[serde(default)]
    pub transaction_id: Option<String>,
}

/// One entry of `invalidFields`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct InvalidField {
    /// Field name, dot notation for nested fields (`primaryAddress.postalCode`).
    #[serde(default)]
    pub field: String,
    /// What is wrong.
    #[serde(default)]
    pub message: String,
}

impl RebillyProblem {
    /// The problem parsed from a response body, when it is a JSON object.
    pub fn parse(resp: &RawResponse) -> Option<Self> {
        if !resp.looks_like_json() || resp.body.is_empty() {
            return None;
        }
        serde_json::from_slice(&resp.body).ok()
    }

    /// Title and detail, for error messages.
    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(t) = self.title.as_ref().filter(|t| !t.trim().is_empty()) {
            out.push(t.clone());
        }
        if let Some(d) = self.detail.as_ref().filter(|d| !d.trim().is_empty())
            && Some(d) != self.title.as_ref()
        {
            out.push(d.clone());
        }
        out
    }

    /// Whether the problem says the transaction's `requestId` was already used: an invalid field
    /// `requestId` whose message, or a title or detail mentioning the request id, also says
    /// `already`, `duplicate`, `exist`, `used` or `unique`. (A `requestId` refused for its
    /// format is not a duplicate.)
    pub fn is_duplicate_request_id(&self) -> bool {
        let lower = |s: &str| s.to_ascii_lowercase();
        let names_it = |s: &str| {
            let s = lower(s);
            s.contains("requestid") || s.contains("request id") || s.contains("request_id")
        };
        let says_used = |s: &str| {
            let s = lower(s);
            ["already", "duplicate", "exist", "used", "unique"]
                .iter()
                .any(|w| s.contains(w))
        };
        self.invalid_fields
            .iter()
            .any(|f| names_it(&f.field) && says_used(&f.message))
            || [self.title.as_deref(), self.detail.as_deref()]
                .into_iter()
                .flatten()
                .any(|t| names_it(t) && says_used(t))
    }
}

/// How long Rebilly asked to wait: `X-RateLimit-Retry-After` (an epoch timestamp, not a delay),
/// else a standard `Retry-After`.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    billsync_core::retry::epoch_seconds_until(headers, RETRY_AFTER_HEADER)
        .or_else(|| billsync_core::retry::standard_retry_after(headers))
}

/// Maps a non-success answer to a normalized error: 401/403 auth, 404 not found, 409 conflict,
/// 400/422 invalid input with every `invalidFields` entry, 429 rate limited (with the wait
/// Rebilly asked for), 5xx unavailable, any other status rejected or, when not an error status
/// at all, a decode error. Bodies that are not problem JSON (HTML, empty, garbage) still map by
/// status; no body text goes into the error.
pub fn error_from_response(resp: &RawResponse) -> Error {
    let status = resp.status.as_u16();
    let problem = RebillyProblem::parse(resp);
    let (kind, sentence) = match status {
        401 | 403 => (ErrorKind::Auth, "the credentials were refused".to_owned()),
        404 => (ErrorKind::NotFound, "the resource was not found".to_owned()),
        409 => (
            ErrorKind::Conflict,
            "the write conflicts with Rebilly's state".to_owned(),
        ),
        400 | 422 => {
            let fields: Vec<FieldError> = problem
                .iter()
                .flat_map(|p| p.invalid_fields.iter())
                .map(|f| FieldError {
                    path: f.field.clone(),
                    message: f.message.clone(),
                })
                .collect();
            if fields.is_empty() {
                (
                    ErrorKind::Rejected,
                    "the record was rejected as invalid".to_owned(),
                )
            } else {
                let n = fields.len();
                (
                    ErrorKind::InvalidInput(fields),
                    format!(
                        "the record was rejected as invalid ({n} field problem{})",
                        if n == 1 { "" } else { "s" }
                    ),
                )
            }
        }
        429 => {
            let wait = retry_after(&resp.headers);
            let sentence = match wait {
                Some(w) => format!("rate limited; retry in {}s", w.as_secs()),
                None => "rate limited".to_owned(),
            };
            (ErrorKind::RateLimited { retry_after: wait }, sentence)
        }
        500..=599 => (
            ErrorKind::Unavailable,
            format!(
                "Rebilly is unavailable after {} attempt{}",
                resp.attempts,
                if resp.attempts == 1 { "" } else { "s" }
            ),
        ),
        400..=499 => (ErrorKind::Rejected, "the request was rejected".to_owned()),
        _ => (ErrorKind::Decode, "unexpected answer status".to_owned()),
    };
    let mut err = Error::new(kind, sentence)
        .with_provider(crate::PROVIDER)
        .with_status(status);
    if let Some(problem) = problem {
        err = err.with_messages(problem.messages()).with_detail(problem);
    }
    err
}

/// The error for a success status whose body is not what Rebilly documents.
pub(crate) fn decode_error(resp: &RawResponse, what: &str) -> Error {
    Error::new(
        ErrorKind::Decode,
        format!("the answer could not be understood as {what}"),
    )
    .with_provider(crate::PROVIDER)
    .with_status(resp.status.as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(json: serde_json::Value) -> RebillyProblem {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn duplicate_request_ids_are_told_from_other_problems() {
        for dup in [
            serde_json::json!({"detail": "Transaction with this requestId already exists"}),
            serde_json::json!({"title": "Duplicate request ID"}),
            serde_json::json!({"invalidFields": [{"field": "requestId", "message": "must be unique"}]}),
        ] {
            assert!(problem(dup.clone()).is_duplicate_request_id(), "{dup}");
        }
        for other in [
            serde_json::json!({"invalidFields": [{"field": "requestId", "message": "does not match pattern"}]}),
            serde_json::json!({"title": "Conflict", "detail": "Customer already blocked"}),
            serde_json::json!({}),
        ] {
            assert!(!problem(other.clone()).is_duplicate_request_id(), "{other}");
        }
    }
}
