//! Why an attempt got no answer, and the error that becomes.

use crate::http::MAX_BODY_BYTES;
use crate::{Error, ErrorKind, RetrySafety};

pub(crate) struct SendFailure {
    pub(crate) never_sent: bool,
    pub(crate) too_large: bool,
    pub(crate) source: Option<reqwest::Error>,
}

impl SendFailure {
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        // A connect error means no byte of the request reached the provider.
        SendFailure {
            never_sent: e.is_connect(),
            too_large: false,
            source: Some(e),
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
            let what = match &self.source {
                Some(e) if e.is_timeout() => "timed out",
                _ => "the connection failed",
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
        match self.source {
            // reqwest errors carry the URL, which holds no secret (credentials go in headers).
            Some(source) => err.with_source(source),
            None => err,
        }
    }
}
