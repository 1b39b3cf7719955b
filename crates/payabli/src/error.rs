//! Payabli's answers → normalized errors.

use billsync_core::{Error, ErrorKind, HttpClient, RawResponse};

use crate::PROVIDER;
use crate::wire::PayabliResponse;

/// Payabli's error detail, reachable with `error.detail::<PayabliError>()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayabliError {
    /// HTTP status.
    pub status: u16,
    /// `responseCode` of the envelope, when there was one.
    pub response_code: Option<i64>,
    /// `responseText`, or the plain-text body when it was not an envelope (cut to 300 chars).
    pub response_text: Option<String>,
    /// `responseData.explanation`.
    pub explanation: Option<String>,
    /// `responseData.todoAction`.
    pub todo_action: Option<String>,
}

impl PayabliError {
    /// Reads an answer's body: the envelope when it is one, else its text.
    pub fn from_response(resp: &RawResponse) -> Self {
        let status = resp.status.as_u16();
        match serde_json::from_slice::<PayabliResponse>(&resp.body) {
            Ok(env) => {
                let field = |name: &str| {
                    env.response_data
                        .as_ref()
                        .and_then(|d| d.get(name))
                        .and_then(|v| v.as_str())
                        .map(str::to_owned)
                };
                PayabliError {
                    status,
                    response_code: env.response_code,
                    response_text: env.response_text.clone(),
                    explanation: field("explanation"),
                    todo_action: field("todoAction"),
                }
            }
            Err(_) => {
                let text = String::from_utf8_lossy(&resp.body);
                let text: String = text.trim().chars().take(300).collect();
                // An HTML error page says nothing useful; plain text (e.g. "Duplicated
                // idempotencyKey: ...") does.
                let useful = !text.is_empty() && !text.starts_with('<');
                PayabliError {
                    status,
                    response_code: None,
                    response_text: useful.then_some(text),
                    explanation: None,
                    todo_action: None,
                }
            }
        }
    }

    /// The messages to show: text, explanation, what to do.
    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(t) = &self.response_text {
            out.push(t.clone());
        }
        if let Some(e) = &self.explanation {
            out.push(e.clone());
        }
        if let Some(t) = &self.todo_action {
            out.push(format!("to do: {t}"));
        }
        out
    }

    /// Whether Payabli says the customer already exists (identifiers matched).
    pub fn says_exists(&self) -> bool {
        self.messages().iter().any(|m| {
            let m = m.to_ascii_lowercase();
            m.contains("already exist") || m.contains("duplicate customer")
        })
    }

    /// Whether this is Payabli's answer to a reused idempotency key.
    pub fn is_duplicate_key(&self) -> bool {
        self.messages()
            .iter()
            .any(|m| m.to_ascii_lowercase().contains("idempotencykey"))
    }
}

/// The error for an answer that is not a success.
pub(crate) fn error_from_response(resp: &RawResponse, http: &HttpClient) -> Error {
    let detail = PayabliError::from_response(resp);
    let status = detail.status;
    let (kind, message) = match status {
        200..=299 => (ErrorKind::Rejected, "the customer was declined"),
        400 | 422 => (ErrorKind::Rejected, "the customer was rejected"),
        401 | 403 => (ErrorKind::Auth, "the API token was refused"),
        404 => (
            ErrorKind::NotFound,
            "the entrypoint or customer was not found",
        ),
        409 => (
            ErrorKind::Conflict,
            "the write conflicts with an earlier one",
        ),
        429 => (
            ErrorKind::RateLimited {
                retry_after: http.retry_after(&resp.headers),
            },
            "rate limited; retries exhausted",
        ),
        500..=599 | 408 => (
            ErrorKind::Unavailable,
            "the service is unavailable; retries exhausted",
        ),
        _ => (ErrorKind::Rejected, "the request was refused"),
    };
    Error::new(kind, message)
        .with_provider(PROVIDER)
        .with_status(status)
        .with_messages(detail.messages())
        .with_detail(detail)
}

/// A decode error for a success status whose body is not what Payabli sends.
pub(crate) fn decode_error(resp: &RawResponse, what: &str) -> Error {
    Error::new(ErrorKind::Decode, format!("the answer was not {what}"))
        .with_provider(PROVIDER)
        .with_status(resp.status.as_u16())
}
