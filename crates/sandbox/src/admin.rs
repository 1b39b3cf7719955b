//! The admin endpoints under `/_sandbox` (no auth, never faulted): stats, faults, reset, the
//! stored records and the request log.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::json;

use crate::config::Provider;
use crate::faults::Faults;
use crate::requests::Page;
use crate::server::App;
use crate::util::{json, query_pairs};

async fn stats(State(app): State<Arc<App>>) -> Response {
    json(StatusCode::OK, &app.shared.stats())
}

async fn get_faults(State(app): State<Arc<App>>) -> Response {
    json(StatusCode::OK, &app.control.faults())
}

async fn set_faults(State(app): State<Arc<App>>, body: Bytes) -> Response {
    match serde_json::from_slice::<Faults>(&body) {
        Ok(f) => {
            app.control.set_faults(f);
            json(StatusCode::OK, &app.control.faults())
        }
        Err(e) => json(
            StatusCode::BAD_REQUEST,
            &json!({ "error": format!("not a Faults object: {e}") }),
        ),
    }
}

async fn reset(State(app): State<Arc<App>>) -> Response {
    app.reset();
    json(StatusCode::OK, &json!({ "reset": true }))
}

async fn records(
    State(app): State<Arc<App>>,
    Path((provider, kind)): Path<(String, String)>,
) -> Response {
    match provider.parse::<Provider>() {
        Ok(p) if p.kinds().contains(&kind.as_str()) => json(StatusCode::OK, &app.records(p, &kind)),
        _ => json(
            StatusCode::NOT_FOUND,
            &json!({ "error": "unknown provider or record kind" }),
        ),
    }
}

/// `GET /_sandbox/requests?limit=&before=&provider=&status=`: the request log, newest first.
async fn requests(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Response {
    let mut page = Page {
        limit: 50,
        ..Page::default()
    };
    for (k, v) in query_pairs(query.as_deref().unwrap_or("")) {
        let bad = |what: &str| {
            json(
                StatusCode::BAD_REQUEST,
                &json!({ "error": format!("{k}: {what}, not `{v}`") }),
            )
        };
        match &*k {
            "limit" => match v.parse::<usize>() {
                Ok(n) if (1..=1000).contains(&n) => page.limit = n,
                _ => return bad("a number from 1 to 1000"),
            },
            "before" => match v.parse::<u64>() {
                Ok(n) => page.before = Some(n),
                Err(_) => return bad("a request id"),
            },
            "provider" => match v.parse::<Provider>() {
                Ok(p) => page.provider = Some(p),
                Err(_) => return bad("hyfin, rebilly or payabli"),
            },
            "status" => match parse_status(&v) {
                Some(s) => page.status = Some(s),
                None => return bad("a status such as 201 or a class such as 4xx"),
            },
            _ => {}
        }
    }
    let (entries, total, next) = app.requests.page(&page);
    json(
        StatusCode::OK,
        &json!({ "total": total, "requests": entries, "next_before": next }),
    )
}

/// `201` (exact) or `4xx` (a class).
fn parse_status(v: &str) -> Option<(u16, bool)> {
    let v = v.trim().to_ascii_lowercase();
    match v.strip_suffix("xx") {
        Some(class) => class
            .parse::<u16>()
            .ok()
            .filter(|c| (1..=5).contains(c))
            .map(|c| (c, true)),
        None => v.parse::<u16>().ok().map(|s| (s, false)),
    }
}

/// `GET /_sandbox/requests/{id}`.
async fn request(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    match id.parse::<u64>().ok().and_then(|id| app.requests.get(id)) {
        Some(e) => json(StatusCode::OK, &e),
        None => json(
            StatusCode::NOT_FOUND,
            &json!({ "error": format!("no request {id} in the log") }),
        ),
    }
}

/// The `/_sandbox/...` routes.
pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/_sandbox/stats", get(stats))
        .route("/_sandbox/faults", post(set_faults).get(get_faults))
        .route("/_sandbox/reset", post(reset))
        .route("/_sandbox/records/{provider}/{kind}", get(records))
        .route("/_sandbox/requests", get(requests))
        .route("/_sandbox/requests/{id}", get(request))
}
