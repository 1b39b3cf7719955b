//! Rebilly's records, per organization: customers, transactions, and the transaction
//! `requestId`s seen within the de-duplication window.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use crate::persist::Loaded;
use crate::record::{Rec, in_order};
use crate::state::{Records, Shared};
use crate::util::now_ms;

/// The records of one organization.
#[derive(Default)]
pub(super) struct Org {
    pub(super) customers: HashMap<String, Rec>,
    pub(super) transactions: HashMap<String, Rec>,
    /// `requestId` -> (transaction id, creation time in epoch ms), within the window only.
    pub(super) request_ids: HashMap<String, (String, u64)>,
    /// `requestId`s in creation order, for pruning.
    request_queue: VecDeque<(u64, String)>,
}

impl Org {
    pub(super) fn remember(&mut self, request_id: String, txn: String, at_ms: u64) {
        self.request_queue.push_back((at_ms, request_id.clone()));
        self.request_ids.insert(request_id, (txn, at_ms));
    }

    /// Forgets `requestId`s older than the window.
    pub(super) fn prune(&mut self, now: u64, window_ms: u64) {
        while let Some((at, _)) = self.request_queue.front() {
            if now.saturating_sub(*at) < window_ms {
                break;
            }
            if let Some((at, key)) = self.request_queue.pop_front()
                && self.request_ids.get(&key).is_some_and(|(_, t)| *t == at)
            {
                self.request_ids.remove(&key);
            }
        }
    }
}

/// Rebilly's records, per organization.
#[derive(Default)]
pub(crate) struct Store {
    orgs: Mutex<HashMap<String, Org>>,
}

impl Store {
    pub(super) fn lock(&self) -> MutexGuard<'_, HashMap<String, Org>> {
        self.orgs.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Records for Store {
    fn load(&self, row: Loaded, sh: &Shared) {
        let Some(rec) = Rec::from_text(row.seq, row.at_ms, &row.body) else {
            return;
        };
        let window_ms =
            u64::try_from(sh.config.rebilly_request_id_window.as_millis()).unwrap_or(u64::MAX);
        let mut orgs = self.lock();
        let org = orgs.entry(row.scope).or_default();
        match row.kind.as_str() {
            "customer" => {
                org.customers.insert(row.id, rec);
            }
            "transaction" => {
                if let Some(Value::String(rid)) = rec.field("requestId")
                    && now_ms().saturating_sub(row.at_ms) < window_ms
                {
                    org.remember(rid, row.id.clone(), row.at_ms);
                }
                org.transactions.insert(row.id, rec);
            }
            _ => {}
        }
    }

    fn clear(&self) {
        self.lock().clear();
    }

    fn records(&self, kind: &str) -> Vec<Value> {
        let orgs = self.lock();
        match kind {
            "customer" => in_order(orgs.values().flat_map(|o| o.customers.values())),
            "transaction" => in_order(orgs.values().flat_map(|o| o.transactions.values())),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_pruned_after_the_window() {
        let mut org = Org::default();
        for i in 0..1000u64 {
            org.remember(format!("r-{i}"), format!("txn-{i}"), i);
        }
        org.prune(1500, 1000);
        // Kept: younger than the window (created after 500).
        assert_eq!(org.request_ids.len(), 499);
        assert_eq!(org.request_queue.len(), 499);
        assert!(!org.request_ids.contains_key("r-500"));
        assert!(org.request_ids.contains_key("r-501"));
        org.prune(10_000, 1000);
        assert!(org.request_ids.is_empty() && org.request_queue.is_empty());
    }
}
