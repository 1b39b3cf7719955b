//! Echo's error body: its code first, then its message and field problems.

use billsync_core::FieldError;
use billsync_core::provider_kit::{ProviderErrors, RawResponse};
use serde::Deserialize;

use crate::PROVIDER;

/// Echo's error detail, reachable with `error.detail::<EchoError>()`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct EchoError {
    /// The error code (`invalid`, `conflict`, ...).
    pub code: String,
    /// What went wrong, in one sentence.
    pub message: String,
    /// The fields at fault, for `invalid`.
    #[serde(default)]
    pub fields: Vec<EchoFieldError>,
}

/// One field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct EchoFieldError {
    /// Echo's name of the field.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

#[derive(Deserialize)]
struct Envelope {
    error: EchoError,
}

impl ProviderErrors for EchoError {
    const PROVIDER: &'static str = PROVIDER;

    fn parse(resp: &RawResponse) -> Option<Self> {
        serde_json::from_slice::<Envelope>(&resp.body)
            .ok()
            .map(|e| e.error)
    }

    fn messages(&self) -> Vec<String> {
        vec![self.message.clone()]
    }

    fn codes(&self) -> Vec<String> {
        vec![self.code.clone()]
    }

    fn field_errors(&self) -> Vec<FieldError> {
        self.fields
            .iter()
            .map(|f| FieldError {
                path: f.field.clone(),
                message: f.message.clone(),
            })
            .collect()
    }
}
