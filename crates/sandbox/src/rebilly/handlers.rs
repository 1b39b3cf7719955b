//! Rebilly's customer writes: `PUT /customers/{id}` (create with that id, or replace the
//! writable fields: a field left out is cleared, `createdTime` is kept and `revision` goes up
//! by one) and `POST /customers` (create with a generated id). 201 answers carry `Location`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use super::answers::{P, bad_request, server_error, validation, with_location};
use super::resource::{customer_resource, customer_url};
use super::store::Store;
use super::validation::{Invalid, check_customer, is_resource_id};
use super::{org_of, param};
use crate::record::Rec;
use crate::state::Ctx;
use crate::stats::Count;
use crate::util::{json_text, mix64, now_ms, parse_object, rfc3339};

/// `PUT /customers/{id}`.
pub(super) async fn put_customer(
    State(cx): State<Ctx<Store>>,
    Path(params): Path<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let org = org_of(&cx.sh, &params);
    let id = param(&params, "id");
    let mut invalid = Invalid::new();
    if !is_resource_id(&id) {
        invalid.push((
            "id".to_owned(),
            "This value is not valid: at most 50 characters of letters, digits, _ @ ~ - and ."
                .to_owned(),
        ));
    }
    write(&cx, org, Some(id), &body, invalid).await
}

/// `POST /customers` (also `/customers/`): a new customer with a generated id.
pub(super) async fn post_customer(
    State(cx): State<Ctx<Store>>,
    Path(params): Path<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let org = org_of(&cx.sh, &params);
    write(&cx, org, None, &body, Invalid::new()).await
}

/// Validates, then creates or replaces the customer, waits until it is durable and answers
/// 201 (created) or 200 (replaced) with the resource.
async fn write(
    cx: &Ctx<Store>,
    org: String,
    id: Option<String>,
    body: &[u8],
    mut invalid: Invalid,
) -> Response {
    let obj = match parse_object(body) {
        Ok(o) => o,
        Err(e) => return bad_request(&cx.sh, &e),
    };
    check_customer(&obj, &mut invalid);
    if !invalid.is_empty() {
        return validation(&cx.sh, invalid);
    }
    let now = now_ms();
    let base = cx.sh.rebilly_base();
    let (created, id, text, pending) = {
        let mut orgs = cx.store.lock();
        let o = orgs.entry(org.clone()).or_default();
        let id = id.unwrap_or_else(|| {
            let seq = cx.sh.next_seq();
            let mut n = seq;
            loop {
                let id = format!("cus_{:016x}", mix64(cx.sh.config.seed ^ n.rotate_left(23)));
                if !o.customers.contains_key(&id) {
                    return id;
                }
                n = n.wrapping_add(1 << 40);
            }
        });
        let created = !o.customers.contains_key(&id);
        let rec = o
            .customers
            .entry(id.clone())
            .or_insert_with(|| Rec::new(cx.sh.next_seq(), now, &Map::new()));
        let body = replaced(base, &org, &id, &obj, rec, now);
        rec.set(&body);
        let pending = cx.sh.save(P, "customer", &org, &id, rec);
        (created, id, rec.text().to_owned(), pending)
    };
    if pending.durable().await.is_err() {
        return server_error();
    }
    if created {
        cx.sh.count(P, Count::Created);
        let answer = json_text(StatusCode::CREATED, &text);
        with_location(answer, &customer_url(base, &org, &id))
    } else {
        cx.sh.count(P, Count::Updated);
        json_text(StatusCode::OK, &text)
    }
}

/// The customer after this write: writable fields from `obj`, `createdTime` kept (or now),
/// `revision` one more than before (0 on create).
fn replaced(
    base: &str,
    org: &str,
    id: &str,
    obj: &Map<String, Value>,
    rec: &Rec,
    now: u64,
) -> Map<String, Value> {
    let stamp = Value::String(rfc3339(now));
    let old = rec.object();
    let created_time = old
        .get("createdTime")
        .cloned()
        .unwrap_or_else(|| stamp.clone());
    let revision = old
        .get("revision")
        .and_then(Value::as_u64)
        .map_or(0, |r| r + 1);
    customer_resource(base, org, id, obj, &created_time, stamp, revision)
}
