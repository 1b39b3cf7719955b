//! Rebilly: customers upserted by id (`PUT /customers/{id}`), transactions created with a
//! `requestId` that de-duplicates for 24 hours, and the transaction lookup by `requestId`.
//!
//! Errors are RFC 7807 problems (`application/problem+json`): 400 (malformed JSON), 401, 404,
//! 422 (`invalidFields[]{field, message}`, dot paths), 429, 500.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, put};
use serde_json::{Map, Value, json};

use crate::config::Provider;
use crate::persist::Loaded;
use crate::server::Shared;
use crate::stats::Count;
use crate::util::{
    PROBLEM_JSON, Rec, chars, encode_segment, in_order, is_email, is_word, json, json_with, now_ms,
    parse_object, query_pairs, rfc3339, str_of, type_name,
};

const P: Provider = Provider::Rebilly;

/// Transaction types accepted by `POST /transactions`.
const TRANSACTION_TYPES: &[&str] = &["sale", "authorize", "setup"];

/// The records of one organization.
#[derive(Default)]
struct Org {
    customers: HashMap<String, Rec>,
    transactions: HashMap<String, Rec>,
    /// `requestId` -> (transaction id, creation time in epoch ms), within the window only.
    request_ids: HashMap<String, (String, u64)>,
    /// `requestId`s in creation order, for pruning.
    request_queue: VecDeque<(u64, String)>,
}

impl Org {
    fn remember(&mut self, request_id: String, txn: String, at_ms: u64) {
        self.request_queue.push_back((at_ms, request_id.clone()));
        self.request_ids.insert(request_id, (txn, at_ms));
    }

    /// Forgets `requestId`s older than the window.
    fn prune(&mut self, now: u64, window_ms: u64) {
        while let Some((at, _)) = self.request_queue.front() {
            if now.saturating_sub(*at) < window_ms {
                break;
            }
            if let Some((at, key)) = self.request_queue.pop_front()
                && self.request_ids.get(&key).is_some_and(|(_, t)| *t == at)
            {
                self.request_ids.remove(&key);
            }
        }
    }
}

/// Rebilly's records, per organization.
#[derive(Default)]
pub(crate) struct Store {
    orgs: Mutex<HashMap<String, Org>>,
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Org>> {
        self.orgs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn load(&self, row: Loaded, window_ms: u64) {
        let Value::Object(body) = row.body else {
            return;
        };
        let mut orgs = self.lock();
        let org = orgs.entry(row.scope).or_default();
        match row.kind.as_str() {
            "customer" => {
                org.customers.insert(
                    row.id,
                    Rec {
                        seq: row.seq,
                        at_ms: row.at_ms,
                        body,
                    },
                );
            }
            "transaction" => {
                if let Some(rid) = str_of(&body, "requestId")
                    && now_ms().saturating_sub(row.at_ms) < window_ms
                {
                    org.remember(rid.to_owned(), row.id.clone(), row.at_ms);
                }
                org.transactions.insert(
                    row.id,
                    Rec {
                        seq: row.seq,
                        at_ms: row.at_ms,
                        body,
                    },
                );
            }
            _ => {}
        }
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    pub(crate) fn records(&self, kind: &str) -> Vec<Value> {
        let orgs = self.lock();
        match kind {
            "customer" => in_order(orgs.values().flat_map(|o| o.customers.values())),
            "transaction" => in_order(orgs.values().flat_map(|o| o.transactions.values())),
            _ => Vec::new(),
        }
    }
}

/// Rebilly's routes (mounted under `/rebilly`).
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/organizations/{org}/customers/{id}",
            put(put_customer).get(get_customer),
        )
        .route(
            "/organizations/{org}/transactions",
            get(list_transactions).post(post_transaction),
        )
        .route(
            "/organizations/{org}/transactions/{id}",
            get(get_transaction),
        )
        .fallback(not_found)
}

// ---- problems -----------------------------------------------------------------------------

/// An RFC 7807 problem answer.
fn problem(status: StatusCode, slug: &str, title: &str, detail: &str) -> Response {
    json_with(
        status,
        PROBLEM_JSON,
        &json!({
            "type": format!("https://api.rebilly.com/errors/{slug}"),
            "title": title,
            "status": status.as_u16(),
            "detail": detail,
        }),
    )
}

/// 422 with `invalidFields`.
fn validation(sh: &Shared, invalid: Vec<(String, String)>) -> Response {
    sh.count(P, Count::Rejected);
    let detail = invalid
        .iter()
        .map(|(f, m)| format!("{f}: {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    let fields: Vec<Value> = invalid
        .into_iter()
        .map(|(field, message)| json!({ "field": field, "message": message }))
        .collect();
    json_with(
        StatusCode::UNPROCESSABLE_ENTITY,
        PROBLEM_JSON,
        &json!({
            "type": "https://api.rebilly.com/errors/validation-error",
            "title": "Validation error",
            "status": 422,
            "detail": detail,
            "invalidFields": fields,
        }),
    )
}

fn bad_request(sh: &Shared, detail: &str) -> Response {
    sh.count(P, Count::Rejected);
    problem(
        StatusCode::BAD_REQUEST,
        "bad-request",
        "Bad Request",
        detail,
    )
}

fn not_found_problem(sh: &Shared, detail: &str) -> Response {
    sh.count(P, Count::Rejected);
    problem(StatusCode::NOT_FOUND, "not-found", "Not Found", detail)
}

async fn not_found(State(sh): State<Arc<Shared>>) -> Response {
    not_found_problem(&sh, "No such resource.")
}

/// 401 problem.
pub(crate) fn unauthorized() -> Response {
    problem(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "Unauthorized",
        "Invalid credentials: send a valid secret key in REB-APIKEY.",
    )
}

/// 500 problem (injected fault).
pub(crate) fn server_error() -> Response {
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal-server-error",
        "Internal Server Error",
        "An unexpected error occurred.",
    )
}

/// 429 problem with `X-RateLimit-*` headers; `retry_at_secs` is a UTC epoch time.
pub(crate) fn too_many(limit: Option<u32>, retry_at_secs: u64) -> Response {
    let mut r = problem(
        StatusCode::TOO_MANY_REQUESTS,
        "too-many-requests",
        "Rate Limit Exceeded",
        "Too many requests; retry after the time in X-RateLimit-Retry-After.",
    );
    let h = r.headers_mut();
    if let Some(limit) = limit {
        h.insert("x-ratelimit-limit", HeaderValue::from(limit));
    }
    h.insert("x-ratelimit-remaining", HeaderValue::from(0u32));
    h.insert("x-ratelimit-retry-after", HeaderValue::from(retry_at_secs));
    r
}

// ---- validation ---------------------------------------------------------------------------

type Invalid = Vec<(String, String)>;

const BLANK: &str = "This value should not be blank.";
const NOT_VALID: &str = "This value is not valid.";

fn too_long(max: usize) -> String {
    format!("This value is too long. It should have {max} characters or less.")
}

fn wrong_type(expected: &str, v: &Value) -> String {
    format!(
        "This value should be of type {expected}, {} given.",
        type_name(v)
    )
}

/// An optional `string|null` of at most `max` characters; the string when there is one.
fn opt_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    max: usize,
    path: &str,
    invalid: &mut Invalid,
) -> Option<&'a str> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            if chars(s) > max {
                invalid.push((format!("{path}{key}"), too_long(max)));
                None
            } else {
                Some(s)
            }
        }
        Some(v) => {
            invalid.push((format!("{path}{key}"), wrong_type("string", v)));
            None
        }
    }
}

/// A required non-empty string of at most `max` characters.
fn req_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    max: usize,
    path: &str,
    invalid: &mut Invalid,
) -> Option<&'a str> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.is_empty() => opt_str(obj, key, max, path, invalid),
        None | Some(Value::Null | Value::String(_)) => {
            invalid.push((format!("{path}{key}"), BLANK.to_owned()));
            None
        }
        Some(v) => {
            invalid.push((format!("{path}{key}"), wrong_type("string", v)));
            None
        }
    }
}

fn opt_bool(obj: &Map<String, Value>, key: &str, path: &str, invalid: &mut Invalid) {
    match obj.get(key) {
        None | Some(Value::Null | Value::Bool(_)) => {}
        Some(v) => invalid.push((format!("{path}{key}"), wrong_type("boolean", v))),
    }
}

fn opt_object(obj: &Map<String, Value>, key: &str, path: &str, invalid: &mut Invalid) {
    match obj.get(key) {
        None | Some(Value::Null | Value::Object(_)) => {}
        Some(v) => invalid.push((format!("{path}{key}"), wrong_type("object", v))),
    }
}

fn is_country(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_postal_code(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| is_word(c) || c.is_whitespace() || c == '-')
}

/// `^[@~\-\.\w]+$`, at most 50: a resource id.
pub(crate) fn is_resource_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 50 && s.chars().all(|c| is_word(c) || "@~-.".contains(c))
}

/// `^[\-\w]+$`, at most 50: a transaction `requestId`.
fn is_request_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 50 && s.chars().all(|c| is_word(c) || c == '-')
}

/// Items of an optional array, with their paths; a non-array is reported.
fn items<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    path: &str,
    invalid: &mut Invalid,
) -> Vec<(String, &'a Map<String, Value>)> {
    match obj.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v {
                Value::Object(m) => Some((format!("{path}{key}.{i}."), m)),
                other => {
                    invalid.push((format!("{path}{key}.{i}"), wrong_type("object", other)));
                    None
                }
            })
            .collect(),
        Some(v) => {
            invalid.push((format!("{path}{key}"), wrong_type("array", v)));
            Vec::new()
        }
    }
}

/// A `ContactObject` (`primaryAddress`, `billingAddress`).
fn check_contact(v: Option<&Value>, field: &str, invalid: &mut Invalid) {
    let c = match v {
        None | Some(Value::Null) => return,
        Some(Value::Object(c)) => c,
        Some(v) => {
            invalid.push((field.to_owned(), wrong_type("object", v)));
            return;
        }
    };
    let path = format!("{field}.");
    for (key, max) in [
        ("firstName", 45),
        ("lastName", 45),
        ("organization", 255),
        ("address", 60),
        ("address2", 60),
        ("city", 45),
        ("region", 45),
        ("jobTitle", 255),
    ] {
        opt_str(c, key, max, &path, invalid);
    }
    if let Some(country) = opt_str(c, "country", 2, &path, invalid)
        && !is_country(country)
    {
        invalid.push((
            format!("{path}country"),
            "This value is not a valid country: use an ISO 3166 alpha-2 code such as US."
                .to_owned(),
        ));
    }
    if let Some(pc) = opt_str(c, "postalCode", 10, &path, invalid)
        && !is_postal_code(pc)
    {
        invalid.push((format!("{path}postalCode"), NOT_VALID.to_owned()));
    }
    if let Some(dob) = opt_str(c, "dob", 10, &path, invalid)
        && chrono::NaiveDate::parse_from_str(dob, "%Y-%m-%d").is_err()
    {
        invalid.push((
            format!("{path}dob"),
            "This value is not a valid date (YYYY-MM-DD).".to_owned(),
        ));
    }
    for (p, e) in items(c, "emails", &path, invalid) {
        req_str(e, "label", 45, &p, invalid);
        if let Some(value) = req_str(e, "value", 255, &p, invalid)
            && !is_email(value)
        {
            invalid.push((
                format!("{p}value"),
                "This value is not a valid email address.".to_owned(),
            ));
        }
        opt_bool(e, "primary", &p, invalid);
    }
    for (p, ph) in items(c, "phoneNumbers", &path, invalid) {
        req_str(ph, "label", 45, &p, invalid);
        req_str(ph, "value", 50, &p, invalid);
        opt_bool(ph, "primary", &p, invalid);
    }
}

fn check_customer(obj: &Map<String, Value>, invalid: &mut Invalid) {
    opt_str(obj, "websiteId", 50, "", invalid);
    for k in [
        "defaultPaymentInstrumentId",
        "preferredPayoutInstrumentId",
        "personId",
    ] {
        opt_str(obj, k, 50, "", invalid);
    }
    opt_str(obj, "locale", 35, "", invalid);
    opt_str(obj, "paymentToken", 255, "", invalid);
    opt_object(obj, "customFields", "", invalid);
    opt_object(obj, "leadSource", "", invalid);
    opt_bool(obj, "isEddRequired", "", invalid);
    check_contact(obj.get("primaryAddress"), "primaryAddress", invalid);
    match obj.get("defaultPaymentInstrument") {
        None | Some(Value::Null) => {}
        Some(Value::Object(d)) => {
            req_str(d, "method", 50, "defaultPaymentInstrument.", invalid);
        }
        Some(v) => invalid.push((
            "defaultPaymentInstrument".to_owned(),
            wrong_type("object", v),
        )),
    }
    for (p, t) in items(obj, "taxNumbers", "", invalid) {
        match req_str(t, "type", 20, &p, invalid) {
            Some("eu-vat" | "other") | None => {}
            Some(_) => invalid.push((
                format!("{p}type"),
                "The value you selected is not a valid choice (eu-vat, other).".to_owned(),
            )),
        }
        req_str(t, "value", 255, &p, invalid);
        opt_bool(t, "isDefault", &p, invalid);
    }
    match obj.get("notificationEmails") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) => {
            for (i, e) in a.iter().enumerate() {
                if !e.as_str().is_some_and(is_email) {
                    invalid.push((
                        format!("notificationEmails.{i}"),
                        "This value is not a valid email address.".to_owned(),
                    ));
                }
            }
        }
        Some(v) => invalid.push(("notificationEmails".to_owned(), wrong_type("array", v))),
    }
}

// ---- customers ----------------------------------------------------------------------------

/// The Customer resource from a valid request body.
fn customer_resource(
    base: &str,
    org: &str,
    id: &str,
    input: &Map<String, Value>,
    created: &Value,
    updated: Value,
    revision: u64,
) -> Map<String, Value> {
    let address = input.get("primaryAddress").cloned().unwrap_or(Value::Null);
    let from_address = |k: &str| address.get(k).cloned().unwrap_or(Value::Null);
    let email = address
        .get("emails")
        .and_then(Value::as_array)
        .and_then(|emails| {
            emails
                .iter()
                .find(|e| e.get("primary").and_then(Value::as_bool) == Some(true))
                .or_else(|| emails.first())
        })
        .and_then(|e| e.get("value").cloned())
        .unwrap_or(Value::Null);
    let get = |k: &str, default: Value| input.get(k).cloned().unwrap_or(default);
    let zero = json!({ "currency": "USD", "amount": 0, "amountUsd": 0 });
    let mut m = Map::with_capacity(28);
    m.insert("id".into(), Value::String(id.to_owned()));
    m.insert("email".into(), email);
    m.insert("firstName".into(), from_address("firstName"));
    m.insert("lastName".into(), from_address("lastName"));
    m.insert("websiteId".into(), get("websiteId", Value::Null));
    m.insert(
        "defaultPaymentInstrument".into(),
        get("defaultPaymentInstrument", Value::Null),
    );
    m.insert("createdTime".into(), created.clone());
    m.insert("updatedTime".into(), updated);
    m.insert("customFields".into(), get("customFields", json!({})));
    m.insert("primaryAddress".into(), address.clone());
    m.insert("locale".into(), get("locale", Value::Null));
    m.insert("taxNumbers".into(), get("taxNumbers", json!([])));
    m.insert("personId".into(), get("personId", Value::Null));
    m.insert(
        "preferredPayoutInstrumentId".into(),
        get("preferredPayoutInstrumentId", Value::Null),
    );
    m.insert(
        "notificationEmails".into(),
        get("notificationEmails", json!([])),
    );
    m.insert("averageValue".into(), zero.clone());
    m.insert("paymentCount".into(), json!(0));
    m.insert("lastPaymentTime".into(), Value::Null);
    m.insert("lifetimeRevenue".into(), zero);
    m.insert("invoiceCount".into(), json!(0));
    m.insert("tags".into(), json!([]));
    m.insert("revision".into(), json!(revision));
    if let Some(edd) = input.get("isEddRequired") {
        m.insert("isEddRequired".into(), edd.clone());
    }
    m.insert("hasFulfilledKyc".into(), Value::Bool(false));
    m.insert("organizationId".into(), Value::String(org.to_owned()));
    m.insert(
        "_links".into(),
        json!([{ "href": customer_url(base, org, id), "rel": "self" }]),
    );
    m
}

fn customer_url(base: &str, org: &str, id: &str) -> String {
    format!(
        "{base}/organizations/{}/customers/{}",
        encode_segment(org),
        encode_segment(id)
    )
}

fn transaction_url(base: &str, org: &str, id: &str) -> String {
    format!(
        "{base}/organizations/{}/transactions/{}",
        encode_segment(org),
        encode_segment(id)
    )
}

fn with_location(mut r: Response, url: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(url) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

async fn put_customer(
    State(sh): State<Arc<Shared>>,
    Path((org, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let mut invalid = Invalid::new();
    if !is_resource_id(&id) {
        invalid.push((
            "id".to_owned(),
            "This value is not valid: at most 50 characters of letters, digits, _ @ ~ - and ."
                .to_owned(),
        ));
    }
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return bad_request(&sh, &e),
    };
    check_customer(&obj, &mut invalid);
    if !invalid.is_empty() {
        return validation(&sh, invalid);
    }
    let now = now_ms();
    let stamp = Value::String(rfc3339(now));
    let base = sh.rebilly_base();
    let mut orgs = sh.rebilly.lock();
    let o = orgs.entry(org.clone()).or_default();
    let (created, resource) = match o.customers.get_mut(&id) {
        Some(rec) => {
            // PUT replaces the writable fields; creation time and revision carry on.
            let created_time = rec.body.get("createdTime").cloned().unwrap_or(Value::Null);
            let revision = rec
                .body
                .get("revision")
                .and_then(Value::as_u64)
                .unwrap_or(0)
                + 1;
            rec.body = customer_resource(base, &org, &id, &obj, &created_time, stamp, revision);
            (false, &*rec)
        }
        None => {
            let seq = sh.next_seq();
            let body = customer_resource(base, &org, &id, &obj, &stamp, stamp.clone(), 0);
            let rec = o.customers.entry(id.clone()).or_insert(Rec {
                seq,
                at_ms: now,
                body,
            });
            (true, &*rec)
        }
    };
    sh.save(P, "customer", &org, &id, resource);
    let answer = json(
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        &resource.body,
    );
    drop(orgs);
    if created {
        sh.count(P, Count::Created);
        with_location(answer, &customer_url(base, &org, &id))
    } else {
        sh.count(P, Count::Updated);
        answer
    }
}

async fn get_customer(
    State(sh): State<Arc<Shared>>,
    Path((org, id)): Path<(String, String)>,
) -> Response {
    let orgs = sh.rebilly.lock();
    match orgs.get(&org).and_then(|o| o.customers.get(&id)) {
        Some(rec) => json(StatusCode::OK, &rec.body),
        None => {
            drop(orgs);
            not_found_problem(&sh, &format!("Customer {id} was not found."))
        }
    }
}

// ---- transactions -------------------------------------------------------------------------

async fn post_transaction(
    State(sh): State<Arc<Shared>>,
    Path(org): Path<String>,
    body: Bytes,
) -> Response {
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return bad_request(&sh, &e),
    };
    let mut invalid = Invalid::new();
    if let Some(t) = req_str(&obj, "type", 20, "", &mut invalid)
        && !TRANSACTION_TYPES.contains(&t)
    {
        invalid.push((
            "type".to_owned(),
            "The value you selected is not a valid choice (sale, authorize, setup).".to_owned(),
        ));
    }
    req_str(&obj, "websiteId", 50, "", &mut invalid);
    let customer_id = req_str(&obj, "customerId", 50, "", &mut invalid);
    if let Some(c) = req_str(&obj, "currency", 3, "", &mut invalid)
        && !(c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
    {
        invalid.push((
            "currency".to_owned(),
            "This value is not a valid currency (ISO 4217, e.g. USD).".to_owned(),
        ));
    }
    match obj.get("amount") {
        None | Some(Value::Null) => invalid.push(("amount".to_owned(), BLANK.to_owned())),
        Some(Value::Number(n)) if n.as_f64().is_some_and(|x| x.is_finite() && x >= 0.0) => {}
        Some(Value::Number(_)) => invalid.push((
            "amount".to_owned(),
            "This value should be greater than or equal to 0.".to_owned(),
        )),
        Some(v) => invalid.push(("amount".to_owned(), wrong_type("number", v))),
    }
    let request_id = opt_str(&obj, "requestId", 50, "", &mut invalid);
    if let Some(r) = request_id
        && !is_request_id(r)
    {
        invalid.push(("requestId".to_owned(), NOT_VALID.to_owned()));
    }
    opt_bool(&obj, "isProcessedOutside", "", &mut invalid);
    opt_bool(&obj, "isMerchantInitiated", "", &mut invalid);
    let outside = obj.get("isProcessedOutside").and_then(Value::as_bool) == Some(true);
    if let Some(t) = opt_str(&obj, "processedTime", 64, "", &mut invalid) {
        if !outside {
            invalid.push((
                "processedTime".to_owned(),
                "processedTime can only be set when isProcessedOutside is true.".to_owned(),
            ));
        } else if chrono::DateTime::parse_from_rfc3339(t).is_err() {
            invalid.push((
                "processedTime".to_owned(),
                "This value is not a valid date-time (RFC 3339).".to_owned(),
            ));
        }
    }
    opt_str(&obj, "description", 255, "", &mut invalid);
    opt_object(&obj, "customFields", "", &mut invalid);
    opt_object(&obj, "paymentInstruction", "", &mut invalid);
    check_contact(obj.get("billingAddress"), "billingAddress", &mut invalid);
    let (Some(customer_id), true) = (customer_id, invalid.is_empty()) else {
        return validation(&sh, invalid);
    };

    let now = now_ms();
    let window = u64::try_from(sh.config.rebilly_request_id_window.as_millis()).unwrap_or(u64::MAX);
    let base = sh.rebilly_base();
    let mut orgs = sh.rebilly.lock();
    let o = orgs.entry(org.clone()).or_default();
    if !o.customers.contains_key(customer_id) {
        drop(orgs);
        return validation(
            &sh,
            vec![(
                "customerId".to_owned(),
                format!("Customer {customer_id} was not found."),
            )],
        );
    }
    o.prune(now, window);
    if let Some(rid) = request_id
        && let Some((txn, _)) = o.request_ids.get(rid)
        && let Some(original) = o.transactions.get(txn)
    {
        // Rebilly documents only that a repeated requestId within 24 hours is "ignored";
        // the sandbox answers 200 with the transaction the first request created.
        let answer = json(StatusCode::OK, &original.body);
        drop(orgs);
        sh.count(P, Count::Deduplicated);
        return answer;
    }
    let seq = sh.next_seq();
    let id = format!(
        "txn_{:016x}",
        crate::util::mix64(sh.config.seed ^ seq.rotate_left(17))
    );
    let stamp = Value::String(rfc3339(now));
    let get = |k: &str, default: Value| obj.get(k).cloned().unwrap_or(default);
    let mut t = Map::with_capacity(24);
    t.insert("id".into(), Value::String(id.clone()));
    t.insert("type".into(), get("type", Value::Null));
    t.insert("result".into(), json!("approved"));
    t.insert("status".into(), json!("completed"));
    t.insert("requestId".into(), get("requestId", Value::Null));
    t.insert("customerId".into(), get("customerId", Value::Null));
    t.insert("websiteId".into(), get("websiteId", Value::Null));
    t.insert("amount".into(), get("amount", Value::Null));
    t.insert("currency".into(), get("currency", Value::Null));
    t.insert("isProcessedOutside".into(), Value::Bool(outside));
    t.insert(
        "processedTime".into(),
        obj.get("processedTime")
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or_else(|| stamp.clone()),
    );
    t.insert("description".into(), get("description", Value::Null));
    t.insert("billingAddress".into(), get("billingAddress", Value::Null));
    t.insert(
        "paymentInstruction".into(),
        get("paymentInstruction", Value::Null),
    );
    t.insert("invoiceIds".into(), get("invoiceIds", json!([])));
    t.insert("customFields".into(), get("customFields", json!({})));
    t.insert(
        "isMerchantInitiated".into(),
        get("isMerchantInitiated", Value::Bool(false)),
    );
    t.insert("organizationId".into(), Value::String(org.clone()));
    t.insert("createdTime".into(), stamp.clone());
    t.insert("updatedTime".into(), stamp);
    t.insert(
        "_links".into(),
        json!([{ "href": transaction_url(base, &org, &id), "rel": "self" }]),
    );
    if let Some(rid) = request_id {
        o.remember(rid.to_owned(), id.clone(), now);
    }
    let rec = o.transactions.entry(id.clone()).or_insert(Rec {
        seq,
        at_ms: now,
        body: t,
    });
    sh.save(P, "transaction", &org, &id, rec);
    let answer = json(StatusCode::CREATED, &rec.body);
    drop(orgs);
    sh.count(P, Count::Created);
    with_location(answer, &transaction_url(base, &org, &id))
}

async fn get_transaction(
    State(sh): State<Arc<Shared>>,
    Path((org, id)): Path<(String, String)>,
) -> Response {
    let orgs = sh.rebilly.lock();
    match orgs.get(&org).and_then(|o| o.transactions.get(&id)) {
        Some(rec) => json(StatusCode::OK, &rec.body),
        None => {
            drop(orgs);
            not_found_problem(&sh, &format!("Transaction {id} was not found."))
        }
    }
}

/// One `field:value1,value2` condition of a `filter`.
struct Condition {
    field: String,
    values: Vec<String>,
}

fn parse_filter(filter: &str) -> Vec<Condition> {
    filter
        .split(';')
        .filter_map(|c| {
            let (field, values) = c.split_once(':')?;
            Some(Condition {
                field: field.trim().to_owned(),
                values: values.split(',').map(|v| v.trim().to_owned()).collect(),
            })
        })
        .collect()
}

fn matches(t: &Map<String, Value>, conditions: &[Condition]) -> bool {
    conditions.iter().all(|c| match t.get(&c.field) {
        Some(Value::String(s)) => c.values.iter().any(|v| v == s),
        Some(Value::Number(n)) => c.values.iter().any(|v| *v == n.to_string()),
        Some(Value::Bool(b)) => c.values.iter().any(|v| *v == b.to_string()),
        // Filters on fields a transaction does not have are ignored.
        None => true,
        Some(_) => false,
    })
}

/// `GET /transactions?filter=requestId:<id>&limit=1`: a JSON array, newest first, with
/// `Pagination-Total`, `Pagination-Limit` and `Pagination-Offset` headers.
async fn list_transactions(
    State(sh): State<Arc<Shared>>,
    Path(org): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let mut conditions = Vec::new();
    let mut limit = 100usize;
    let mut offset = 0usize;
    for (k, v) in query_pairs(query.as_deref().unwrap_or("")) {
        match &*k {
            "filter" => conditions = parse_filter(&v),
            "limit" => match v.parse::<usize>() {
                Ok(n) if n <= 1000 => limit = n,
                _ => return bad_request(&sh, "limit must be an integer from 0 to 1000"),
            },
            "offset" => match v.parse::<usize>() {
                Ok(n) => offset = n,
                _ => return bad_request(&sh, "offset must be a non-negative integer"),
            },
            _ => {}
        }
    }
    let orgs = sh.rebilly.lock();
    let Some(o) = orgs.get(&org) else {
        drop(orgs);
        return paged(Vec::new(), 0, limit, offset);
    };
    // The requestId index answers the common lookup without a scan.
    let indexed = conditions
        .iter()
        .find(|c| c.field == "requestId" && c.values.len() == 1)
        .and_then(|c| o.request_ids.get(&c.values[0]))
        .and_then(|(txn, _)| o.transactions.get(txn));
    let mut found: Vec<&Rec> = match indexed {
        Some(rec) => vec![rec],
        None => o
            .transactions
            .values()
            .filter(|r| matches(&r.body, &conditions))
            .collect(),
    };
    found.retain(|r| matches(&r.body, &conditions));
    found.sort_unstable_by_key(|r| std::cmp::Reverse(r.seq));
    let total = found.len();
    let page: Vec<Value> = found
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|r| Value::Object(r.body.clone()))
        .collect();
    drop(orgs);
    paged(page, total, limit, offset)
}

fn paged(page: Vec<Value>, total: usize, limit: usize, offset: usize) -> Response {
    let mut r = json(StatusCode::OK, &page);
    let h = r.headers_mut();
    h.insert("pagination-total", HeaderValue::from(total));
    h.insert("pagination-limit", HeaderValue::from(limit));
    h.insert("pagination-offset", HeaderValue::from(offset));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_pruned_after_the_window() {
        let mut org = Org::default();
        for i in 0..1000u64 {
            org.remember(format!("r-{i}"), format!("txn-{i}"), i);
        }
        org.prune(1500, 1000);
        // Kept: younger than the window (created after 500).
        assert_eq!(org.request_ids.len(), 499);
        assert_eq!(org.request_queue.len(), 499);
        assert!(!org.request_ids.contains_key("r-500"));
        assert!(org.request_ids.contains_key("r-501"));
        org.prune(10_000, 1000);
        assert!(org.request_ids.is_empty() && org.request_queue.is_empty());
    }

    #[test]
    fn ids_and_patterns() {
        assert!(is_resource_id("cus-franklin-01"));
        assert!(is_resource_id("a@b~c.d_e"));
        assert!(!is_resource_id("has space"));
        assert!(!is_resource_id(&"x".repeat(51)));
        assert!(is_request_id("pay-123_abc"));
        assert!(!is_request_id("pay.123"));
        assert!(is_postal_code("WC2N 5NF"));
        assert!(!is_postal_code("12#45"));
        assert!(is_country("GB"));
        assert!(!is_country("gb"));
    }

    #[test]
    fn contact_paths_use_dots() {
        let v = json!({
            "firstName": "x".repeat(46),
            "country": "usa",
            "emails": [{ "label": "main", "value": "nope" }],
            "phoneNumbers": [{ "value": "1" }]
        });
        let mut invalid = Invalid::new();
        check_contact(Some(&v), "primaryAddress", &mut invalid);
        let fields: Vec<&str> = invalid.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "primaryAddress.firstName",
                "primaryAddress.country",
                "primaryAddress.emails.0.value",
                "primaryAddress.phoneNumbers.0.label"
            ]
        );
    }
}
