//! Field-by-field differences between two versions of a JSON record.

use serde::Serialize;
use serde_json::Value;

/// One field that differs between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Change {
    /// Where: `name`, `primaryAddress.city`, `contacts[0]._id`.
    pub path: String,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// The value before (null when added).
    pub before: Value,
    /// The value after (null when removed).
    pub after: Value,
}

/// The changes from `before` to `after`: objects are compared key by key and arrays
/// element by element; anything else (and a change of type) is one change.
pub(crate) fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk(String::new(), before, after, &mut out);
    out
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn walk(path: String, before: &Value, after: &Value, out: &mut Vec<Change>) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (k, bv) in b {
                match a.get(k) {
                    Some(av) => walk(child(&path, k), bv, av, out),
                    None => out.push(Change {
                        path: child(&path, k),
                        change: "removed",
                        before: bv.clone(),
                        after: Value::Null,
                    }),
                }
            }
            for (k, av) in a {
                if !b.contains_key(k) {
                    out.push(Change {
                        path: child(&path, k),
                        change: "added",
                        before: Value::Null,
                        after: av.clone(),
                    });
                }
            }
        }
        (Value::Array(b), Value::Array(a)) => {
            for i in 0..b.len().max(a.len()) {
                let p = format!("{path}[{i}]");
                match (b.get(i), a.get(i)) {
                    (Some(bv), Some(av)) => walk(p, bv, av, out),
                    (Some(bv), None) => out.push(Change {
                        path: p,
                        change: "removed",
                        before: bv.clone(),
                        after: Value::Null,
                    }),
                    (None, Some(av)) => out.push(Change {
                        path: p,
                        change: "added",
                        before: Value::Null,
                        after: av.clone(),
                    }),
                    (None, None) => {}
                }
            }
        }
        (b, a) if b != a => out.push(Change {
            path,
            change: "changed",
            before: b.clone(),
            after: a.clone(),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::diff;
    use serde_json::json;

    #[test]
    fn nested_fields_and_array_elements_are_named_by_path() {
        let before =
            json!({"name":"Ada","address":{"city":"London","zip":"N1"},"tags":["a","b"],"gone":1});
        let after =
            json!({"name":"Ada","address":{"city":"Paris","zip":"N1"},"tags":["a"],"new":true});
        let changes: Vec<(String, &str, serde_json::Value, serde_json::Value)> =
            diff(&before, &after)
                .into_iter()
                .map(|c| (c.path, c.change, c.before, c.after))
                .collect();
        assert_eq!(
            changes,
            vec![
                (
                    "address.city".into(),
                    "changed",
                    json!("London"),
                    json!("Paris")
                ),
                ("gone".into(), "removed", json!(1), json!(null)),
                ("tags[1]".into(), "removed", json!("b"), json!(null)),
                ("new".into(), "added", json!(null), json!(true)),
            ]
        );
    }

    #[test]
    fn equal_records_have_no_changes() {
        let v = json!({"a":[1,{"b":null}]});
        assert!(diff(&v, &v).is_empty());
    }
}
