//! Rebilly's field checks (the Customer and TransactionRequest schemas), through the shared
//! checker, worded as Rebilly words `invalidFields[].message`.

use serde_json::{Map, Value};

use crate::fields::{self, Problem};
use crate::util::{is_email, is_word};

/// `invalidFields`: (dot path, message).
pub(super) type Invalid = Vec<(String, String)>;

pub(super) const BLANK: &str = "This value should not be blank.";
pub(super) const NOT_VALID: &str = "This value is not valid.";

/// Transaction types accepted by `POST /transactions`.
const TRANSACTION_TYPES: &[&str] = &["sale", "authorize", "setup"];

/// Words one problem of `path` + `key`.
fn note(invalid: &mut Invalid, path: &str, key: &str, p: Problem) {
    let message = match p {
        Problem::Type { expected, got } => {
            format!("This value should be of type {expected}, {got} given.")
        }
        Problem::Missing => BLANK.to_owned(),
        Problem::TooLong(max) => {
            format!("This value is too long. It should have {max} characters or less.")
        }
        Problem::Invalid(what) => format!("This value is not valid: expected {what}."),
    };
    invalid.push((format!("{path}{key}"), message));
}

/// Records a checked field's problem and keeps its value.
fn check<T>(
    invalid: &mut Invalid,
    path: &str,
    key: &str,
    r: Result<Option<T>, Problem>,
) -> Option<T> {
    r.unwrap_or_else(|p| {
        note(invalid, path, key, p);
        None
    })
}

/// An optional `string|null` of at most `max` characters; the string when there is one.
pub(super) fn opt_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    max: usize,
    path: &str,
    invalid: &mut Invalid,
) -> Option<&'a str> {
    check(invalid, path, key, fields::string(obj.get(key), Some(max)))
}

/// A required non-empty string of at most `max` characters.
pub(super) fn req_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    max: usize,
    path: &str,
    invalid: &mut Invalid,
) -> Option<&'a str> {
    match fields::string(obj.get(key), Some(max)) {
        Ok(Some(s)) if !s.is_empty() => Some(s),
        Ok(_) => {
            note(invalid, path, key, Problem::Missing);
            None
        }
        Err(p) => {
            note(invalid, path, key, p);
            None
        }
    }
}

pub(super) fn opt_bool(obj: &Map<String, Value>, key: &str, path: &str, invalid: &mut Invalid) {
    check(invalid, path, key, fields::boolean(obj.get(key)));
}

pub(super) fn opt_object(obj: &Map<String, Value>, key: &str, path: &str, invalid: &mut Invalid) {
    check(invalid, path, key, fields::object(obj.get(key)));
}

/// Items of an optional array of objects, with their paths; a non-array is reported.
fn items<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    path: &str,
    invalid: &mut Invalid,
) -> Vec<(String, &'a Map<String, Value>)> {
    let list =
        check(invalid, path, key, fields::array(obj.get(key))).map_or(&[][..], Vec::as_slice);
    list.iter()
        .enumerate()
        .filter_map(|(i, v)| match v {
            Value::Object(m) => Some((format!("{path}{key}.{i}."), m)),
            other => {
                note(
                    invalid,
                    path,
                    &format!("{key}.{i}"),
                    fields::object(Some(other)).err()?,
                );
                None
            }
        })
        .collect()
}

pub(super) fn is_country(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

pub(super) fn is_postal_code(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| is_word(c) || c.is_whitespace() || c == '-')
}

/// `^[@~\-\.\w]+$`, at most 50: a resource id.
pub(super) fn is_resource_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 50 && s.chars().all(|c| is_word(c) || "@~-.".contains(c))
}

/// `^[\-\w]+$`, at most 50: a transaction `requestId`.
pub(super) fn is_request_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 50 && s.chars().all(|c| is_word(c) || c == '-')
}

/// A `ContactObject` (`primaryAddress`, `billingAddress`).
pub(super) fn check_contact(v: Option<&Value>, field: &str, invalid: &mut Invalid) {
    let Some(c) = check(invalid, "", field, fields::object(v)) else {
        return;
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
    check(invalid, &path, "dob", fields::date(c.get("dob")));
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

pub(super) fn check_customer(obj: &Map<String, Value>, invalid: &mut Invalid) {
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
    let instrument = fields::object(obj.get("defaultPaymentInstrument"));
    if let Some(d) = check(invalid, "", "defaultPaymentInstrument", instrument) {
        req_str(d, "method", 50, "defaultPaymentInstrument.", invalid);
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
    let emails = check(
        invalid,
        "",
        "notificationEmails",
        fields::array(obj.get("notificationEmails")),
    );
    for (i, e) in emails.into_iter().flatten().enumerate() {
        if !e.as_str().is_some_and(is_email) {
            invalid.push((
                format!("notificationEmails.{i}"),
                "This value is not a valid email address.".to_owned(),
            ));
        }
    }
}

/// A `TransactionRequest` (`POST /transactions`); the `customerId` and `requestId` when
/// valid.
pub(super) fn check_transaction<'a>(
    obj: &'a Map<String, Value>,
    invalid: &mut Invalid,
) -> (Option<&'a str>, Option<&'a str>) {
    if let Some(t) = req_str(obj, "type", 20, "", invalid)
        && !TRANSACTION_TYPES.contains(&t)
    {
        invalid.push((
            "type".to_owned(),
            "The value you selected is not a valid choice (sale, authorize, setup).".to_owned(),
        ));
    }
    req_str(obj, "websiteId", 50, "", invalid);
    let customer_id = req_str(obj, "customerId", 50, "", invalid);
    if let Some(c) = req_str(obj, "currency", 3, "", invalid)
        && !(c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
    {
        invalid.push((
            "currency".to_owned(),
            "This value is not a valid currency (ISO 4217, e.g. USD).".to_owned(),
        ));
    }
    match fields::number(obj.get("amount")) {
        Ok(None) => note(invalid, "", "amount", Problem::Missing),
        Ok(Some(x)) if x < 0.0 => invalid.push((
            "amount".to_owned(),
            "This value should be greater than or equal to 0.".to_owned(),
        )),
        Ok(Some(_)) => {}
        Err(p) => note(invalid, "", "amount", p),
    }
    let request_id = opt_str(obj, "requestId", 50, "", invalid);
    if request_id.is_some_and(|r| !is_request_id(r)) {
        invalid.push(("requestId".to_owned(), NOT_VALID.to_owned()));
    }
    opt_bool(obj, "isProcessedOutside", "", invalid);
    opt_bool(obj, "isMerchantInitiated", "", invalid);
    let outside = obj.get("isProcessedOutside").and_then(Value::as_bool) == Some(true);
    if obj.get("processedTime").is_some_and(|v| !v.is_null()) && !outside {
        invalid.push((
            "processedTime".to_owned(),
            "processedTime can only be set when isProcessedOutside is true.".to_owned(),
        ));
    } else if let Err(p) = fields::rfc3339(obj.get("processedTime")) {
        note(invalid, "", "processedTime", p);
    }
    opt_str(obj, "description", 255, "", invalid);
    opt_object(obj, "customFields", "", invalid);
    opt_object(obj, "paymentInstruction", "", invalid);
    check_contact(obj.get("billingAddress"), "billingAddress", invalid);
    (customer_id, request_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
