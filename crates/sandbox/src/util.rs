//! Small helpers shared by the three emulated providers: JSON answers, time, hashing, query
//! strings and field checks.

use std::borrow::Cow;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::Serialize;
use serde_json::{Map, Value};

/// `application/json`.
pub(crate) const JSON: HeaderValue = HeaderValue::from_static("application/json");
/// `application/problem+json` (Rebilly's errors).
pub(crate) const PROBLEM_JSON: HeaderValue = HeaderValue::from_static("application/problem+json");

/// A JSON answer with the given status and content type.
pub(crate) fn json_with(
    status: StatusCode,
    content_type: HeaderValue,
    value: &impl Serialize,
) -> Response {
    let bytes = match serde_json::to_vec(value) {
        Ok(b) => b,
        Err(_) => {
            let mut r = Response::new(Body::from("{}"));
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return r;
        }
    };
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = status;
    r.headers_mut().insert(header::CONTENT_TYPE, content_type);
    r
}

/// An `application/json` answer whose body is JSON text already.
pub(crate) fn json_text(status: StatusCode, text: &str) -> Response {
    let mut r = Response::new(Body::from(text.to_owned()));
    *r.status_mut() = status;
    r.headers_mut().insert(header::CONTENT_TYPE, JSON);
    r
}

/// A `application/json` answer.
pub(crate) fn json(status: StatusCode, value: &impl Serialize) -> Response {
    json_with(status, JSON, value)
}

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}

/// An epoch-milliseconds time as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn rfc3339(ms: u64) -> String {
    let ms = i64::try_from(ms).unwrap_or(0);
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// SplitMix64's finalizer: a bijection on `u64` that scatters neighbouring inputs.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in `[0, 1)` drawn from `(seed, n, salt)`: the same triple always gives the same
/// number, so a run's random faults are reproducible from its seed and request order.
pub(crate) fn unit(seed: u64, n: u64, salt: u64) -> f64 {
    let x = mix64(seed ^ mix64(n.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ salt));
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// Decodes `%XX` escapes and `+` (as a space) of one query-string component.
pub(crate) fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('+') {
        return percent_decode_str(s).decode_utf8_lossy();
    }
    let spaced = s.replace('+', " ");
    Cow::Owned(percent_decode_str(&spaced).decode_utf8_lossy().into_owned())
}

/// The decoded `key=value` pairs of a raw query string.
pub(crate) fn query_pairs(q: &str) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
    q.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k), percent_decode(v))
    })
}

/// A plausible email address: `local@domain.tld`, no spaces, no empty labels.
pub(crate) fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    if local.is_empty() || local.len() > 64 || domain.len() < 3 {
        return false;
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) || local.contains('@') {
        return false;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    domain.contains('.')
        && domain
            .split('.')
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
}

/// The string at `key`, when it is one.
pub(crate) fn str_of<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str)
}

/// Whether `key` is absent or JSON `null`.
pub(crate) fn absent(obj: &Map<String, Value>, key: &str) -> bool {
    matches!(obj.get(key), None | Some(Value::Null))
}

/// A JSON type name for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Length in characters (what the providers' "≤ N characters" limits count).
pub(crate) fn chars(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// ECMA-262 `\w` (ASCII word characters), which is what JSON Schema patterns use.
pub(crate) fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Parses a request body that must be a JSON object; the error is a short message.
pub(crate) fn parse_object(body: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(v) => Err(format!(
            "the request body must be a JSON object, not {}",
            type_name(&v)
        )),
        Err(e) if body.iter().all(u8::is_ascii_whitespace) => {
            let _ = e;
            Err("the request body is empty; a JSON object is expected".to_owned())
        }
        Err(e) => Err(format!("the request body is not valid JSON: {e}")),
    }
}

/// What a path segment keeps as it is: RFC 3986's unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment (everything but RFC 3986 unreserved characters).
pub(crate) fn encode_segment(s: &str) -> Cow<'_, str> {
    utf8_percent_encode(s, UNRESERVED).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_query_components() {
        assert_eq!(
            percent_decode("customernumber%28eq%29"),
            "customernumber(eq)"
        );
        assert_eq!(percent_decode("a+b%2"), "a b%2");
        assert_eq!(percent_decode("%C3%BC"), "ü");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%2B+%2b"), "+ +");
        assert_eq!(percent_decode("%FF"), "\u{fffd}");
        assert!(matches!(percent_decode("plain%"), Cow::Borrowed("plain%")));
    }

    #[test]
    fn encodes_one_path_segment() {
        assert_eq!(encode_segment("cus-1_a.b~c"), "cus-1_a.b~c");
        assert!(matches!(encode_segment("cus-1"), Cow::Borrowed("cus-1")));
        assert_eq!(encode_segment("a/b c?d"), "a%2Fb%20c%3Fd");
        assert_eq!(encode_segment("50%+x"), "50%25%2Bx");
        assert_eq!(encode_segment("\u{fc}"), "%C3%BC");
    }

    #[test]
    fn query_pairs_split_then_decode() {
        let pairs: Vec<(String, String)> = query_pairs("a=1&&b%3D=x%26y&c&d=e=f")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let want = [("a", "1"), ("b=", "x&y"), ("c", ""), ("d", "e=f")];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(pairs, want);
    }

    #[test]
    fn recognises_emails() {
        assert!(is_email("john.doe@abc.com"));
        assert!(!is_email("john doe@abc.com"));
        assert!(!is_email("@abc.com"));
        assert!(!is_email("john@abc"));
        assert!(!is_email("john@@abc.com"));
        assert!(!is_email("john@abc..com"));
    }

    #[test]
    fn unit_draws_are_reproducible_and_in_range() {
        let a: Vec<f64> = (0..1000).map(|n| unit(7, n, 1)).collect();
        let b: Vec<f64> = (0..1000).map(|n| unit(7, n, 1)).collect();
        assert_eq!(a, b);
        assert!(a.iter().all(|x| (0.0..1.0).contains(x)));
        let share = a.iter().filter(|x| **x < 0.25).count();
        assert!((150..350).contains(&share), "{share}");
    }
}
