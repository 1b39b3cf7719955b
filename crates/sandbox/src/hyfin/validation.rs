//! Hyfin's field checks, through the shared checker, worded as Hyfin words errors
//! (`missing field_name`, `invalid field2`).

use serde_json::{Map, Value};

use crate::fields::{self, Problem};

/// `payment_type` values.
pub(super) const PAYMENT_TYPES: &[&str] = &["payment_card", "ach", "cash", "check"];
/// `payment_sub_type` values.
pub(super) const PAYMENT_SUB_TYPES: &[&str] = &[
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
pub(super) const STATUSES: &[&str] = &[
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

/// Hyfin's `errors[]`.
pub(super) type Errors = Vec<String>;

fn article(t: &str) -> &'static str {
    if t.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Words one problem of `path` + `key`.
pub(super) fn note(errors: &mut Errors, path: &str, key: &str, p: Problem) {
    errors.push(match p {
        Problem::Type { expected, got } => {
            format!(
                "invalid {path}{key}: expected {} {expected}, got {got}",
                article(expected)
            )
        }
        Problem::Missing => format!("missing {path}{key}"),
        Problem::TooLong(max) => format!("invalid {path}{key}: at most {max} characters"),
        Problem::Invalid(what) => format!("invalid {path}{key}: must be {what}"),
    });
}

/// Records a checked field's problem and keeps its value.
pub(super) fn check<T>(
    errors: &mut Errors,
    path: &str,
    key: &str,
    r: Result<Option<T>, Problem>,
) -> Option<T> {
    r.unwrap_or_else(|p| {
        note(errors, path, key, p);
        None
    })
}

pub(super) fn opt_str(obj: &Map<String, Value>, key: &str, path: &str, errors: &mut Errors) {
    check(errors, path, key, fields::string(obj.get(key), None));
}

pub(super) fn opt_bool(obj: &Map<String, Value>, key: &str, path: &str, errors: &mut Errors) {
    check(errors, path, key, fields::boolean(obj.get(key)));
}

pub(super) fn req_str<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    errors: &mut Errors,
) -> Option<&'a str> {
    fields::required_string(obj.get(key), None)
        .map_err(|p| note(errors, "", key, p))
        .ok()
}

pub(super) fn opt_email(obj: &Map<String, Value>, key: &str, path: &str, errors: &mut Errors) {
    check(errors, path, key, fields::email(obj.get(key), None));
}

/// `_id` of an update, when given.
pub(super) fn id_field(obj: &Map<String, Value>, errors: &mut Errors) -> Option<String> {
    check(errors, "", "_id", fields::string(obj.get("_id"), None))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

pub(super) fn check_address(v: Option<&Value>, path: &str, errors: &mut Errors) {
    let name = path.trim_end_matches('.');
    if let Some(a) = check(errors, "", name, fields::object(v)) {
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
}

pub(super) fn check_primary_contact(pc: &Map<String, Value>, errors: &mut Errors) {
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
pub(super) fn check_money(
    obj: &Map<String, Value>,
    key: &str,
    required: bool,
    errors: &mut Errors,
) {
    match check(errors, "", key, fields::number(obj.get(key))) {
        None if required && matches!(obj.get(key), None | Some(Value::Null)) => {
            note(errors, "", key, Problem::Missing);
        }
        None => {}
        Some(x) if x < 0.0 => note(
            errors,
            "",
            key,
            Problem::Invalid("a number of at least 0".to_owned()),
        ),
        Some(x) if ((x * 100.0).round() - x * 100.0).abs() > 1e-6 => note(
            errors,
            "",
            key,
            Problem::Invalid("a number with at most two decimal places (format 0.00)".to_owned()),
        ),
        Some(_) => {}
    }
}

pub(super) fn check_enum(
    obj: &Map<String, Value>,
    key: &str,
    allowed: &[&str],
    errors: &mut Errors,
) {
    check(errors, "", key, fields::one_of(obj.get(key), allowed));
}

/// `YYYY-MM-DDTHH:mm:ssZ`, a real UTC time.
pub(super) fn is_paid_on(s: &str) -> bool {
    s.len() == 20 && chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%SZ").is_ok()
}

/// Items of an optional array of objects (non-objects are reported).
pub(super) fn objects<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    errors: &mut Errors,
) -> Vec<(usize, &'a Map<String, Value>)> {
    let items = check(errors, "", key, fields::array(obj.get(key))).map_or(&[][..], Vec::as_slice);
    items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| match it {
            Value::Object(m) => Some((i, m)),
            _ => {
                errors.push(format!("invalid {key}[{i}]: expected an object"));
                None
            }
        })
        .collect()
}

/// A v4 customer's fields: the `_id` of an update and the contact references
/// (`contacts[i]._id`), for the store to resolve.
pub(super) fn check_customer(
    obj: &Map<String, Value>,
    errors: &mut Errors,
) -> (Option<String>, Vec<(usize, String)>) {
    let id = id_field(obj, errors);
    req_str(obj, "display_name", errors);
    for k in ["account_name", "notes", "parent_customer"] {
        opt_str(obj, k, "", errors);
    }
    for k in ["bill_to_parent_flag", "deleted"] {
        opt_bool(obj, k, "", errors);
    }
    check(
        errors,
        "",
        "attachment_refs",
        fields::array(obj.get("attachment_refs")),
    );
    let has_primary = !matches!(obj.get("primary_contact"), None | Some(Value::Null));
    if let Some(pc) = check(
        errors,
        "",
        "primary_contact",
        fields::object(obj.get("primary_contact")),
    ) {
        check_primary_contact(pc, errors);
    }
    let has_contacts = match obj.get("contacts") {
        Some(Value::Array(items)) => !items.is_empty(),
        None | Some(Value::Null) => false,
        Some(_) => true,
    };
    let mut refs = Vec::new();
    for (i, m) in objects(obj, "contacts", errors) {
        match m.get("_id") {
            Some(Value::String(s)) if !s.is_empty() => refs.push((i, s.clone())),
            _ => errors.push(format!("missing contacts[{i}]._id")),
        }
        opt_bool(m, "isPrimary", &format!("contacts[{i}]."), errors);
    }
    if !has_primary && !has_contacts {
        errors.push("missing primary_contact or contacts: one of them is required".to_owned());
    }
    (id, refs)
}

/// A v4 contact's fields.
pub(super) fn check_contact(obj: &Map<String, Value>, errors: &mut Errors) {
    for k in ["first_name", "last_name", "display_name", "language"] {
        opt_str(obj, k, "", errors);
    }
    for (i, e) in objects(obj, "emails", errors) {
        let path = format!("emails[{i}].");
        opt_str(e, "label", &path, errors);
        opt_bool(e, "is_primary", &path, errors);
        match fields::email(e.get("address"), None) {
            Ok(Some(s)) if !s.is_empty() => {}
            Ok(_) => note(errors, &path, "address", Problem::Missing),
            Err(p) => note(errors, &path, "address", p),
        }
    }
    for (i, ph) in objects(obj, "phone_numbers", errors) {
        let path = format!("phone_numbers[{i}].");
        opt_str(ph, "label", &path, errors);
        opt_bool(ph, "is_primary", &path, errors);
        if let Err(p) = fields::required_string(ph.get("number"), None) {
            note(errors, &path, "number", p);
        }
    }
    for (i, a) in objects(obj, "addresses", errors) {
        let path = format!("addresses[{i}].");
        opt_str(a, "label", &path, errors);
        opt_bool(a, "is_primary", &path, errors);
        check_address(a.get("address"), &format!("{path}address."), errors);
    }
}

/// A v4 payment's fields (the v3 `payment/addUpdate` table); the `external_id` when valid.
pub(super) fn check_payment(obj: &Map<String, Value>, errors: &mut Errors) -> Option<String> {
    let external_id = req_str(obj, "external_id", errors).map(str::to_owned);
    req_str(obj, "gateway_transaction_id", errors);
    req_str(obj, "display_name", errors);
    check_money(obj, "amount", true, errors);
    if let Some(paid_on) = req_str(obj, "paid_on", errors)
        && !is_paid_on(paid_on)
    {
        errors.push(format!(
            "invalid paid_on: `{paid_on}` is not in the format YYYY-MM-DDTHH:mm:ssZ"
        ));
    }
    for k in ["tip", "tax", "fee"] {
        check_money(obj, k, false, errors);
    }
    check_enum(obj, "payment_type", PAYMENT_TYPES, errors);
    check_enum(obj, "payment_sub_type", PAYMENT_SUB_TYPES, errors);
    check_enum(obj, "status", STATUSES, errors);
    opt_bool(obj, "active", "", errors);
    check(errors, "", "invoice", fields::object(obj.get("invoice")));
    external_id
}

/// The external-id customer (v3 / v3.1 / 4.0s `customer/addUpdate`); the `external_id`
/// when valid.
pub(super) fn check_external_customer(
    obj: &Map<String, Value>,
    errors: &mut Errors,
) -> Option<String> {
    let external_id = req_str(obj, "external_id", errors).map(str::to_owned);
    req_str(obj, "first_name", errors);
    req_str(obj, "last_name", errors);
    for k in ["account_name", "mobile_phone", "notes"] {
        opt_str(obj, k, "", errors);
    }
    opt_email(obj, "email", "", errors);
    opt_bool(obj, "active", "", errors);
    opt_bool(obj, "deleted", "", errors);
    check(
        errors,
        "",
        "attachment_refs",
        fields::array(obj.get("attachment_refs")),
    );
    let options = check(
        errors,
        "",
        "notification_options",
        fields::object(obj.get("notification_options")),
    );
    let wants = |k: &str| options.is_some_and(|o| o.get(k).and_then(Value::as_bool) == Some(true));
    if let Some(o) = options {
        for k in ["notify_phone", "notify_email"] {
            opt_bool(o, k, "notification_options.", errors);
        }
    }
    let blank = |k: &str| fields::required_string(obj.get(k), None).is_err();
    if wants("notify_phone") && blank("mobile_phone") {
        errors.push(
            "missing mobile_phone: required when notification_options.notify_phone is true"
                .to_owned(),
        );
    }
    if wants("notify_email") && blank("email") {
        errors.push(
            "missing email: required when notification_options.notify_email is true".to_owned(),
        );
    }
    external_id
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paid_on_format() {
        assert!(is_paid_on("2021-01-01T14:32:18Z"));
        assert!(!is_paid_on("2021-01-01T14:32:18.000Z"));
        assert!(!is_paid_on("2021-01-01 14:32:18Z"));
        assert!(!is_paid_on("2021-02-30T14:32:18Z"));
        assert!(!is_paid_on("2021-01-01T14:32:18+00:00"));
    }

    #[test]
    fn external_customer_needs_contact_fields_its_notifications_use() {
        let mut errors = Errors::new();
        let c = json!({"external_id": "x", "first_name": "A", "last_name": "B",
            "notification_options": {"notify_phone": true, "notify_email": false}});
        check_external_customer(c.as_object().unwrap(), &mut errors);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("missing mobile_phone"));
    }
}
