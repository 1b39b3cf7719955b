//! Payabli's field checks (`CustomerData`), through the shared checker: strings with their
//! documented limits, `email`, `country` (ISO 3166-1 alpha-2), `timeZone` (-12 to 12),
//! `customerStatus` (-99, 0, 1, 85), `balance` (number), `createdAt` (date-time),
//! `additionalFields` (string map) and `identifierFields` (list of names).

use serde_json::{Map, Value};

use super::answers::{CODE_PARAM, CODE_TIMEZONE};
use crate::fields::{self, Problem};

/// Problems with fields: response code and message.
pub(super) type Problems = Vec<(i64, String)>;

/// Words one problem of `key`.
fn note(problems: &mut Problems, key: &str, p: Problem) {
    let code = if key == "timeZone" {
        CODE_TIMEZONE
    } else {
        CODE_PARAM
    };
    let message = match p {
        Problem::Type { expected, got } => format!("{key} must be a {expected}, not {got}"),
        Problem::Missing => format!("{key} is required"),
        Problem::TooLong(max) => format!("{key} is too long: at most {max} characters"),
        Problem::Invalid(what) => format!("{key} is invalid: it must be {what}"),
    };
    problems.push((code, message));
}

fn check<T>(problems: &mut Problems, key: &str, r: Result<Option<T>, Problem>) -> Option<T> {
    r.unwrap_or_else(|p| {
        note(problems, key, p);
        None
    })
}

/// String fields and their documented lengths.
const STRINGS: &[(&str, Option<usize>)] = &[
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
];

/// Field checks shared by create and update.
pub(super) fn check_fields(obj: &Map<String, Value>, problems: &mut Problems) {
    for (key, max) in STRINGS {
        check(problems, key, fields::string(obj.get(*key), *max));
    }
    check(
        problems,
        "email",
        fields::email(obj.get("email"), Some(320)),
    );
    if let Some(country) = check(
        problems,
        "country",
        fields::string(obj.get("country"), None),
    ) && !country.is_empty()
        && !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        let what = "an ISO 3166-1 alpha-2 code".to_owned();
        note(problems, "country", Problem::Invalid(what));
    }
    check(
        problems,
        "timeZone",
        fields::integer(obj.get("timeZone"), -12, 12),
    );
    check(
        problems,
        "customerStatus",
        fields::integer_of(obj.get("customerStatus"), &[-99, 0, 1, 85]),
    );
    check(problems, "balance", fields::number(obj.get("balance")));
    check(
        problems,
        "createdAt",
        fields::date_time(obj.get("createdAt")),
    );
    let extra = check(
        problems,
        "additionalFields",
        fields::object(obj.get("additionalFields")),
    );
    if let Some((k, _)) = extra
        .into_iter()
        .flatten()
        .find(|(_, v)| !matches!(v, Value::String(_) | Value::Null))
    {
        problems.push((CODE_PARAM, format!("additionalFields.{k} must be a string")));
    }
    let ids = check(
        problems,
        "identifierFields",
        fields::array(obj.get("identifierFields")),
    );
    if ids.is_some_and(|a| {
        a.iter()
            .any(|v| !matches!(v, Value::String(_) | Value::Null))
    }) {
        problems.push((
            CODE_PARAM,
            "identifierFields must be a list of field names".to_owned(),
        ));
    }
}

/// Whether `key` holds a string that is not blank.
pub(super) fn non_blank(obj: &Map<String, Value>, key: &str) -> bool {
    fields::required_string(obj.get(key), None).is_ok()
}

/// A query-string boolean (`true`/`false`, `1`/`0`, empty = false).
pub(super) fn parse_flag(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(v: Value) -> Problems {
        let mut p = Problems::new();
        check_fields(v.as_object().unwrap(), &mut p);
        p
    }

    #[test]
    fn typed_fields_are_checked() {
        assert!(problems(json!({"createdAt": "2022-07-01 15:00:01"})).is_empty());
        let p = problems(json!({"createdAt": "yesterday"}));
        assert_eq!(p.len(), 1);
        assert!(p[0].1.starts_with("createdAt is invalid"), "{p:?}");
        assert_eq!(problems(json!({"timeZone": 13}))[0].0, CODE_TIMEZONE);
        assert_eq!(problems(json!({"balance": "10"}))[0].0, CODE_PARAM);
        assert_eq!(problems(json!({"customerStatus": 2})).len(), 1);
        assert_eq!(problems(json!({"country": "USA"})).len(), 1);
        assert!(problems(json!({"firstname": null, "email": null})).is_empty());
    }
}
