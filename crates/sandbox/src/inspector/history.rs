//! Record histories: every version of every stored record the inspector saw, keyed by the
//! record's id.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use super::VERSIONS_KEPT;
use super::diff::{Change, diff};
use super::rfc3339_ms;
use crate::config::Provider;
use crate::util::now_ms;

/// A successful write request waiting to be reconciled.
#[derive(Debug, Clone)]
pub(crate) struct Write {
    /// The provider written to.
    pub provider: Provider,
    /// The record kind the path names.
    pub kind: &'static str,
    /// The request's id in the ring.
    pub request_id: u64,
    /// The request's path and its answer's body (to find which record it wrote).
    pub haystack: String,
}

/// One version of a record.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Version {
    /// 1 for the first version seen, then 2, 3, ...
    pub version: u32,
    /// When the inspector saw it, RFC 3339 with milliseconds, UTC.
    pub at: String,
    /// `created`, `updated` or `first seen` (no write request found for it).
    pub action: &'static str,
    /// The write request that produced it, when known.
    pub request_id: Option<u64>,
    /// The record as stored.
    pub record: Value,
    /// What changed since the version before (empty for the first).
    pub changes: Vec<Change>,
}

/// The versions of one record.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RecordHistory {
    /// The record's identity: its id, within its organization when it has one.
    pub key: String,
    /// Oldest first: the first version, then the latest changes.
    pub versions: Vec<Version>,
    #[serde(skip)]
    touched: u64,
}

/// The histories of every kind of every provider.
#[derive(Debug)]
pub(crate) struct Histories {
    kinds: HashMap<(Provider, &'static str), HashMap<String, RecordHistory>>,
    /// Kinds with more records than `limit`: their count and when it was taken.
    over: HashMap<(Provider, &'static str), (usize, Instant)>,
    limit: usize,
    clock: u64,
}

/// One page of histories.
#[derive(Debug, Serialize)]
pub(crate) struct HistoryPage {
    /// How many records the kind has.
    pub total: usize,
    /// Where the page starts.
    pub offset: usize,
    /// Most records a kind may have for its histories to be taken.
    pub history_limit: usize,
    /// Whether the kind has more records than that (then `items` is empty).
    pub over_limit: bool,
    /// The histories, most recently changed first.
    pub items: Vec<RecordHistory>,
}

/// How long the count of a kind over the limit is trusted before the records are read again.
const OVER_LIMIT_RECHECK: Duration = Duration::from_secs(5);

/// The record's id (`_id`, `id` or `customerId`), within its `organizationId` if any.
fn key_of(record: &Value) -> Option<String> {
    let id = id_of(record)?;
    Some(match record.get("organizationId").and_then(Value::as_str) {
        Some(org) => format!("{org}/{id}"),
        None => id,
    })
}

/// The record's id as text.
fn id_of(record: &Value) -> Option<String> {
    ["_id", "id", "customerId"]
        .iter()
        .find_map(|k| match record.get(k)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
}

/// Which write of a batch last mentioned each token (a run of letters, digits, `-` and `_`)
/// in its path or answer: the record with that id was most likely written by it.
fn writers(writes: &[Write]) -> HashMap<&str, u64> {
    let mut map = HashMap::new();
    for w in writes {
        let tokens = w
            .haystack
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        for token in tokens.filter(|t| !t.is_empty()) {
            map.insert(token, w.request_id);
        }
    }
    map
}

impl Histories {
    /// No histories yet; kinds with more than `limit` records get none.
    pub fn new(limit: usize) -> Histories {
        Histories {
            kinds: HashMap::new(),
            over: HashMap::new(),
            limit,
            clock: 0,
        }
    }

    /// Whether reading the records of a kind can be skipped: it had more records than the
    /// limit (for a `reader`, a moment ago: someone looking gets a fresh count).
    pub fn skip(&self, provider: Provider, kind: &'static str, reader: bool) -> bool {
        self.over
            .get(&(provider, kind))
            .is_some_and(|(_, at)| !reader || at.elapsed() < OVER_LIMIT_RECHECK)
    }

    /// Compares `records` (the stored records of one kind) with the histories: new records
    /// get a first version, changed ones a new version with its changes, and records no
    /// longer stored are forgotten.
    pub fn reconcile(
        &mut self,
        provider: Provider,
        kind: &'static str,
        records: Vec<Value>,
        writes: &[Write],
    ) {
        if records.len() > self.limit {
            self.kinds.remove(&(provider, kind));
            self.over
                .insert((provider, kind), (records.len(), Instant::now()));
            return;
        }
        self.over.remove(&(provider, kind));
        let writers = writers(writes);
        let writer =
            |record: &Value| id_of(record).and_then(|id| writers.get(id.as_str()).copied());
        let at = rfc3339_ms(now_ms());
        let kind_map = self.kinds.entry((provider, kind)).or_default();
        let mut seen = std::collections::HashSet::with_capacity(records.len());
        for (i, record) in records.into_iter().enumerate() {
            let key = key_of(&record).unwrap_or_else(|| format!("#{}", i + 1));
            seen.insert(key.clone());
            match kind_map.get_mut(&key) {
                Some(h) => {
                    let Some(last) = h.versions.last() else {
                        continue;
                    };
                    if last.record == record {
                        continue;
                    }
                    let changes = diff(&last.record, &record);
                    let version = last.version + 1;
                    self.clock += 1;
                    h.touched = self.clock;
                    h.versions.push(Version {
                        version,
                        at: at.clone(),
                        action: "updated",
                        request_id: writer(&record),
                        record,
                        changes,
                    });
                    if h.versions.len() > VERSIONS_KEPT {
                        // Keep the first version; drop the oldest change after it.
                        h.versions.remove(1);
                    }
                }
                None => {
                    let request_id = writer(&record);
                    self.clock += 1;
                    kind_map.insert(
                        key.clone(),
                        RecordHistory {
                            key,
                            versions: vec![Version {
                                version: 1,
                                at: at.clone(),
                                action: if request_id.is_some() {
                                    "created"
                                } else {
                                    "first seen"
                                },
                                request_id,
                                record,
                                changes: Vec::new(),
                            }],
                            touched: self.clock,
                        },
                    );
                }
            }
        }
        kind_map.retain(|k, _| seen.contains(k));
    }

    /// Up to `limit` histories of one kind from `offset`, most recently changed first, and
    /// how many there are.
    pub fn page(
        &self,
        provider: Provider,
        kind: &'static str,
        offset: usize,
        limit: usize,
    ) -> HistoryPage {
        let mut page = HistoryPage {
            total: 0,
            offset,
            history_limit: self.limit,
            over_limit: false,
            items: Vec::new(),
        };
        if let Some((count, _)) = self.over.get(&(provider, kind)) {
            page.total = *count;
            page.over_limit = true;
            return page;
        }
        let Some(kind_map) = self.kinds.get(&(provider, kind)) else {
            return page;
        };
        let mut all: Vec<&RecordHistory> = kind_map.values().collect();
        all.sort_unstable_by(|a, b| b.touched.cmp(&a.touched).then_with(|| a.key.cmp(&b.key)));
        page.total = kind_map.len();
        page.items = all.into_iter().skip(offset).take(limit).cloned().collect();
        page
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write(id: u64, haystack: &str) -> Write {
        Write {
            provider: Provider::Rebilly,
            kind: "customer",
            request_id: id,
            haystack: haystack.to_owned(),
        }
    }

    #[test]
    fn a_record_gets_created_then_updated_with_its_changes_and_writer() {
        let mut h = Histories::new(100);
        let v1 = json!({"id":"cus-1","organizationId":"org","firstName":"Ada"});
        let v2 = json!({"id":"cus-1","organizationId":"org","firstName":"Grace"});
        h.reconcile(
            Provider::Rebilly,
            "customer",
            vec![v1.clone()],
            &[write(7, "/organizations/org/customers/cus-1")],
        );
        h.reconcile(Provider::Rebilly, "customer", vec![v1.clone()], &[]);
        h.reconcile(
            Provider::Rebilly,
            "customer",
            vec![v2.clone()],
            &[
                write(8, "/organizations/org/customers/cus-10"),
                write(9, "/organizations/org/customers/cus-1"),
            ],
        );
        let page = h.page(Provider::Rebilly, "customer", 0, 10);
        let items = page.items;
        assert_eq!(page.total, 1);
        assert_eq!(items[0].key, "org/cus-1");
        let v = &items[0].versions;
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].version, v[0].action, v[0].request_id),
            (1, "created", Some(7))
        );
        assert_eq!(v[0].record, v1);
        assert_eq!(
            (v[1].version, v[1].action, v[1].request_id),
            (2, "updated", Some(9))
        );
        assert_eq!(v[1].record, v2);
        assert_eq!(v[1].changes.len(), 1);
        assert_eq!(v[1].changes[0].path, "firstName");
    }

    #[test]
    fn records_gone_from_the_store_lose_their_history_and_the_first_version_is_kept() {
        let mut h = Histories::new(100);
        for n in 0..(VERSIONS_KEPT as u32 + 5) {
            h.reconcile(
                Provider::Payabli,
                "customer",
                vec![json!({"customerId": 12, "n": n})],
                &[],
            );
        }
        let items = h.page(Provider::Payabli, "customer", 0, 10).items;
        let versions = &items[0].versions;
        assert_eq!(versions.len(), VERSIONS_KEPT);
        assert_eq!(versions[0].version, 1);
        assert_eq!(versions[0].action, "first seen");
        assert_eq!(versions[1].version, 7);
        assert_eq!(
            versions.last().map(|v| v.version),
            Some(VERSIONS_KEPT as u32 + 5)
        );
        h.reconcile(Provider::Payabli, "customer", Vec::new(), &[]);
        assert_eq!(h.page(Provider::Payabli, "customer", 0, 10).total, 0);
    }

    #[test]
    fn most_recently_changed_records_come_first() {
        let mut h = Histories::new(100);
        let a = json!({"_id":"a","x":1});
        let b = json!({"_id":"b","x":1});
        h.reconcile(Provider::Hyfin, "customer", vec![a.clone(), b.clone()], &[]);
        h.reconcile(
            Provider::Hyfin,
            "customer",
            vec![json!({"_id":"a","x":2}), b],
            &[],
        );
        let items = h.page(Provider::Hyfin, "customer", 0, 10).items;
        let keys: Vec<&str> = items.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["a", "b"]);
    }

    #[test]
    fn kinds_with_more_records_than_the_limit_get_no_history() {
        let mut h = Histories::new(2);
        let three: Vec<Value> = (0..3).map(|n| json!({ "_id": n.to_string() })).collect();
        h.reconcile(Provider::Hyfin, "payment", three[..2].to_vec(), &[]);
        assert_eq!(h.page(Provider::Hyfin, "payment", 0, 10).items.len(), 2);
        h.reconcile(Provider::Hyfin, "payment", three.clone(), &[]);
        let page = h.page(Provider::Hyfin, "payment", 0, 10);
        assert!(page.over_limit && page.items.is_empty());
        assert_eq!(page.total, 3);
        assert!(h.skip(Provider::Hyfin, "payment", false));
        assert!(h.skip(Provider::Hyfin, "payment", true));
        assert!(!h.skip(Provider::Hyfin, "customer", false));
        h.reconcile(Provider::Hyfin, "payment", three[..1].to_vec(), &[]);
        let page = h.page(Provider::Hyfin, "payment", 0, 10);
        assert!(!page.over_limit);
        assert_eq!(page.items.len(), 1);
    }
}
