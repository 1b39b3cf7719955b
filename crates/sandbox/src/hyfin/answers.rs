//! Hyfin's answers: `{"success":true,"action":..,"_id":..}` and
//! `{"success":false,"errors":[...]}`.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::json;

use super::Store;
use crate::config::Provider;
use crate::state::{Ctx, Shared};
use crate::stats::Count;
use crate::util::json;

pub(super) const P: Provider = Provider::Hyfin;

/// `{"success":false,"errors":[...]}`.
pub(super) fn failure(status: StatusCode, errors: Vec<String>) -> Response {
    json(status, &json!({ "success": false, "errors": errors }))
}

/// A refusal, counted as rejected.
pub(super) fn reject(sh: &Shared, status: StatusCode, errors: Vec<String>) -> Response {
    sh.count(P, Count::Rejected);
    failure(status, errors)
}

/// Unknown path.
pub(super) async fn not_found(State(cx): State<Ctx<Store>>) -> Response {
    reject(&cx.sh, StatusCode::NOT_FOUND, vec!["not found".to_owned()])
}

/// 401 body.
pub(crate) fn unauthorized() -> Response {
    failure(
        StatusCode::UNAUTHORIZED,
        vec!["Unauthorized: missing or invalid API access token".to_owned()],
    )
}

/// 500 body (injected fault, or a write the data file could not take).
pub(crate) fn server_error() -> Response {
    failure(
        StatusCode::INTERNAL_SERVER_ERROR,
        vec!["Internal server error".to_owned()],
    )
}

/// 429 body with `Retry-After` in seconds.
pub(crate) fn too_many(retry_after_secs: u64) -> Response {
    let mut r = failure(
        StatusCode::TOO_MANY_REQUESTS,
        vec!["Too many requests".to_owned()],
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    r
}

/// Counts the write and answers `added` or `updated`.
pub(super) fn finish(sh: &Shared, action: Count, id: &str) -> Response {
    sh.count(P, action);
    let action = if matches!(action, Count::Created) {
        "added"
    } else {
        "updated"
    };
    json(
        StatusCode::OK,
        &json!({ "success": true, "action": action, "_id": id }),
    )
}
