//! What a sync checks before it reads a row: the kind is supported, the account's lock is free,
//! old state rows are attributed, and what `--resend-unknown` may duplicate.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use billsync::{Provider, RecordKind, Support};
use billsync_state::{AccountLock, SyncStore};

use super::SyncOptions;

/// What a run holds from its start to its end.
pub struct Prepared {
    /// How the provider supports the kind.
    pub support: Support,
    /// The account's lock in the state file, released when the run ends.
    pub _lock: AccountLock,
}

/// Checks and takes what a run needs before reading.
pub async fn prepare(
    opts: &SyncOptions,
    provider: &dyn Provider,
    store: &Arc<dyn SyncStore>,
    kind: RecordKind,
) -> Result<Prepared, String> {
    let name = provider.name();
    let support = provider.capabilities().support(kind);
    if !support.is_supported() {
        return Err(format!("{name} does not support syncing {kind}s"));
    }
    let account = provider.account().clone();
    let lock = {
        let (store, account, wait) = (store.clone(), account.clone(), opts.wait_for_lock);
        if wait {
            eprintln!("billsync: waiting for any other run of {account} to finish");
        }
        tokio::task::spawn_blocking(move || store.lock(&account, wait))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?
    };
    let legacy = store.legacy_rows(name).map_err(|e| e.to_string())?;
    if legacy > 0 {
        if !opts.adopt_legacy {
            return Err(format!(
                "the state file holds {legacy} {name} rows written by billsync 0.1, before it kept provider accounts apart, so it cannot tell which {name} account they belong to. If they were synced to this run's account ({account}), run again with --adopt-legacy-state to attribute them to it; if they belong to another account, run that account's sync with --adopt-legacy-state first, or use another --state file. `billsync status` lists them"
            ));
        }
        let moved = store.adopt_legacy(&account).map_err(|e| e.to_string())?;
        eprintln!("billsync: {moved} rows of the old state attributed to {account}");
    }
    if opts.resend_unknown && support == Support::UpsertByProviderId {
        let at_risk = store
            .summary()
            .map_err(|e| e.to_string())?
            .iter()
            .filter(|a| a.account == account.key())
            .flat_map(|a| &a.kinds)
            .filter(|k| k.kind == kind.as_str())
            .map(|k| k.pending + k.outcome_unknown)
            .sum::<u64>();
        eprintln!(
            "billsync: --resend-unknown: {at_risk} {kind} records whose earlier create may have landed will be sent again; {name} cannot de-duplicate them, so each may become a duplicate if it had landed"
        );
    }
    Ok(Prepared {
        support,
        _lock: lock,
    })
}

/// True when following parents from `start` through `parents` comes back to `start` (a loop,
/// which no order can satisfy). A chain that runs into a loop not holding `start` is not one:
/// `start` waits for the record of the loop it hangs from.
pub fn parent_chain_loops(parents: &HashMap<String, String>, start: &str) -> bool {
    let mut seen = HashSet::new();
    let mut at = start;
    while let Some(parent) = parents.get(at) {
        if parent == start {
            return true;
        }
        if !seen.insert(at) {
            return false;
        }
        at = parent;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_are_found_and_chains_are_not_loops() {
        let parents: HashMap<String, String> =
            [("a", "b"), ("b", "a"), ("c", "d"), ("d", "e"), ("x", "a")]
                .into_iter()
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                .collect();
        assert!(parent_chain_loops(&parents, "a"));
        assert!(!parent_chain_loops(&parents, "c"));
        assert!(!parent_chain_loops(&parents, "z"));
        assert!(
            !parent_chain_loops(&parents, "x"),
            "x hangs from a loop, it is not in one"
        );
    }
}
