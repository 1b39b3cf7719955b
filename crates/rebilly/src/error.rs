//! Rebilly's error bodies and their mapping to [`billsync_core::Error`].

use std::time::Duration;

use billsync_core::provider_kit::{ProviderErrors, RawResponse};
use billsync_core::reqwest::header::HeaderMap;
use billsync_core::{Error, FieldError};
use serde::Deserialize;

use crate::answers::id_from_location;

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

    /// Whether the problem's wording says the transaction's `requestId` was already used: an
    /// invalid field `requestId` whose message, or a title or detail mentioning the request id,
    /// also says `already`, `duplicate`, `exist`, `used` or `unique`. (A `requestId` refused for
    /// its format is not a duplicate.)
    ///
    /// This is a last resort: Rebilly documents no problem type or code for a reused
    /// `requestId`, so the client first goes by the status (`409`) and the `requestId` field,
    /// and confirms by looking the transaction up; the wording only decides whether a lookup
    /// that finds nothing is reported as a conflict about the `requestId`.
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

impl ProviderErrors for RebillyProblem {
    const PROVIDER: &'static str = crate::PROVIDER;

    /// The problem, when the body is a JSON object (`application/json` or
    /// `application/problem+json`); HTML, empty or garbage bodies map by status alone.
    fn parse(resp: &RawResponse) -> Option<Self> {
        RebillyProblem::parse(resp)
    }

    fn messages(&self) -> Vec<String> {
        RebillyProblem::messages(self)
    }

    /// The problem `type` URI, unless it is the default `about:blank`.
    fn codes(&self) -> Vec<String> {
        self.problem_type
            .iter()
            .filter(|t| !t.trim().is_empty() && t.as_str() != "about:blank")
            .cloned()
            .collect()
    }

    /// Every `invalidFields` entry, in Rebilly's dot notation.
    fn field_errors(&self) -> Vec<FieldError> {
        self.invalid_fields
            .iter()
            .map(|f| FieldError {
                path: f.field.clone(),
                message: f.message.clone(),
            })
            .collect()
    }

    fn retry_after(headers: &HeaderMap) -> Option<Duration> {
        retry_after(headers)
    }
}

/// What an error answer to `POST /transactions` says about a reused `requestId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RequestIdReuse {
    /// The answer is not about the `requestId`.
    No,
    /// The `requestId` may have been used: a `409` (Rebilly's status for a write that conflicts
    /// with its state), or a `400`/`422` naming the `requestId` field. It is confirmed or not by
    /// looking the transaction up. `said` is whether the problem also says it was used.
    Possibly {
        /// The problem says the `requestId` was already used.
        said: bool,
    },
    /// The answer names the transaction the `requestId` created.
    Named(String),
}

/// Reads an error answer to `POST /transactions` for a reused `requestId`: its status and the
/// problem's fields first (codes), the problem's wording only as a last resort
/// ([`RebillyProblem::is_duplicate_request_id`]), since Rebilly documents no problem type for a
/// reused `requestId`.
pub(crate) fn request_id_reuse(
    resp: &RawResponse,
    problem: Option<&RebillyProblem>,
) -> RequestIdReuse {
    let said = problem.is_some_and(RebillyProblem::is_duplicate_request_id);
    let names_field = problem.is_some_and(|p| {
        p.invalid_fields
            .iter()
            .any(|f| f.field.eq_ignore_ascii_case("requestId"))
    });
    let candidate = match resp.status.as_u16() {
        409 => true,
        400 | 422 => names_field || said,
        _ => false,
    };
    if !candidate {
        return RequestIdReuse::No;
    }
    let transaction_id = problem.and_then(|p| p.transaction_id.clone());
    // A bare `id` or a `Location` names the transaction only when the problem is about the
    // `requestId` (a 409 may name some other resource).
    let other_id = || {
        problem
            .and_then(|p| p.id.clone())
            .or_else(|| id_from_location(&resp.headers))
    };
    match transaction_id
        .filter(|id| !id.is_empty())
        .or_else(|| if said { other_id() } else { None })
        .filter(|id| !id.is_empty())
    {
        Some(id) => RequestIdReuse::Named(id),
        None => RequestIdReuse::Possibly { said },
    }
}

/// The error for a success status whose body is not what Rebilly documents.
pub(crate) fn decode_error(resp: &RawResponse, what: &str) -> Error {
    resp.decode_error(crate::PROVIDER, what)
}

#[cfg(test)]
mod tests;
