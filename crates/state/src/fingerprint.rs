//! Fingerprints of what would be sent: the change detection of a sync.
//!
//! A record is unchanged when the requests that would carry it to the provider are, byte for
//! byte: method, URL and body of every write (reads such as lookups are left out, and so are
//! headers, which carry credentials and per-attempt idempotency keys). A change to any field the
//! provider receives changes the fingerprint; a change to a field the provider never receives
//! does not.
//!
//! Bodies can hold secrets (a portal password). They enter only through HMAC-SHA256 keyed with a
//! random key of the store ([`DigestKey`]), so the stored fingerprint is neither the secret nor
//! a plain hash of it that could be looked up in a precomputed table.

use std::fmt;

use billsync_core::PreparedRequest;
use billsync_core::reqwest::Method;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The secret key of a store's fingerprints: 32 random bytes, made when the store is created
/// and kept in it. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct DigestKey([u8; 32]);

impl DigestKey {
    /// A new random key.
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        key[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        key[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        DigestKey(key)
    }

    /// A key from its bytes (as stored).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        DigestKey(bytes)
    }

    /// The key's bytes, to store it.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for DigestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DigestKey([redacted])")
    }
}

/// The fingerprint of the writes among `requests` (64 hex digits).
pub fn fingerprint(key: &DigestKey, requests: &[PreparedRequest]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key.0) else {
        // HMAC takes keys of any length; a 32-byte key cannot be refused.
        unreachable!("HMAC accepts a 32-byte key")
    };
    for req in requests.iter().filter(|r| r.method != Method::GET) {
        let body = req.body.as_deref().unwrap_or_default();
        for part in [req.method.as_str().as_bytes(), req.url.as_str().as_bytes()] {
            mac.update(&(part.len() as u64).to_le_bytes());
            mac.update(part);
        }
        mac.update(&(body.len() as u64).to_le_bytes());
        mac.update(body);
    }
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 15), 16).unwrap_or('0'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use billsync_core::RetrySafety;
    use billsync_core::url::Url;

    fn post(body: &serde_json::Value) -> PreparedRequest {
        let url = Url::parse("https://p.example/customers").unwrap();
        PreparedRequest::new(Method::POST, url, "x", RetrySafety::Idempotent)
            .with_json(body)
            .unwrap()
    }

    fn get() -> PreparedRequest {
        let url = Url::parse("https://p.example/lookup").unwrap();
        PreparedRequest::new(Method::GET, url, "x", RetrySafety::Idempotent)
    }

    #[test]
    fn any_sent_byte_changes_it_and_reads_do_not() {
        let key = DigestKey::random();
        let a = fingerprint(&key, &[post(&serde_json::json!({"amount": "10.05"}))]);
        let b = fingerprint(&key, &[post(&serde_json::json!({"amount": "99.99"}))]);
        assert_ne!(a, b);
        let with_lookup = fingerprint(
            &key,
            &[get(), post(&serde_json::json!({"amount": "10.05"}))],
        );
        assert_eq!(a, with_lookup, "a lookup carries nothing to the provider");
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn secrets_enter_only_keyed() {
        let secret = serde_json::json!({"customerPsw": "hunter2"});
        let k1 = DigestKey::random();
        let k2 = DigestKey::random();
        let f1 = fingerprint(&k1, &[post(&secret)]);
        assert_ne!(f1, fingerprint(&k2, &[post(&secret)]));
        assert!(!f1.contains("hunter2"));
        let other = fingerprint(&k1, &[post(&serde_json::json!({"customerPsw": "hunter3"}))]);
        assert_ne!(f1, other, "a changed password is a change");
        assert_eq!(format!("{k1:?}"), "DigestKey([redacted])");
    }
}
