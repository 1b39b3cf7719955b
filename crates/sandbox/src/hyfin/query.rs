//! Hyfin's reads: v4 `GET` of a customer (contacts embedded), contact and v3 payment by
//! `_id`, and the v3.1 `GET` of a customer by `external_id`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use super::answers::reject;
use super::store::{Site, Store};
use crate::record::Rec;
use crate::state::{Ctx, Shared};
use crate::util::{json, str_of};

/// The record `pick` chooses in `site`, as JSON.
fn find(
    cx: &Ctx<Store>,
    site: &str,
    pick: impl FnOnce(&Site) -> Option<&Rec>,
) -> Option<Map<String, Value>> {
    cx.store.lock().get(site).and_then(pick).map(Rec::object)
}

fn found_or_404(sh: &Shared, what: &str, id: &str, found: Option<Map<String, Value>>) -> Response {
    match found {
        Some(body) => json(StatusCode::OK, &body),
        None => reject(
            sh,
            StatusCode::NOT_FOUND,
            vec![format!("{what} {id} was not found")],
        ),
    }
}

/// `GET /api/v4/site/{site}/customer/{id}`: contact references come back with the contact
/// records embedded.
pub(super) async fn get_customer(
    State(cx): State<Ctx<Store>>,
    Path((site, id)): Path<(String, String)>,
) -> Response {
    let found = {
        let sites = cx.store.lock();
        sites.get(&site).and_then(|s| {
            let mut body = s.customers.get(&id)?.object();
            if let Some(Value::Array(refs)) = body.get_mut("contacts") {
                for r in refs.iter_mut() {
                    let Value::Object(m) = r else { continue };
                    let Some(contact) = str_of(m, "_id").and_then(|cid| s.contacts.get(cid)) else {
                        continue;
                    };
                    for (k, v) in contact.object() {
                        m.entry(k).or_insert(v);
                    }
                }
            }
            Some(body)
        })
    };
    found_or_404(&cx.sh, "customer", &id, found)
}

/// `GET /api/v3.1/site/{site}/customer/{external_id}`.
pub(super) async fn get_external_customer(
    State(cx): State<Ctx<Store>>,
    Path((site, external_id)): Path<(String, String)>,
) -> Response {
    let found = find(&cx, &site, |s| {
        let id = s.customer_ids.get(&external_id)?;
        s.customers.get(id)
    });
    found_or_404(&cx.sh, "customer with external_id", &external_id, found)
}

/// `GET /api/v4/site/{site}/contact/{id}`.
pub(super) async fn get_contact(
    State(cx): State<Ctx<Store>>,
    Path((site, id)): Path<(String, String)>,
) -> Response {
    let found = find(&cx, &site, |s| s.contacts.get(&id));
    found_or_404(&cx.sh, "contact", &id, found)
}

/// `GET /api/v3/site/{site}/payment/{id}`.
pub(super) async fn get_payment(
    State(cx): State<Ctx<Store>>,
    Path((site, id)): Path<(String, String)>,
) -> Response {
    let found = find(&cx, &site, |s| s.payments.get(&id));
    found_or_404(&cx.sh, "payment", &id, found)
}
