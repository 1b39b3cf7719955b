//! What changed between what was sent and what would be sent now, field by field.

use serde_json::Value;

/// The longest value shown in a difference.
const MAX_VALUE_CHARS: usize = 60;

fn shown(value: Option<&Value>) -> String {
    let text = match value {
        None => return "(absent)".to_owned(),
        Some(v) => v.to_string(),
    };
    if text.chars().count() <= MAX_VALUE_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_VALUE_CHARS).collect();
    format!("{cut}… ({} bytes)", text.len())
}

fn walk<'a>(path: String, old: Option<&'a Value>, new: Option<&'a Value>, out: &mut Vec<String>) {
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(p, a.get(k), b.get(k), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for i in 0..a.len().max(b.len()) {
                walk(format!("{path}[{i}]"), a.get(i), b.get(i), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: {} -> {}", shown(a), shown(b))),
    }
}

/// Every field whose value differs, as `path: old -> new` (values cut at 60 characters).
pub fn changes(old: &Value, new: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(String::new(), Some(old), Some(new), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_each_changed_field_with_both_values() {
        let old = json!({"amount": 10.05, "currency": "USD", "a": {"b": [1, 2]}});
        let new = json!({"amount": 99.99, "currency": "USD", "a": {"b": [1]}, "n": "x"});
        assert_eq!(
            changes(&old, &new),
            [
                "a.b[1]: 2 -> (absent)",
                "amount: 10.05 -> 99.99",
                "n: (absent) -> \"x\""
            ]
        );
        let long = json!({"notes": "x".repeat(500)});
        let shown = changes(&json!({}), &long).remove(0);
        assert!(shown.ends_with("(502 bytes)"), "{shown}");
    }
}
