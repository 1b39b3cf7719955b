//! The mutator: byte-level and JSON-structural changes to an input.

use serde_json::{Map, Value};

/// The largest input tried (bigger mutants are cut).
pub const MAX_INPUT: usize = 64 * 1024;

/// Bytes that matter to JSON and CSV decoders.
const INTERESTING_BYTES: &[u8] = b"{}[]\":,\\0-+.eE \n\r\t\x00\xff\xc3\xa9%'#";

/// Numbers at the edges of what decoders take.
const EDGE_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-1",
    "1e308",
    "-1e308",
    "1e999",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "0.000000000000000000000000000001",
    "79228162514264337593543950336",
    "1.5",
    "255",
    "65536",
];

/// Odd strings (as JSON string literals without quotes).
const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "\\u0000",
    "\\ud800",
    "\\ufeff",
    "é",
    "%",
    "%2",
    "%ZZ",
    "%2F..%2F",
    "/",
    "https://x/customers/",
    "null",
    "true",
    "1",
    "NaN",
    "2024-13-45T99:99:99Z",
];

/// A mutator with its own random source and a dictionary of tokens.
pub struct Mutator {
    rng: fastrand::Rng,
    dictionary: Vec<Vec<u8>>,
}

impl Mutator {
    /// A mutator seeded with `seed`, inserting `dictionary` tokens among others.
    pub fn new(seed: u64, dictionary: Vec<Vec<u8>>) -> Mutator {
        let mut all = dictionary;
        all.extend(EDGE_NUMBERS.iter().map(|n| n.as_bytes().to_vec()));
        all.extend(ODD_STRINGS.iter().map(|s| format!("\"{s}\"").into_bytes()));
        all.extend(
            [
                "null", "true", "false", "[]", "{}", "[[[[[[[[", "}}}}", "\"\"", ",", ":",
            ]
            .iter()
            .map(|t| t.as_bytes().to_vec()),
        );
        Mutator {
            rng: fastrand::Rng::with_seed(seed),
            dictionary: all,
        }
    }

    /// A random number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.rng.usize(..n.max(1))
    }

    /// Mutates `data` in place: one to four changes; bytes before `body` (a target's own header
    /// of choices) are changed rarely, JSON structure only after it. `other` is another input
    /// to splice from.
    pub fn mutate(&mut self, data: &mut Vec<u8>, body: usize, other: &[u8]) {
        let rounds = 1 + self.below(4);
        for _ in 0..rounds {
            let body = body.min(data.len());
            match self.below(20) {
                0 if body > 0 => {
                    let i = self.below(body);
                    data[i] = self.rng.u8(..);
                }
                1..=6 => self.json(data, body),
                _ => self.bytes(data, body, other),
            }
        }
        data.truncate(MAX_INPUT);
    }

    fn bytes(&mut self, data: &mut Vec<u8>, body: usize, other: &[u8]) {
        let len = data.len();
        let at = body + self.below(len - body + 1);
        match self.below(9) {
            0 if at < len => data[at] ^= 1 << self.below(8),
            1 if at < len => data[at] = self.rng.u8(..),
            2 if at < len => data[at] = INTERESTING_BYTES[self.below(INTERESTING_BYTES.len())],
            3 | 4 => {
                let i = self.below(self.dictionary.len());
                let token = self.dictionary[i].clone();
                data.splice(at..at, token);
            }
            5 if at < len => {
                let end = (at + 1 + self.below(16)).min(len);
                data.drain(at..end);
            }
            6 if at < len => {
                let end = (at + 1 + self.below(32)).min(len);
                let copy = data[at..end].to_vec();
                let to = body + self.below(data.len() - body + 1);
                data.splice(to..to, copy);
            }
            7 => data.truncate(at),
            _ if !other.is_empty() => {
                let from = self.below(other.len());
                let end = (from + 1 + self.below(64)).min(other.len());
                data.splice(at..at, other[from..end].iter().copied());
            }
            _ => data.insert(at, self.rng.u8(..)),
        }
    }

    /// Changes the JSON value(s) after `body`: the whole body, or one line of JSON Lines.
    fn json(&mut self, data: &mut Vec<u8>, body: usize) {
        let text = &data[body..];
        // One line of a multi-line body, or the whole body.
        let lines: Vec<(usize, usize)> = line_spans(text);
        let (start, end) = lines[self.below(lines.len())];
        let Ok(mut value) = serde_json::from_slice::<Value>(&text[start..end]) else {
            return;
        };
        self.change(&mut value, 0);
        let Ok(bytes) = serde_json::to_vec(&value) else {
            return;
        };
        data.splice(body + start..body + end, bytes);
    }

    /// Changes one node of `value`, descending at random.
    fn change(&mut self, value: &mut Value, depth: usize) {
        match value {
            Value::Object(map) if !map.is_empty() && depth < 16 && self.below(3) > 0 => {
                let keys: Vec<String> = map.keys().cloned().collect();
                let key = &keys[self.below(keys.len())];
                match self.below(8) {
                    0 => {
                        map.remove(key);
                    }
                    1 => {
                        let new = self.key();
                        let v = self.value(0);
                        map.insert(new, v);
                    }
                    _ => {
                        if let Some(child) = map.get_mut(key) {
                            self.change(child, depth + 1);
                        }
                    }
                }
            }
            Value::Array(items) if !items.is_empty() && depth < 16 && self.below(3) > 0 => {
                let i = self.below(items.len());
                match self.below(6) {
                    0 => {
                        items.remove(i);
                    }
                    1 => {
                        let copy = items[i].clone();
                        items.push(copy);
                    }
                    _ => self.change(&mut items[i], depth + 1),
                }
            }
            _ => *value = self.value(0),
        }
    }

    /// A key from the dictionary's strings, or a random one.
    fn key(&mut self) -> String {
        let i = self.below(self.dictionary.len());
        let token = &self.dictionary[i];
        match serde_json::from_slice::<Value>(token) {
            Ok(Value::String(s)) => s,
            _ => format!("k{}", self.below(100)),
        }
    }

    /// A random value: every JSON type, edge numbers, odd and long strings, some nesting.
    fn value(&mut self, depth: usize) -> Value {
        match self.below(if depth > 3 { 8 } else { 11 }) {
            0 => Value::Null,
            1 => Value::Bool(self.below(2) == 0),
            2 | 3 => {
                let n = EDGE_NUMBERS[self.below(EDGE_NUMBERS.len())];
                serde_json::from_str(n).unwrap_or(Value::Null)
            }
            4 => {
                let s = ODD_STRINGS[self.below(ODD_STRINGS.len())];
                serde_json::from_str(&format!("\"{s}\"")).unwrap_or(Value::Null)
            }
            5 => Value::String("x".repeat(1 << self.below(14))),
            6 | 7 => Value::String(self.key()),
            8 => Value::Array((0..self.below(3)).map(|_| self.value(depth + 1)).collect()),
            _ => {
                let mut map = Map::new();
                for _ in 0..self.below(3) {
                    let k = self.key();
                    let v = self.value(depth + 1);
                    map.insert(k, v);
                }
                Value::Object(map)
            }
        }
    }
}

/// The spans of the non-empty lines of `text` (the whole text when it has one line).
fn line_spans(text: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, b) in text.iter().enumerate() {
        if *b == b'\n' {
            if i > start {
                spans.push((start, i));
            }
            start = i + 1;
        }
    }
    if text.len() > start || spans.is_empty() {
        spans.push((start, text.len()));
    }
    spans
}

/// The strings and object keys of every JSON value in `inputs` (whole, or line by line), as
/// JSON string tokens: the dictionary a mutator inserts.
pub fn dictionary(inputs: &[&[u8]]) -> Vec<Vec<u8>> {
    fn walk(v: &Value, out: &mut Vec<Vec<u8>>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    out.push(Value::from(k.as_str()).to_string().into_bytes());
                    walk(child, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::String(s) if s.len() < 64 => {
                out.push(Value::from(s.as_str()).to_string().into_bytes())
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for input in inputs {
        for (start, end) in line_spans(input) {
            if let Ok(v) = serde_json::from_slice::<Value>(&input[start..end]) {
                walk(&v, &mut out);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
