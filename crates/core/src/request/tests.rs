//! Unit tests of prepared requests: URL segments, bodies, secrets, shared and own headers.

use super::*;
use reqwest::header::AUTHORIZATION;

#[test]
fn segments_are_encoded_one_each() {
    let base = Url::parse("https://h.example/base/").unwrap();
    let url = url_with_segments(&base, &["site", "a/b c?d", "x"]).unwrap();
    assert_eq!(url.as_str(), "https://h.example/base/site/a%2Fb%20c%3Fd/x");
}

#[test]
fn a_body_that_cannot_be_serialized_is_an_internal_error_not_invalid_input() {
    // JSON object keys must be strings: a map keyed by pairs cannot be written.
    let body: BTreeMap<(u8, u8), u8> = BTreeMap::from([((1, 2), 3)]);
    let err = PreparedRequest::new(
        Method::POST,
        Url::parse("https://h.example/x").unwrap(),
        "x",
        RetrySafety::Idempotent,
    )
    .with_json(&body)
    .unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Internal);
    assert!(err.field_errors().is_empty());
    assert_eq!(err.attempts(), 0);
}

#[test]
fn secrets_never_render() {
    let req = PreparedRequest::new(
        Method::POST,
        Url::parse("https://h.example/x").unwrap(),
        "x",
        RetrySafety::Idempotent,
    )
    .with_secret_header(AUTHORIZATION, "Bearer ", &SecretString::from("tok-123"))
    .unwrap()
    .with_json(&serde_json::json!({"user": "u", "pw": "hunter2"}))
    .unwrap()
    .with_secret_body_fields(&["/pw"]);
    for shown in [
        format!("{req}"),
        format!("{req:?}"),
        serde_json::to_string(&req.render()).unwrap(),
    ] {
        assert!(
            !shown.contains("tok-123") && !shown.contains("hunter2"),
            "{shown}"
        );
        assert!(shown.contains(REDACTED));
    }
    // The bytes that are sent still carry the real values.
    assert!(String::from_utf8_lossy(req.body.as_ref().unwrap()).contains("hunter2"));
}

#[test]
fn own_headers_join_and_replace_the_shared_ones() {
    let mut shared = HeaderMap::new();
    let token = secret_header_value("token", "", &SecretString::from("tok-9")).unwrap();
    shared.append(HeaderName::from_static("token"), token);
    shared.append(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    let shared = Arc::new(shared);
    let req = PreparedRequest::new(
        Method::POST,
        Url::parse("https://h.example/x").unwrap(),
        "x",
        RetrySafety::Idempotent,
    )
    .with_shared_headers(Arc::clone(&shared))
    .with_header_value(
        HeaderName::from_static("key"),
        HeaderValue::from_static("k-1"),
    )
    .with_header_value(
        HeaderName::from_static("key"),
        HeaderValue::from_static("k-2"),
    )
    .with_json(&serde_json::json!({}))
    .unwrap();
    // `with_json` set the request's own content type, which replaces the shared one.
    let sent = req.header_map();
    assert_eq!(sent.len(), 4);
    // A second own value of a name is added to the first, not replacing it.
    assert_eq!(
        sent.get_all("key").iter().collect::<Vec<_>>(),
        [
            &HeaderValue::from_static("k-1"),
            &HeaderValue::from_static("k-2")
        ]
    );
    assert_eq!(sent.get_all(CONTENT_TYPE).iter().count(), 1);
    assert_eq!(sent[CONTENT_TYPE], "application/json");
    assert_eq!(sent["key"], "k-1");
    assert_eq!(sent["token"], "tok-9");
    assert!(sent["token"].is_sensitive());
    assert_eq!(req.header("content-type").unwrap(), "application/json");
    assert_eq!(req.header("token").unwrap(), "tok-9");
    assert!(req.header("other").is_none());
    // The shared map itself is untouched, and every header renders, the token redacted.
    assert_eq!(shared[CONTENT_TYPE], "text/plain");
    let shown = req.render().headers;
    assert_eq!(
        shown.keys().map(String::as_str).collect::<Vec<_>>(),
        ["content-type", "key", "token"]
    );
    assert_eq!(shown["token"], REDACTED);
}
