//! The admin endpoints under `/_sandbox` (no auth, never faulted): stats, faults, reset, the
//! stored records and the request log.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::json;

use crate::config::Provider;
use crate::faults::Faults;
use crate::server::App;
use crate::util::json;

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

/// The `/_sandbox/...` routes.
pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/_sandbox/stats", get(stats))
        .route("/_sandbox/faults", post(set_faults).get(get_faults))
        .route("/_sandbox/reset", post(reset))
        .route("/_sandbox/records/{provider}/{kind}", get(records))
}
