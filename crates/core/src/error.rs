//! The one error type of billsync, with a normalized kind every provider maps into.

use std::any::Any;
use std::fmt;
use std::time::Duration;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One problem with one field of a record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// Where the problem is: a path into the canonical record (`primary_contact.emails[0].value`)
    /// or, when the provider reported it, the provider's own field name.
    pub path: String,
    /// What is wrong, in one phrase.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// What went wrong, normalized across providers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The record breaks a canonical or provider rule; nothing was sent (or the provider said
    /// so field by field). Every problem is listed.
    InvalidInput(Vec<FieldError>),
    /// The client is misconfigured (missing credential, bad base URL); nothing was sent.
    Config,
    /// The provider refused the credentials (401/403).
    Auth,
    /// The provider has no record with the id that was sent.
    NotFound,
    /// The write conflicts with the provider's state (duplicate key, concurrent change).
    Conflict,
    /// The provider rejected the record; its messages are in [`Error::messages`].
    Rejected,
    /// The provider asked us to slow down; `retry_after` says when to try again, if it said.
    RateLimited {
        /// How long to wait before retrying, when the provider said.
        retry_after: Option<Duration>,
    },
    /// The provider is down or failing (5xx), after the configured retries.
    Unavailable,
    /// The request could not be delivered (connection refused, DNS, TLS); it never reached the
    /// provider.
    Transport,
    /// The request may have reached the provider but no answer came (timeout, connection reset
    /// mid-request) and it cannot be retried without risking a duplicate.
    OutcomeUnknown,
    /// The provider's answer could not be understood (not JSON, wrong shape).
    Decode,
    /// The provider does not support this operation.
    Unsupported,
    /// A failure inside billsync or its local storage (a state file that cannot be read or
    /// written), not at the provider.
    Internal,
}

impl ErrorKind {
    /// A short stable name for reports and logs (`invalid_input`, `rate_limited`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            ErrorKind::InvalidInput(_) => "invalid_input",
            ErrorKind::Config => "config",
            ErrorKind::Auth => "auth",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Rejected => "rejected",
            ErrorKind::RateLimited { .. } => "rate_limited",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Transport => "transport",
            ErrorKind::OutcomeUnknown => "outcome_unknown",
            ErrorKind::Decode => "decode",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Internal => "internal",
        }
    }
}

/// The provider's own detail about an error (its parsed error body), reachable through
/// [`Error::detail`] for callers who need more than the normalized kind.
pub trait ProviderDetail: Any + fmt::Debug + Send + Sync {
    /// `self` as `Any`, for downcasting.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> ProviderDetail for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The error of every billsync operation.
///
/// `Display` is one readable sentence: the provider, what happened, the HTTP status and the
/// provider's messages. It never contains a secret or a whole response body.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    provider: Option<&'static str>,
    status: Option<u16>,
    message: String,
    messages: Vec<String>,
    detail: Option<Box<dyn ProviderDetail>>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// The longest provider message kept in an error; longer ones are cut.
const MAX_MESSAGE_CHARS: usize = 300;
/// How many provider messages `Display` lists before saying how many more there are.
const MAX_MESSAGES_SHOWN: usize = 10;

impl Error {
    /// A new error of `kind` with our own one-phrase description of what happened.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                provider: None,
                status: None,
                message: message.into(),
                messages: Vec::new(),
                detail: None,
                source: None,
            }),
        }
    }

    /// An invalid-input error listing every field problem.
    pub fn invalid_input(fields: Vec<FieldError>) -> Self {
        let n = fields.len();
        Error::new(
            ErrorKind::InvalidInput(fields),
            format!(
                "invalid record ({n} problem{}), nothing was sent",
                if n == 1 { "" } else { "s" }
            ),
        )
    }

    /// A configuration error.
    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }

    /// An internal error: billsync's own storage or logic failed, not the provider.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, message)
    }

    /// An unsupported-operation error.
    pub fn unsupported(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Unsupported, message)
    }

    /// Names the provider the error came from.
    pub fn with_provider(mut self, provider: &'static str) -> Self {
        self.inner.provider = Some(provider);
        self
    }

    /// Records the HTTP status of the answer.
    pub fn with_status(mut self, status: u16) -> Self {
        self.inner.status = Some(status);
        self
    }

    /// Adds the provider's own messages (each cut to a bounded length).
    pub fn with_messages<I, S>(mut self, messages: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.inner.messages.extend(
            messages
                .into_iter()
                .map(|m| truncate(m.into(), MAX_MESSAGE_CHARS)),
        );
        self
    }

    /// Attaches the provider's parsed error detail.
    pub fn with_detail(mut self, detail: impl ProviderDetail) -> Self {
        self.inner.detail = Some(Box::new(detail));
        self
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Box::new(source));
        self
    }

    /// The normalized kind.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The provider's name (`hyfin`, `rebilly`, `payabli`), when a provider was involved.
    pub fn provider(&self) -> Option<&'static str> {
        self.inner.provider
    }

    /// The HTTP status of the provider's answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// The provider's own messages, in the order it gave them.
    pub fn messages(&self) -> &[String] {
        &self.inner.messages
    }

    /// The field problems, for [`ErrorKind::InvalidInput`]; empty otherwise.
    pub fn field_errors(&self) -> &[FieldError] {
        match &self.inner.kind {
            ErrorKind::InvalidInput(fields) => fields,
            _ => &[],
        }
    }

    /// The provider's parsed error detail, if it is a `T`.
    pub fn detail<T: Any>(&self) -> Option<&T> {
        self.inner
            .detail
            .as_deref()
            .and_then(|d| d.as_any().downcast_ref())
    }

    /// Whether retrying the same call later may succeed: rate limits, unavailability and
    /// transport failures where the request never reached the provider.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.inner.kind,
            ErrorKind::RateLimited { .. } | ErrorKind::Unavailable | ErrorKind::Transport
        )
    }

    /// Every message of the error as lines: our sentence, then each field problem or provider
    /// message (for reports).
    pub fn all_messages(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .field_errors()
            .iter()
            .map(ToString::to_string)
            .collect();
        out.extend(self.inner.messages.iter().cloned());
        if out.is_empty() {
            out.push(self.inner.message.clone());
        }
        out
    }
}

fn truncate(mut s: String, max: usize) -> String {
    if let Some((cut, _)) = s.char_indices().nth(max) {
        s.truncate(cut);
        s.push('…');
    }
    s
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.inner.provider {
            write!(f, "{p}: ")?;
        }
        f.write_str(&self.inner.message)?;
        if let Some(status) = self.inner.status {
            write!(f, " (HTTP {status})")?;
        }
        let details: Vec<String> = self
            .field_errors()
            .iter()
            .map(ToString::to_string)
            .chain(self.inner.messages.iter().cloned())
            .collect();
        if !details.is_empty() {
            f.write_str(": ")?;
            for (i, d) in details.iter().take(MAX_MESSAGES_SHOWN).enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                f.write_str(d)?;
            }
            if details.len() > MAX_MESSAGES_SHOWN {
                write!(f, "; and {} more", details.len() - MAX_MESSAGES_SHOWN)?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("provider", &self.inner.provider)
            .field("status", &self.inner.status)
            .field("message", &self.inner.message)
            .field("messages", &self.inner.messages)
            .field("detail", &self.inner.detail)
            .field("source", &self.inner.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
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
        assert!(retry(ErrorKind::RateLimited { retry_after: None }));
        assert!(retry(ErrorKind::Unavailable));
        assert!(retry(ErrorKind::Transport));
        assert!(!retry(ErrorKind::OutcomeUnknown));
        assert!(!retry(ErrorKind::Auth));
        assert!(!retry(ErrorKind::InvalidInput(vec![])));
    }
}
