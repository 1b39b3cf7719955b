//! A provider's answer as read off the wire, and decoding its body: from the bytes, or from what
//! the send loop already parsed ([`HttpClient::send_json`](crate::provider_kit::HttpClient::send_json)),
//! so that a success body is parsed once.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::{Error, ErrorKind, Result};

/// A provider's answer, read in full.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: StatusCode,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body bytes.
    pub body: Bytes,
    /// How many attempts it took (1 when the first attempt answered).
    pub attempts: u32,
}

/// What the send loop made of a success answer's body with the provider's reader: the typed
/// answer, or the reason it is not one. `None` when the status is not a success (the body was
/// not read).
pub type ParsedBody<T> = Option<serde_json::Result<T>>;

impl RawResponse {
    /// Whether the body's content type is JSON (`application/json`, `application/problem+json`,
    /// any `+json`), or absent.
    pub fn looks_like_json(&self) -> bool {
        match self
            .headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
        {
            None => true,
            Some(ct) => {
                // Compared without allocating: this runs on every answer.
                let ct = ct.split(';').next().unwrap_or("").trim().as_bytes();
                let ends_json = ct.len() >= 5 && ct[ct.len() - 5..].eq_ignore_ascii_case(b"+json");
                ct.eq_ignore_ascii_case(b"application/json")
                    || ends_json
                    || ct.eq_ignore_ascii_case(b"text/json")
            }
        }
    }

    /// Parses the body as JSON into `T`; a decode error naming the provider otherwise.
    pub fn json<T: DeserializeOwned>(&self, provider: &'static str) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::new(ErrorKind::Decode, "the answer could not be understood")
                .with_provider(provider)
                .with_status(self.status.as_u16())
                .with_attempts(self.attempts)
                .with_source(e)
        })
    }

    /// A decode error: this answer (whatever its status) was not `what` (`"a customer"`).
    pub fn decode_error(&self, provider: &'static str, what: &str) -> Error {
        Error::new(
            ErrorKind::Decode,
            format!("the answer could not be understood as {what}"),
        )
        .with_provider(provider)
        .with_status(self.status.as_u16())
        .with_attempts(self.attempts)
    }

    /// Parses the body as JSON into `T`; a decode error naming the provider and `what` otherwise.
    pub fn json_as<T: DeserializeOwned>(&self, provider: &'static str, what: &str) -> Result<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| self.decode_error(provider, what).with_source(e))
    }

    /// Parses a body that must be a JSON object, in one pass straight into `T` (a derived struct
    /// would also accept a JSON array, hence the check of the first byte). An empty body, a
    /// content type that is not JSON or anything but an object is a decode error.
    pub fn json_object<T: DeserializeOwned>(
        &self,
        provider: &'static str,
        what: &str,
    ) -> Result<T> {
        self.parsed_object(None, provider, what)
    }

    /// [`RawResponse::json_as`] of a body the send loop already parsed (`parsed`, from
    /// [`HttpClient::send_json`](crate::provider_kit::HttpClient::send_json)): the body is not
    /// read again. When it was not parsed (a status that is not a success), it is parsed now.
    pub fn parsed_json<T: DeserializeOwned>(
        &self,
        parsed: ParsedBody<T>,
        provider: &'static str,
        what: &str,
    ) -> Result<T> {
        match parsed {
            Some(Ok(value)) => Ok(value),
            Some(Err(e)) => Err(self.decode_error(provider, what).with_source(e)),
            None => self.json_as(provider, what),
        }
    }

    /// [`RawResponse::json_object`] of a body the send loop already parsed (see
    /// [`RawResponse::parsed_json`]).
    pub fn parsed_object<T: DeserializeOwned>(
        &self,
        parsed: ParsedBody<T>,
        provider: &'static str,
        what: &str,
    ) -> Result<T> {
        let first = self.body.iter().find(|b| !b.is_ascii_whitespace());
        if !self.looks_like_json() || first != Some(&b'{') {
            return Err(self.decode_error(provider, what));
        }
        self.parsed_json(parsed, provider, what)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use reqwest::header::{CONTENT_TYPE, HeaderValue};

    use super::*;

    /// An answer with `status` and `body`, no headers, after `attempts` (for unit tests of
    /// answer reading here and in `answer.rs`).
    pub(crate) fn answer(status: u16, body: &str, attempts: u32) -> RawResponse {
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::copy_from_slice(body.as_bytes()),
            attempts,
        }
    }

    fn with_content_type(ct: Option<&str>) -> RawResponse {
        let mut resp = answer(200, "", 1);
        if let Some(ct) = ct {
            resp.headers.insert(CONTENT_TYPE, ct.parse().unwrap());
        }
        resp
    }

    #[test]
    fn json_content_types_are_told_from_others_in_any_case() {
        for json in [
            None,
            Some("application/json"),
            Some("Application/JSON; charset=utf-8"),
            Some("application/problem+json"),
            Some("APPLICATION/VND.API+JSON"),
            Some(" text/json "),
        ] {
            assert!(with_content_type(json).looks_like_json(), "{json:?}");
        }
        for other in [
            "text/html",
            "text/plain; charset=utf-8",
            "json",
            "application/jsonx",
        ] {
            assert!(!with_content_type(Some(other)).looks_like_json(), "{other}");
        }
    }

    #[derive(Debug, serde::Deserialize)]
    struct Thing {
        id: String,
    }

    #[test]
    fn success_bodies_decode_or_fail_as_decode_errors() {
        let ok: Thing = answer(200, r#" {"id": "t1"}"#, 1)
            .json_object("madeup", "a thing")
            .unwrap();
        assert_eq!(ok.id, "t1");
        for bad in ["", "[]", "nope", r#"{"id": 5}"#] {
            let err = answer(200, bad, 4)
                .json_object::<Thing>("madeup", "a thing")
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Decode, "{bad}");
            assert_eq!((err.status(), err.attempts()), (Some(200), 4));
            assert_eq!(
                err.to_string(),
                "madeup: the answer could not be understood as a thing (HTTP 200)"
            );
        }
        let mut html = answer(200, r#"{"id": "t1"}"#, 1);
        html.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
        assert!(html.json_object::<Thing>("madeup", "a thing").is_err());
        assert!(
            answer(200, "[1]", 1)
                .json_as::<Vec<u8>>("madeup", "a list")
                .is_ok()
        );
    }

    #[test]
    fn a_body_parsed_in_the_send_loop_is_used_as_it_is_and_its_error_kept() {
        let resp = answer(200, r#"{"id": "t1"}"#, 2);
        // What the loop parsed is taken, not the bytes (which say `t1`).
        let given = Some(Ok(Thing { id: "t9".into() }));
        let thing = resp.parsed_object(given, "madeup", "a thing").unwrap();
        assert_eq!(thing.id, "t9");
        // Not parsed by the loop: parsed now.
        let now = resp.parsed_object::<Thing>(None, "madeup", "a thing");
        assert_eq!(now.unwrap().id, "t1");
        // The loop's parse error becomes the decode error's source.
        let failed = serde_json::from_str::<Thing>(r#"{"id": 5}"#);
        let err = resp
            .parsed_json(Some(failed), "madeup", "a thing")
            .unwrap_err();
        assert_eq!((err.kind(), err.attempts()), (ErrorKind::Decode, 2));
        assert!(std::error::Error::source(&err).is_some());
        // An array is not an object, whatever the loop parsed.
        let list = answer(200, "[]", 1);
        let given = Some(Ok(Thing { id: "t9".into() }));
        assert!(list.parsed_object(given, "madeup", "a thing").is_err());
    }
}
