//! Masking of header values that carry secrets.

use axum::http::HeaderMap;

/// What a masked value shows instead of the secret.
const MASK: &str = "[masked]";

/// Whether a header (lower-case name) carries a secret. Idempotency keys are not secrets and
/// are what one looks for when debugging retries, so they stay visible.
fn is_secret(name: &str) -> bool {
    if name.contains("idempotency") {
        return false;
    }
    matches!(
        name,
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || ["token", "key", "secret", "password", "auth"]
        .iter()
        .any(|word| name.contains(word))
}

/// The value to show for header `name`: the value itself, or the mask (after the scheme of
/// an `Authorization` value, so `Bearer [masked]`).
pub(crate) fn shown(name: &str, value: &[u8]) -> String {
    let name = name.to_ascii_lowercase();
    if !is_secret(&name) {
        return String::from_utf8_lossy(value).into_owned();
    }
    if name.ends_with("authorization") {
        let text = String::from_utf8_lossy(value);
        if let Some((scheme, _)) = text.trim().split_once(' ')
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return format!("{scheme} {MASK}");
        }
    }
    MASK.to_owned()
}

/// Headers as captured: one block of `name: value` lines, owned (a request's header values
/// point into the server's read buffer, which must not be kept alive), masked when shown.
#[derive(Debug, Default)]
pub(crate) struct Headers(String);

impl Headers {
    /// Copies `map`.
    pub(crate) fn of(map: &HeaderMap) -> Headers {
        let mut text = String::with_capacity(map.len() * 32);
        for (name, value) in map {
            text.push_str(name.as_str());
            text.push_str(": ");
            text.push_str(&String::from_utf8_lossy(value.as_bytes()));
            text.push('\n');
        }
        Headers(text)
    }

    /// Every header as `(name, shown value)`, in order, secrets masked.
    pub(crate) fn masked(&self) -> Vec<(String, String)> {
        self.0
            .lines()
            .filter_map(|line| line.split_once(": "))
            .map(|(name, value)| (name.to_owned(), shown(name, value.as_bytes())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{Headers, shown};
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn captured_headers_are_shown_in_order_and_masked() {
        let mut map = HeaderMap::new();
        map.insert("content-type", HeaderValue::from_static("application/json"));
        map.insert(
            "requesttoken",
            HeaderValue::from_static("sandbox-payabli-token"),
        );
        let shown = Headers::of(&map).masked();
        assert_eq!(
            shown,
            [
                ("content-type".to_owned(), "application/json".to_owned()),
                ("requesttoken".to_owned(), "[masked]".to_owned())
            ]
        );
    }

    #[test]
    fn secrets_are_masked_and_other_headers_are_not() {
        assert_eq!(
            shown("Authorization", b"Bearer sandbox-hyfin-token"),
            "Bearer [masked]"
        );
        assert_eq!(shown("authorization", b"sandbox-hyfin-token"), "[masked]");
        assert_eq!(shown("requestToken", b"sandbox-payabli-token"), "[masked]");
        assert_eq!(shown("REB-APIKEY", b"sandbox-rebilly-key"), "[masked]");
        assert_eq!(shown("x-api-key", b"k"), "[masked]");
        assert_eq!(shown("x-client-secret", b"s"), "[masked]");
        assert_eq!(shown("cookie", b"session=abc"), "[masked]");
        assert_eq!(
            shown("content-type", b"application/json"),
            "application/json"
        );
        assert_eq!(shown("idempotencyKey", b"k-1"), "k-1");
    }
}
