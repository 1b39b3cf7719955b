//! Why an attempt got no answer, and the error that becomes.

use crate::deadline::TimedOut;
use crate::exchange::MAX_BODY_BYTES;
use crate::{Error, ErrorKind, RetrySafety};

pub(crate) struct SendFailure {
    pub(crate) never_sent: bool,
    pub(crate) too_large: bool,
    pub(crate) source: Option<reqwest::Error>,
    /// The attempt's timeout passed before the answer was read in full.
    pub(crate) elapsed: Option<TimedOut>,
}

impl SendFailure {
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        // A connect error means no byte of the request reached the provider.
        SendFailure {
            never_sent: e.is_connect(),
            too_large: false,
            source: Some(e),
            elapsed: None,
        }
    }

    /// The attempt timed out: the request may have reached the provider.
    pub(crate) fn timed_out(timeout: std::time::Duration) -> Self {
        SendFailure {
            never_sent: false,
            too_large: false,
            source: None,
            elapsed: Some(TimedOut(timeout)),
        }
    }

    pub(crate) fn into_error(
        self,
        provider: &'static str,
        safety: RetrySafety,
        attempts: u32,
    ) -> Error {
        let tries = if attempts == 1 {
            "1 attempt".to_owned()
        } else {
            format!("{attempts} attempts")
        };
        let err = if self.too_large {
            Error::new(
                ErrorKind::Decode,
                format!("the answer was larger than {MAX_BODY_BYTES} bytes"),
            )
        } else if self.never_sent {
            Error::new(
                ErrorKind::Transport,
                format!("could not connect after {tries}"),
            )
        } else {
            let timed_out = self.elapsed.is_some()
                || self.source.as_ref().is_some_and(reqwest::Error::is_timeout);
            let what = if timed_out {
                "timed out"
            } else {
                "the connection failed"
            };
            match safety {
                RetrySafety::Idempotent => {
                    Error::new(ErrorKind::Transport, format!("{what} after {tries}"))
                }
                RetrySafety::NotAfterSend => Error::new(
                    ErrorKind::OutcomeUnknown,
                    format!(
                        "{what} after the request was sent; it was not retried because the provider cannot de-duplicate it, so check whether the record exists"
                    ),
                ),
            }
        };
        let err = err.with_provider(provider).with_attempts(attempts);
        match (self.source, self.elapsed) {
            // reqwest errors carry the URL, which holds no secret (credentials go in headers).
            (Some(source), _) => err.with_source(source),
            (None, Some(elapsed)) => err.with_source(elapsed),
            (None, None) => err,
        }
    }
}
