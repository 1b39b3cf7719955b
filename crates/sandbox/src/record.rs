//! A stored record kept compact: its JSON text rather than a `serde_json::Value` tree, which
//! costs several times the bytes (a `String` and a map node per key). Reads parse it back.

use serde_json::{Map, Value};

/// One stored record: creation order, creation time and the JSON object served back.
#[derive(Debug, Clone)]
pub(crate) struct Rec {
    /// Creation order (sandbox-wide).
    pub seq: u64,
    /// Creation time, epoch milliseconds.
    pub at_ms: u64,
    /// The record as compact JSON text (always an object).
    text: Box<str>,
}

impl Rec {
    /// A record holding `body`.
    pub(crate) fn new(seq: u64, at_ms: u64, body: &Map<String, Value>) -> Rec {
        Rec {
            seq,
            at_ms,
            text: to_text(body),
        }
    }

    /// A record from stored JSON text; `None` when the text is not a JSON object.
    pub(crate) fn from_text(seq: u64, at_ms: u64, text: &str) -> Option<Rec> {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => Some(Rec::new(seq, at_ms, &m)),
            _ => None,
        }
    }

    /// The record as a JSON object.
    pub(crate) fn object(&self) -> Map<String, Value> {
        match serde_json::from_str::<Value>(&self.text) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    }

    /// The record as a JSON value.
    pub(crate) fn value(&self) -> Value {
        Value::Object(self.object())
    }

    /// The record's JSON text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Replaces the stored object.
    pub(crate) fn set(&mut self, body: &Map<String, Value>) {
        self.text = to_text(body);
    }

    /// One top-level field.
    pub(crate) fn field(&self, key: &str) -> Option<Value> {
        let mut m = self.object();
        m.remove(key)
    }
}

fn to_text(body: &Map<String, Value>) -> Box<str> {
    // Serializing a map of JSON values cannot fail (keys are strings).
    serde_json::to_string(body)
        .unwrap_or_else(|_| "{}".to_owned())
        .into_boxed_str()
}

/// Records sorted by creation order, as JSON values.
pub(crate) fn in_order<'a>(recs: impl Iterator<Item = &'a Rec>) -> Vec<Value> {
    let mut v: Vec<&Rec> = recs.collect();
    v.sort_unstable_by_key(|r| r.seq);
    v.into_iter().map(Rec::value).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_and_replaces() {
        let body = json!({"a": 1, "b": {"c": [true, null]}});
        let mut r = Rec::new(3, 4, body.as_object().unwrap());
        assert_eq!(r.value(), body);
        assert_eq!(r.field("a"), Some(json!(1)));
        r.set(json!({"z": "y"}).as_object().unwrap());
        assert_eq!(r.text(), r#"{"z":"y"}"#);
        assert!(Rec::from_text(1, 1, "[1]").is_none());
        assert_eq!(
            Rec::from_text(1, 1, r#"{"k":2}"#).unwrap().field("k"),
            Some(json!(2))
        );
    }
}
