//! Remembering which provider id belongs to which external id.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::RwLock;

use crate::{RecordKind, Result};

/// Maps `(provider, kind, external id)` to the provider's own id.
///
/// Providers that key records by an id of their own (Hyfin's `_id`, Payabli's `customerId`)
/// remember it here after a create, so the next upsert of the same external id updates instead
/// of creating a second record. The default is [`MemoryIdMap`]; a persistent store (the CLI's
/// SQLite state) implements this trait so the mapping survives restarts.
///
/// Calls are synchronous and expected to be fast (memory or a local database).
pub trait IdMap: Send + Sync + Debug {
    /// The provider id remembered for `external_id`, if any.
    fn get(&self, provider: &str, kind: RecordKind, external_id: &str) -> Result<Option<String>>;
    /// Remembers `provider_id` for `external_id`, replacing any previous value.
    fn put(
        &self,
        provider: &str,
        kind: RecordKind,
        external_id: &str,
        provider_id: &str,
    ) -> Result<()>;
}

/// An [`IdMap`] in memory: lost when the process ends. Lookups allocate nothing.
#[derive(Debug, Default)]
pub struct MemoryIdMap {
    // provider -> one map per record kind (customer, payment, contact) -> external id -> id
    map: RwLock<HashMap<String, [HashMap<String, String>; 3]>>,
}

fn slot(kind: RecordKind) -> usize {
    match kind {
        RecordKind::Customer => 0,
        RecordKind::Payment => 1,
        RecordKind::Contact => 2,
    }
}

impl MemoryIdMap {
    /// An empty map.
    pub fn new() -> Self {
        MemoryIdMap::default()
    }

    /// How many ids are remembered.
    pub fn len(&self) -> usize {
        let map = self.map.read().unwrap_or_else(|p| p.into_inner());
        map.values()
            .flat_map(|kinds| kinds.iter())
            .map(HashMap::len)
            .sum()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl IdMap for MemoryIdMap {
    fn get(&self, provider: &str, kind: RecordKind, external_id: &str) -> Result<Option<String>> {
        // A poisoned lock only means another thread panicked while holding it; every insert is a
        // single map operation, so the map is still consistent: keep serving it.
        let map = self.map.read().unwrap_or_else(|p| p.into_inner());
        Ok(map
            .get(provider)
            .and_then(|kinds| kinds[slot(kind)].get(external_id))
            .cloned())
    }

    fn put(
        &self,
        provider: &str,
        kind: RecordKind,
        external_id: &str,
        provider_id: &str,
    ) -> Result<()> {
        let mut map = self.map.write().unwrap_or_else(|p| p.into_inner());
        let kinds = match map.get_mut(provider) {
            Some(kinds) => kinds,
            None => map.entry(provider.to_owned()).or_default(),
        };
        kinds[slot(kind)].insert(external_id.to_owned(), provider_id.to_owned());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_do_not_collide() {
        let m = MemoryIdMap::new();
        m.put("hyfin", RecordKind::Customer, "c1", "h1").unwrap();
        m.put("hyfin", RecordKind::Contact, "c1", "k1").unwrap();
        m.put("payabli", RecordKind::Customer, "c1", "42").unwrap();
        assert_eq!(
            m.get("hyfin", RecordKind::Customer, "c1")
                .unwrap()
                .as_deref(),
            Some("h1")
        );
        assert_eq!(
            m.get("hyfin", RecordKind::Contact, "c1")
                .unwrap()
                .as_deref(),
            Some("k1")
        );
        assert_eq!(
            m.get("payabli", RecordKind::Customer, "c1")
                .unwrap()
                .as_deref(),
            Some("42")
        );
        assert_eq!(m.get("rebilly", RecordKind::Customer, "c1").unwrap(), None);
        m.put("hyfin", RecordKind::Customer, "c1", "h2").unwrap();
        assert_eq!(
            m.get("hyfin", RecordKind::Customer, "c1")
                .unwrap()
                .as_deref(),
            Some("h2")
        );
        assert_eq!(m.len(), 3);
    }
}
