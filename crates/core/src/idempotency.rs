//! Idempotency keys: one per logical write, reused on every retry of it.

use std::fmt;

use bytes::Bytes;
use reqwest::header::HeaderValue;

use crate::{Error, Result};

/// A key that lets a provider recognise a repeated write. billsync makes one per logical upsert
/// (a random UUID) unless the caller passes one in [`crate::UpsertOptions`]; every retry of that
/// upsert sends the same key.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A fresh random key (UUID v4, lowercase and hyphenated).
    ///
    /// The random bits come from a per-thread CSPRNG seeded by the OS (uuid's `fast-rng`), not
    /// from one system call per key, and the text is written without the formatting machinery.
    pub fn random() -> Self {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let text = uuid::Uuid::new_v4().hyphenated().encode_lower(&mut text);
        IdempotencyKey(text.to_owned())
    }

    /// A caller-chosen key: 1 to 255 visible ASCII characters.
    pub fn new(key: impl Into<String>) -> Result<Self> {
        let key = key.into();
        let ok = (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(IdempotencyKey(key))
        } else {
            Err(Error::config(
                "an idempotency key must be 1 to 255 visible ASCII characters",
            ))
        }
    }

    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as a header value, taking over its text without copying it.
    pub fn into_header_value(self) -> Result<HeaderValue> {
        // A `String` of exact capacity becomes `Bytes` without a new allocation.
        HeaderValue::from_maybe_shared(Bytes::from(self.0))
            .map_err(|_| Error::config("an idempotency key is not a valid header value"))
    }
}

impl fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdempotencyKey({})", self.0)
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_ne!(IdempotencyKey::random(), IdempotencyKey::random());
        assert_eq!(IdempotencyKey::random().as_str().len(), 36);
        assert!(IdempotencyKey::new("abc-123").is_ok());
        assert!(IdempotencyKey::new("").is_err());
        assert!(IdempotencyKey::new("a b").is_err());
        assert!(IdempotencyKey::new("x".repeat(256)).is_err());
        let key = IdempotencyKey::random();
        let text = key.as_str().to_owned();
        assert_eq!(key.into_header_value().unwrap().to_str().unwrap(), text);
    }
}
