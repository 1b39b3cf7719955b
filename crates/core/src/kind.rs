//! What went wrong, normalized across providers: a plain enum, with the details on the error.

/// What went wrong, normalized across providers.
///
/// A plain value: compare it with `==` (`e.kind() == ErrorKind::NotFound`), match on it, use it
/// as a map key. The details of a particular error (the field problems, when to retry, the HTTP
/// status, the provider's codes, the attempts made) are on [`Error`](crate::Error)'s accessors.
/// New kinds may be added, so a `match` needs a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The record breaks a canonical or provider rule; nothing was sent (or the provider said
    /// so field by field). Every problem is in [`Error::field_errors`](crate::Error::field_errors).
    InvalidInput,
    /// The client is misconfigured (missing credential, bad base URL); nothing was sent.
    Config,
    /// The provider refused the credentials (401/403).
    Auth,
    /// The provider has no record with the id that was sent.
    NotFound,
    /// The write conflicts with the provider's state (duplicate key, concurrent change).
    Conflict,
    /// The provider rejected the record; its messages are in
    /// [`Error::messages`](crate::Error::messages).
    Rejected,
    /// The provider asked us to slow down; [`Error::retry_after`](crate::Error::retry_after)
    /// says when to try again, if it said.
    RateLimited,
    /// The provider is down or failing (5xx, 408), after the configured retries.
    Unavailable,
    /// The request could not be delivered (connection refused, DNS, TLS); it never reached the
    /// provider.
    Transport,
    /// The request may have reached the provider but no usable answer came (timeout, connection
    /// reset mid-request, a 5xx to a create) and it cannot be retried without risking a
    /// duplicate.
    OutcomeUnknown,
    /// The provider's answer could not be understood (not JSON, wrong shape).
    Decode,
    /// The provider does not support this operation.
    Unsupported,
    /// A failure inside billsync or its local storage (a request body that cannot be
    /// serialized, a state file that cannot be read or written), not at the provider.
    Internal,
}

impl ErrorKind {
    /// A short stable name for reports and logs (`invalid_input`, `rate_limited`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Config => "config",
            ErrorKind::Auth => "auth",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Rejected => "rejected",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Transport => "transport",
            ErrorKind::OutcomeUnknown => "outcome_unknown",
            ErrorKind::Decode => "decode",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Internal => "internal",
        }
    }

    /// Whether retrying the same call later may succeed: rate limits, unavailability and
    /// transport failures where the request never reached the provider.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorKind::RateLimited | ErrorKind::Unavailable | ErrorKind::Transport
        )
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    const ALL: [ErrorKind; 13] = [
        ErrorKind::InvalidInput,
        ErrorKind::Config,
        ErrorKind::Auth,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Rejected,
        ErrorKind::RateLimited,
        ErrorKind::Unavailable,
        ErrorKind::Transport,
        ErrorKind::OutcomeUnknown,
        ErrorKind::Decode,
        ErrorKind::Unsupported,
        ErrorKind::Internal,
    ];

    #[test]
    fn names_are_distinct_snake_case_and_kinds_are_hashable() {
        let names: HashSet<&str> = ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), ALL.len());
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
        let kinds: HashSet<ErrorKind> = ALL.into_iter().collect();
        assert_eq!(kinds.len(), ALL.len());
    }

    #[test]
    fn only_transient_kinds_are_retryable() {
        let retryable: Vec<ErrorKind> = ALL.into_iter().filter(|k| k.is_retryable()).collect();
        assert_eq!(
            retryable,
            [
                ErrorKind::RateLimited,
                ErrorKind::Unavailable,
                ErrorKind::Transport
            ]
        );
    }
}
