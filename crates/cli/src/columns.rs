//! The CSV columns each kind of record accepts, the check of a file's header against them, and
//! how a row maps to the canonical record.

use serde_json::{Map, Value};

use crate::args::Kind;

/// Columns of a customers file (besides `custom.<name>`), as `billsync sync --help` lists them.
pub const CUSTOMER_COLUMNS: &[&str] = &[
    "external_id",
    "display_name",
    "company",
    "first_name",
    "last_name",
    "email",
    "phone",
    "line1",
    "line2",
    "city",
    "region",
    "postal_code",
    "country",
    "shipping_line1",
    "shipping_line2",
    "shipping_city",
    "shipping_region",
    "shipping_postal_code",
    "shipping_country",
    "notes",
    "status",
    "locale",
    "parent_external_id",
    "bill_to_parent",
    "utc_offset_hours",
    "balance",
    "created_at",
];

/// Columns of a payments file.
pub const PAYMENT_COLUMNS: &[&str] = &[
    "external_id",
    "customer_external_id",
    "gateway_transaction_id",
    "method_display_name",
    "amount",
    "currency",
    "tip",
    "tax",
    "fee",
    "paid_at",
    "invoice_external_id",
    "method",
    "sub_type",
    "status",
    "active",
];

/// The prefix of a customer's custom field column (`custom.tier`).
pub const CUSTOM_PREFIX: &str = "custom.";

fn known(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Customers => CUSTOMER_COLUMNS,
        Kind::Payments => PAYMENT_COLUMNS,
    }
}

/// Refuses a header with an unknown column, naming the closest known one, so that a misspelt
/// column fails once instead of on every row.
pub fn check_header(headers: &csv::StringRecord, kind: Kind) -> Result<(), String> {
    let columns = known(kind);
    for (index, header) in headers.iter().enumerate() {
        let header = header.trim();
        let custom = kind == Kind::Customers
            && header
                .strip_prefix(CUSTOM_PREFIX)
                .is_some_and(|name| !name.is_empty());
        if custom || columns.contains(&header) {
            continue;
        }
        let what = match kind {
            Kind::Customers => "customers",
            Kind::Payments => "payments",
        };
        if header.is_empty() {
            return Err(format!(
                "column {} of the CSV header has no name (a trailing comma?)",
                index + 1
            ));
        }
        let shown = crate::report::cap(header);
        let closest = closest(header, columns);
        return Err(format!(
            "unknown column `{shown}` (column {}) in the CSV header of a {what} file; did you mean `{closest}`? (`billsync sync --help` lists the columns)",
            index + 1
        ));
    }
    Ok(())
}

/// The known column nearest to `name` by edit distance (ties: the first listed).
fn closest(name: &str, columns: &[&'static str]) -> &'static str {
    let name = name.to_ascii_lowercase();
    let name: Vec<char> = name.chars().take(64).collect();
    columns
        .iter()
        .min_by_key(|c| distance(&name, &c.chars().collect::<Vec<_>>()))
        .copied()
        .unwrap_or("external_id")
}

/// Levenshtein distance between two strings of characters.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = prev[j] + usize::from(ca != cb);
            cur[j + 1] = substitution.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

fn set(obj: &mut Map<String, Value>, path: &[&str], value: Value) {
    match path {
        [] => {}
        [last] => {
            obj.insert((*last).to_owned(), value);
        }
        [first, rest @ ..] => {
            let child = obj
                .entry((*first).to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(child) = child {
                set(child, rest, value);
            }
        }
    }
}

/// One CSV row as the canonical JSON record it stands for (its header already checked). An
/// empty cell is left out: absent, never `null` (for `custom.<name>` too).
pub fn flatten_row(
    headers: &csv::StringRecord,
    row: &csv::StringRecord,
    kind: Kind,
) -> Result<Value, String> {
    let mut obj = Map::new();
    for (header, cell) in headers.iter().zip(row.iter()) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let text = Value::String(cell.to_owned());
        let header = header.trim();
        if let Some(name) = header.strip_prefix("custom.") {
            set(&mut obj, &["custom_fields", name], text);
            continue;
        }
        let boolean = || match cell.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Ok(Value::Bool(true)),
            "false" | "0" | "no" => Ok(Value::Bool(false)),
            _ => Err(format!("column {header}: `{cell}` is not true or false")),
        };
        match (kind, header) {
            (Kind::Customers, "first_name" | "last_name") => {
                set(&mut obj, &["primary_contact", header], text)
            }
            (Kind::Customers, "email" | "phone") => {
                let list = if header == "email" {
                    "emails"
                } else {
                    "phones"
                };
                set(
                    &mut obj,
                    &["primary_contact", list],
                    serde_json::json!([{ "value": cell, "primary": true }]),
                );
            }
            (
                Kind::Customers,
                "line1" | "line2" | "city" | "region" | "postal_code" | "country",
            ) => set(
                &mut obj,
                &["primary_contact", "billing_address", header],
                text,
            ),
            (Kind::Customers, h) if h.starts_with("shipping_") => set(
                &mut obj,
                &["shipping_address", &h["shipping_".len()..]],
                text,
            ),
            (Kind::Customers, "parent_external_id") => {
                set(&mut obj, &["parent", "external_id"], text)
            }
            (Kind::Customers, "bill_to_parent") => {
                set(&mut obj, &["parent", "bill_to_parent"], boolean()?)
            }
            (Kind::Customers, "utc_offset_hours") => {
                let n: i64 = cell
                    .parse()
                    .map_err(|_| format!("column {header}: `{cell}` is not a whole number"))?;
                set(&mut obj, &[header], Value::from(n));
            }
            (Kind::Payments, "invoice_external_id") => {
                set(&mut obj, &["invoice", "external_id"], text)
            }
            (Kind::Payments, "active") => set(&mut obj, &["active"], boolean()?),
            (_, h) => set(&mut obj, &[h], text),
        }
    }
    Ok(Value::Object(obj))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(cells.to_vec())
    }

    #[test]
    fn a_misspelt_column_names_the_closest_known_one() {
        let err =
            check_header(&header(&["external_id", "emial", "city"]), Kind::Customers).unwrap_err();
        assert!(err.contains("`emial` (column 2)"), "{err}");
        assert!(err.contains("did you mean `email`?"), "{err}");
        let err = check_header(&header(&["external_id", "ammount"]), Kind::Payments).unwrap_err();
        assert!(err.contains("did you mean `amount`?"), "{err}");
        let err =
            check_header(&header(&["external_id", "shiping_city"]), Kind::Customers).unwrap_err();
        assert!(err.contains("did you mean `shipping_city`?"), "{err}");
    }

    #[test]
    fn known_and_custom_columns_pass_but_custom_only_for_customers() {
        let mut all: Vec<&str> = CUSTOMER_COLUMNS.to_vec();
        all.push("custom.tier");
        assert_eq!(check_header(&header(&all), Kind::Customers), Ok(()));
        assert_eq!(
            check_header(&header(PAYMENT_COLUMNS), Kind::Payments),
            Ok(())
        );
        assert!(check_header(&header(&["external_id", "custom.tier"]), Kind::Payments).is_err());
        assert!(check_header(&header(&["external_id", "custom."]), Kind::Customers).is_err());
        let err = check_header(&header(&["external_id", ""]), Kind::Customers).unwrap_err();
        assert!(
            err.contains("column 2 of the CSV header has no name"),
            "{err}"
        );
    }
}
