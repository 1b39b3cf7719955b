//! Rebilly's answers: RFC 7807 problems (`application/problem+json`) — 400, 401, 404, 422
//! with `invalidFields[]{field, message}` (dot paths), 429, 500 — and paged lists.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::Store;
use crate::config::Provider;
use crate::state::{Ctx, Shared};
use crate::stats::Count;
use crate::util::{PROBLEM_JSON, json, json_with};

pub(super) const P: Provider = Provider::Rebilly;

/// An RFC 7807 problem answer.
pub(super) fn problem(status: StatusCode, slug: &str, title: &str, detail: &str) -> Response {
    json_with(
        status,
        PROBLEM_JSON,
        &json!({
            "type": format!("https://api.rebilly.com/errors/{slug}"),
            "title": title,
            "status": status.as_u16(),
            "detail": detail,
        }),
    )
}

/// 422 with `invalidFields`.
pub(super) fn validation(sh: &Shared, invalid: Vec<(String, String)>) -> Response {
    sh.count(P, Count::Rejected);
    let detail = invalid
        .iter()
        .map(|(f, m)| format!("{f}: {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    let fields: Vec<Value> = invalid
        .into_iter()
        .map(|(field, message)| json!({ "field": field, "message": message }))
        .collect();
    json_with(
        StatusCode::UNPROCESSABLE_ENTITY,
        PROBLEM_JSON,
        &json!({
            "type": "https://api.rebilly.com/errors/validation-error",
            "title": "Validation error",
            "status": 422,
            "detail": detail,
            "invalidFields": fields,
        }),
    )
}

/// 400 problem.
pub(super) fn bad_request(sh: &Shared, detail: &str) -> Response {
    sh.count(P, Count::Rejected);
    problem(
        StatusCode::BAD_REQUEST,
        "bad-request",
        "Bad Request",
        detail,
    )
}

/// 404 problem.
pub(super) fn not_found_problem(sh: &Shared, detail: &str) -> Response {
    sh.count(P, Count::Rejected);
    problem(StatusCode::NOT_FOUND, "not-found", "Not Found", detail)
}

/// Unknown path.
pub(super) async fn not_found(State(cx): State<Ctx<Store>>) -> Response {
    not_found_problem(&cx.sh, "No such resource.")
}

/// 401 problem.
pub(crate) fn unauthorized() -> Response {
    problem(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Unauthorized",
        "Invalid credentials: send a valid secret key in REB-APIKEY.",
    )
}

/// 500 problem (injected fault, or a write the data file could not take).
pub(crate) fn server_error() -> Response {
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal-server-error",
        "Internal Server Error",
        "An unexpected error occurred.",
    )
}

/// 429 problem with `X-RateLimit-*` headers; `retry_at_secs` is a UTC epoch time.
pub(crate) fn too_many(limit: Option<u32>, retry_at_secs: u64) -> Response {
    let mut r = problem(
        StatusCode::TOO_MANY_REQUESTS,
        "too-many-requests",
        "Rate Limit Exceeded",
        "Too many requests; retry after the time in X-RateLimit-Retry-After.",
    );
    let h = r.headers_mut();
    if let Some(limit) = limit {
        h.insert("x-ratelimit-limit", HeaderValue::from(limit));
    }
    h.insert("x-ratelimit-remaining", HeaderValue::from(0u32));
    h.insert("x-ratelimit-retry-after", HeaderValue::from(retry_at_secs));
    r
}

/// Adds a `Location` header.
pub(super) fn with_location(mut r: Response, url: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(url) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// A JSON array page with `Pagination-Total`, `Pagination-Limit` and `Pagination-Offset`.
pub(super) fn paged(page: Vec<Value>, total: usize, limit: usize, offset: usize) -> Response {
    let mut r = json(StatusCode::OK, &page);
    let h = r.headers_mut();
    h.insert("pagination-total", HeaderValue::from(total));
    h.insert("pagination-limit", HeaderValue::from(limit));
    h.insert("pagination-offset", HeaderValue::from(offset));
    r
}
