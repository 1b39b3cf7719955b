//! The one error type of billsync, with a normalized kind every provider maps into and the
//! details behind accessors.

use std::any::Any;
use std::fmt;
use std::time::Duration;

pub use crate::kind::ErrorKind;

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
    field_errors: Vec<FieldError>,
    codes: Vec<String>,
    retry_after: Option<Duration>,
    attempts: u32,
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
                field_errors: Vec::new(),
                codes: Vec::new(),
                retry_after: None,
                attempts: 0,
                detail: None,
                source: None,
            }),
        }
    }

    /// An invalid-input error listing every field problem.
    pub fn invalid_input(fields: Vec<FieldError>) -> Self {
        let n = fields.len();
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "invalid record ({n} problem{}), nothing was sent",
                if n == 1 { "" } else { "s" }
            ),
        )
        .with_field_errors(fields)
    }

    /// A rate-limited error: the provider asked to slow down, and said when to come back if
    /// `retry_after` is known.
    pub fn rate_limited(message: impl Into<String>, retry_after: Option<Duration>) -> Self {
        let mut err = Error::new(ErrorKind::RateLimited, message);
        err.inner.retry_after = retry_after;
        err
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

    /// Adds field problems (a provider's per-field validation answer, or our own checks).
    pub fn with_field_errors(mut self, fields: impl IntoIterator<Item = FieldError>) -> Self {
        self.inner.field_errors.extend(fields);
        self
    }

    /// Adds the provider's own error codes (Payabli's `responseCode`, Rebilly's problem `type`),
    /// each cut to a bounded length.
    pub fn with_codes<I, S>(mut self, codes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.inner.codes.extend(
            codes
                .into_iter()
                .map(|c| truncate(c.into(), MAX_MESSAGE_CHARS)),
        );
        self
    }

    /// Records how long the provider asked to wait before trying again.
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        self.inner.retry_after = wait;
        self
    }

    /// Records how many HTTP attempts the failed request took (set by the HTTP core).
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
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
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
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

    /// The field problems: every one of an [`ErrorKind::InvalidInput`] error, whether billsync
    /// found them before sending or the provider listed them; empty otherwise.
    pub fn field_errors(&self) -> &[FieldError] {
        &self.inner.field_errors
    }

    /// The provider's own error codes, in the order it gave them: Payabli's `responseCode`,
    /// Rebilly's problem `type`. Empty when the provider gave none (Hyfin documents no codes,
    /// only messages).
    pub fn codes(&self) -> &[String] {
        &self.inner.codes
    }

    /// How long the provider asked to wait before trying again (a 429's `Retry-After` or the
    /// provider's own header), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// How many HTTP attempts the failed request took, retries included; 0 when nothing was
    /// sent (a record refused by validation, a configuration error). For an upsert made of
    /// several requests, it counts the attempts of the request that failed.
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
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
        self.inner.kind.is_retryable()
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
            .field("field_errors", &self.inner.field_errors)
            .field("codes", &self.inner.codes)
            .field("retry_after", &self.inner.retry_after)
            .field("attempts", &self.inner.attempts)
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
mod tests;
