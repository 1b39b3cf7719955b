//! Hyfin's error body, and reading an addUpdate answer into `Accepted` data or an `Error`.
//!
//! Hyfin reports failures as `{"success": false, "errors": [...]}` whatever the HTTP status, and
//! documents no error codes (only message strings) and no statuses: errors map through core's
//! default status table with no override, and [`Error::codes`](billsync_core::Error::codes) is
//! empty for Hyfin.

use billsync_core::provider_kit::{ParsedBody, ProviderErrors, RawResponse};
use billsync_core::{Error, Result, RetrySafety};

use crate::PROVIDER;
use crate::wire::{HyfinAction, HyfinResponse};

/// Hyfin's error detail, reachable with `error.detail::<HyfinError>()`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HyfinError {
    /// HTTP status of the answer.
    pub status: u16,
    /// The body's `success` flag, when it had one.
    pub success: Option<bool>,
    /// Every message of Hyfin's `errors` list (empty when the body had none).
    pub errors: Vec<String>,
}

impl ProviderErrors for HyfinError {
    const PROVIDER: &'static str = PROVIDER;

    /// The body when it is a JSON object in Hyfin's answer shape (`success`, `errors`).
    fn parse(resp: &RawResponse) -> Option<Self> {
        let body: HyfinResponse = serde_json::from_slice(&resp.body).ok()?;
        Some(HyfinError {
            status: resp.status.as_u16(),
            success: body.success,
            errors: body.errors,
        })
    }

    fn messages(&self) -> Vec<String> {
        self.errors.clone()
    }

    fn is_failure(&self) -> bool {
        self.success == Some(false)
    }
}

/// A successful addUpdate: what Hyfin did and the record's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Accepted {
    pub action: HyfinAction,
    pub id: String,
}

/// Reads an addUpdate answer: `{"success": true, "_id": ...}` is accepted; `success: false` (any
/// status) or an error status is the error core's table gives it (a 5xx to a create that Hyfin
/// cannot de-duplicate is `OutcomeUnknown`: the record may or may not exist); a success status
/// with any other body is a decode error.
pub(crate) fn read_answer(resp: &RawResponse, safety: RetrySafety) -> Result<Accepted> {
    read_parsed_answer(resp, None, safety)
}

/// [`read_answer`] of an answer whose success body the send loop already parsed (`parsed`,
/// from `send_json`); one it did not parse is parsed here.
pub(crate) fn read_parsed_answer(
    resp: &RawResponse,
    parsed: ParsedBody<HyfinResponse>,
    safety: RetrySafety,
) -> Result<Accepted> {
    if !resp.status.is_success() {
        return Err(HyfinError::classify(resp, safety));
    }
    match parsed.unwrap_or_else(|| serde_json::from_slice(&resp.body)) {
        Ok(HyfinResponse {
            success: Some(true),
            id: Some(id),
            action,
            ..
        }) if !id.trim().is_empty() => Ok(Accepted {
            action: action.unwrap_or(HyfinAction::Unknown),
            id,
        }),
        Ok(HyfinResponse {
            success: Some(false),
            ..
        }) => Err(HyfinError::classify(resp, safety)),
        _ => Err(decode_error(resp, "a Hyfin addUpdate result")),
    }
}

/// The error for an answer whose body is not `what`.
pub(crate) fn decode_error(resp: &RawResponse, what: &str) -> Error {
    resp.decode_error(PROVIDER, what)
}

#[cfg(test)]
mod tests;
