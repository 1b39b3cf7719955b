//! The one field checker the three providers share: it says what is wrong with a JSON value
//! against the type a provider's docs give the field (string of at most N characters,
//! boolean, number, integer in a range, enum member, date, date-time, email). Each provider
//! words the [`Problem`] its own way, in its own error body.

use serde_json::{Map, Value};

use crate::util::{chars, is_email, type_name};

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Problem {
    /// The JSON type is wrong: what was expected, what came.
    Type {
        /// Expected type name (`string`, `number`, ...).
        expected: &'static str,
        /// The type that came.
        got: &'static str,
    },
    /// Required, but absent, `null` or blank.
    Missing,
    /// Longer than this many characters.
    TooLong(usize),
    /// The right type, but not a valid value: says what is expected.
    Invalid(String),
}

/// A checked optional field: `Ok(None)` when absent or `null`.
pub(crate) type Checked<T> = Result<Option<T>, Problem>;

fn wrong(expected: &'static str, v: &Value) -> Problem {
    Problem::Type {
        expected,
        got: type_name(v),
    }
}

/// An optional string of at most `max` characters.
pub(crate) fn string(v: Option<&Value>, max: Option<usize>) -> Checked<&str> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => match max {
            Some(max) if chars(s) > max => Err(Problem::TooLong(max)),
            _ => Ok(Some(s)),
        },
        Some(v) => Err(wrong("string", v)),
    }
}

/// A required string that is not blank.
pub(crate) fn required_string(v: Option<&Value>, max: Option<usize>) -> Result<&str, Problem> {
    match string(v, max)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(Problem::Missing),
    }
}

/// An optional boolean.
pub(crate) fn boolean(v: Option<&Value>) -> Checked<bool> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(v) => Err(wrong("boolean", v)),
    }
}

/// An optional finite number.
pub(crate) fn number(v: Option<&Value>) -> Checked<f64> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .filter(|x| x.is_finite())
            .map(Some)
            .ok_or_else(|| Problem::Invalid("a finite number".to_owned())),
        Some(v) => Err(wrong("number", v)),
    }
}

/// An optional whole number from `min` to `max`.
pub(crate) fn integer(v: Option<&Value>, min: i64, max: i64) -> Checked<i64> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) if (min..=max).contains(&i) => Ok(Some(i)),
            _ => Err(Problem::Invalid(format!(
                "a whole number from {min} to {max}"
            ))),
        },
        Some(v) => Err(wrong("integer", v)),
    }
}

/// An optional whole number that must be one of `allowed`.
pub(crate) fn integer_of(v: Option<&Value>, allowed: &[i64]) -> Checked<i64> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) if allowed.contains(&i) => Ok(Some(i)),
            _ => Err(Problem::Invalid(format!("one of {}", join(allowed)))),
        },
        Some(v) => Err(wrong("integer", v)),
    }
}

fn join<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// An optional string that must be one of `allowed`.
pub(crate) fn one_of<'a>(v: Option<&'a Value>, allowed: &[&str]) -> Checked<&'a str> {
    match string(v, None)? {
        None => Ok(None),
        Some(s) if allowed.contains(&s) => Ok(Some(s)),
        Some(_) => Err(Problem::Invalid(format!("one of {}", allowed.join(", ")))),
    }
}

/// An optional JSON object.
pub(crate) fn object(v: Option<&Value>) -> Checked<&Map<String, Value>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(v) => Err(wrong("object", v)),
    }
}

/// An optional JSON array.
pub(crate) fn array(v: Option<&Value>) -> Checked<&Vec<Value>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a)),
        Some(v) => Err(wrong("array", v)),
    }
}

/// An optional email address of at most `max` characters (an empty string passes).
pub(crate) fn email(v: Option<&Value>, max: Option<usize>) -> Checked<&str> {
    match string(v, max)? {
        Some(s) if !s.is_empty() && !is_email(s) => {
            Err(Problem::Invalid("an email address".to_owned()))
        }
        other => Ok(other),
    }
}

/// An optional calendar date `YYYY-MM-DD`.
pub(crate) fn date(v: Option<&Value>) -> Checked<&str> {
    match string(v, None)? {
        Some(s) if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err() => {
            Err(Problem::Invalid("a date (YYYY-MM-DD)".to_owned()))
        }
        other => Ok(other),
    }
}

/// Whether `s` is a date-time: RFC 3339 (`2022-07-01T15:00:01Z`, with an offset or
/// fraction), or a UTC time without offset, `T` or space separated (`2022-07-01 15:00:01`,
/// as in Payabli's examples).
pub(crate) fn is_date_time(s: &str) -> bool {
    if chrono::DateTime::parse_from_rfc3339(s).is_ok() {
        return true;
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .any(|f| chrono::NaiveDateTime::parse_from_str(s, f).is_ok())
}

/// An optional date-time ([`is_date_time`]).
pub(crate) fn date_time(v: Option<&Value>) -> Checked<&str> {
    match string(v, None)? {
        Some(s) if !is_date_time(s) => Err(Problem::Invalid(
            "a date-time such as 2022-07-01T15:00:01Z".to_owned(),
        )),
        other => Ok(other),
    }
}

/// An optional RFC 3339 date-time (`2022-07-01T15:00:01Z`, `...+02:00`), as OpenAPI's
/// `format: date-time` requires.
pub(crate) fn rfc3339(v: Option<&Value>) -> Checked<&str> {
    match string(v, None)? {
        Some(s) if chrono::DateTime::parse_from_rfc3339(s).is_err() => Err(Problem::Invalid(
            "an RFC 3339 date-time such as 2022-07-01T15:00:01Z".to_owned(),
        )),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn types_and_values() {
        let v = json!({"s": "abc", "n": 1.5, "i": 7, "b": true, "d": "yesterday", "e": "x@y.co"});
        let g = |k: &str| v.get(k);
        assert_eq!(string(g("s"), Some(3)), Ok(Some("abc")));
        assert_eq!(string(g("s"), Some(2)), Err(Problem::TooLong(2)));
        assert_eq!(
            string(g("n"), None),
            Err(Problem::Type {
                expected: "string",
                got: "number"
            })
        );
        assert_eq!(required_string(g("none"), None), Err(Problem::Missing));
        assert_eq!(number(g("n")), Ok(Some(1.5)));
        assert_eq!(integer(g("i"), -12, 12), Ok(Some(7)));
        assert!(integer(g("i"), 0, 5).is_err());
        assert!(integer(g("n"), 0, 5).is_err());
        assert_eq!(integer_of(g("i"), &[1, 7]), Ok(Some(7)));
        assert_eq!(boolean(g("b")), Ok(Some(true)));
        assert_eq!(one_of(g("s"), &["abc"]), Ok(Some("abc")));
        assert!(one_of(g("s"), &["x"]).is_err());
        assert!(date_time(g("d")).is_err());
        assert_eq!(email(g("e"), None), Ok(Some("x@y.co")));
        assert!(email(g("s"), None).is_err());
        assert_eq!(date(g("none")), Ok(None));
        assert!(rfc3339(Some(&json!("2022-07-01 15:00:01"))).is_err());
        assert!(rfc3339(Some(&json!("2022-07-01T15:00:01Z"))).is_ok());
    }

    #[test]
    fn date_times() {
        for ok in [
            "2022-07-01 15:00:01",
            "2022-07-01T15:00:01Z",
            "2022-07-01T15:00:01.123+02:00",
            "2022-07-01T15:00:01",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in ["yesterday", "2022-13-01 00:00:00", "2022-07-01", ""] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }
}
