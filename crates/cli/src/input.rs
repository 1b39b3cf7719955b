//! Reading files of canonical records as a stream, with line numbers.
//!
//! JSON Lines: one JSON object per line, blank lines skipped. CSV: a header row, then one
//! record per row with the flattened columns listed in `billsync sync --help`; empty cells are
//! absent values. A malformed line is reported with its number and reading goes on.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::args::Kind;

/// One record read: its line number and the record or why it could not be read.
pub struct Item<T> {
    /// 1-based line number in the file.
    pub line: u64,
    /// The record, or a one-sentence reason.
    pub record: Result<T, String>,
}

enum Source {
    Jsonl(BufReader<Box<dyn Read + Send>>),
    Csv(Box<csv::Reader<Box<dyn Read + Send>>>, csv::StringRecord),
}

/// A streaming reader of records of one kind.
pub struct Records {
    source: Source,
    kind: Kind,
    line: u64,
    buf: String,
    /// Bytes consumed so far (for progress).
    pub bytes: u64,
}

impl Records {
    /// Opens `path` (`-` is standard input, read as JSON Lines).
    pub fn open(path: &Path, kind: Kind) -> Result<Records, String> {
        let stdin = path.as_os_str() == "-";
        let reader: Box<dyn Read + Send> = if stdin {
            Box::new(std::io::stdin())
        } else {
            Box::new(File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?)
        };
        let is_csv = !stdin
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let source = if is_csv {
            let mut csv = csv::ReaderBuilder::new()
                .flexible(false)
                .from_reader(reader);
            let headers = csv
                .headers()
                .map_err(|e| format!("{}: cannot read the CSV header: {e}", path.display()))?
                .clone();
            Source::Csv(Box::new(csv), headers)
        } else {
            Source::Jsonl(BufReader::with_capacity(64 * 1024, reader))
        };
        Ok(Records {
            source,
            kind,
            line: if is_csv { 1 } else { 0 },
            buf: String::new(),
            bytes: 0,
        })
    }

    /// The next record, or `None` at the end of the file.
    pub fn next<T: DeserializeOwned>(&mut self) -> Option<Item<T>> {
        match &mut self.source {
            Source::Jsonl(reader) => loop {
                self.buf.clear();
                self.line += 1;
                match reader.read_line(&mut self.buf) {
                    Ok(0) => return None,
                    Ok(n) => {
                        self.bytes += n as u64;
                        let text = self.buf.trim();
                        if text.is_empty() {
                            continue;
                        }
                        let record = serde_json::from_str::<T>(text)
                            .map_err(|e| format!("not a valid record: {e}"));
                        return Some(Item {
                            line: self.line,
                            record,
                        });
                    }
                    Err(e) => {
                        return Some(Item {
                            line: self.line,
                            record: Err(format!("cannot read the line: {e}")),
                        });
                    }
                }
            },
            Source::Csv(reader, headers) => {
                let mut row = csv::StringRecord::new();
                match reader.read_record(&mut row) {
                    Ok(false) => None,
                    Ok(true) => {
                        self.line = row.position().map_or(self.line + 1, |p| p.line());
                        self.bytes = row.position().map_or(self.bytes, |p| p.byte());
                        let value = flatten_row(headers, &row, self.kind);
                        let record = value.and_then(|v| {
                            serde_json::from_value::<T>(v)
                                .map_err(|e| format!("not a valid record: {e}"))
                        });
                        Some(Item {
                            line: self.line,
                            record,
                        })
                    }
                    Err(e) => {
                        self.line += 1;
                        Some(Item {
                            line: e.position().map_or(self.line, |p| p.line()),
                            record: Err(format!("not a valid CSV row: {e}")),
                        })
                    }
                }
            }
        }
    }
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

/// One CSV row as the canonical JSON record it stands for.
fn flatten_row(
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
    use billsync::{Customer, Payment};

    fn read<T: DeserializeOwned>(
        name: &str,
        text: &str,
        kind: Kind,
    ) -> Vec<(u64, Result<T, String>)> {
        let dir =
            std::env::temp_dir().join(format!("billsync-input-{}-{name}", std::process::id()));
        std::fs::write(&dir, text).unwrap();
        let mut r = Records::open(&dir, kind).unwrap();
        let mut out = Vec::new();
        while let Some(item) = r.next::<T>() {
            out.push((item.line, item.record));
        }
        let _ = std::fs::remove_file(&dir);
        out
    }

    #[test]
    fn jsonl_with_blank_and_malformed_lines_keeps_line_numbers() {
        let items = read::<Customer>(
            "a.jsonl",
            "{\"external_id\":\"a\"}\n\n{oops\n{\"external_id\":\"b\"}\n",
            Kind::Customers,
        );
        let lines: Vec<u64> = items.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 3, 4]);
        assert!(items[1].1.is_err());
        assert_eq!(items[2].1.as_ref().unwrap().external_id, "b");
    }

    #[test]
    fn csv_columns_map_to_the_canonical_record() {
        let text = "external_id,first_name,last_name,email,city,country,custom.tier,shipping_city\nc1,Ann,Lee,ann@x.co,Austin,US,gold,Dallas\n";
        let items = read::<Customer>("c.csv", text, Kind::Customers);
        let c = items[0].1.as_ref().unwrap();
        assert_eq!(items[0].0, 2);
        let contact = c.primary_contact.as_ref().unwrap();
        assert_eq!(contact.email(), Some("ann@x.co"));
        assert_eq!(
            contact.billing_address.as_ref().unwrap().country.as_deref(),
            Some("US")
        );
        assert_eq!(c.custom_fields["tier"].as_deref(), Some("gold"));
        assert_eq!(
            c.shipping_address.as_ref().unwrap().city.as_deref(),
            Some("Dallas")
        );

        let text = "external_id,customer_external_id,amount,currency,paid_at,active,invoice_external_id\np1,c1,12.50,USD,2024-01-01T00:00:00Z,false,inv-1\n";
        let items = read::<Payment>("p.csv", text, Kind::Payments);
        let p = items[0].1.as_ref().unwrap();
        assert_eq!(p.amount.to_string(), "12.50");
        assert_eq!(p.active, Some(false));
        assert_eq!(
            p.invoice.as_ref().unwrap().external_id.as_deref(),
            Some("inv-1")
        );
    }
}
