//! Hyfin's external-id customer API: `POST /api/v3/site/{site}/customer/addUpdate` (also
//! v3.1, and the 4.0s body on the v4 path), keyed by `external_id`: a known value updates
//! that customer (merging the sent fields), a new one adds a customer. `active` defaults to
//! `true` on add, as documented.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use super::answers::{P, reject, server_error};
use super::handlers::{merge, respond, stamp_new};
use super::store::Store;
use super::validation::{self, Errors};
use crate::record::Rec;
use crate::state::Ctx;
use crate::stats::Count;
use crate::util::{absent, now_ms, parse_object, rfc3339};

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
    let now = now_ms();
    let stamp = rfc3339(now);
    obj.remove("_id");
    let (action, id, pending) = {
        let mut sites = cx.store.lock();
        let store = sites.entry(site.to_owned()).or_default();
        let known = store.customer_ids.get(&external_id).cloned();
        let (action, id) = match known.and_then(|id| store.customers.get_mut(&id).map(|r| (id, r)))
        {
            Some((id, rec)) => {
                merge(rec, obj, &stamp);
                (Count::Updated, id)
            }
            None => {
                let seq = cx.sh.next_seq();
                let id = cx.sh.hex_id(seq, |id| store.customers.contains_key(id));
                if absent(&obj, "active") && absent(&obj, "deleted") {
                    obj.insert("active".to_owned(), Value::Bool(true));
                }
                stamp_new(&mut obj, &id, &stamp);
                store.customer_ids.insert(external_id, id.clone());
                store.customers.insert(id.clone(), Rec::new(seq, now, &obj));
                (Count::Created, id)
            }
        };
        let pending = store
            .customers
            .get(&id)
            .map(|r| cx.sh.save(P, "customer", site, &id, r));
        (action, id, pending)
    };
    match pending {
        Some(p) => respond(&cx.sh, p, action, &id).await,
        None => server_error(),
    }
}
