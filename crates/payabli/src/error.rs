//! Payabli's error body and what it says, code first: its `responseCode`, its status, and only
//! as a last resort its wording.

use billsync_core::provider_kit::{ProviderErrors, RawResponse};
use billsync_core::{Error, RetrySafety};

use crate::PROVIDER;
use crate::wire::PayabliResponse;

/// Payabli's error detail, reachable with `error.detail::<PayabliError>()`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PayabliError {
    /// HTTP status.
    pub status: u16,
    /// `isSuccess` of the envelope, when there was one.
    pub is_success: Option<bool>,
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
                    is_success: env.is_success,
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
                    is_success: None,
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

    /// Whether Payabli says a customer with the record's identifiers already exists: a `409`
    /// answered with Payabli's envelope (a reused idempotency key is answered with plain text
    /// instead). Payabli documents no `responseCode` for it, so, as a last resort, an answer of
    /// another status whose text says `already exist` or `duplicate customer` counts too. The
    /// client confirms either by looking the customer up.
    pub fn says_exists(&self) -> bool {
        if self.status == 409 {
            return self.response_code.is_some();
        }
        self.says(&["already exist", "duplicate customer"])
    }

    /// Whether this is Payabli's answer to a reused idempotency key: the documented `409` with
    /// a plain-text body (no envelope, no `responseCode`), or, as a last resort, any answer whose
    /// text names the `idempotencyKey`.
    pub fn is_duplicate_key(&self) -> bool {
        (self.status == 409 && self.response_code.is_none()) || self.says(&["idempotencykey"])
    }

    fn says(&self, words: &[&str]) -> bool {
        self.messages().iter().any(|m| {
            let m = m.to_ascii_lowercase();
            words.iter().any(|w| m.contains(w))
        })
    }
}

impl ProviderErrors for PayabliError {
    const PROVIDER: &'static str = PROVIDER;

    /// Always a detail: the envelope when the body is one, else its text (an HTML page is
    /// dropped).
    fn parse(resp: &RawResponse) -> Option<Self> {
        Some(PayabliError::from_response(resp))
    }

    fn messages(&self) -> Vec<String> {
        PayabliError::messages(self)
    }

    /// The envelope's `responseCode` (e.g. `3003`, invalid parameter).
    fn codes(&self) -> Vec<String> {
        self.response_code.iter().map(i64::to_string).collect()
    }

    /// An envelope with `isSuccess: false` under a success status is a declined write.
    fn is_failure(&self) -> bool {
        self.is_success == Some(false)
    }
}

/// The error for a Payabli answer that is not a success. Every Payabli request is safe to
/// repeat (reads, a `PUT` by id, a create carrying an idempotency key), so a 5xx after the
/// retries is `Unavailable`, never `OutcomeUnknown`.
pub(crate) fn failure(resp: &RawResponse) -> Error {
    PayabliError::classify(resp, RetrySafety::Idempotent)
}

/// A decode error for a success status whose body is not what Payabli sends.
pub(crate) fn decode_error(resp: &RawResponse, what: &str) -> Error {
    resp.decode_error(PROVIDER, what)
}

#[cfg(test)]
mod tests;
