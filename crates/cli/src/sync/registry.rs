//! The records of one run, by external id: duplicates collapse or are refused, and a child
//! waits for its parent, so results never depend on which task the runtime ran first.
//!
//! Memory: about 70 bytes per record of the run (a 16-byte digest of the external id, the line,
//! a 16-byte digest of the content and the state), not the records themselves.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};
use tokio::sync::Notify;

/// Where a record of this run stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotState {
    /// Not finished yet.
    InFlight,
    /// It stands at the provider (created, updated or unchanged).
    Landed,
    /// It did not land, for this reason (`rejected`: the record itself was refused).
    NotLanded {
        /// True when the record was refused (it must be fixed), false when it failed.
        rejected: bool,
        /// Why, in one sentence.
        reason: Arc<str>,
    },
    /// Put off until the end of the input (its parent had not been read yet).
    Deferred,
}

struct Slot {
    line: u64,
    digest: [u8; 16],
    state: SlotState,
}

/// What registering a row found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// The first row with this external id.
    First,
    /// An earlier row (at `line`) has the same external id, with the same content or not.
    Again {
        /// The earlier row's line.
        line: u64,
        /// True when both rows say exactly the same.
        same: bool,
    },
}

/// The run's records.
#[derive(Default)]
pub struct Registry {
    slots: Mutex<HashMap<[u8; 16], Slot>>,
    finished: Notify,
}

fn key(external_id: &str) -> [u8; 16] {
    let mut out = [0u8; 16];
    out.copy_from_slice(&Sha256::digest(external_id.as_bytes())[..16]);
    out
}

impl Registry {
    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 16], Slot>> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers the row at `line`; the first row of an external id owns its slot and must
    /// [`finish`](Registry::finish) it.
    pub fn register(&self, external_id: &str, line: u64, digest: [u8; 16]) -> Seen {
        let mut slots = self.slots();
        match slots.get(&key(external_id)) {
            Some(slot) => Seen::Again {
                line: slot.line,
                same: slot.digest == digest,
            },
            None => {
                let state = SlotState::InFlight;
                slots.insert(
                    key(external_id),
                    Slot {
                        line,
                        digest,
                        state,
                    },
                );
                Seen::First
            }
        }
    }

    /// The state of the first row of `external_id` in this run, if one was read.
    pub fn state(&self, external_id: &str) -> Option<SlotState> {
        self.slots().get(&key(external_id)).map(|s| s.state.clone())
    }

    /// Marks the first row of `external_id` as put off, or as sent (`InFlight`) again.
    pub fn set_state(&self, external_id: &str, state: SlotState) {
        if let Some(slot) = self.slots().get_mut(&key(external_id)) {
            slot.state = state;
        }
    }

    /// Records how the row at `line` ended, and wakes whoever waits for it.
    pub fn finish(&self, external_id: &str, line: u64, state: SlotState) {
        if let Some(slot) = self.slots().get_mut(&key(external_id))
            && slot.line == line
        {
            slot.state = state;
        }
        self.finished.notify_waiters();
    }

    /// How the first row of `external_id` ended (its line and state), once it has; `None` when
    /// no row of this run has that external id.
    pub async fn wait(&self, external_id: &str) -> Option<(u64, SlotState)> {
        let key = key(external_id);
        loop {
            let notified = self.finished.notified();
            tokio::pin!(notified);
            // Registered before looking, so a finish in between is not missed.
            notified.as_mut().enable();
            match self.slots().get(&key) {
                None => return None,
                Some(slot) if !matches!(slot.state, SlotState::InFlight | SlotState::Deferred) => {
                    return Some((slot.line, slot.state.clone()));
                }
                Some(_) => {}
            }
            notified.await;
        }
    }
}

/// Finishes a slot when dropped, as not landed unless [`SlotGuard::set`] said otherwise: every
/// path out of a record's task, a panic or a cancelled task included, releases its waiters.
pub struct SlotGuard {
    registry: Arc<Registry>,
    external_id: String,
    line: u64,
    state: SlotState,
}

impl SlotGuard {
    /// A guard of the slot the row at `line` owns.
    pub fn new(registry: Arc<Registry>, external_id: &str, line: u64) -> Self {
        SlotGuard {
            registry,
            external_id: external_id.to_owned(),
            line,
            state: SlotState::NotLanded {
                rejected: false,
                reason: "the run stopped before it was sent".into(),
            },
        }
    }

    /// How the row ended.
    pub fn set(&mut self, state: SlotState) {
        self.state = state;
    }
}

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let state = std::mem::replace(&mut self.state, SlotState::InFlight);
        self.registry.finish(&self.external_id, self.line, state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waiters_see_how_the_first_row_ended() {
        let r = Arc::new(Registry::default());
        assert_eq!(r.register("p1", 1, [1; 16]), Seen::First);
        assert_eq!(
            r.register("p1", 5, [1; 16]),
            Seen::Again {
                line: 1,
                same: true
            }
        );
        assert_eq!(
            r.register("p1", 6, [2; 16]),
            Seen::Again {
                line: 1,
                same: false
            }
        );
        assert!(r.wait("nobody").await.is_none());
        let waiter = {
            let r = r.clone();
            tokio::spawn(async move { r.wait("p1").await })
        };
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        // A later row never finishes the first row's slot.
        r.finish("p1", 5, SlotState::Landed);
        tokio::task::yield_now().await;
        let mut guard = SlotGuard::new(r.clone(), "p1", 1);
        let refused = SlotState::NotLanded {
            rejected: true,
            reason: "refused".into(),
        };
        guard.set(refused.clone());
        drop(guard);
        let (line, state) = waiter.await.unwrap().unwrap();
        assert_eq!((line, state), (1, refused));
    }
}
