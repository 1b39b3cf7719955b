//! Payabli's reads: `GET /Customer/{id}` (the bare record) and the customer lists
//! `GET /Query/customers/{entry}` and `GET /Query/customers/org/{orgId}`, answering
//! `{Summary, Records}`.
//!
//! Query semantics, from Payabli's docs: filters are raw query keys `field(op)=value` with
//! the documented field names (`customernumber`, `firstname`, `lastname`, `name` (first and
//! last name), `email`, `phone`, `company`, `username`, `status`, `balance`, `createdDate`,
//! addresses, `additional-<name>`...; unknown ones are ignored); `in` and `nin` take values
//! separated by `|`; comparisons of text ignore ASCII case; `fromRecord` skips (default 0);
//! `limitRecord` caps (default 20; 0 or negative returns every record); `sortBy=asc(field)` or
//! `desc(field)` sorts (default: by `customerId`).

use std::cmp::Ordering;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::answers::{CODE_PARAM, customer_not_found, invalid};
use super::filter::{Filter, compare_field};
use super::store::{Entry, Store};
use crate::state::Ctx;
use crate::util::{json, json_text, query_pairs};

/// `GET /Customer/{id}`.
pub(super) async fn get_customer(
    State(cx): State<Ctx<Store>>,
    Path(id_text): Path<String>,
) -> Response {
    let Ok(id) = id_text.trim().parse::<i64>() else {
        return customer_not_found(&cx.sh, &id_text);
    };
    let found = {
        let inner = cx.store.lock();
        inner
            .ids
            .get(&id)
            .and_then(|e| inner.entries.get(e))
            .and_then(|e| e.customers.get(&id))
            .map(|r| json_text(StatusCode::OK, r.text()))
    };
    found.unwrap_or_else(|| customer_not_found(&cx.sh, &id_text))
}

/// A parsed list query.
struct ListQuery {
    filters: Vec<Filter>,
    from: usize,
    /// `None`: every record.
    limit: Option<usize>,
    /// Field (filter name) and whether descending.
    sort: Option<(String, bool)>,
}

fn parse_sort(v: &str) -> Option<(String, bool)> {
    let v = v.trim();
    let inner = |p: &str| {
        v.get(..p.len())
            .filter(|h| h.eq_ignore_ascii_case(p))
            .and_then(|_| v[p.len()..].strip_suffix(')'))
    };
    match (inner("desc("), inner("asc(")) {
        (Some(f), _) => Some((f.trim().to_ascii_lowercase(), true)),
        (_, Some(f)) => Some((f.trim().to_ascii_lowercase(), false)),
        _ if !v.is_empty() => Some((v.to_ascii_lowercase(), false)),
        _ => None,
    }
}

fn parse_query(query: Option<&str>) -> Result<ListQuery, String> {
    let mut q = ListQuery {
        filters: Vec::new(),
        from: 0,
        limit: Some(20),
        sort: None,
    };
    for (k, v) in query_pairs(query.unwrap_or("")) {
        if k.eq_ignore_ascii_case("fromRecord") {
            q.from = v
                .trim()
                .parse::<usize>()
                .map_err(|_| format!("fromRecord `{v}` is not a number of records"))?;
        } else if k.eq_ignore_ascii_case("limitRecord") {
            let n = v
                .trim()
                .parse::<i64>()
                .map_err(|_| format!("limitRecord `{v}` is not a number"))?;
            q.limit = usize::try_from(n).ok().filter(|n| *n > 0);
        } else if k.eq_ignore_ascii_case("sortBy") {
            q.sort = parse_sort(&v);
        } else if let Some(f) = Filter::parse(&k, &v) {
            q.filters.push(f);
        }
    }
    Ok(q)
}

/// Filters, sorts and pages the customers of `entries`.
fn answer<'a>(entries: impl Iterator<Item = &'a Entry>, q: &ListQuery) -> Response {
    let mut found: Vec<Map<String, Value>> = Vec::new();
    for e in entries {
        // `customernumber(eq)` is answered from the index, without a scan.
        let by_number = q
            .filters
            .iter()
            .find(|f| f.is_number_eq())
            .map(|f| e.by_number.get(&f.value().trim().to_lowercase()));
        let recs: Vec<_> = match by_number {
            Some(ids) => ids
                .into_iter()
                .flatten()
                .filter_map(|id| e.customers.get(id))
                .collect(),
            None => e.customers.values().collect(),
        };
        found.extend(
            recs.into_iter()
                .map(|r| r.object())
                .filter(|m| q.filters.iter().all(|f| f.matches(m))),
        );
    }
    let id = |m: &Map<String, Value>| m.get("customerId").and_then(Value::as_i64);
    found.sort_by(|a, b| {
        let by_field = q.sort.as_ref().map_or(Ordering::Equal, |(field, desc)| {
            let o = compare_field(field, a, b);
            if *desc { o.reverse() } else { o }
        });
        by_field.then_with(|| id(a).cmp(&id(b)))
    });
    let total = found.len();
    let size = q.limit.unwrap_or(total.max(1));
    let records: Vec<_> = found.into_iter().skip(q.from).take(size).collect();
    json(
        StatusCode::OK,
        &json!({
            "Summary": {
                "totalRecords": total,
                "pageSize": size,
                "totalPages": total.div_ceil(size),
                "pageidentifier": null,
            },
            "Records": records,
        }),
    )
}

/// `GET /Query/customers/{entry}`.
pub(super) async fn query_entry(
    State(cx): State<Ctx<Store>>,
    Path(entry): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let q = match parse_query(query.as_deref()) {
        Ok(q) => q,
        Err(e) => return invalid(&cx.sh, vec![(CODE_PARAM, e)]),
    };
    let inner = cx.store.lock();
    answer(inner.entries.get(&entry).into_iter(), &q)
}

/// `GET /Query/customers/org/{orgId}`: the sandbox is one organization that holds every
/// entrypoint, so any numeric `orgId` lists the customers of all entrypoints.
pub(super) async fn query_org(
    State(cx): State<Ctx<Store>>,
    Path(org): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if org.trim().parse::<i64>().is_err() {
        let problem = (CODE_PARAM, format!("orgId `{org}` is not a number"));
        return invalid(&cx.sh, vec![problem]);
    }
    let q = match parse_query(query.as_deref()) {
        Ok(q) => q,
        Err(e) => return invalid(&cx.sh, vec![(CODE_PARAM, e)]),
    };
    let inner = cx.store.lock();
    answer(inner.entries.values(), &q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_and_limits_parse() {
        assert_eq!(
            parse_sort("desc(firstname)"),
            Some(("firstname".into(), true))
        );
        assert_eq!(parse_sort("ASC(Email)"), Some(("email".into(), false)));
        assert_eq!(parse_sort(""), None);
        assert_eq!(parse_query(Some("limitRecord=-1")).unwrap().limit, None);
        assert_eq!(parse_query(Some("limitRecord=0")).unwrap().limit, None);
        assert_eq!(parse_query(Some("")).unwrap().limit, Some(20));
        assert!(parse_query(Some("limitRecord=x")).is_err());
    }
}
