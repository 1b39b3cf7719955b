//! One `field(op)=value` filter of Payabli's list queries, and the field comparison that
//! `sortBy` uses. Field names are Payabli's documented filter names, case-insensitive.

use std::cmp::Ordering;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Map, Value};

/// Filter name (lower case) -> record field.
const FIELDS: &[(&str, &str)] = &[
    ("customerid", "customerId"),
    ("customernumber", "customerNumber"),
    ("username", "customerUsername"),
    ("customerusername", "customerUsername"),
    ("status", "customerStatus"),
    ("customerstatus", "customerStatus"),
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
    ("shippingaddress", "ShippingAddress"),
    ("shippingcity", "ShippingCity"),
    ("shippingstate", "ShippingState"),
    ("shippingzip", "ShippingZip"),
    ("shippingcountry", "ShippingCountry"),
    ("balance", "Balance"),
    ("timezone", "TimeZone"),
    ("createddate", "Created"),
];

/// A filter operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Eq,
    Ne,
    Ct,
    Nct,
    Gt,
    Ge,
    Lt,
    Le,
    In,
    Nin,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s.to_ascii_lowercase().as_str() {
            "eq" | "" => Op::Eq,
            "ne" => Op::Ne,
            "ct" => Op::Ct,
            "nct" => Op::Nct,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            "in" => Op::In,
            "nin" => Op::Nin,
            _ => return None,
        })
    }
}

/// What a filter name reads from a record.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Field {
    /// One record field.
    Key(&'static str),
    /// `name`: first and last name together.
    Name,
    /// `additional-<name>`: one of `AdditionalFields`.
    Additional(String),
}

impl Field {
    fn parse(name: &str) -> Option<Field> {
        let name = name.trim().to_ascii_lowercase();
        if name == "name" {
            return Some(Field::Name);
        }
        if let Some(extra) = name.strip_prefix("additional-") {
            return Some(Field::Additional(extra.to_owned()));
        }
        FIELDS
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, k)| Field::Key(k))
    }

    /// The field's value in `record` as text (`None` when absent or null).
    fn text(&self, record: &Map<String, Value>) -> Option<String> {
        let as_text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        match self {
            Field::Key(k) => record.get(*k).and_then(as_text),
            Field::Name => {
                let part = |k: &str| record.get(k).and_then(as_text).unwrap_or_default();
                let name = format!("{} {}", part("Firstname"), part("Lastname"));
                Some(name.trim().to_owned()).filter(|n| !n.is_empty())
            }
            Field::Additional(name) => record
                .get("AdditionalFields")
                .and_then(Value::as_object)
                .and_then(|m| m.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
                .and_then(|(_, v)| as_text(v)),
        }
    }
}

/// A date or date-time as Payabli writes them (`2022-07-01 15:00:01`, RFC 3339, `2022-07-01`).
fn as_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.naive_utc());
    }
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
        })
}

/// Orders two texts: as numbers, else as times, else ignoring ASCII case.
fn compare(a: &str, b: &str) -> Ordering {
    if let (Ok(x), Ok(y)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        return x.partial_cmp(&y).unwrap_or(Ordering::Equal);
    }
    if let (Some(x), Some(y)) = (as_time(a), as_time(b)) {
        return x.cmp(&y);
    }
    a.to_lowercase().cmp(&b.to_lowercase())
}

/// Orders two records by the field a filter name reads (unknown names: equal; null last).
pub(super) fn compare_field(
    name: &str,
    a: &Map<String, Value>,
    b: &Map<String, Value>,
) -> Ordering {
    let Some(field) = Field::parse(name) else {
        return Ordering::Equal;
    };
    match (field.text(a), field.text(b)) {
        (Some(x), Some(y)) => compare(&x, &y),
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
    }
}

/// One `field(op)=value` filter.
pub(super) struct Filter {
    field: Field,
    op: Op,
    value: String,
}

impl Filter {
    /// Parses `name(op)` and its value; `None` for unknown names or operators (ignored).
    pub(super) fn parse(key: &str, value: &str) -> Option<Filter> {
        let (name, rest) = key.split_once('(')?;
        Some(Filter {
            field: Field::parse(name)?,
            op: Op::parse(rest.strip_suffix(')')?)?,
            value: value.to_owned(),
        })
    }

    /// The filter's value.
    pub(super) fn value(&self) -> &str {
        &self.value
    }

    /// Whether this is `customernumber(eq)` (answered from the index).
    pub(super) fn is_number_eq(&self) -> bool {
        self.field == Field::Key("customerNumber") && self.op == Op::Eq
    }

    /// Whether `record` passes.
    pub(super) fn matches(&self, record: &Map<String, Value>) -> bool {
        let text = self.field.text(record);
        let want = self.value.trim();
        let eq = |t: &str, w: &str| {
            t.eq_ignore_ascii_case(w.trim()) || compare(t, w.trim()).is_eq() && !w.trim().is_empty()
        };
        let listed = |t: &str| want.split('|').any(|w| eq(t, w));
        let contains = |t: &str| t.to_lowercase().contains(&want.to_lowercase());
        match (self.op, text.as_deref()) {
            (Op::Ne | Op::Nct | Op::Nin, None) => true,
            (_, None) => false,
            (Op::Eq, Some(t)) => eq(t, want),
            (Op::Ne, Some(t)) => !eq(t, want),
            (Op::Ct, Some(t)) => contains(t),
            (Op::Nct, Some(t)) => !contains(t),
            (Op::In, Some(t)) => listed(t),
            (Op::Nin, Some(t)) => !listed(t),
            (Op::Gt, Some(t)) => compare(t, want).is_gt(),
            (Op::Ge, Some(t)) => compare(t, want).is_ge(),
            (Op::Lt, Some(t)) => compare(t, want).is_lt(),
            (Op::Le, Some(t)) => compare(t, want).is_le(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_parse_and_match() {
        let rec = json!({"customerId": 7, "customerNumber": "C-1", "customerUsername": "ann1",
            "customerStatus": 1, "Email": "a@b.co", "Firstname": "Ann", "Lastname": "Lee",
            "Created": "2022-07-01 15:00:01", "Balance": 10.5,
            "AdditionalFields": {"tier": "gold"}});
        let rec = rec.as_object().unwrap();
        let f = |k: &str, v: &str| Filter::parse(k, v).unwrap().matches(rec);
        assert!(f("customernumber(eq)", "c-1"));
        assert!(!f("customernumber(ne)", "C-1"));
        assert!(f("email(ct)", "@b."));
        assert!(f("firstname(in)", "Bob|ann"));
        assert!(!f("firstname(in)", "Bob,ann"));
        assert!(f("status(nin)", "0|-99"));
        assert!(f("status(eq)", "1"));
        assert!(f("username(eq)", "ANN1"));
        assert!(f("name(ct)", "ann lee"));
        assert!(f("lastname(ne)", "x"));
        assert!(f("customerid(gt)", "6"));
        assert!(f("balance(ge)", "10.5"));
        assert!(f("createdDate(ge)", "2022-07-01"));
        assert!(f("createdDate(lt)", "2022-07-01T15:00:02Z"));
        assert!(f("additional-tier(eq)", "gold"));
        assert!(Filter::parse("nosuchfield(eq)", "1").is_none());
        assert!(Filter::parse("email(zz)", "1").is_none());
    }

    #[test]
    fn sorting_compares_numbers_times_and_text() {
        let a = json!({"Balance": 9, "Firstname": "bob"});
        let b = json!({"Balance": 10, "Firstname": "Ann"});
        let (a, b) = (a.as_object().unwrap(), b.as_object().unwrap());
        assert_eq!(compare_field("balance", a, b), Ordering::Less);
        assert_eq!(compare_field("firstname", a, b), Ordering::Greater);
        assert_eq!(compare_field("nosuch", a, b), Ordering::Equal);
    }
}
