//! The inspector's JSON endpoints (documented on the [module](super)).

use std::collections::HashMap;
use std::sync::{Arc, PoisonError};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;
use serde_json::json;

use super::Inspector;
use super::log::{Filter, StatusFilter, Summary};
use crate::config::Provider;
use crate::util::json;

/// `/_sandbox/requests...` and `/_sandbox/records/{provider}/{kind}/history`.
pub(super) fn router(inspector: Arc<Inspector>) -> Router {
    Router::new()
        .route("/_sandbox/requests", get(list).delete(clear))
        .route("/_sandbox/requests/{id}", get(one))
        .route(
            "/_sandbox/records/{provider}/{kind}/history",
            get(histories),
        )
        .with_state(inspector)
}

fn bad_request(message: String) -> Response {
    json(StatusCode::BAD_REQUEST, &json!({ "error": message }))
}

/// A number from the query, or its default; an error message when it is not a number.
fn number(q: &HashMap<String, String>, name: &str, default: usize) -> Result<usize, String> {
    match q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|_| format!("{name} must be a whole number, not {s:?}")),
    }
}

async fn list(
    State(inspector): State<Arc<Inspector>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let provider = match q
        .get("provider")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(p) => match p.parse::<Provider>() {
            Ok(p) => Some(p),
            Err(_) => return bad_request(format!("unknown provider {p:?}")),
        },
    };
    let status = match q.get("status").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match StatusFilter::parse(s) {
            Some(f) => Some(f),
            None => {
                return bad_request(format!(
                    "status must be a code (404), a class (4xx) or fault, not {s:?}"
                ));
            }
        },
    };
    let limit = match number(&q, "limit", 50) {
        Ok(l) => l.clamp(1, 500),
        Err(e) => return bad_request(e),
    };
    let before = match number(&q, "before", 0) {
        Ok(0) => None,
        Ok(b) => Some(b as u64),
        Err(e) => return bad_request(e),
    };
    let filter = Filter {
        provider,
        status,
        external_id: q.get("external_id").cloned(),
    };
    json(StatusCode::OK, &inspector.log.page(&filter, before, limit))
}

/// One entry with its headers and bodies.
#[derive(Serialize)]
struct Detail<'a> {
    #[serde(flatten)]
    summary: Summary<'a>,
    request_headers: Vec<(String, String)>,
    response_headers: Vec<(String, String)>,
    request_body: String,
    response_body: String,
    request_bytes: u64,
    response_bytes: u64,
    request_truncated: bool,
    response_truncated: bool,
}

async fn one(State(inspector): State<Arc<Inspector>>, Path(id): Path<String>) -> Response {
    let Some(entry) = id.parse::<u64>().ok().and_then(|id| inspector.log.get(id)) else {
        return json(
            StatusCode::NOT_FOUND,
            &json!({ "error": "no such request (it may have left the ring)" }),
        );
    };
    json(
        StatusCode::OK,
        &Detail {
            summary: entry.summary(),
            request_headers: entry.request_headers.masked(),
            response_headers: entry.response_headers.masked(),
            request_body: entry.request_body.text(),
            response_body: entry.response_body.text(),
            request_bytes: entry.request_body.total,
            response_bytes: entry.response_body.total,
            request_truncated: entry.request_body.truncated(),
            response_truncated: entry.response_body.truncated(),
        },
    )
}

async fn clear(State(inspector): State<Arc<Inspector>>) -> Response {
    inspector.log.clear();
    json(StatusCode::OK, &json!({ "cleared": true }))
}

async fn histories(
    State(inspector): State<Arc<Inspector>>,
    Path((provider, kind)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let found = provider.parse::<Provider>().ok().and_then(|p| {
        p.kinds()
            .iter()
            .copied()
            .find(|k| *k == kind)
            .map(|k| (p, k))
    });
    let Some((provider, kind)) = found else {
        return json(
            StatusCode::NOT_FOUND,
            &json!({ "error": "unknown provider or record kind" }),
        );
    };
    let (offset, limit) = match (number(&q, "offset", 0), number(&q, "limit", 50)) {
        (Ok(o), Ok(l)) => (o, l.clamp(1, 200)),
        (Err(e), _) | (_, Err(e)) => return bad_request(e),
    };
    let reconciler = inspector.clone();
    let _ = tokio::task::spawn_blocking(move || {
        reconciler.reconcile_pending();
        reconciler.reconcile(provider, kind, &[], true);
    })
    .await;
    let page = inspector
        .histories
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .page(provider, kind, offset, limit);
    json(StatusCode::OK, &page)
}
