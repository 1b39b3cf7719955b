//! Payabli's records: customers per entrypoint with their `customerNumber` index, the
//! customer id sequence, and the `idempotencyKey`s seen within the window.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::persist::Loaded;
use crate::record::{Rec, in_order};
use crate::state::{Records, Shared};

#[derive(Default)]
pub(super) struct Entry {
    pub(super) customers: BTreeMap<i64, Rec>,
    /// Lower-cased `customerNumber` -> ids.
    pub(super) by_number: HashMap<String, Vec<i64>>,
}

impl Entry {
    pub(super) fn index(&mut self, number: Option<&str>, id: i64) {
        if let Some(n) = number.filter(|n| !n.is_empty()) {
            self.by_number.entry(n.to_lowercase()).or_default().push(id);
        }
    }

    pub(super) fn unindex(&mut self, number: Option<&str>, id: i64) {
        if let Some(n) = number.filter(|n| !n.is_empty()) {
            let key = n.to_lowercase();
            if let Some(ids) = self.by_number.get_mut(&key) {
                ids.retain(|i| *i != id);
                if ids.is_empty() {
                    self.by_number.remove(&key);
                }
            }
        }
    }

    /// The customer whose `customerNumber` is exactly `number`.
    pub(super) fn find_number(&self, number: &str) -> Option<i64> {
        self.by_number
            .get(&number.to_lowercase())?
            .iter()
            .copied()
            .find(|id| {
                self.customers
                    .get(id)
                    .and_then(|r| r.field("customerNumber"))
                    .is_some_and(|n| n.as_str() == Some(number))
            })
    }
}

#[derive(Default)]
pub(super) struct Inner {
    pub(super) entries: HashMap<String, Entry>,
    /// Customer id -> its entrypoint.
    pub(super) ids: HashMap<i64, String>,
    pub(super) last_id: i64,
    /// Idempotency keys seen within the window.
    pub(super) keys: HashMap<String, Instant>,
    pub(super) key_queue: VecDeque<(Instant, String)>,
}

impl Inner {
    pub(super) fn prune_keys(&mut self, now: Instant, window: Duration) {
        while let Some((at, _)) = self.key_queue.front() {
            if now.duration_since(*at) < window {
                break;
            }
            if let Some((at, key)) = self.key_queue.pop_front()
                && self.keys.get(&key) == Some(&at)
            {
                self.keys.remove(&key);
            }
        }
    }

    pub(super) fn key_seen(&self, key: &str, now: Instant, window: Duration) -> bool {
        self.keys
            .get(key)
            .is_some_and(|at| now.duration_since(*at) < window)
    }

    pub(super) fn remember_key(&mut self, key: &str, now: Instant) {
        self.keys.insert(key.to_owned(), now);
        self.key_queue.push_back((now, key.to_owned()));
    }
}

/// Payabli's records.
#[derive(Default)]
pub(crate) struct Store {
    inner: Mutex<Inner>,
}

impl Store {
    pub(super) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Records for Store {
    fn load(&self, row: Loaded, _: &Shared) {
        let (Some(rec), Ok(id)) = (
            Rec::from_text(row.seq, row.at_ms, &row.body),
            row.id.parse::<i64>(),
        ) else {
            return;
        };
        if row.kind != "customer" {
            return;
        }
        let mut inner = self.lock();
        inner.last_id = inner.last_id.max(id);
        inner.ids.insert(id, row.scope.clone());
        let entry = inner.entries.entry(row.scope).or_default();
        let number = rec.field("customerNumber");
        entry.index(number.as_ref().and_then(Value::as_str), id);
        entry.customers.insert(id, rec);
    }

    fn clear(&self) {
        let mut inner = self.lock();
        let last_id = inner.last_id;
        *inner = Inner::default();
        // Ids are never reused, even after a reset.
        inner.last_id = last_id;
    }

    fn records(&self, kind: &str) -> Vec<Value> {
        if kind != "customer" {
            return Vec::new();
        }
        let inner = self.lock();
        in_order(inner.entries.values().flat_map(|e| e.customers.values()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_pruned_after_the_window() {
        let mut inner = Inner::default();
        let window = Duration::from_millis(50);
        let start = Instant::now();
        for i in 0..1000 {
            inner.remember_key(&format!("k-{i}"), start);
        }
        assert!(inner.key_seen("k-7", start, window));
        let later = start + window;
        inner.prune_keys(later, window);
        assert!(inner.keys.is_empty() && inner.key_queue.is_empty());
        assert!(!inner.key_seen("k-7", later, window));
    }
}
