//! Hyfin's `_id`-keyed writes: v4 `customer/addUpdate` and `contact/addUpdate`, and the v3
//! `payment/addUpdate` (upsert by `external_id`). An update merges the sent top-level fields
//! into the stored record.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use super::answers::{P, finish, reject, server_error};
use super::external;
use super::store::{Site, Store};
use super::validation::{self, Errors};
use crate::record::Rec;
use crate::state::{Ctx, Pending, Shared};
use crate::stats::Count;
use crate::util::{absent, now_ms, parse_object, rfc3339, str_of};

/// Waits until the write is durable, then counts it and answers.
async fn respond(sh: &Shared, pending: Pending, action: Count, id: &str) -> Response {
    match pending.durable().await {
        Ok(()) => finish(sh, action, id),
        Err(_) => server_error(),
    }
}

/// Merges `obj` (without `_id`) into a stored record and stamps `updated_at`.
fn merge(rec: &mut Rec, mut obj: Map<String, Value>, stamp: &str) {
    obj.remove("_id");
    let mut body = rec.object();
    body.extend(obj);
    body.insert("updated_at".to_owned(), Value::String(stamp.to_owned()));
    rec.set(&body);
}

/// Stamps a new record with its `_id` and times.
fn stamp_new(obj: &mut Map<String, Value>, id: &str, stamp: &str) {
    obj.insert("_id".to_owned(), Value::String(id.to_owned()));
    obj.insert("created_at".to_owned(), Value::String(stamp.to_owned()));
    obj.insert("updated_at".to_owned(), Value::String(stamp.to_owned()));
}

/// Merges `obj` into the record `known` names in `records`, or, when there is none, stores it
/// as a new record with a fresh `_id` after `defaults` filled it in; what was done and the id.
pub(super) fn put(
    sh: &Shared,
    records: &mut HashMap<String, Rec>,
    known: Option<String>,
    mut obj: Map<String, Value>,
    defaults: impl FnOnce(&mut Map<String, Value>),
) -> (Count, String) {
    let now = now_ms();
    let stamp = rfc3339(now);
    match known.and_then(|id| records.get_mut(&id).map(|r| (id, r))) {
        Some((id, rec)) => {
            merge(rec, obj, &stamp);
            (Count::Updated, id)
        }
        None => {
            let seq = sh.next_seq();
            let id = sh.hex_id(seq, |id| records.contains_key(id));
            defaults(&mut obj);
            stamp_new(&mut obj, &id, &stamp);
            records.insert(id.clone(), Rec::new(seq, now, &obj));
            (Count::Created, id)
        }
    }
}

/// Starts saving record `id` of `records` (a `kind` of `site`); `None` when it is not there.
pub(super) fn save(
    sh: &Shared,
    records: &HashMap<String, Rec>,
    kind: &'static str,
    site: &str,
    id: &str,
) -> Option<Pending> {
    records.get(id).map(|r| sh.save(P, kind, site, id, r))
}

/// Answers once the save has made the write durable.
pub(super) async fn answer(
    sh: &Shared,
    pending: Option<Pending>,
    action: Count,
    id: &str,
) -> Response {
    match pending {
        Some(p) => respond(sh, p, action, id).await,
        None => server_error(),
    }
}

/// The references of a customer that do not resolve in `site`.
fn unresolved(
    site: Option<&Site>,
    obj: &Map<String, Value>,
    id: Option<&str>,
    refs: &[(usize, String)],
) -> Errors {
    let mut errors = Errors::new();
    let has_customer = |c: &str| site.is_some_and(|s| s.customers.contains_key(c));
    if let Some(id) = id.filter(|id| !has_customer(id)) {
        errors.push(format!("customer _id {id} was not found"));
    }
    for (i, r) in refs {
        if !site.is_some_and(|s| s.contacts.contains_key(r)) {
            errors.push(format!("contacts[{i}]._id {r} was not found"));
        }
    }
    if let Some(parent) = str_of(obj, "parent_customer").filter(|p| !p.is_empty())
        && (id == Some(parent) || !has_customer(parent))
    {
        errors.push(format!(
            "invalid parent_customer: customer {parent} was not found"
        ));
    }
    errors
}

/// `POST /api/v4/site/{site}/customer/addUpdate`.
pub(super) async fn customer_add_update(
    State(cx): State<Ctx<Store>>,
    Path(site): Path<String>,
    body: Bytes,
) -> Response {
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return reject(&cx.sh, StatusCode::BAD_REQUEST, vec![e]),
    };
    if obj.contains_key("external_id") {
        // The 4.0s docs send the external-id body to this same path.
        return external::upsert(&cx, &site, obj).await;
    }
    let mut errors = Errors::new();
    let (id, refs) = validation::check_customer(&obj, &mut errors);
    if !errors.is_empty() {
        return reject(&cx.sh, StatusCode::BAD_REQUEST, errors);
    }
    let (action, id, pending) = {
        let mut sites = cx.store.lock();
        let errors = unresolved(sites.get(&site), &obj, id.as_deref(), &refs);
        if !errors.is_empty() {
            drop(sites);
            return reject(&cx.sh, StatusCode::BAD_REQUEST, errors);
        }
        let store = sites.entry(site.clone()).or_default();
        let (action, id) = put(&cx.sh, &mut store.customers, id, obj, |_| {});
        let pending = save(&cx.sh, &store.customers, "customer", &site, &id);
        (action, id, pending)
    };
    answer(&cx.sh, pending, action, &id).await
}

/// `POST /api/v4/site/{site}/contact/addUpdate`.
pub(super) async fn contact_add_update(
    State(cx): State<Ctx<Store>>,
    Path(site): Path<String>,
    body: Bytes,
) -> Response {
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return reject(&cx.sh, StatusCode::BAD_REQUEST, vec![e]),
    };
    let mut errors = Errors::new();
    let id = validation::id_field(&obj, &mut errors);
    validation::check_contact(&obj, &mut errors);
    if !errors.is_empty() {
        return reject(&cx.sh, StatusCode::BAD_REQUEST, errors);
    }
    let (action, id, pending) = {
        let mut sites = cx.store.lock();
        if let Some(id) = &id
            && !sites
                .get(&site)
                .is_some_and(|s| s.contacts.contains_key(id))
        {
            drop(sites);
            let errors = vec![format!("contact _id {id} was not found")];
            return reject(&cx.sh, StatusCode::BAD_REQUEST, errors);
        }
        let store = sites.entry(site.clone()).or_default();
        let (action, id) = put(&cx.sh, &mut store.contacts, id, obj, contact_defaults);
        let pending = save(&cx.sh, &store.contacts, "contact", &site, &id);
        (action, id, pending)
    };
    answer(&cx.sh, pending, action, &id).await
}

/// A new contact's documented defaults: `display_name` is first + last, `language` `en`.
fn contact_defaults(obj: &mut Map<String, Value>) {
    if absent(obj, "display_name") {
        let first = str_of(obj, "first_name").unwrap_or("");
        let last = str_of(obj, "last_name").unwrap_or("");
        let name = format!("{first} {last}").trim().to_owned();
        obj.insert("display_name".to_owned(), Value::String(name));
    }
    if absent(obj, "language") {
        obj.insert("language".to_owned(), Value::String("en".to_owned()));
    }
}

/// `POST /api/v3/site/{site}/payment/addUpdate`: upsert by `external_id`.
pub(super) async fn payment_add_update(
    State(cx): State<Ctx<Store>>,
    Path(site): Path<String>,
    body: Bytes,
) -> Response {
    let mut obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return reject(&cx.sh, StatusCode::BAD_REQUEST, vec![e]),
    };
    let mut errors = Errors::new();
    let external_id = validation::check_payment(&obj, &mut errors);
    let Some(external_id) = external_id.filter(|_| errors.is_empty()) else {
        return reject(&cx.sh, StatusCode::BAD_REQUEST, errors);
    };
    obj.remove("_id");
    let (action, id, pending) = {
        let mut sites = cx.store.lock();
        let store = sites.entry(site.clone()).or_default();
        let known = store.payment_ids.get(&external_id).cloned();
        let (action, id) = put(&cx.sh, &mut store.payments, known, obj, payment_defaults);
        store.payment_ids.insert(external_id, id.clone());
        let pending = save(&cx.sh, &store.payments, "payment", &site, &id);
        (action, id, pending)
    };
    answer(&cx.sh, pending, action, &id).await
}

/// A new payment's defaults: `status` `captured`, `active` `true`.
fn payment_defaults(obj: &mut Map<String, Value>) {
    if absent(obj, "status") {
        obj.insert("status".to_owned(), Value::String("captured".to_owned()));
    }
    if absent(obj, "active") {
        obj.insert("active".to_owned(), Value::Bool(true));
    }
}
