//! The page's static files, embedded in the binary.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

const INDEX_HTML: &str = include_str!("../../assets/inspector/index.html");
const APP_JS: &str = include_str!("../../assets/inspector/app.js");
const STYLE_CSS: &str = include_str!("../../assets/inspector/style.css");

/// `/_sandbox/` (the page), its script and its style sheet.
pub(super) fn router() -> Router {
    Router::new()
        .route(
            "/_sandbox",
            get(|| async { Redirect::permanent("/_sandbox/") }),
        )
        .route(
            "/_sandbox/",
            get(|| async { file(INDEX_HTML, "text/html; charset=utf-8") }),
        )
        .route(
            "/_sandbox/inspector.js",
            get(|| async { file(APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/_sandbox/inspector.css",
            get(|| async { file(STYLE_CSS, "text/css; charset=utf-8") }),
        )
}

fn file(text: &'static str, content_type: &'static str) -> Response {
    let mut resp = text.into_response();
    let headers = resp.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:"),
    );
    resp
}
