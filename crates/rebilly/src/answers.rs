//! Reading Rebilly's answers: the id a `Location` header names, and a success body that must be
//! a JSON object.

use billsync_core::reqwest::header::{HeaderMap, LOCATION};
use billsync_core::{RawResponse, Result};

/// The last path segment of a `Location` header (`.../customers/cus-1` -> `cus-1`).
pub(crate) fn id_from_location(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(LOCATION)?.to_str().ok()?;
    let path = value.split(['?', '#']).next()?;
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    let decoded = percent_decode(last);
    (!decoded.is_empty()).then_some(decoded)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                let (h, l) = (hex(h).unwrap_or(0), hex(l).unwrap_or(0));
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a success body that must be a JSON object into `T` (core's
/// [`RawResponse::json_object`]), naming Rebilly in the decode error.
pub(crate) fn parse_object<T: serde::de::DeserializeOwned>(
    resp: &RawResponse,
    what: &str,
) -> Result<T> {
    resp.json_object(crate::PROVIDER, what)
}
