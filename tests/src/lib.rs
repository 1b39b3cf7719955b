//! Shared test support for billsync: the canonical fixtures, loaded once for every provider.
//!
//! Fixtures live in `tests/fixtures/customers/*.json` and `tests/fixtures/payments/*.json`.
//! Every provider renders every fixture into a snapshot of its prepared request (or of the
//! validation error, for fixtures it must reject).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use billsync::{Customer, Payment};
use serde_json::value::RawValue;

/// The directory holding the fixtures.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn load<T: serde::de::DeserializeOwned>(kind: &str) -> Vec<(String, T)> {
    let dir = fixtures_dir().join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (name, value)
        })
        .collect()
}

/// Every customer fixture as `(file stem, customer)`, sorted by name.
pub fn customers() -> Vec<(String, Customer)> {
    load("customers")
}

/// Every payment fixture as `(file stem, payment)`, sorted by name.
pub fn payments() -> Vec<(String, Payment)> {
    load("payments")
}

/// One customer fixture by file stem.
pub fn customer(name: &str) -> Customer {
    customers()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, c)| c)
        .unwrap_or_else(|| panic!("no customer fixture `{name}`"))
}

/// One payment fixture by file stem.
pub fn payment(name: &str) -> Payment {
    payments()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, p)| p)
        .unwrap_or_else(|| panic!("no payment fixture `{name}`"))
}

/// What a provider makes of a fixture, as a snapshot value: the rendered requests (secrets
/// redacted, bodies parsed from the exact bytes) or the error (kind and every field problem).
///
/// A parsed body shows numbers as `f64`s (`125.5`); so that snapshots show money as it is sent,
/// a request whose body has numbers also lists each one's exact text under `exact_numbers`
/// (`{"/balance": "125.50"}`).
pub fn rendered(result: billsync::Result<Vec<billsync::PreparedRequest>>) -> serde_json::Value {
    match result {
        Ok(requests) => serde_json::json!({
            "requests": requests.iter().map(|r| {
                let mut shown = serde_json::to_value(r.render()).unwrap_or_default();
                let numbers = r.body.as_deref().map(exact_numbers).unwrap_or_default();
                if let (false, Some(obj)) = (numbers.is_empty(), shown.as_object_mut()) {
                    obj.insert("exact_numbers".into(), serde_json::json!(numbers));
                }
                shown
            }).collect::<Vec<_>>()
        }),
        Err(e) => serde_json::json!({
            "error": {
                "kind": e.kind().name(),
                "provider": e.provider(),
                "message": e.to_string(),
                "fields": e.field_errors(),
            }
        }),
    }
}

/// Every number in a JSON body, by JSON pointer, with its text exactly as in the bytes sent.
pub fn exact_numbers(body: &[u8]) -> BTreeMap<String, String> {
    fn walk(raw: &RawValue, pointer: String, out: &mut BTreeMap<String, String>) {
        let text = raw.get().trim();
        match text.as_bytes().first() {
            Some(b'{') => {
                if let Ok(map) = serde_json::from_str::<BTreeMap<String, &RawValue>>(text) {
                    for (key, value) in map {
                        let key = key.replace('~', "~0").replace('/', "~1");
                        walk(value, format!("{pointer}/{key}"), out);
                    }
                }
            }
            Some(b'[') => {
                if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) {
                    for (i, value) in items.into_iter().enumerate() {
                        walk(value, format!("{pointer}/{i}"), out);
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => {
                out.insert(pointer, text.to_owned());
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    if let Ok(raw) = serde_json::from_slice::<&RawValue>(body) {
        walk(raw, String::new(), &mut out);
    }
    out
}
