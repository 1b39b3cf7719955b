//! Hyfin: v4 customers and contacts, v3 payments (`addUpdate` upserts and GETs by `_id`).
//!
//! Answers: `{"success":true,"action":"added"|"updated","_id":"<24 hex>"}` (200) or
//! `{"success":false,"errors":[...]}` with 400 (validation, unknown `_id`), 401 (auth),
//! 404 (GET of an unknown id, unknown path), 429 and 500.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use crate::config::Provider;
use crate::persist::Loaded;
use crate::server::Shared;
use crate::stats::Count;
use crate::util::{
    Rec, absent, in_order, is_email, json, now_ms, parse_object, rfc3339, str_of, type_name,
};

const P: Provider = Provider::Hyfin;

/// `payment_type` values.
const PAYMENT_TYPES: &[&str] = &["payment_card", "ach", "cash", "check"];
/// `payment_sub_type` values.
const PAYMENT_SUB_TYPES: &[&str] = &[
    "checking",
    "savings",
    "visa",
    "mastercard",
    "discover",
    "amex",
    "cash",
    "other",
];
/// `status` values.
const STATUSES: &[&str] = &[
    "declined",
    "authorized",
    "captured",
    "voided",
    "settled",
    "returned",
    "refundFailed",
    "refunded",
    "refundSettled",
];

/// The records of one site.
#[derive(Default)]
struct Site {
    customers: HashMap<String, Rec>,
    contacts: HashMap<String, Rec>,
    payments: HashMap<String, Rec>,
    /// `external_id` -> `_id` of payments.
    payment_ids: HashMap<String, String>,
}

/// Hyfin's records, per site.
#[derive(Default)]
pub(crate) struct Store {
    sites: Mutex<HashMap<String, Site>>,
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Site>> {
        self.sites.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn load(&self, row: Loaded) {
        let Value::Object(body) = row.body else {
            return;
        };
        let rec = Rec {
            seq: row.seq,
            at_ms: row.at_ms,
            body,
        };
        let mut sites = self.lock();
        let site = sites.entry(row.scope).or_default();
        match row.kind.as_str() {
            "customer" => {
                site.customers.insert(row.id, rec);
            }
            "contact" => {
                site.contacts.insert(row.id, rec);
            }
            "payment" => {
                if let Some(ext) = str_of(&rec.body, "external_id") {
                    site.payment_ids.insert(ext.to_owned(), row.id.clone());
                }
                site.payments.insert(row.id, rec);
            }
            _ => {}
        }
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    pub(crate) fn records(&self, kind: &str) -> Vec<Value> {
        let sites = self.lock();
        let all = sites.values();
        match kind {
            "customer" => in_order(all.flat_map(|s| s.customers.values())),
            "contact" => in_order(all.flat_map(|s| s.contacts.values())),
            "payment" => in_order(all.flat_map(|s| s.payments.values())),
            _ => Vec::new(),
        }
    }
}

/// Hyfin's routes (mounted under `/hyfin`).
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/api/v4/site/{site}/customer/addUpdate",
            post(customer_add_update),
        )
        .route(
            "/api/v4/site/{site}/contact/addUpdate",
            post(contact_add_update),
        )
        .route(
            "/api/v3/site/{site}/payment/addUpdate",
            post(payment_add_update),
        )
        .route("/api/v4/site/{site}/customer/{id}", get(get_customer))
        .route("/api/v4/site/{site}/contact/{id}", get(get_contact))
        .route("/api/v3/site/{site}/payment/{id}", get(get_payment))
        .fallback(not_found)
}

/// `{"success":false,"errors":[...]}`.
fn failure(status: StatusCode, errors: Vec<String>) -> Response {
    json(status, &json!({ "success": false, "errors": errors }))
}

fn reject(sh: &Shared, status: StatusCode, errors: Vec<String>) -> Response {
    sh.count(P, Count::Rejected);
    failure(status, errors)
}

async fn not_found(State(sh): State<Arc<Shared>>) -> Response {
    reject(&sh, StatusCode::NOT_FOUND, vec!["not found".to_owned()])
}

/// 401 body.
pub(crate) fn unauthorized() -> Response {
    failure(
        StatusCode::UNAUTHORIZED,
        vec!["Unauthorized: missing or invalid API access token".to_owned()],
    )
}

/// 500 body (injected fault).
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

fn success(action: &str, id: &str) -> Response {
    json(
        StatusCode::OK,
        &json!({ "success": true, "action": action, "_id": id }),
    )
}

// ---- field checks -------------------------------------------------------------------------

fn opt_str(obj: &Map<String, Value>, key: &str, path: &str, errors: &mut Vec<String>) {
    match obj.get(key) {
        None | Some(Value::Null | Value::String(_)) => {}
        Some(v) => errors.push(format!(
            "invalid {path}{key}: expected a string, got {}",
            type_name(v)
        )),
    }
}

fn opt_bool(obj: &Map<String, Value>, key: &str, path: &str, errors: &mut Vec<String>) {
    match obj.get(key) {
        None | Some(Value::Null | Value::Bool(_)) => {}
        Some(v) => errors.push(format!(
            "invalid {path}{key}: expected a boolean, got {}",
            type_name(v)
        )),
    }
}

fn req_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    errors: &mut Vec<String>,
) -> Option<&'a str> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        None | Some(Value::Null) => {
            errors.push(format!("missing {key}"));
            None
        }
        Some(Value::String(_)) => {
            errors.push(format!("missing {key}: it is empty"));
            None
        }
        Some(v) => {
            errors.push(format!(
                "invalid {key}: expected a string, got {}",
                type_name(v)
            ));
            None
        }
    }
}

fn opt_email(obj: &Map<String, Value>, key: &str, path: &str, errors: &mut Vec<String>) {
    match obj.get(key) {
        Some(Value::String(s)) if !s.is_empty() && !is_email(s) => {
            errors.push(format!(
                "invalid {path}{key}: `{s}` is not an email address"
            ));
        }
        _ => opt_str(obj, key, path, errors),
    }
}

/// `_id` of an update, when given.
fn id_field(obj: &Map<String, Value>, errors: &mut Vec<String>) -> Option<String> {
    match obj.get("_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(v) => {
            errors.push(format!(
                "invalid _id: expected a string, got {}",
                type_name(v)
            ));
            None
        }
    }
}

fn check_address(v: Option<&Value>, path: &str, errors: &mut Vec<String>) {
    match v {
        None | Some(Value::Null) => {}
        Some(Value::Object(a)) => {
            for k in [
                "address_line1",
                "address_line2",
                "city",
                "state_code",
                "zip_code",
            ] {
                opt_str(a, k, path, errors);
            }
        }
        Some(v) => errors.push(format!(
            "invalid {}: expected an object, got {}",
            path.trim_end_matches('.'),
            type_name(v)
        )),
    }
}

fn check_primary_contact(pc: &Map<String, Value>, errors: &mut Vec<String>) {
    const PATH: &str = "primary_contact.";
    for k in ["first_name", "last_name", "mobile_phone", "display_name"] {
        opt_str(pc, k, PATH, errors);
    }
    opt_email(pc, "email", PATH, errors);
    check_address(
        pc.get("billing_address"),
        "primary_contact.billing_address.",
        errors,
    );
}

/// A number with at most two decimals, not negative.
fn check_money(obj: &Map<String, Value>, key: &str, required: bool, errors: &mut Vec<String>) {
    match obj.get(key) {
        None | Some(Value::Null) if required => errors.push(format!("missing {key}")),
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if !x.is_finite() || x < 0.0 {
                errors.push(format!("invalid {key}: must be a number of at least 0"));
            } else if ((x * 100.0).round() - x * 100.0).abs() > 1e-6 {
                errors.push(format!(
                    "invalid {key}: at most two decimal places (format 0.00)"
                ));
            }
        }
        Some(v) => errors.push(format!(
            "invalid {key}: expected a number, got {}",
            type_name(v)
        )),
    }
}

fn check_enum(obj: &Map<String, Value>, key: &str, allowed: &[&str], errors: &mut Vec<String>) {
    match obj.get(key) {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if allowed.contains(&s.as_str()) => {}
        Some(v) => errors.push(format!(
            "invalid {key}: must be one of {}, got {v}",
            allowed.join(", ")
        )),
    }
}

/// `YYYY-MM-DDTHH:mm:ssZ`, a real UTC time.
fn is_paid_on(s: &str) -> bool {
    s.len() == 20 && chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").is_ok()
}

// ---- handlers -----------------------------------------------------------------------------

async fn customer_add_update(
    State(sh): State<Arc<Shared>>,
    Path(site): Path<String>,
    body: Bytes,
) -> Response {
    let mut obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return reject(&sh, StatusCode::BAD_REQUEST, vec![e]),
    };
    let mut errors = Vec::new();
    let id = id_field(&obj, &mut errors);
    req_str(&obj, "display_name", &mut errors);
    for k in ["account_name", "notes", "parent_customer"] {
        opt_str(&obj, k, "", &mut errors);
    }
    for k in ["bill_to_parent_flag", "deleted"] {
        opt_bool(&obj, k, "", &mut errors);
    }
    match obj.get("attachment_refs") {
        None | Some(Value::Null | Value::Array(_)) => {}
        Some(v) => errors.push(format!(
            "invalid attachment_refs: expected an array, got {}",
            type_name(v)
        )),
    }
    let has_primary = match obj.get("primary_contact") {
        None | Some(Value::Null) => false,
        Some(Value::Object(pc)) => {
            check_primary_contact(pc, &mut errors);
            true
        }
        Some(v) => {
            errors.push(format!(
                "invalid primary_contact: expected an object, got {}",
                type_name(v)
            ));
            true
        }
    };
    let mut refs: Vec<(usize, &str)> = Vec::new();
    let mut has_contacts = false;
    match obj.get("contacts") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            has_contacts = !items.is_empty();
            for (i, item) in items.iter().enumerate() {
                let Value::Object(m) = item else {
                    errors.push(format!("invalid contacts[{i}]: expected an object"));
                    continue;
                };
                match m.get("_id") {
                    Some(Value::String(s)) if !s.is_empty() => refs.push((i, s)),
                    _ => errors.push(format!("missing contacts[{i}]._id")),
                }
                opt_bool(m, "isPrimary", &format!("contacts[{i}]."), &mut errors);
            }
        }
        Some(v) => {
            has_contacts = true;
            errors.push(format!(
                "invalid contacts: expected an array, got {}",
                type_name(v)
            ));
        }
    }
    if !has_primary && !has_contacts {
        errors.push("missing primary_contact or contacts: one of them is required".to_owned());
    }
    if !errors.is_empty() {
        return reject(&sh, StatusCode::BAD_REQUEST, errors);
    }

    let now = now_ms();
    let mut sites = sh.hyfin.lock();
    let existing = sites.get(&site);
    if let Some(id) = &id
        && !existing.is_some_and(|s| s.customers.contains_key(id))
    {
        errors.push(format!("customer _id {id} was not found"));
    }
    for (i, r) in &refs {
        if !existing.is_some_and(|s| s.contacts.contains_key(*r)) {
            errors.push(format!("contacts[{i}]._id {r} was not found"));
        }
    }
    if let Some(parent) = str_of(&obj, "parent_customer").filter(|p| !p.is_empty())
        && (id.as_deref() == Some(parent)
            || !existing.is_some_and(|s| s.customers.contains_key(parent)))
    {
        errors.push(format!(
            "invalid parent_customer: customer {parent} was not found"
        ));
    }
    if !errors.is_empty() {
        drop(sites);
        return reject(&sh, StatusCode::BAD_REQUEST, errors);
    }
    let store = sites.entry(site.clone()).or_default();
    let stamp = Value::String(rfc3339(now));
    let (action, id, rec) = match id {
        Some(id) => {
            let Some(rec) = store.customers.get_mut(&id) else {
                drop(sites);
                return reject(
                    &sh,
                    StatusCode::BAD_REQUEST,
                    vec![format!("customer _id {id} was not found")],
                );
            };
            obj.remove("_id");
            for (k, v) in obj {
                rec.body.insert(k, v);
            }
            rec.body.insert("updated_at".to_owned(), stamp);
            (Count::Updated, id, &*rec)
        }
        None => {
            let seq = sh.next_seq();
            let id = sh.hex_id(seq, |id| store.customers.contains_key(id));
            obj.insert("_id".to_owned(), Value::String(id.clone()));
            obj.insert("created_at".to_owned(), stamp.clone());
            obj.insert("updated_at".to_owned(), stamp);
            let rec = store.customers.entry(id.clone()).or_insert(Rec {
                seq,
                at_ms: now,
                body: obj,
            });
            (Count::Created, id, &*rec)
        }
    };
    sh.save(P, "customer", &site, &id, rec);
    drop(sites);
    finish(&sh, action, &id)
}

fn finish(sh: &Shared, action: Count, id: &str) -> Response {
    sh.count(P, action);
    success(
        if matches!(action, Count::Created) {
            "added"
        } else {
            "updated"
        },
        id,
    )
}

fn check_contact(obj: &Map<String, Value>, errors: &mut Vec<String>) {
    for k in ["first_name", "last_name", "display_name", "language"] {
        opt_str(obj, k, "", errors);
    }
    let list = |key: &str, errors: &mut Vec<String>| -> Vec<Map<String, Value>> {
        match obj.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, it)| match it {
                    Value::Object(m) => Some(m.clone()),
                    _ => {
                        errors.push(format!("invalid {key}[{i}]: expected an object"));
                        None
                    }
                })
                .collect(),
            Some(v) => {
                errors.push(format!(
                    "invalid {key}: expected an array, got {}",
                    type_name(v)
                ));
                Vec::new()
            }
        }
    };
    for (i, e) in list("emails", errors).iter().enumerate() {
        let path = format!("emails[{i}].");
        opt_str(e, "label", &path, errors);
        opt_bool(e, "is_primary", &path, errors);
        match e.get("address") {
            Some(Value::String(s)) if is_email(s) => {}
            Some(Value::String(s)) => {
                errors.push(format!(
                    "invalid {path}address: `{s}` is not an email address"
                ));
            }
            _ => errors.push(format!("missing {path}address")),
        }
    }
    for (i, ph) in list("phone_numbers", errors).iter().enumerate() {
        let path = format!("phone_numbers[{i}].");
        opt_str(ph, "label", &path, errors);
        opt_bool(ph, "is_primary", &path, errors);
        match ph.get("number") {
            Some(Value::String(s)) if !s.trim().is_empty() => {}
            _ => errors.push(format!("missing {path}number")),
        }
    }
    for (i, a) in list("addresses", errors).iter().enumerate() {
        let path = format!("addresses[{i}].");
        opt_str(a, "label", &path, errors);
        opt_bool(a, "is_primary", &path, errors);
        check_address(a.get("address"), &format!("{path}address."), errors);
    }
}

async fn contact_add_update(
    State(sh): State<Arc<Shared>>,
    Path(site): Path<String>,
    body: Bytes,
) -> Response {
    let mut obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return reject(&sh, StatusCode::BAD_REQUEST, vec![e]),
    };
    let mut errors = Vec::new();
    let id = id_field(&obj, &mut errors);
    check_contact(&obj, &mut errors);
    if !errors.is_empty() {
        return reject(&sh, StatusCode::BAD_REQUEST, errors);
    }
    let now = now_ms();
    let stamp = Value::String(rfc3339(now));
    let mut sites = sh.hyfin.lock();
    let (action, id) = match id {
        Some(id) => {
            let Some(rec) = sites.get_mut(&site).and_then(|s| s.contacts.get_mut(&id)) else {
                drop(sites);
                return reject(
                    &sh,
                    StatusCode::BAD_REQUEST,
                    vec![format!("contact _id {id} was not found")],
                );
            };
            obj.remove("_id");
            for (k, v) in obj {
                rec.body.insert(k, v);
            }
            rec.body.insert("updated_at".to_owned(), stamp);
            (Count::Updated, id)
        }
        None => {
            let store = sites.entry(site.clone()).or_default();
            let seq = sh.next_seq();
            let id = sh.hex_id(seq, |id| store.contacts.contains_key(id));
            if absent(&obj, "display_name") {
                let first = str_of(&obj, "first_name").unwrap_or("");
                let last = str_of(&obj, "last_name").unwrap_or("");
                let name = format!("{first} {last}").trim().to_owned();
                obj.insert("display_name".to_owned(), Value::String(name));
            }
            if absent(&obj, "language") {
                obj.insert("language".to_owned(), Value::String("en".to_owned()));
            }
            obj.insert("_id".to_owned(), Value::String(id.clone()));
            obj.insert("created_at".to_owned(), stamp.clone());
            obj.insert("updated_at".to_owned(), stamp);
            store.contacts.insert(
                id.clone(),
                Rec {
                    seq,
                    at_ms: now,
                    body: obj,
                },
            );
            (Count::Created, id)
        }
    };
    if let Some(rec) = sites.get(&site).and_then(|s| s.contacts.get(&id)) {
        sh.save(P, "contact", &site, &id, rec);
    }
    drop(sites);
    finish(&sh, action, &id)
}

async fn payment_add_update(
    State(sh): State<Arc<Shared>>,
    Path(site): Path<String>,
    body: Bytes,
) -> Response {
    let mut obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return reject(&sh, StatusCode::BAD_REQUEST, vec![e]),
    };
    let mut errors = Vec::new();
    let external_id = req_str(&obj, "external_id", &mut errors).map(str::to_owned);
    req_str(&obj, "gateway_transaction_id", &mut errors);
    req_str(&obj, "display_name", &mut errors);
    check_money(&obj, "amount", true, &mut errors);
    if let Some(paid_on) = req_str(&obj, "paid_on", &mut errors)
        && !is_paid_on(paid_on)
    {
        errors.push(format!(
            "invalid paid_on: `{paid_on}` is not in the format YYYY-MM-DDTHH:mm:ssZ"
        ));
    }
    for k in ["tip", "tax", "fee"] {
        check_money(&obj, k, false, &mut errors);
    }
    check_enum(&obj, "payment_type", PAYMENT_TYPES, &mut errors);
    check_enum(&obj, "payment_sub_type", PAYMENT_SUB_TYPES, &mut errors);
    check_enum(&obj, "status", STATUSES, &mut errors);
    opt_bool(&obj, "active", "", &mut errors);
    match obj.get("invoice") {
        None | Some(Value::Null | Value::Object(_)) => {}
        Some(v) => errors.push(format!(
            "invalid invoice: expected an object, got {}",
            type_name(v)
        )),
    }
    let Some(external_id) = external_id.filter(|_| errors.is_empty()) else {
        return reject(&sh, StatusCode::BAD_REQUEST, errors);
    };
    let now = now_ms();
    let stamp = Value::String(rfc3339(now));
    obj.remove("_id");
    let mut sites = sh.hyfin.lock();
    let store = sites.entry(site.clone()).or_default();
    let (action, id) = match store.payment_ids.get(&external_id) {
        Some(id) => {
            let id = id.clone();
            if let Some(rec) = store.payments.get_mut(&id) {
                for (k, v) in obj {
                    rec.body.insert(k, v);
                }
                rec.body.insert("updated_at".to_owned(), stamp);
            }
            (Count::Updated, id)
        }
        None => {
            let seq = sh.next_seq();
            let id = sh.hex_id(seq, |id| store.payments.contains_key(id));
            if absent(&obj, "status") {
                obj.insert("status".to_owned(), Value::String("captured".to_owned()));
            }
            if absent(&obj, "active") {
                obj.insert("active".to_owned(), Value::Bool(true));
            }
            obj.insert("_id".to_owned(), Value::String(id.clone()));
            obj.insert("created_at".to_owned(), stamp.clone());
            obj.insert("updated_at".to_owned(), stamp);
            store.payment_ids.insert(external_id, id.clone());
            store.payments.insert(
                id.clone(),
                Rec {
                    seq,
                    at_ms: now,
                    body: obj,
                },
            );
            (Count::Created, id)
        }
    };
    if let Some(rec) = store.payments.get(&id) {
        sh.save(P, "payment", &site, &id, rec);
    }
    drop(sites);
    finish(&sh, action, &id)
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

async fn get_customer(
    State(sh): State<Arc<Shared>>,
    Path((site, id)): Path<(String, String)>,
) -> Response {
    let found = {
        let sites = sh.hyfin.lock();
        sites.get(&site).and_then(|s| {
            let mut body = s.customers.get(&id)?.body.clone();
            // Contact references come back with the contact records embedded.
            if let Some(Value::Array(refs)) = body.get_mut("contacts") {
                for r in refs.iter_mut() {
                    let Value::Object(m) = r else { continue };
                    let Some(contact) = str_of(m, "_id").and_then(|cid| s.contacts.get(cid)) else {
                        continue;
                    };
                    for (k, v) in &contact.body {
                        m.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            }
            Some(body)
        })
    };
    found_or_404(&sh, "customer", &id, found)
}

async fn get_contact(
    State(sh): State<Arc<Shared>>,
    Path((site, id)): Path<(String, String)>,
) -> Response {
    let found = sh
        .hyfin
        .lock()
        .get(&site)
        .and_then(|s| s.contacts.get(&id))
        .map(|r| r.body.clone());
    found_or_404(&sh, "contact", &id, found)
}

async fn get_payment(
    State(sh): State<Arc<Shared>>,
    Path((site, id)): Path<(String, String)>,
) -> Response {
    let found = sh
        .hyfin
        .lock()
        .get(&site)
        .and_then(|s| s.payments.get(&id))
        .map(|r| r.body.clone());
    found_or_404(&sh, "payment", &id, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paid_on_format() {
        assert!(is_paid_on("2021-01-01T14:32:18Z"));
        assert!(!is_paid_on("2021-01-01T14:32:18.000Z"));
        assert!(!is_paid_on("2021-01-01 14:32:18Z"));
        assert!(!is_paid_on("2021-02-30T14:32:18Z"));
        assert!(!is_paid_on("2021-01-01T14:32:18+00:00"));
    }
}
