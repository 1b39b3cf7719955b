//! The customer record Payabli stores and answers with: PascalCase fields (`Firstname`,
//! `Email`, `Address1`...) with camelCase ids (`customerId`, `customerNumber`,
//! `customerStatus`), built from a request's `CustomerData`.
//!
//! An update changes only the fields sent: a JSON `null` clears that field, and
//! `additionalFields` merge into the stored ones (a `null` member removes that member, a
//! `null` map clears them all).

use serde_json::{Map, Value, json};

/// Request field -> record field, for the fields stored as sent.
pub(super) const FIELDS: &[(&str, &str)] = &[
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

/// Applies the request's fields to a record (create: fresh record; update: the stored one).
pub(super) fn apply(record: &mut Map<String, Value>, obj: &Map<String, Value>, now: &Value) {
    for (from, to) in FIELDS {
        if let Some(v) = obj.get(*from) {
            record.insert((*to).to_owned(), v.clone());
        }
    }
    match obj.get("additionalFields") {
        Some(Value::Object(add)) => {
            let target = record
                .entry("AdditionalFields")
                .or_insert_with(|| Value::Object(Map::new()));
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            if let Value::Object(t) = target {
                for (k, v) in add {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        Some(Value::Null) => {
            record.insert("AdditionalFields".to_owned(), Value::Null);
        }
        _ => {}
    }
    record.insert("LastUpdated".to_owned(), now.clone());
}

/// A new customer of `entry` (fields sent as `null` keep their defaults).
pub(super) fn new_record(
    id: i64,
    entry: &str,
    obj: &Map<String, Value>,
    now: &Value,
) -> Map<String, Value> {
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
    let sent: Map<String, Value> = obj
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    apply(&mut r, &sent, now);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_changes_only_what_is_sent_and_null_clears() {
        let now = json!("2024-01-01T00:00:00Z");
        let create = json!({"firstname": "Ann", "email": "a@b.co", "phone": "1",
            "additionalFields": {"tier": "gold", "team": "x"}, "customerStatus": null});
        let mut r = new_record(1, "e", create.as_object().unwrap(), &now);
        assert_eq!(r["customerStatus"], 1);
        let update = json!({"phone": null, "lastname": "Lee", "additionalFields": {"team": null}});
        apply(&mut r, update.as_object().unwrap(), &json!("later"));
        assert_eq!(r["Firstname"], "Ann");
        assert_eq!(r["Email"], "a@b.co");
        assert_eq!(r["Phone"], Value::Null);
        assert_eq!(r["Lastname"], "Lee");
        assert_eq!(r["AdditionalFields"], json!({"tier": "gold"}));
        assert_eq!(r["LastUpdated"], "later");
    }
}
