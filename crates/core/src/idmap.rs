//! Remembering which provider id belongs to which external id.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::RwLock;

use crate::{Account, RecordKind, Result};

/// Maps `(account, kind, external id)` to the provider's own id.
///
/// Providers that key records by an id of their own (Hyfin's `_id`, Payabli's `customerId`)
/// remember it here after a create, so the next upsert of the same external id updates instead
/// of creating a second record. The default is [`MemoryIdMap`]; a persistent store (the
/// `billsync-state` crate's SQLite state) implements this trait so the mapping survives
/// restarts.
///
/// Ids belong to one [`Account`]: a provider's base URL plus its tenant ids (Hyfin: base URL and
/// site id; Rebilly: base URL, organization and website; Payabli: base URL and entrypoint). One
/// map can serve clients of many accounts, and a client never sees an id remembered for another
/// account, even of the same provider.
///
/// Calls are synchronous and expected to be fast (memory or a local database).
pub trait IdMap: Send + Sync + Debug {
    /// The provider id remembered for `external_id` in `account`, if any.
    fn get(&self, account: &Account, kind: RecordKind, external_id: &str)
    -> Result<Option<String>>;
    /// Remembers `provider_id` for `external_id` in `account`, replacing any previous value.
    fn put(
        &self,
        account: &Account,
        kind: RecordKind,
        external_id: &str,
        provider_id: &str,
    ) -> Result<()>;
}

/// An [`IdMap`] in memory: lost when the process ends. Lookups allocate nothing.
#[derive(Debug, Default)]
pub struct MemoryIdMap {
    // account -> one map per record kind (customer, payment, contact) -> external id -> id. The
    // accounts are a short list searched in order (a map serves one account, or a few): comparing
    // an account's key costs less than hashing it on every lookup.
    map: RwLock<Vec<(Account, Kinds)>>,
}

/// One map per record kind (customer, payment, contact): external id -> provider id.
type Kinds = [HashMap<String, String>; 3];

/// The maps of `account`, if it has any.
fn kinds_of<'a>(map: &'a [(Account, Kinds)], account: &Account) -> Option<&'a Kinds> {
    map.iter()
        .find(|(a, _)| a == account)
        .map(|(_, kinds)| kinds)
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
        map.iter()
            .flat_map(|(_, kinds)| kinds.iter())
            .map(HashMap::len)
            .sum()
    }

    /// True when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl IdMap for MemoryIdMap {
    fn get(
        &self,
        account: &Account,
        kind: RecordKind,
        external_id: &str,
    ) -> Result<Option<String>> {
        // A poisoned lock only means another thread panicked while holding it; every insert is a
        // single map operation, so the map is still consistent: keep serving it.
        let map = self.map.read().unwrap_or_else(|p| p.into_inner());
        Ok(kinds_of(&map, account)
            .and_then(|kinds| kinds[slot(kind)].get(external_id))
            .cloned())
    }

    fn put(
        &self,
        account: &Account,
        kind: RecordKind,
        external_id: &str,
        provider_id: &str,
    ) -> Result<()> {
        let mut map = self.map.write().unwrap_or_else(|p| p.into_inner());
        let at = match map.iter().position(|(a, _)| a == account) {
            Some(at) => at,
            None => {
                map.push((account.clone(), Kinds::default()));
                map.len() - 1
            }
        };
        map[at].1[slot(kind)].insert(external_id.to_owned(), provider_id.to_owned());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn account(provider: &'static str, base: &str, scope: &str) -> Account {
        Account::new(provider, &Url::parse(base).unwrap()).with_scope("site", scope)
    }

    #[test]
    fn namespaces_do_not_collide() {
        let m = MemoryIdMap::new();
        let hyfin = account("hyfin", "https://h.example", "1");
        let payabli = account("payabli", "https://h.example", "1");
        let rebilly = account("rebilly", "https://h.example", "1");
        m.put(&hyfin, RecordKind::Customer, "c1", "h1").unwrap();
        m.put(&hyfin, RecordKind::Contact, "c1", "k1").unwrap();
        m.put(&payabli, RecordKind::Customer, "c1", "42").unwrap();
        let get = |a: &Account, k| m.get(a, k, "c1").unwrap();
        assert_eq!(get(&hyfin, RecordKind::Customer).as_deref(), Some("h1"));
        assert_eq!(get(&hyfin, RecordKind::Contact).as_deref(), Some("k1"));
        assert_eq!(get(&payabli, RecordKind::Customer).as_deref(), Some("42"));
        assert_eq!(get(&rebilly, RecordKind::Customer), None);
        m.put(&hyfin, RecordKind::Customer, "c1", "h2").unwrap();
        assert_eq!(get(&hyfin, RecordKind::Customer).as_deref(), Some("h2"));
        assert_eq!(m.len(), 3);
    }

    #[test]
    fn accounts_of_one_provider_never_share_ids() {
        let m = MemoryIdMap::new();
        let site_a = account("hyfin", "https://h.example", "a");
        let site_b = account("hyfin", "https://h.example", "b");
        let other_host = account("hyfin", "https://other.example", "a");
        m.put(&site_a, RecordKind::Customer, "c1", "id-a").unwrap();
        assert_eq!(m.get(&site_b, RecordKind::Customer, "c1").unwrap(), None);
        assert_eq!(
            m.get(&other_host, RecordKind::Customer, "c1").unwrap(),
            None
        );
        m.put(&site_b, RecordKind::Customer, "c1", "id-b").unwrap();
        let a = m.get(&site_a, RecordKind::Customer, "c1").unwrap();
        assert_eq!(a.as_deref(), Some("id-a"));
    }
}
