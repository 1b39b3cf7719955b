//! Reading Rebilly's answers: the id a `Location` header names, and a success body that must be
//! a JSON object.

use billsync_core::Result;
use billsync_core::provider_kit::{ParsedBody, RawResponse};
use billsync_core::reqwest::header::{HeaderMap, LOCATION};
use percent_encoding::percent_decode_str;

/// The last path segment of a `Location` header (`.../customers/cus-1` -> `cus-1`).
pub(crate) fn id_from_location(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(LOCATION)?.to_str().ok()?;
    let path = value.split(['?', '#']).next()?;
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    let decoded = percent_decode_str(last).decode_utf8_lossy().into_owned();
    (!decoded.is_empty()).then_some(decoded)
}

/// A success body that must be a JSON object, as the send loop parsed it into `T` (core's
/// [`RawResponse::parsed_object`]), naming Rebilly in the decode error.
pub(crate) fn parse_object<T: serde::de::DeserializeOwned>(
    resp: &RawResponse,
    parsed: ParsedBody<T>,
    what: &str,
) -> Result<T> {
    resp.parsed_object(parsed, crate::PROVIDER, what)
}

#[cfg(test)]
mod tests {
    use billsync_core::reqwest::header::HeaderValue;

    use super::*;

    fn location(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_id_is_the_last_segment_decoded() {
        let id = |v| id_from_location(&location(v));
        assert_eq!(
            id("/organizations/o/customers/cus-1").as_deref(),
            Some("cus-1")
        );
        assert_eq!(
            id("https://h/customers/cus-1/?x=1#f").as_deref(),
            Some("cus-1")
        );
        assert_eq!(id("/customers/a%2Fb%20c").as_deref(), Some("a/b c"));
        assert_eq!(id("/customers/%C3%BC").as_deref(), Some("\u{fc}"));
        assert_eq!(id("/customers/a+b").as_deref(), Some("a+b"));
        assert_eq!(id("/customers/50%").as_deref(), Some("50%"));
        assert_eq!(id("/customers/%zz%4").as_deref(), Some("%zz%4"));
        assert_eq!(id("/customers/%FF").as_deref(), Some("\u{fffd}"));
        assert_eq!(id("/"), None);
    }
}
