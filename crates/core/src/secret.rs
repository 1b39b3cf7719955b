//! Helpers that keep secrets out of output.

use secrecy::SecretString;
use serde::Serializer;

/// What a secret is replaced with wherever it would be shown.
pub const REDACTED: &str = "[redacted]";

/// `serde(serialize_with)` helper that writes [`REDACTED`] instead of the secret.
pub fn serialize_redacted<S: Serializer>(_: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(REDACTED)
}
