//! Payabli: customers created in an entrypoint (`POST /Customer/single/{entry}`), updated and
//! read by their numeric id, and listed with `field(op)=value` filters.
//!
//! Answers use Payabli's envelope `{isSuccess, responseCode, responseText, responseData,
//! pageIdentifier}`; `GET /Customer/{id}` answers the bare record and the query answers
//! `{Summary, Records}`.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use crate::config::Provider;
use crate::persist::Loaded;
use crate::server::Shared;
use crate::stats::Count;
use crate::util::{
    Rec, chars, in_order, is_email, json, now_ms, parse_object, query_pairs, rfc3339, type_name,
};

const P: Provider = Provider::Payabli;

/// `responseCode` of a success.
const CODE_OK: i64 = 1;
/// `responseCode` Payabli's catalogue gives technical errors; used for the answers the
/// catalogue has no code for (auth, conflicts, not found, faults).
const CODE_ERROR: i64 = 3;
/// `responseCode`: invalid entrypoint.
const CODE_ENTRY: i64 = 3001;
/// `responseCode`: invalid parameter.
const CODE_PARAM: i64 = 3003;
/// `responseCode`: invalid TimeZone.
const CODE_TIMEZONE: i64 = 3004;

/// Request field -> record field, for the fields stored as sent.
const FIELDS: &[(&str, &str)] = &[
    ("customerNumber", "customerNumber"),
    ("customerUsername", "customerUsername"),
    ("customerStatus", "customerStatus"),
    ("company", "Company"),
    ("firstname", "Firstname"),
    ("lastname", "Lastname"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("address", "Address"),
    ("address1", "Address1"),
    ("city", "City"),
    ("state", "State"),
    ("zip", "Zip"),
    ("country", "Country"),
    ("shippingAddress", "ShippingAddress"),
    ("shippingAddress1", "ShippingAddress1"),
    ("shippingCity", "ShippingCity"),
    ("shippingState", "ShippingState"),
    ("shippingZip", "ShippingZip"),
    ("shippingCountry", "ShippingCountry"),
    ("balance", "Balance"),
    ("timeZone", "TimeZone"),
    ("identifierFields", "IdentifierFields"),
];

/// Filter name (lower case) of `GET /Query/customers` -> record field.
const FILTERS: &[(&str, &str)] = &[
    ("customerid", "customerId"),
    ("customernumber", "customerNumber"),
    ("customerusername", "customerUsername"),
    ("customerstatus", "customerStatus"),
    ("company", "Company"),
    ("firstname", "Firstname"),
    ("lastname", "Lastname"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("address", "Address"),
    ("address1", "Address1"),
    ("city", "City"),
    ("state", "State"),
    ("zip", "Zip"),
    ("country", "Country"),
    ("shippingaddress", "ShippingAddress"),
    ("shippingcity", "ShippingCity"),
    ("shippingstate", "ShippingState"),
    ("shippingzip", "ShippingZip"),
    ("shippingcountry", "ShippingCountry"),
    ("balance", "Balance"),
    ("timezone", "TimeZone"),
];

/// The customers of one entrypoint.
#[derive(Default)]
struct Entry {
    customers: BTreeMap<i64, Rec>,
    /// Lower-cased `customerNumber` -> ids.
    by_number: HashMap<String, Vec<i64>>,
}

impl Entry {
    fn index(&mut self, number: Option<&str>, id: i64) {
        if let Some(n) = number.filter(|n| !n.is_empty()) {
            self.by_number.entry(n.to_lowercase()).or_default().push(id);
        }
    }

    fn unindex(&mut self, number: Option<&str>, id: i64) {
        if let Some(n) = number.filter(|n| !n.is_empty()) {
            let key = n.to_lowercase();
            if let Some(ids) = self.by_number.get_mut(&key) {
                ids.retain(|i| *i != id);
                if ids.is_empty() {
                    self.by_number.remove(&key);
                }
            }
        }
    }

    /// The customer whose `customerNumber` is exactly `number`.
    fn find_number(&self, number: &str) -> Option<i64> {
        self.by_number
            .get(&number.to_lowercase())?
            .iter()
            .copied()
            .find(|id| {
                self.customers
                    .get(id)
                    .and_then(|r| r.body.get("customerNumber"))
                    .and_then(Value::as_str)
                    == Some(number)
            })
    }
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    /// Customer id -> its entrypoint.
    ids: HashMap<i64, String>,
    last_id: i64,
    /// Idempotency keys seen within the window.
    keys: HashMap<String, Instant>,
    key_queue: VecDeque<(Instant, String)>,
}

impl Inner {
    fn prune_keys(&mut self, now: Instant, window: std::time::Duration) {
        while let Some((at, _)) = self.key_queue.front() {
            if now.duration_since(*at) < window {
                break;
            }
            if let Some((at, key)) = self.key_queue.pop_front()
                && self.keys.get(&key) == Some(&at)
            {
                self.keys.remove(&key);
            }
        }
    }

    fn key_seen(&self, key: &str, now: Instant, window: std::time::Duration) -> bool {
        self.keys
            .get(key)
            .is_some_and(|at| now.duration_since(*at) < window)
    }

    fn remember_key(&mut self, key: &str, now: Instant) {
        self.keys.insert(key.to_owned(), now);
        self.key_queue.push_back((now, key.to_owned()));
    }
}

/// Payabli's records.
#[derive(Default)]
pub(crate) struct Store {
    inner: Mutex<Inner>,
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn load(&self, row: Loaded) {
        let (Value::Object(body), Ok(id)) = (row.body, row.id.parse::<i64>()) else {
            return;
        };
        if row.kind != "customer" {
            return;
        }
        let mut inner = self.lock();
        inner.last_id = inner.last_id.max(id);
        inner.ids.insert(id, row.scope.clone());
        let entry = inner.entries.entry(row.scope).or_default();
        entry.index(body.get("customerNumber").and_then(Value::as_str), id);
        entry.customers.insert(
            id,
            Rec {
                seq: row.seq,
                at_ms: row.at_ms,
                body,
            },
        );
    }

    pub(crate) fn clear(&self) {
        let mut inner = self.lock();
        let last_id = inner.last_id;
        *inner = Inner::default();
        // Ids are never reused, even after a reset.
        inner.last_id = last_id;
    }

    pub(crate) fn records(&self, kind: &str) -> Vec<Value> {
        if kind != "customer" {
            return Vec::new();
        }
        let inner = self.lock();
        in_order(inner.entries.values().flat_map(|e| e.customers.values()))
    }
}

/// Payabli's routes (mounted under `/payabli/api`).
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/Customer/single/{entry}", post(create_customer))
        .route("/Customer/{id}", get(get_customer).put(update_customer))
        .route("/Query/customers/{entry}", get(query_customers))
        .fallback(not_found)
}

// ---- envelopes ----------------------------------------------------------------------------

fn envelope(status: StatusCode, ok: bool, code: i64, text: &str, data: Value) -> Response {
    json(
        status,
        &json!({
            "isSuccess": ok,
            "responseCode": code,
            "responseText": text,
            "responseData": data,
            "pageIdentifier": null,
        }),
    )
}

fn failure(status: StatusCode, code: i64, text: &str, explanation: &str, todo: &str) -> Response {
    envelope(
        status,
        false,
        code,
        text,
        json!({ "explanation": explanation, "todoAction": todo }),
    )
}

fn reject(
    sh: &Shared,
    status: StatusCode,
    code: i64,
    text: &str,
    explanation: &str,
    todo: &str,
) -> Response {
    sh.count(P, Count::Rejected);
    failure(status, code, text, explanation, todo)
}

fn malformed(sh: &Shared, message: &str) -> Response {
    reject(
        sh,
        StatusCode::BAD_REQUEST,
        CODE_PARAM,
        "Invalid request body",
        message,
        "Send the customer as a JSON object.",
    )
}

fn customer_not_found(sh: &Shared, id: &str) -> Response {
    reject(
        sh,
        StatusCode::NOT_FOUND,
        CODE_ERROR,
        "Customer not found",
        &format!("No customer with id {id} exists."),
        "Check the customerId.",
    )
}

async fn not_found(State(sh): State<Arc<Shared>>) -> Response {
    reject(
        &sh,
        StatusCode::NOT_FOUND,
        CODE_ERROR,
        "Not found",
        "No such endpoint.",
        "Check the URL.",
    )
}

/// 401 envelope.
pub(crate) fn unauthorized() -> Response {
    failure(
        StatusCode::UNAUTHORIZED,
        CODE_ERROR,
        "Unauthorized",
        "The requestToken header is missing or is not a valid API token.",
        "Send a valid API token in the requestToken header.",
    )
}

/// 500 envelope (injected fault).
pub(crate) fn server_error() -> Response {
    failure(
        StatusCode::INTERNAL_SERVER_ERROR,
        CODE_ERROR,
        "Internal server error",
        "An unexpected error occurred.",
        "Try again later.",
    )
}

/// 429 envelope with `Retry-After` in seconds.
pub(crate) fn too_many(retry_after_secs: u64) -> Response {
    let mut r = failure(
        StatusCode::TOO_MANY_REQUESTS,
        CODE_ERROR,
        "Too many requests",
        "The API token exceeded its request limit.",
        "Wait and send the request again.",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    r
}

// ---- validation ---------------------------------------------------------------------------

/// One problem with a field: response code and message.
type Problems = Vec<(i64, String)>;

fn check_str(
    obj: &Map<String, Value>,
    key: &str,
    max: Option<usize>,
    problems: &mut Problems,
) -> Option<String> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            if let Some(max) = max
                && chars(s) > max
            {
                problems.push((
                    CODE_PARAM,
                    format!("{key} is too long: at most {max} characters"),
                ));
            }
            Some(s.clone())
        }
        Some(v) => {
            problems.push((
                CODE_PARAM,
                format!("{key} must be a string, not {}", type_name(v)),
            ));
            None
        }
    }
}

/// Field checks shared by create and update.
fn check_fields(obj: &Map<String, Value>, problems: &mut Problems) {
    for (key, max) in [
        ("customerNumber", Some(250)),
        ("customerUsername", None),
        ("customerPsw", None),
        ("company", None),
        ("firstname", None),
        ("lastname", None),
        ("phone", None),
        ("address", None),
        ("address1", None),
        ("city", None),
        ("state", None),
        ("zip", None),
        ("shippingAddress", Some(250)),
        ("shippingAddress1", Some(100)),
        ("shippingCity", Some(250)),
        ("shippingState", None),
        ("shippingZip", Some(50)),
        ("shippingCountry", None),
        ("createdAt", None),
    ] {
        check_str(obj, key, max, problems);
    }
    if let Some(email) = check_str(obj, "email", Some(320), problems)
        && !email.is_empty()
        && !is_email(&email)
    {
        problems.push((
            CODE_PARAM,
            format!("email `{email}` is not a valid email address"),
        ));
    }
    if let Some(country) = check_str(obj, "country", None, problems)
        && !country.is_empty()
        && !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        problems.push((
            CODE_PARAM,
            format!("country `{country}` is not an ISO 3166-1 alpha-2 code"),
        ));
    }
    match obj.get("timeZone") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) if n.as_i64().is_some_and(|t| (-12..=12).contains(&t)) => {}
        Some(v) => problems.push((
            CODE_TIMEZONE,
            format!("timeZone {v} is invalid: it must be a whole number of hours from -12 to 12"),
        )),
    }
    match obj.get("customerStatus") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n)) if n.as_i64().is_some_and(|s| [-99, 0, 1, 85].contains(&s)) => {}
        Some(v) => problems.push((
            CODE_PARAM,
            format!("customerStatus {v} is invalid: use -99, 0, 1 or 85"),
        )),
    }
    match obj.get("balance") {
        None | Some(Value::Null | Value::Number(_)) => {}
        Some(v) => problems.push((
            CODE_PARAM,
            format!("balance must be a number, not {}", type_name(v)),
        )),
    }
    match obj.get("additionalFields") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            if let Some((k, _)) = m
                .iter()
                .find(|(_, v)| !matches!(v, Value::String(_) | Value::Null))
            {
                problems.push((CODE_PARAM, format!("additionalFields.{k} must be a string")));
            }
        }
        Some(v) => problems.push((
            CODE_PARAM,
            format!("additionalFields must be an object, not {}", type_name(v)),
        )),
    }
    match obj.get("identifierFields") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a))
            if a.iter()
                .all(|v| matches!(v, Value::String(_) | Value::Null)) => {}
        Some(_) => problems.push((
            CODE_PARAM,
            "identifierFields must be a list of field names".to_owned(),
        )),
    }
}

fn invalid(sh: &Shared, problems: Problems) -> Response {
    let code = problems.first().map_or(CODE_PARAM, |(c, _)| *c);
    let text = if code == CODE_TIMEZONE {
        "Invalid TimeZone"
    } else {
        "Invalid parameter"
    };
    let explanation = problems
        .iter()
        .map(|(_, m)| m.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    reject(
        sh,
        StatusCode::BAD_REQUEST,
        code,
        text,
        &explanation,
        "Correct the fields named in the explanation and send the request again.",
    )
}

fn non_blank(obj: &Map<String, Value>, key: &str) -> bool {
    obj.get(key)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

/// Applies the request's fields to a record (create: fresh record; update: the stored one).
fn apply(record: &mut Map<String, Value>, obj: &Map<String, Value>, now: &Value) {
    for (from, to) in FIELDS {
        if let Some(v) = obj.get(*from) {
            record.insert((*to).to_owned(), v.clone());
        }
    }
    if let Some(Value::Object(add)) = obj.get("additionalFields") {
        // Additional fields merge into the stored ones.
        let target = record
            .entry("AdditionalFields")
            .or_insert_with(|| Value::Object(Map::new()));
        if !target.is_object() {
            *target = Value::Object(Map::new());
        }
        if let Value::Object(t) = target {
            for (k, v) in add {
                t.insert(k.clone(), v.clone());
            }
        }
    }
    record.insert("LastUpdated".to_owned(), now.clone());
}

fn new_record(id: i64, entry: &str, obj: &Map<String, Value>, now: &Value) -> Map<String, Value> {
    let mut r = Map::with_capacity(36);
    r.insert("customerId".into(), json!(id));
    r.insert("customerNumber".into(), Value::Null);
    r.insert("customerUsername".into(), Value::Null);
    r.insert("customerStatus".into(), json!(1));
    for (_, to) in &FIELDS[3..] {
        r.insert((*to).to_owned(), Value::Null);
    }
    r.insert("Balance".into(), json!(0));
    r.insert("TimeZone".into(), json!(0));
    r.insert("IdentifierFields".into(), json!([]));
    r.insert("AdditionalFields".into(), Value::Null);
    r.insert("MFA".into(), Value::Bool(false));
    r.insert("MFAMode".into(), json!(0));
    r.insert("StoredMethods".into(), json!([]));
    r.insert("Subscriptions".into(), json!([]));
    r.insert("PaypointEntryname".into(), Value::String(entry.to_owned()));
    let created = obj
        .get("createdAt")
        .filter(|v| v.is_string())
        .cloned()
        .unwrap_or_else(|| now.clone());
    r.insert("Created".into(), created);
    apply(&mut r, obj, now);
    r
}

fn parse_flag(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" | "" => Some(false),
        _ => None,
    }
}

// ---- handlers -----------------------------------------------------------------------------

async fn create_customer(
    State(sh): State<Arc<Shared>>,
    Path(entry): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if entry.is_empty() || chars(&entry) > 50 {
        return reject(
            &sh,
            StatusCode::BAD_REQUEST,
            CODE_ENTRY,
            "Invalid entrypoint",
            "The entrypoint must have 1 to 50 characters.",
            "Check the entry in the URL.",
        );
    }
    let mut force = false;
    let mut replace = false;
    for (k, v) in query_pairs(query.as_deref().unwrap_or("")) {
        if k.eq_ignore_ascii_case("forceCustomerCreation") {
            match parse_flag(&v) {
                Some(f) => force = f,
                None => {
                    return invalid(
                        &sh,
                        vec![(
                            CODE_PARAM,
                            format!("forceCustomerCreation `{v}` is not a boolean"),
                        )],
                    );
                }
            }
        } else if k.eq_ignore_ascii_case("replaceExisting") {
            match v.trim() {
                "0" | "" => replace = false,
                "1" => replace = true,
                _ => {
                    return invalid(
                        &sh,
                        vec![(CODE_PARAM, format!("replaceExisting `{v}` must be 0 or 1"))],
                    );
                }
            }
        }
    }
    let key = headers
        .get("idempotencykey")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let window = sh.config.payabli_idempotency_window;
    let started = Instant::now();
    if let Some(key) = key {
        let mut inner = sh.payabli.lock();
        inner.prune_keys(started, window);
        if inner.key_seen(key, started, window) {
            drop(inner);
            return duplicated_key(&sh, key);
        }
    }
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return malformed(&sh, &e),
    };
    let mut problems = Problems::new();
    check_fields(&obj, &mut problems);
    if !problems.is_empty() {
        return invalid(&sh, problems);
    }
    let identified = non_blank(&obj, "customerNumber")
        || non_blank(&obj, "email")
        || (non_blank(&obj, "firstname") && non_blank(&obj, "lastname"));
    if !identified {
        return reject(
            &sh,
            StatusCode::BAD_REQUEST,
            CODE_PARAM,
            "Invalid customer identifiers",
            "A customer needs an identifier: customerNumber, email, or firstname and lastname.",
            "Send at least one identifier field.",
        );
    }

    let now_ms = now_ms();
    let now = Value::String(rfc3339(now_ms));
    let number = obj
        .get("customerNumber")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty());
    let mut inner = sh.payabli.lock();
    // Checked again under the same lock as the write, so two concurrent requests with one
    // key cannot both write.
    if let Some(key) = key
        && inner.key_seen(key, Instant::now(), window)
    {
        drop(inner);
        return duplicated_key(&sh, key);
    }
    let matched = match (force, number) {
        (false, Some(n)) => inner.entries.get(&entry).and_then(|e| e.find_number(n)),
        _ => None,
    };
    let (count, id) = match matched {
        Some(id) if !replace => {
            drop(inner);
            sh.count(P, Count::Rejected);
            return envelope(
                StatusCode::CONFLICT,
                false,
                CODE_ERROR,
                "Customer already exists",
                json!({
                    "explanation": format!("A customer with customerNumber {} already exists in this entrypoint.", number.unwrap_or_default()),
                    "todoAction": "Update customer with PUT /Customer/{customerId}, or send replaceExisting=1 or forceCustomerCreation=true.",
                    "customerId": id,
                }),
            );
        }
        Some(id) => {
            // replaceExisting=1: the matched record is replaced by the new one (same id).
            let e = inner.entries.entry(entry.clone()).or_default();
            if let Some(rec) = e.customers.get_mut(&id) {
                let created = rec.body.get("Created").cloned().unwrap_or(Value::Null);
                rec.body = new_record(id, &entry, &obj, &now);
                rec.body.insert("Created".to_owned(), created);
            }
            (Count::Updated, id)
        }
        None => {
            inner.last_id += 1;
            let id = inner.last_id;
            inner.ids.insert(id, entry.clone());
            let seq = sh.next_seq();
            let e = inner.entries.entry(entry.clone()).or_default();
            e.index(number, id);
            e.customers.insert(
                id,
                Rec {
                    seq,
                    at_ms: now_ms,
                    body: new_record(id, &entry, &obj, &now),
                },
            );
            (Count::Created, id)
        }
    };
    if let Some(key) = key {
        inner.remember_key(key, Instant::now());
    }
    let Some(rec) = inner.entries.get(&entry).and_then(|e| e.customers.get(&id)) else {
        drop(inner);
        return customer_not_found(&sh, &id.to_string());
    };
    sh.save(P, "customer", &entry, &id.to_string(), rec);
    let answer = json(
        StatusCode::OK,
        &json!({
            "isSuccess": true,
            "responseCode": CODE_OK,
            "responseText": "Success",
            "responseData": &rec.body,
            "pageIdentifier": null,
        }),
    );
    drop(inner);
    sh.count(P, count);
    answer
}

/// 409 for a reused `idempotencyKey`: plain text, as Payabli documents it.
fn duplicated_key(sh: &Shared, key: &str) -> Response {
    sh.count(P, Count::Deduplicated);
    let mut r = Response::new(Body::from(format!("Duplicated idempotencyKey: {key}")));
    *r.status_mut() = StatusCode::CONFLICT;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

async fn update_customer(
    State(sh): State<Arc<Shared>>,
    Path(id_text): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(id) = id_text.trim().parse::<i64>() else {
        return customer_not_found(&sh, &id_text);
    };
    let key = headers
        .get("idempotencykey")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let window = sh.config.payabli_idempotency_window;
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return malformed(&sh, &e),
    };
    let mut problems = Problems::new();
    check_fields(&obj, &mut problems);
    if !problems.is_empty() {
        return invalid(&sh, problems);
    }
    let now = Value::String(rfc3339(now_ms()));
    let mut inner = sh.payabli.lock();
    let started = Instant::now();
    if let Some(key) = key {
        inner.prune_keys(started, window);
        if inner.key_seen(key, started, window) {
            drop(inner);
            return duplicated_key(&sh, key);
        }
    }
    let Some(entry_name) = inner.ids.get(&id).cloned() else {
        drop(inner);
        return customer_not_found(&sh, &id_text);
    };
    let Some(entry) = inner.entries.get_mut(&entry_name) else {
        drop(inner);
        return customer_not_found(&sh, &id_text);
    };
    let Some(rec) = entry.customers.get_mut(&id) else {
        drop(inner);
        return customer_not_found(&sh, &id_text);
    };
    let old_number = rec
        .body
        .get("customerNumber")
        .and_then(Value::as_str)
        .map(str::to_owned);
    apply(&mut rec.body, &obj, &now);
    let new_number = rec
        .body
        .get("customerNumber")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if old_number != new_number {
        entry.unindex(old_number.as_deref(), id);
        entry.index(new_number.as_deref(), id);
    }
    if let Some(rec) = entry.customers.get(&id) {
        sh.save(P, "customer", &entry_name, &id.to_string(), rec);
    }
    if let Some(key) = key {
        inner.remember_key(key, started);
    }
    drop(inner);
    sh.count(P, Count::Updated);
    envelope(StatusCode::OK, true, CODE_OK, "Success", json!(" "))
}

async fn get_customer(State(sh): State<Arc<Shared>>, Path(id_text): Path<String>) -> Response {
    let Ok(id) = id_text.trim().parse::<i64>() else {
        return customer_not_found(&sh, &id_text);
    };
    let inner = sh.payabli.lock();
    let found = inner
        .ids
        .get(&id)
        .and_then(|e| inner.entries.get(e))
        .and_then(|e| e.customers.get(&id));
    match found {
        Some(rec) => json(StatusCode::OK, &rec.body),
        None => {
            drop(inner);
            customer_not_found(&sh, &id_text)
        }
    }
}

/// A filter operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Ct,
    Nct,
    Gt,
    Ge,
    Lt,
    Le,
    In,
    Nin,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s.to_ascii_lowercase().as_str() {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "ct" => Op::Ct,
            "nct" => Op::Nct,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            "in" => Op::In,
            "nin" => Op::Nin,
            _ => return None,
        })
    }
}

/// One `field(op)=value` filter.
struct Filter {
    /// Record field; for `additional-<name>`, `AdditionalFields` and the name.
    field: &'static str,
    additional: Option<String>,
    op: Op,
    value: String,
}

impl Filter {
    fn parse(key: &str, value: &str) -> Option<Filter> {
        let (name, rest) = key.split_once('(')?;
        let op = Op::parse(rest.strip_suffix(')')?)?;
        let name = name.trim().to_ascii_lowercase();
        let (field, additional) = match name.strip_prefix("additional-") {
            Some(extra) => ("AdditionalFields", Some(extra.to_owned())),
            None => (FILTERS.iter().find(|(f, _)| *f == name)?.1, None),
        };
        Some(Filter {
            field,
            additional,
            op,
            value: value.to_owned(),
        })
    }

    fn matches(&self, record: &Map<String, Value>) -> bool {
        let v = match &self.additional {
            None => record.get(self.field),
            Some(name) => record
                .get("AdditionalFields")
                .and_then(Value::as_object)
                .and_then(|m| {
                    m.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v)
                }),
        };
        let text = match v {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        };
        let want = &self.value;
        let eq = |t: &str, w: &str| t.eq_ignore_ascii_case(w.trim());
        let num = |t: &str| t.trim().parse::<f64>().ok();
        let cmp = |t: &str| match (num(t), num(want)) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => Some(t.to_lowercase().cmp(&want.to_lowercase())),
        };
        match (self.op, text.as_deref()) {
            (Op::Ne | Op::Nct | Op::Nin, None) => true,
            (_, None) => false,
            (Op::Eq, Some(t)) => eq(t, want),
            (Op::Ne, Some(t)) => !eq(t, want),
            (Op::Ct, Some(t)) => t.to_lowercase().contains(&want.to_lowercase()),
            (Op::Nct, Some(t)) => !t.to_lowercase().contains(&want.to_lowercase()),
            (Op::In, Some(t)) => want.split(',').any(|w| eq(t, w)),
            (Op::Nin, Some(t)) => !want.split(',').any(|w| eq(t, w)),
            (Op::Gt, Some(t)) => cmp(t).is_some_and(|o| o.is_gt()),
            (Op::Ge, Some(t)) => cmp(t).is_some_and(|o| o.is_ge()),
            (Op::Lt, Some(t)) => cmp(t).is_some_and(|o| o.is_lt()),
            (Op::Le, Some(t)) => cmp(t).is_some_and(|o| o.is_le()),
        }
    }
}

/// `GET /Query/customers/{entry}`: filters `field(op)=value` (unknown ones ignored), paging
/// `fromRecord` (default 0) and `limitRecord` (default 20).
async fn query_customers(
    State(sh): State<Arc<Shared>>,
    Path(entry): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let mut filters = Vec::new();
    let mut from = 0usize;
    let mut limit = 20usize;
    for (k, v) in query_pairs(query.as_deref().unwrap_or("")) {
        if k.eq_ignore_ascii_case("fromRecord") {
            match v.trim().parse::<usize>() {
                Ok(n) => from = n,
                Err(_) => {
                    return invalid(
                        &sh,
                        vec![(CODE_PARAM, format!("fromRecord `{v}` is not a number"))],
                    );
                }
            }
        } else if k.eq_ignore_ascii_case("limitRecord") {
            match v.trim().parse::<usize>() {
                Ok(0) => limit = 20,
                Ok(n) => limit = n.min(10_000),
                Err(_) => {
                    return invalid(
                        &sh,
                        vec![(CODE_PARAM, format!("limitRecord `{v}` is not a number"))],
                    );
                }
            }
        } else if let Some(f) = Filter::parse(&k, &v) {
            filters.push(f);
        }
    }
    let inner = sh.payabli.lock();
    let (total, records) = match inner.entries.get(&entry) {
        None => (0, Vec::new()),
        Some(e) => {
            // `customernumber(eq)` is answered from the index, without a scan.
            let by_number = filters
                .iter()
                .find(|f| f.field == "customerNumber" && f.op == Op::Eq)
                .map(|f| e.by_number.get(&f.value.trim().to_lowercase()));
            let mut found: Vec<&Rec> = match by_number {
                Some(ids) => ids
                    .into_iter()
                    .flatten()
                    .filter_map(|id| e.customers.get(id))
                    .filter(|r| filters.iter().all(|f| f.matches(&r.body)))
                    .collect(),
                None => e
                    .customers
                    .values()
                    .filter(|r| filters.iter().all(|f| f.matches(&r.body)))
                    .collect(),
            };
            found.sort_unstable_by_key(|r| r.body.get("customerId").and_then(Value::as_i64));
            let total = found.len();
            let page: Vec<&Map<String, Value>> = found
                .into_iter()
                .skip(from)
                .take(limit)
                .map(|r| &r.body)
                .collect();
            (total, page)
        }
    };
    let answer = json(
        StatusCode::OK,
        &json!({
            "Summary": {
                "totalRecords": total,
                "pageSize": limit,
                "totalPages": total.div_ceil(limit),
                "pageidentifier": null,
            },
            "Records": records,
        }),
    );
    drop(inner);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_pruned_after_the_window() {
        let mut inner = Inner::default();
        let window = std::time::Duration::from_millis(50);
        let start = Instant::now();
        for i in 0..1000 {
            inner.remember_key(&format!("k-{i}"), start);
        }
        assert!(inner.key_seen("k-7", start, window));
        let later = start + window;
        inner.prune_keys(later, window);
        assert!(inner.keys.is_empty() && inner.key_queue.is_empty());
        assert!(!inner.key_seen("k-7", later, window));
    }

    #[test]
    fn filters_parse_and_match() {
        let rec = new_record(
            7,
            "e",
            json!({"customerNumber": "C-1", "email": "a@b.co", "firstname": "Ann", "additionalFields": {"tier": "gold"}})
                .as_object()
                .unwrap(),
            &json!("2024-01-01T00:00:00Z"),
        );
        let f = |k: &str, v: &str| Filter::parse(k, v).unwrap().matches(&rec);
        assert!(f("customernumber(eq)", "c-1"));
        assert!(!f("customernumber(ne)", "C-1"));
        assert!(f("email(ct)", "@b."));
        assert!(f("firstname(in)", "Bob,ann"));
        assert!(f("lastname(ne)", "x"));
        assert!(!f("lastname(eq)", "x"));
        assert!(f("customerid(gt)", "6"));
        assert!(f("additional-tier(eq)", "gold"));
        assert!(Filter::parse("nosuchfield(eq)", "1").is_none());
        assert!(Filter::parse("email(zz)", "1").is_none());
    }
}
