//! Rebilly's `POST /transactions`: a transaction for a known customer; a `requestId` seen
//! within the window (24 hours by default) is answered **200 with the original transaction**
//! (Rebilly documents only that duplicates are "ignored") and counted as deduplicated.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::answers::{P, bad_request, server_error, validation, with_location};
use super::org_of;
use super::resource::{transaction_resource, transaction_url};
use super::store::Store;
use super::validation::{Invalid, check_transaction};
use crate::record::Rec;
use crate::state::Ctx;
use crate::stats::Count;
use crate::util::{json_text, mix64, now_ms, parse_object, rfc3339};

/// `POST /transactions`.
pub(super) async fn post_transaction(
    State(cx): State<Ctx<Store>>,
    Path(params): Path<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let org = org_of(&cx.sh, &params);
    let obj = match parse_object(&body) {
        Ok(o) => o,
        Err(e) => return bad_request(&cx.sh, &e),
    };
    let mut invalid = Invalid::new();
    let (customer_id, request_id) = check_transaction(&obj, &mut invalid);
    let (Some(customer_id), true) = (customer_id, invalid.is_empty()) else {
        return validation(&cx.sh, invalid);
    };
    let now = now_ms();
    let window =
        u64::try_from(cx.sh.config.rebilly_request_id_window.as_millis()).unwrap_or(u64::MAX);
    let base = cx.sh.rebilly_base();
    let (id, text, pending) = {
        let mut orgs = cx.store.lock();
        let o = orgs.entry(org.clone()).or_default();
        if !o.customers.contains_key(customer_id) {
            drop(orgs);
            let message = format!("Customer {customer_id} was not found.");
            return validation(&cx.sh, vec![("customerId".to_owned(), message)]);
        }
        o.prune(now, window);
        if let Some(rid) = request_id
            && let Some((txn, _)) = o.request_ids.get(rid)
            && let Some(original) = o.transactions.get(txn)
        {
            let answer = json_text(StatusCode::OK, original.text());
            drop(orgs);
            cx.sh.count(P, Count::Deduplicated);
            return answer;
        }
        let seq = cx.sh.next_seq();
        let id = format!(
            "txn_{:016x}",
            mix64(cx.sh.config.seed ^ seq.rotate_left(17))
        );
        let stamp = Value::String(rfc3339(now));
        let t = transaction_resource(base, &org, &id, &obj, &stamp);
        if let Some(rid) = request_id {
            o.remember(rid.to_owned(), id.clone(), now);
        }
        let rec = o
            .transactions
            .entry(id.clone())
            .or_insert(Rec::new(seq, now, &t));
        let pending = cx.sh.save(P, "transaction", &org, &id, rec);
        (id, rec.text().to_owned(), pending)
    };
    if pending.durable().await.is_err() {
        return server_error();
    }
    cx.sh.count(P, Count::Created);
    let answer = json_text(StatusCode::CREATED, &text);
    with_location(answer, &transaction_url(base, &org, &id))
}
