//! Hyfin's external-id customer API: `POST /api/v3/site/{site}/customer/addUpdate` (also
//! v3.1, and the 4.0s body on the v4 path), keyed by `external_id`: a known value updates
//! that customer (merging the sent fields), a new one adds a customer. `active` defaults to
//! `true` on add, as documented.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use super::answers::reject;
use super::handlers::{answer, put, save};
use super::store::Store;
use super::validation::{self, Errors};
use crate::state::Ctx;
use crate::util::{absent, parse_object};

/// `POST /api/v3/site/{site}/customer/addUpdate` and the v3.1 path.
pub(super) async fn add_update(
    State(cx): State<Ctx<Store>>,
    Path(site): Path<String>,
    body: Bytes,
) -> Response {
    match parse_object(&body) {
        Ok(obj) => upsert(&cx, &site, obj).await,
        Err(e) => reject(&cx.sh, StatusCode::BAD_REQUEST, vec![e]),
    }
}

/// Adds or updates the customer with the body's `external_id`.
pub(super) async fn upsert(cx: &Ctx<Store>, site: &str, mut obj: Map<String, Value>) -> Response {
    let mut errors = Errors::new();
    let external_id = validation::check_external_customer(&obj, &mut errors);
    let Some(external_id) = external_id.filter(|_| errors.is_empty()) else {
        return reject(&cx.sh, StatusCode::BAD_REQUEST, errors);
    };
    obj.remove("_id");
    let (action, id, pending) = {
        let mut sites = cx.store.lock();
        let store = sites.entry(site.to_owned()).or_default();
        let known = store.customer_ids.get(&external_id).cloned();
        let (action, id) = put(&cx.sh, &mut store.customers, known, obj, |obj| {
            if absent(obj, "active") && absent(obj, "deleted") {
                obj.insert("active".to_owned(), Value::Bool(true));
            }
        });
        store.customer_ids.insert(external_id, id.clone());
        let pending = save(&cx.sh, &store.customers, "customer", site, &id);
        (action, id, pending)
    };
    answer(&cx.sh, pending, action, &id).await
}
