//! Hyfin's records, per site: customers (v4 and external-id alike), contacts and payments,
//! with the `external_id` indexes of customers and payments.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use crate::persist::Loaded;
use crate::record::{Rec, in_order};
use crate::state::{Records, Shared};

/// The records of one site.
#[derive(Default)]
pub(super) struct Site {
    pub(super) customers: HashMap<String, Rec>,
    pub(super) contacts: HashMap<String, Rec>,
    pub(super) payments: HashMap<String, Rec>,
    /// `external_id` -> `_id` of customers written through the external-id API.
    pub(super) customer_ids: HashMap<String, String>,
    /// `external_id` -> `_id` of payments.
    pub(super) payment_ids: HashMap<String, String>,
}

/// Hyfin's records, per site.
#[derive(Default)]
pub(crate) struct Store {
    sites: Mutex<HashMap<String, Site>>,
}

impl Store {
    pub(super) fn lock(&self) -> MutexGuard<'_, HashMap<String, Site>> {
        self.sites.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn external_id(rec: &Rec) -> Option<String> {
    match rec.field("external_id") {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

impl Records for Store {
    fn load(&self, row: Loaded, _: &Shared) {
        let Some(rec) = Rec::from_text(row.seq, row.at_ms, &row.body) else {
            return;
        };
        let mut sites = self.lock();
        let site = sites.entry(row.scope).or_default();
        match row.kind.as_str() {
            "customer" => {
                if let Some(ext) = external_id(&rec) {
                    site.customer_ids.insert(ext, row.id.clone());
                }
                site.customers.insert(row.id, rec);
            }
            "contact" => {
                site.contacts.insert(row.id, rec);
            }
            "payment" => {
                if let Some(ext) = external_id(&rec) {
                    site.payment_ids.insert(ext, row.id.clone());
                }
                site.payments.insert(row.id, rec);
            }
            _ => {}
        }
    }

    fn clear(&self) {
        self.lock().clear();
    }

    fn records(&self, kind: &str) -> Vec<Value> {
        let sites = self.lock();
        let all = sites.values();
        match kind {
            "customer" => in_order(all.flat_map(|s| s.customers.values())),
            "contact" => in_order(all.flat_map(|s| s.contacts.values())),
            "payment" => in_order(all.flat_map(|s| s.payments.values())),
            _ => Vec::new(),
        }
    }
}
