//! The resources Rebilly answers with: a Customer from a request body (its writable fields
//! replaced, read-only fields derived), a Transaction, and their URLs.

use serde_json::{Map, Value, json};

use crate::util::encode_segment;

/// The Customer resource from a valid request body.
pub(super) fn customer_resource(
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

pub(super) fn customer_url(base: &str, org: &str, id: &str) -> String {
    format!(
        "{base}/organizations/{}/customers/{}",
        encode_segment(org),
        encode_segment(id)
    )
}

pub(super) fn transaction_url(base: &str, org: &str, id: &str) -> String {
    format!(
        "{base}/organizations/{}/transactions/{}",
        encode_segment(org),
        encode_segment(id)
    )
}

/// The Transaction resource from a valid request body.
pub(super) fn transaction_resource(
    base: &str,
    org: &str,
    id: &str,
    obj: &Map<String, Value>,
    stamp: &Value,
) -> Map<String, Value> {
    let get = |k: &str, default: Value| obj.get(k).cloned().unwrap_or(default);
    let outside = obj.get("isProcessedOutside").and_then(Value::as_bool) == Some(true);
    let mut t = Map::with_capacity(24);
    t.insert("id".into(), Value::String(id.to_owned()));
    t.insert("type".into(), get("type", Value::Null));
    t.insert("result".into(), json!("approved"));
    t.insert("status".into(), json!("completed"));
    for k in ["requestId", "customerId", "websiteId", "amount", "currency"] {
        t.insert(k.into(), get(k, Value::Null));
    }
    t.insert("isProcessedOutside".into(), Value::Bool(outside));
    let processed = obj.get("processedTime").filter(|v| !v.is_null());
    t.insert(
        "processedTime".into(),
        processed.cloned().unwrap_or_else(|| stamp.clone()),
    );
    for k in ["description", "billingAddress", "paymentInstruction"] {
        t.insert(k.into(), get(k, Value::Null));
    }
    t.insert("invoiceIds".into(), get("invoiceIds", json!([])));
    t.insert("customFields".into(), get("customFields", json!({})));
    t.insert(
        "isMerchantInitiated".into(),
        get("isMerchantInitiated", Value::Bool(false)),
    );
    t.insert("organizationId".into(), Value::String(org.to_owned()));
    t.insert("createdTime".into(), stamp.clone());
    t.insert("updatedTime".into(), stamp.clone());
    t.insert(
        "_links".into(),
        json!([{ "href": transaction_url(base, org, id), "rel": "self" }]),
    );
    t
}
