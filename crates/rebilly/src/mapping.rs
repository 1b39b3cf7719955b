//! Canonical records -> validated Rebilly wire structs.
//!
//! Canonical rules ([`Record::validate_into`](billsync_core::Record::validate_into)) and
//! Rebilly's limits from its OpenAPI definitions go into one
//! [`Validator`](billsync_core::provider_kit::Validator), finished with the provider's name: a
//! caller sees every problem of a record at once, and nothing is sent while any remains.

use billsync_core::provider_kit::Validator;
use std::borrow::Cow;

use sha2::{Digest, Sha256};

use crate::config::IdPolicy;

mod customer;
mod transaction;

pub use customer::customer_request;
pub use transaction::{payment_method, transaction_request};

/// Longest id Rebilly accepts (customer ids, invoice ids, `requestId`).
pub const MAX_ID_CHARS: usize = 50;
const HASH_PREFIX_CHARS: usize = 33;
const HASH_HEX_CHARS: usize = 16;

/// Whether `id` fits Rebilly's resource id rule: 1 to 50 characters of `[@~-.A-Za-z0-9_]`
/// (`parameters/resourceId.yaml`, pattern `^[@~\-\.\w]+$`, read with JSON Schema's ASCII `\w`).
pub fn is_resource_id(id: &str) -> bool {
    // Every allowed character is ASCII, so bytes are characters here and a non-ASCII byte fails.
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id.bytes().all(|b| RESOURCE_ID_BYTES[usize::from(b)])
}

/// Which bytes [`is_resource_id_char`] allows, built at compile time: one table look-up per
/// byte of every id.
const RESOURCE_ID_BYTES: [bool; 256] = {
    let mut allowed = [false; 256];
    let mut b = 0;
    while b < 128 {
        allowed[b] = is_resource_id_char(b as u8 as char);
        b += 1;
    }
    allowed
};

const fn is_resource_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | '~' | '-' | '.')
}

fn is_request_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-')
}

fn sha256_hex(value: &str, chars: usize) -> String {
    let digest = Sha256::digest(value.as_bytes());
    digest
        .iter()
        .flat_map(|b| [b >> 4, b & 0x0f])
        .take(chars)
        .map(|n| char::from_digit(u32::from(n), 16).unwrap_or('0'))
        .collect()
}

fn hashed(id: &str, keep: fn(char) -> bool, separator: char) -> String {
    let prefix: String = id
        .chars()
        .filter(|c| keep(*c))
        .take(HASH_PREFIX_CHARS)
        .collect();
    format!("{prefix}{separator}{}", sha256_hex(id, HASH_HEX_CHARS))
}

/// The Rebilly id for a caller's customer (or invoice) id under `policy`: the id itself when it
/// fits Rebilly's rule; under [`IdPolicy::Hash`] otherwise its fitting characters (at most 33),
/// `~`, and the first 16 hex digits of the SHA-256 of the id; `None` under
/// [`IdPolicy::Strict`] for an id that does not fit.
#[cfg_attr(not(feature = "unstable"), allow(dead_code))] // for the bench
pub fn rebilly_id(external_id: &str, policy: IdPolicy) -> Option<String> {
    mapped_id(external_id, policy).map(Cow::into_owned)
}

/// [`rebilly_id`], borrowing the external id when it is the Rebilly id itself.
fn mapped_id(external_id: &str, policy: IdPolicy) -> Option<Cow<'_, str>> {
    if is_resource_id(external_id) {
        return Some(Cow::Borrowed(external_id));
    }
    match policy {
        IdPolicy::Strict => None,
        IdPolicy::Hash if external_id.trim().is_empty() => None,
        IdPolicy::Hash => Some(Cow::Owned(hashed(external_id, is_resource_id_char, '~'))),
    }
}

/// The transaction `requestId` for a payment's external id: the external id itself when it fits
/// `requestId`'s rule (1 to 50 characters of `[-A-Za-z0-9_]`), else its fitting characters (at
/// most 33), `-`, and the first 16 hex digits of the SHA-256 of the external id. Deterministic:
/// every upsert of the same payment sends the same `requestId`, so Rebilly ignores a repeat
/// within its 24-hour window.
pub fn request_id(external_id: &str) -> String {
    request_id_of(external_id).into_owned()
}

/// [`request_id`], borrowing the external id when it is the `requestId` itself.
fn request_id_of(external_id: &str) -> Cow<'_, str> {
    // Every allowed character is ASCII, so bytes are characters here and a non-ASCII byte fails.
    let fits = !external_id.is_empty()
        && external_id.len() <= MAX_ID_CHARS
        && external_id.bytes().map(char::from).all(is_request_id_char);
    if fits {
        Cow::Borrowed(external_id)
    } else {
        Cow::Owned(hashed(external_id, is_request_id_char, '-'))
    }
}

fn id_rule_message(id: &str) -> String {
    format!(
        "`{id}` is not a Rebilly id (at most {MAX_ID_CHARS} characters of letters, digits and `@ ~ - . _`); \
         use IdPolicy::Hash to send a derived id"
    )
}

fn check_id<'a>(
    v: &mut Validator,
    path: &str,
    id: &'a str,
    policy: IdPolicy,
) -> Option<Cow<'a, str>> {
    let mapped = mapped_id(id, policy);
    if mapped.is_none() && !id.trim().is_empty() {
        v.push(path, id_rule_message(id));
    }
    mapped
}

#[cfg(test)]
mod tests;
