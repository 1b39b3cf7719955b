//! Rebilly's reads: a customer or transaction by id, and the collections
//! (`GET /customers`, `GET /transactions`) with `limit` (0 to 1000, default 100), `offset`,
//! `filter` (`field:value1,value2;field2:value`), `sort` (`-createdTime,email`: a leading `-`
//! sorts descending; default newest first) and, for customers, `q` (a case-insensitive
//! search of id, email, first and last name). Lists are JSON arrays with
//! `Pagination-Total`, `Pagination-Limit` and `Pagination-Offset` headers.

use std::cmp::Ordering;
use std::collections::HashMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use super::answers::{bad_request, not_found_problem, paged};
use super::store::{Org, Store};
use super::{org_of, param};
use crate::record::Rec;
use crate::state::Ctx;
use crate::util::{json_text, query_pairs};

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
        // Filters on fields a resource does not have are ignored.
        None => true,
        Some(_) => false,
    })
}

/// Compares two JSON values of one field: numbers as numbers, else as text; null last.
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        (None | Some(Value::Null), None | Some(Value::Null)) => Ordering::Equal,
        (None | Some(Value::Null), _) => Ordering::Greater,
        (_, None | Some(Value::Null)) => Ordering::Less,
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
    }
}

/// A collection request.
struct ListQuery {
    conditions: Vec<Condition>,
    sort: Vec<(String, bool)>,
    search: Option<String>,
    limit: usize,
    offset: usize,
}

fn parse_list(query: Option<&str>) -> Result<ListQuery, &'static str> {
    let mut q = ListQuery {
        conditions: Vec::new(),
        sort: Vec::new(),
        search: None,
        limit: 100,
        offset: 0,
    };
    for (k, v) in query_pairs(query.unwrap_or("")) {
        match &*k {
            "filter" => q.conditions = parse_filter(&v),
            "q" => q.search = Some(v.trim().to_lowercase()).filter(|s| !s.is_empty()),
            "sort" => {
                q.sort = v
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| match s.strip_prefix('-') {
                        Some(f) => (f.to_owned(), true),
                        None => (s.trim_start_matches('+').to_owned(), false),
                    })
                    .collect();
            }
            "limit" => match v.parse::<usize>() {
                Ok(n) if n <= 1000 => q.limit = n,
                _ => return Err("limit must be an integer from 0 to 1000"),
            },
            "offset" => match v.parse::<usize>() {
                Ok(n) => q.offset = n,
                _ => return Err("offset must be a non-negative integer"),
            },
            _ => {}
        }
    }
    Ok(q)
}

fn searched(m: &Map<String, Value>, search: &str) -> bool {
    ["id", "email", "firstName", "lastName"].iter().any(|k| {
        m.get(*k)
            .and_then(Value::as_str)
            .is_some_and(|s| s.to_lowercase().contains(search))
    })
}

/// Filters, sorts and pages records.
fn list<'a>(recs: impl Iterator<Item = &'a Rec>, q: &ListQuery) -> Response {
    let mut found: Vec<(u64, Map<String, Value>)> = recs
        .map(|r| (r.seq, r.object()))
        .filter(|(_, m)| matches(m, &q.conditions))
        .filter(|(_, m)| q.search.as_deref().is_none_or(|s| searched(m, s)))
        .collect();
    found.sort_by(|(sa, a), (sb, b)| {
        q.sort
            .iter()
            .map(|(f, desc)| {
                let o = compare(a.get(f), b.get(f));
                if *desc { o.reverse() } else { o }
            })
            .find(|o| o.is_ne())
            .unwrap_or_else(|| sb.cmp(sa))
    });
    let total = found.len();
    let page = found
        .into_iter()
        .skip(q.offset)
        .take(q.limit)
        .map(|(_, m)| Value::Object(m))
        .collect();
    paged(page, total, q.limit, q.offset)
}

fn one(found: Option<&Rec>) -> Option<Response> {
    found.map(|r| json_text(StatusCode::OK, r.text()))
}

/// `GET /customers/{id}`.
pub(super) async fn get_customer(
    State(cx): State<Ctx<Store>>,
    Path(params): Path<HashMap<String, String>>,
) -> Response {
    let (org, id) = (org_of(&cx.sh, &params), param(&params, "id"));
    let found = one(cx.store.lock().get(&org).and_then(|o| o.customers.get(&id)));
    found.unwrap_or_else(|| not_found_problem(&cx.sh, &format!("Customer {id} was not found.")))
}

/// `GET /transactions/{id}`.
pub(super) async fn get_transaction(
    State(cx): State<Ctx<Store>>,
    Path(params): Path<HashMap<String, String>>,
) -> Response {
    let (org, id) = (org_of(&cx.sh, &params), param(&params, "id"));
    let found = one(cx
        .store
        .lock()
        .get(&org)
        .and_then(|o| o.transactions.get(&id)));
    found.unwrap_or_else(|| not_found_problem(&cx.sh, &format!("Transaction {id} was not found.")))
}

/// `GET /customers`.
pub(super) async fn list_customers(
    State(cx): State<Ctx<Store>>,
    Path(params): Path<HashMap<String, String>>,
    RawQuery(query): RawQuery,
) -> Response {
    let q = match parse_list(query.as_deref()) {
        Ok(q) => q,
        Err(e) => return bad_request(&cx.sh, e),
    };
    let org = org_of(&cx.sh, &params);
    let orgs = cx.store.lock();
    list(
        orgs.get(&org)
            .into_iter()
            .flat_map(|o| o.customers.values()),
        &q,
    )
}

/// The transaction a single `requestId:<id>` condition names, from the index.
fn by_request_id<'a>(o: &'a Org, q: &ListQuery) -> Option<&'a Rec> {
    let c = q
        .conditions
        .iter()
        .find(|c| c.field == "requestId" && c.values.len() == 1)?;
    let (txn, _) = o.request_ids.get(&c.values[0])?;
    o.transactions.get(txn)
}

/// `GET /transactions` (e.g. `?filter=requestId:<id>&limit=1`).
pub(super) async fn list_transactions(
    State(cx): State<Ctx<Store>>,
    Path(params): Path<HashMap<String, String>>,
    RawQuery(query): RawQuery,
) -> Response {
    let q = match parse_list(query.as_deref()) {
        Ok(q) => q,
        Err(e) => return bad_request(&cx.sh, e),
    };
    let org = org_of(&cx.sh, &params);
    let orgs = cx.store.lock();
    let Some(o) = orgs.get(&org) else {
        return paged(Vec::new(), 0, q.limit, q.offset);
    };
    // The requestId index answers the common lookup without a scan.
    match by_request_id(o, &q) {
        Some(rec) => list(std::iter::once(rec), &q),
        None => list(o.transactions.values(), &q),
    }
}
