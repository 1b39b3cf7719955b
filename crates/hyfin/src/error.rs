//! Hyfin's answers → `Upserted` data or a normalized `Error`.

use billsync_core::{Error, ErrorKind, HttpClient, RawResponse, Result, RetrySafety};

use crate::PROVIDER;
use crate::wire::{HyfinAction, HyfinResponse};

/// Hyfin's error detail, reachable with `error.detail::<HyfinError>()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HyfinError {
    /// HTTP status of the answer.
    pub status: u16,
    /// Every message of Hyfin's `errors` list (empty when the body had none).
    pub errors: Vec<String>,
}

/// A successful addUpdate: what Hyfin did and the record's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Accepted {
    pub action: HyfinAction,
    pub id: String,
}

/// Reads an addUpdate answer. Hyfin reports failures as `{"success": false, "errors": [...]}`
/// whatever the HTTP status, so the body is read first; statuses decide the kind when the body
/// is not Hyfin's. A 5xx answer to a create that Hyfin cannot de-duplicate means the record
/// may or may not exist, which is reported as `OutcomeUnknown` rather than a retryable error.
pub(crate) fn read_answer(
    resp: &RawResponse,
    http: &HttpClient,
    safety: RetrySafety,
) -> Result<Accepted> {
    let status = resp.status.as_u16();
    let parsed: Option<HyfinResponse> = serde_json::from_slice(&resp.body).ok();
    if resp.status.is_success() {
        if let Some(body) = &parsed {
            match (body.success, &body.id) {
                (Some(true), Some(id)) if !id.trim().is_empty() => {
                    return Ok(Accepted {
                        action: body.action.unwrap_or(HyfinAction::Unknown),
                        id: id.clone(),
                    });
                }
                (Some(false), _) => return Err(rejected(status, body.errors.clone())),
                _ => {}
            }
        }
        return Err(Error::new(
            ErrorKind::Decode,
            "the answer was not a Hyfin addUpdate result",
        )
        .with_provider(PROVIDER)
        .with_status(status));
    }
    Err(failure(resp, http, safety, parsed.map(|b| b.errors)))
}

/// The error for an answer with a non-2xx status, from the status and Hyfin's `errors` list
/// (when the body was Hyfin's).
pub(crate) fn failure(
    resp: &RawResponse,
    http: &HttpClient,
    safety: RetrySafety,
    errors: Option<Vec<String>>,
) -> Error {
    let status = resp.status.as_u16();
    let errors = errors.unwrap_or_default();
    let (kind, message) = match status {
        401 | 403 => (ErrorKind::Auth, "the API token was refused"),
        404 => (ErrorKind::NotFound, "the site or record was not found"),
        409 => (
            ErrorKind::Conflict,
            "the write conflicts with the record's state",
        ),
        429 => (
            ErrorKind::RateLimited {
                retry_after: http.retry_after(&resp.headers),
            },
            "rate limited; retries exhausted",
        ),
        500..=599 if safety == RetrySafety::NotAfterSend => (
            ErrorKind::OutcomeUnknown,
            "the service failed while adding a record; it was not retried because Hyfin cannot de-duplicate it, so check whether the record exists",
        ),
        408 | 500..=599 => (
            ErrorKind::Unavailable,
            "the service is unavailable; retries exhausted",
        ),
        _ => return rejected(status, errors),
    };
    Error::new(kind, message)
        .with_provider(PROVIDER)
        .with_status(status)
        .with_messages(errors.iter().cloned())
        .with_detail(HyfinError { status, errors })
}

/// Hyfin refused the record: `{"success": false, "errors": [...]}`, or a 4xx without a more
/// specific meaning.
pub(crate) fn rejected(status: u16, errors: Vec<String>) -> Error {
    Error::new(ErrorKind::Rejected, "the record was rejected")
        .with_provider(PROVIDER)
        .with_status(status)
        .with_messages(errors.iter().cloned())
        .with_detail(HyfinError { status, errors })
}
