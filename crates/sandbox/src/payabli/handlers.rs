//! Payabli's customer writes: `POST /Customer/single/{entry}` (create; a `customerNumber`
//! already in the entrypoint is a 409 unless `replaceExisting=1` replaces that record or
//! `forceCustomerCreation=true` adds another), `PUT /Customer/{id}` (only the fields sent
//! change; `null` clears) and `DELETE /Customer/{id}`. A reused `idempotencyKey` (remembered
//! only for writes that succeeded) within the window is a 409.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::answers::{
    CODE_ENTRY, CODE_ERROR, CODE_OK, CODE_PARAM, P, customer_not_found, duplicated_key, envelope,
    invalid, malformed, reject, server_error,
};
use super::customer::{apply, new_record};
use super::store::{Inner, Store};
use super::validation::{Problems, check_fields, non_blank, parse_flag};
use crate::record::Rec;
use crate::state::{Ctx, Pending, Shared};
use crate::stats::Count;
use crate::util::{chars, now_ms, parse_object, query_pairs, rfc3339};

/// `forceCustomerCreation` and `replaceExisting` of a create.
fn create_flags(query: Option<&str>) -> Result<(bool, bool), (i64, String)> {
    let (mut force, mut replace) = (false, false);
    for (k, v) in query_pairs(query.unwrap_or("")) {
        if k.eq_ignore_ascii_case("forceCustomerCreation") {
            force = parse_flag(&v).ok_or_else(|| {
                (
                    CODE_PARAM,
                    format!("forceCustomerCreation `{v}` is not a boolean"),
                )
            })?;
        } else if k.eq_ignore_ascii_case("replaceExisting") {
            replace = match v.trim() {
                "0" | "" => false,
                "1" => true,
                _ => return Err((CODE_PARAM, format!("replaceExisting `{v}` must be 0 or 1"))),
            };
        }
    }
    Ok((force, replace))
}

fn idempotency_key(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("idempotencykey")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty())
}

/// Whether `key` was used by a successful write within the window (pruning old keys).
fn key_seen(inner: &mut Inner, key: Option<&str>, now: Instant, cx: &Ctx<Store>) -> bool {
    let window = cx.sh.config.payabli_idempotency_window;
    inner.prune_keys(now, window);
    key.is_some_and(|k| inner.key_seen(k, now, window))
}

/// The body as a JSON object whose fields pass the documented checks, or the answer that
/// says why not.
fn checked_object(sh: &Shared, body: &[u8]) -> Result<Map<String, Value>, Box<Response>> {
    let obj = parse_object(body).map_err(|e| Box::new(malformed(sh, &e)))?;
    let mut problems = Problems::new();
    check_fields(&obj, &mut problems);
    if problems.is_empty() {
        Ok(obj)
    } else {
        Err(Box::new(invalid(sh, problems)))
    }
}

/// Waits until the write is durable, then counts it and answers.
async fn answer(cx: &Ctx<Store>, pending: Pending, count: Count, data: Value) -> Response {
    if pending.durable().await.is_err() {
        return server_error();
    }
    cx.sh.count(P, count);
    envelope(StatusCode::OK, true, CODE_OK, "Success", data)
}

/// `POST /Customer/single/{entry}`.
pub(super) async fn create_customer(
    State(cx): State<Ctx<Store>>,
    Path(entry): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if entry.is_empty() || chars(&entry) > 50 {
        let why = "The entrypoint must have 1 to 50 characters.";
        let (code, status) = (CODE_ENTRY, StatusCode::BAD_REQUEST);
        return reject(
            &cx.sh,
            status,
            code,
            "Invalid entrypoint",
            why,
            "Check the entry in the URL.",
        );
    }
    let (force, replace) = match create_flags(query.as_deref()) {
        Ok(f) => f,
        Err(p) => return invalid(&cx.sh, vec![p]),
    };
    let key = idempotency_key(&headers);
    if key_seen(&mut cx.store.lock(), key, Instant::now(), &cx) {
        return duplicated_key(&cx.sh, key.unwrap_or_default());
    }
    let obj = match checked_object(&cx.sh, &body) {
        Ok(o) => o,
        Err(answer) => return *answer,
    };
    let identified = non_blank(&obj, "customerNumber")
        || non_blank(&obj, "email")
        || (non_blank(&obj, "firstname") && non_blank(&obj, "lastname"));
    if !identified {
        let why =
            "A customer needs an identifier: customerNumber, email, or firstname and lastname.";
        let text = "Invalid customer identifiers";
        let todo = "Send at least one identifier field.";
        return reject(&cx.sh, StatusCode::BAD_REQUEST, CODE_PARAM, text, why, todo);
    }
    match write_new(&cx, &entry, &obj, key, force, replace) {
        Ok((count, record, pending)) => answer(&cx, pending, count, record).await,
        Err(refused) => *refused,
    }
}

/// The locked part of a create: matches, writes and queues the record for the data file.
fn write_new(
    cx: &Ctx<Store>,
    entry: &str,
    obj: &Map<String, Value>,
    key: Option<&str>,
    force: bool,
    replace: bool,
) -> Result<(Count, Value, Pending), Box<Response>> {
    let now_ms = now_ms();
    let now = Value::String(rfc3339(now_ms));
    let number = obj
        .get("customerNumber")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty());
    let mut inner = cx.store.lock();
    // Checked again under the same lock as the write, so two concurrent requests with one key
    // cannot both write.
    if key_seen(&mut inner, key, Instant::now(), cx) {
        return Err(Box::new(duplicated_key(&cx.sh, key.unwrap_or_default())));
    }
    let matched = match (force, number) {
        (false, Some(n)) => inner.entries.get(entry).and_then(|e| e.find_number(n)),
        _ => None,
    };
    let (count, id) = match matched {
        Some(id) if !replace => return Err(Box::new(exists(cx, number.unwrap_or_default(), id))),
        Some(id) => {
            // replaceExisting=1: the matched record is replaced by the new one (same id).
            let e = inner.entries.entry(entry.to_owned()).or_default();
            if let Some(rec) = e.customers.get_mut(&id) {
                let created = rec.field("Created").unwrap_or(Value::Null);
                let mut body = new_record(id, entry, obj, &now);
                body.insert("Created".to_owned(), created);
                rec.set(&body);
            }
            (Count::Updated, id)
        }
        None => {
            let id = inner.last_id + 1;
            inner.last_id = id;
            inner.ids.insert(id, entry.to_owned());
            let e = inner.entries.entry(entry.to_owned()).or_default();
            e.index(number, id);
            let rec = Rec::new(cx.sh.next_seq(), now_ms, &new_record(id, entry, obj, &now));
            e.customers.insert(id, rec);
            (Count::Created, id)
        }
    };
    if let Some(key) = key {
        inner.remember_key(key, Instant::now());
    }
    let Some(rec) = inner.entries.get(entry).and_then(|e| e.customers.get(&id)) else {
        return Err(Box::new(customer_not_found(&cx.sh, &id.to_string())));
    };
    let pending = cx.sh.save(P, "customer", entry, &id.to_string(), rec);
    Ok((count, rec.value(), pending))
}

/// 409: the `customerNumber` is already in the entrypoint.
fn exists(cx: &Ctx<Store>, number: &str, id: i64) -> Response {
    cx.sh.count(P, Count::Rejected);
    envelope(
        StatusCode::CONFLICT,
        false,
        CODE_ERROR,
        "Customer already exists",
        json!({
            "explanation": format!("A customer with customerNumber {number} already exists in this entrypoint."),
            "todoAction": "Update customer with PUT /Customer/{customerId}, or send replaceExisting=1 or forceCustomerCreation=true.",
            "customerId": id,
        }),
    )
}

/// `PUT /Customer/{id}`.
pub(super) async fn update_customer(
    State(cx): State<Ctx<Store>>,
    Path(id_text): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(id) = id_text.trim().parse::<i64>() else {
        return customer_not_found(&cx.sh, &id_text);
    };
    let key = idempotency_key(&headers);
    let obj = match checked_object(&cx.sh, &body) {
        Ok(o) => o,
        Err(answer) => return *answer,
    };
    let now = Value::String(rfc3339(now_ms()));
    let pending = {
        let mut inner = cx.store.lock();
        let started = Instant::now();
        if key_seen(&mut inner, key, started, &cx) {
            drop(inner);
            return duplicated_key(&cx.sh, key.unwrap_or_default());
        }
        let entry_name = inner.ids.get(&id).cloned().unwrap_or_default();
        let Some(entry) = inner.entries.get_mut(&entry_name) else {
            drop(inner);
            return customer_not_found(&cx.sh, &id_text);
        };
        let Some(rec) = entry.customers.get_mut(&id) else {
            drop(inner);
            return customer_not_found(&cx.sh, &id_text);
        };
        let mut body = rec.object();
        let old_number = body
            .get("customerNumber")
            .and_then(Value::as_str)
            .map(str::to_owned);
        apply(&mut body, &obj, &now);
        rec.set(&body);
        let pending = cx.sh.save(P, "customer", &entry_name, &id.to_string(), rec);
        let new_number = body.get("customerNumber").and_then(Value::as_str);
        if old_number.as_deref() != new_number {
            entry.unindex(old_number.as_deref(), id);
            entry.index(new_number, id);
        }
        if let Some(key) = key {
            inner.remember_key(key, started);
        }
        pending
    };
    answer(&cx, pending, Count::Updated, json!(" ")).await
}

/// `DELETE /Customer/{id}`: 200 with the deleted `customerId` in `responseData`.
pub(super) async fn delete_customer(
    State(cx): State<Ctx<Store>>,
    Path(id_text): Path<String>,
) -> Response {
    let Ok(id) = id_text.trim().parse::<i64>() else {
        return customer_not_found(&cx.sh, &id_text);
    };
    let pending = {
        let mut inner = cx.store.lock();
        let entry_name = inner.ids.get(&id).cloned().unwrap_or_default();
        let Some(rec) = inner
            .entries
            .get_mut(&entry_name)
            .and_then(|e| e.customers.remove(&id).map(|r| (e, r)))
            .map(|(e, r)| {
                let number = r.field("customerNumber");
                e.unindex(number.as_ref().and_then(Value::as_str), id);
                r
            })
        else {
            drop(inner);
            return customer_not_found(&cx.sh, &id_text);
        };
        drop(rec);
        inner.ids.remove(&id);
        cx.sh.delete(P, "customer", &entry_name, &id.to_string())
    };
    if pending.durable().await.is_err() {
        return server_error();
    }
    envelope(StatusCode::OK, true, CODE_OK, "Success", json!(id))
}
