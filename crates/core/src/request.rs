//! Requests built as data: what would be sent, before anything is sent.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, LazyLock};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use url::Url;

use crate::secret::REDACTED;
use crate::{Error, Result};

/// Whether a request may be sent again after it may have reached the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetrySafety {
    /// Sending it twice has the effect of sending it once (a PUT to a caller-chosen id, an
    /// upsert keyed by the caller's id, a create carrying an idempotency key, a read): retried
    /// on timeouts, 408, 429 and 5xx.
    Idempotent,
    /// A create the provider cannot de-duplicate: retried only when it certainly did not reach
    /// the provider (connection refused) or the provider said it did not process it (429).
    NotAfterSend,
}

/// One HTTP request, fully built: method, URL, headers (secrets marked sensitive) and the exact
/// body bytes. Providers build these from records; [`HttpClient`](crate::provider_kit::HttpClient) sends them; snapshots
/// and dry runs show them through [`PreparedRequest::render`], which redacts secrets.
#[derive(Clone)]
pub struct PreparedRequest {
    /// HTTP method.
    pub method: Method,
    /// Full URL, path segments percent-encoded.
    pub url: Url,
    /// Headers a client builds once and shares among its requests (auth, content type): each
    /// request holds a reference, not a copy. Secret values are marked sensitive and shown as
    /// `[redacted]`.
    pub shared_headers: Arc<HeaderMap>,
    /// This request's own headers, in order (an idempotency key): usually none or one, so a
    /// plain list rather than a hashed map. They are sent with the shared ones, and a name
    /// here replaces the shared header of that name. [`PreparedRequest::header`] and
    /// [`PreparedRequest::header_map`] read both.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The exact body bytes, if any.
    pub body: Option<Bytes>,
    /// Whether a retry after the request may have arrived is safe.
    pub retry: RetrySafety,
    /// JSON pointers (`/customerPsw`) of body fields that are secrets, redacted when rendered.
    pub secret_body_fields: &'static [&'static str],
    /// A short name of the operation for logs and spans (`customer.addUpdate`).
    pub operation: &'static str,
}

impl PreparedRequest {
    /// A request with no body.
    pub fn new(method: Method, url: Url, operation: &'static str, retry: RetrySafety) -> Self {
        PreparedRequest {
            method,
            url,
            shared_headers: Arc::clone(&NO_HEADERS),
            headers: Vec::new(),
            body: None,
            retry,
            secret_body_fields: &[],
            operation,
        }
    }

    /// A request with a JSON body and headers built beforehand, shared with the client's other
    /// requests, that carry `content-type: application/json` (see
    /// [`PreparedRequest::with_shared_headers`]). Built in one step: the request is written once
    /// instead of being moved through a chain of builder calls.
    pub fn json<T: Serialize + ?Sized>(
        method: Method,
        url: Url,
        operation: &'static str,
        retry: RetrySafety,
        shared_headers: Arc<HeaderMap>,
        body: &T,
    ) -> Result<Self> {
        Ok(PreparedRequest {
            body: Some(json_bytes(body)?),
            method,
            url,
            shared_headers,
            headers: Vec::new(),
            retry,
            secret_body_fields: &[],
            operation,
        })
    }

    /// Sets a JSON body serialized from `body` (and the `content-type` header).
    pub fn with_json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        self.body = Some(json_bytes(body)?);
        self.headers.retain(|(name, _)| name != CONTENT_TYPE);
        Ok(self.with_header_value(CONTENT_TYPE, HeaderValue::from_static("application/json")))
    }

    /// Adds a plain header. Fails with a config error when the value is not a valid header.
    pub fn with_header(self, name: HeaderName, value: &str) -> Result<Self> {
        let value = HeaderValue::from_str(value)
            .map_err(|_| Error::config(format!("the value of header `{name}` is not valid")))?;
        Ok(self.with_header_value(name, value))
    }

    /// Adds a header carrying a secret: `prefix` (e.g. `"Bearer "`) then the secret. The value
    /// is marked sensitive and never shown.
    pub fn with_secret_header(
        self,
        name: HeaderName,
        prefix: &str,
        secret: &SecretString,
    ) -> Result<Self> {
        let value = secret_header_value(name.as_str(), prefix, secret)?;
        Ok(self.with_header_value(name, value))
    }

    /// Sets the headers shared with the client's other requests: its constant headers, built
    /// once; the request holds a reference to them instead of a copy.
    pub fn with_shared_headers(mut self, headers: Arc<HeaderMap>) -> Self {
        self.shared_headers = headers;
        self
    }

    /// The value of header `name` as it would be sent: the request's own, else the shared one.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|(own, _)| own == name)
            .map(|(_, value)| value)
            .or_else(|| self.shared_headers.get(name))
    }

    /// Every header that would be sent, in one map: the shared ones, then the request's own
    /// (replacing a shared one of the same name).
    pub fn header_map(&self) -> HeaderMap {
        let mut all = HeaderMap::clone(&self.shared_headers);
        for (i, (name, value)) in self.headers.iter().enumerate() {
            // The first own value of a name replaces the shared ones (in place: a client whose
            // shared map carries a placeholder for it sends without growing the map); later
            // ones of the same name are added.
            if self.headers[..i].iter().any(|(earlier, _)| earlier == name) {
                all.append(name.clone(), value.clone());
            } else {
                all.insert(name.clone(), value.clone());
            }
        }
        all
    }

    /// Adds a header value built beforehand (e.g. a client's auth header, from
    /// [`secret_header_value`], made once instead of on every request).
    pub fn with_header_value(mut self, name: HeaderName, value: HeaderValue) -> Self {
        // A request's own headers are usually one (an idempotency key): room for exactly it.
        self.headers.reserve_exact(1);
        self.headers.push((name, value));
        self
    }

    /// Marks body fields (JSON pointers) as secrets to redact when rendered.
    pub fn with_secret_body_fields(mut self, pointers: &'static [&'static str]) -> Self {
        self.secret_body_fields = pointers;
        self
    }

    /// The body parsed back from the exact bytes that would be sent, secrets redacted.
    pub fn body_json(&self) -> Option<serde_json::Value> {
        let bytes = self.body.as_ref()?;
        let mut value = match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(v) => v,
            Err(_) => serde_json::Value::String(String::from_utf8_lossy(bytes).into_owned()),
        };
        for pointer in self.secret_body_fields {
            // A `null` (a secret being cleared) holds no secret and is shown as it is.
            if let Some(field) = value.pointer_mut(pointer).filter(|f| !f.is_null()) {
                *field = serde_json::Value::String(REDACTED.to_owned());
            }
        }
        Some(value)
    }

    /// A displayable, serializable view with every secret redacted: for snapshots, dry runs and
    /// logs.
    pub fn render(&self) -> RenderedRequest {
        let mut headers = BTreeMap::new();
        for (name, value) in &self.header_map() {
            let shown = if value.is_sensitive() {
                REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            headers.insert(name.as_str().to_owned(), shown);
        }
        RenderedRequest {
            operation: self.operation,
            method: self.method.as_str().to_owned(),
            url: self.url.to_string(),
            path: self.url.path().to_owned(),
            query: self.url.query().map(str::to_owned),
            headers,
            body: self.body_json(),
        }
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rendered = self.render();
        f.debug_struct("PreparedRequest")
            .field("method", &rendered.method)
            .field("url", &rendered.url)
            .field("headers", &rendered.headers)
            .field("body", &rendered.body)
            .field("retry", &self.retry)
            .finish()
    }
}

impl fmt::Display for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render().fmt(f)
    }
}

/// A [`PreparedRequest`] as shown to people and snapshots: secrets replaced by `[redacted]`, the
/// body parsed from the exact bytes that would be sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RenderedRequest {
    /// The operation's short name.
    pub operation: &'static str,
    /// HTTP method.
    pub method: String,
    /// Full URL.
    pub url: String,
    /// The URL's path (percent-encoded as sent).
    pub path: String,
    /// The URL's query string, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Headers, secrets redacted.
    pub headers: BTreeMap<String, String>,
    /// The JSON body, secrets redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
}

impl fmt::Display for RenderedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        if let Some(body) = &self.body {
            let pretty = serde_json::to_string_pretty(body).map_err(|_| fmt::Error)?;
            writeln!(f)?;
            writeln!(f, "{pretty}")?;
        }
        Ok(())
    }
}

/// The shared headers of a request that has none: one empty map for every such request.
static NO_HEADERS: LazyLock<Arc<HeaderMap>> = LazyLock::new(|| Arc::new(HeaderMap::new()));

thread_local! {
    /// Where request bodies are serialized before being copied out at their exact size: it
    /// grows to the largest body once per thread instead of once per request.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `body` as JSON bytes in one allocation of the exact size (a `Vec` with spare capacity would
/// cost `Bytes` a second allocation for its shared header).
fn json_bytes<T: Serialize + ?Sized>(body: &T) -> Result<Bytes> {
    let write = |buf: &mut Vec<u8>| {
        buf.clear();
        let written = serde_json::to_writer(&mut *buf, body).map_err(|e| {
            Error::internal("the request body could not be serialized").with_source(e)
        });
        let out = written.map(|()| Bytes::copy_from_slice(buf));
        // The body may hold a secret (a portal password): it does not stay in the scratch.
        buf.fill(0);
        out
    };
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut buf) => {
            let out = write(&mut buf);
            // A rare huge body does not stay pinned in every thread.
            if buf.capacity() > 64 * 1024 {
                *buf = Vec::new();
            }
            out
        }
        // Only if a `Serialize` impl itself prepares a request: use a buffer of its own.
        Err(_) => write(&mut Vec::new()),
    })
}

/// A sensitive header value `prefix` + secret: never shown by `Debug` or
/// [`PreparedRequest::render`]. Build it once per client and reuse it.
pub fn secret_header_value(
    header: &str,
    prefix: &str,
    secret: &SecretString,
) -> Result<HeaderValue> {
    let mut value =
        HeaderValue::from_str(&format!("{prefix}{}", secret.expose_secret())).map_err(|_| {
            Error::config(format!(
                "the credential for header `{header}` is not a valid header value"
            ))
        })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Appends path segments to a base URL, percent-encoding each as one segment: a `/`, `?` or
/// space inside a site id or customer id never changes the path.
pub fn url_with_segments(base: &Url, segments: &[&str]) -> Result<Url> {
    let mut url = base.clone();
    {
        let mut path = url
            .path_segments_mut()
            .map_err(|_| Error::config(format!("`{base}` cannot be used as a base URL")))?;
        path.pop_if_empty();
        path.extend(segments);
    }
    Ok(url)
}

/// Parses a base URL given in configuration.
pub fn parse_base_url(value: &str, setting: &str) -> Result<Url> {
    let url = Url::parse(value.trim())
        .map_err(|e| Error::config(format!("{setting} `{value}` is not a valid URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(Error::config(format!(
            "{setting} `{value}` must be an http(s) URL"
        )));
    }
    Ok(url)
}

#[cfg(test)]
mod tests;
