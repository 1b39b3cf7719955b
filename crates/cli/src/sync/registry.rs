//! The records of one run, by external id: duplicates collapse or are refused, and a child
//! waits for its parent, so results never depend on which task the runtime ran first.
//!
//! Memory is flat in the number of records: every first row is kept on disk ([`IdTable`]: its
//! line, a digest of its content, why it did not land); only the rows not finished yet (in
//! flight, at most the concurrency, or put off until the end of the input) are held in memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use super::ids::IdTable;

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

impl SlotState {
    fn unfinished(&self) -> bool {
        matches!(self, SlotState::InFlight | SlotState::Deferred)
    }
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

struct Slots {
    /// Every first row of the run.
    ids: IdTable,
    /// The first rows whose state is not what `ids` says: unfinished ones, and any whose end
    /// could not be written to `ids`. By external id: the line and the state.
    held: HashMap<String, (u64, SlotState)>,
}

/// The run's records.
pub struct Registry {
    slots: Mutex<Slots>,
    finished: Notify,
}

fn unreadable(e: rusqlite::Error) -> String {
    format!("the run's list of the external ids it read failed: {e}")
}

impl Registry {
    /// An empty registry, its table in a new temporary file.
    pub fn open() -> Result<Self, String> {
        let ids = IdTable::open().map_err(unreadable)?;
        Ok(Registry {
            slots: Mutex::new(Slots {
                ids,
                held: HashMap::new(),
            }),
            finished: Notify::new(),
        })
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers the row at `line`; the first row of an external id owns its slot and must
    /// [`finish`](Registry::finish) it.
    pub fn register(&self, external_id: &str, line: u64, digest: [u8; 16]) -> Result<Seen, String> {
        let mut slots = self.slots();
        match slots
            .ids
            .insert(external_id, line, digest)
            .map_err(unreadable)?
        {
            Some(first) => Ok(Seen::Again {
                line: first.line,
                same: first.digest == digest,
            }),
            None => {
                let held = (line, SlotState::InFlight);
                slots.held.insert(external_id.to_owned(), held);
                Ok(Seen::First)
            }
        }
    }

    /// The line and state of the first row of `external_id` in this run, if one was read.
    fn lookup(&self, external_id: &str) -> Result<Option<(u64, SlotState)>, String> {
        let slots = self.slots();
        if let Some(held) = slots.held.get(external_id) {
            return Ok(Some(held.clone()));
        }
        let first = slots.ids.get(external_id).map_err(unreadable)?;
        Ok(first.map(|f| {
            let state = match f.not_landed {
                None => SlotState::Landed,
                Some((rejected, reason)) => SlotState::NotLanded { rejected, reason },
            };
            (f.line, state)
        }))
    }

    /// The state of the first row of `external_id` in this run, if one was read.
    pub fn state(&self, external_id: &str) -> Result<Option<SlotState>, String> {
        Ok(self.lookup(external_id)?.map(|(_, state)| state))
    }

    /// Marks the first row of `external_id` (not finished yet) as put off, or as sent
    /// (`InFlight`) again.
    pub fn set_state(&self, external_id: &str, state: SlotState) {
        if let Some(held) = self.slots().held.get_mut(external_id) {
            held.1 = state;
        }
    }

    /// Records how the row at `line` ended, and wakes whoever waits for it.
    pub fn finish(&self, external_id: &str, line: u64, state: SlotState) {
        let mut slots = self.slots();
        if slots.held.get(external_id).is_some_and(|h| h.0 == line) {
            let written = match &state {
                SlotState::Landed => Ok(()),
                SlotState::NotLanded { rejected, reason } => {
                    slots.ids.not_landed(external_id, line, *rejected, reason)
                }
                SlotState::InFlight | SlotState::Deferred => Err(rusqlite::Error::InvalidQuery),
            };
            match written {
                Ok(()) => {
                    slots.held.remove(external_id);
                }
                // Kept in memory instead: waiters must still see how it ended.
                Err(_) => {
                    slots.held.insert(external_id.to_owned(), (line, state));
                }
            }
        }
        drop(slots);
        self.finished.notify_waiters();
    }

    /// How the first row of `external_id` ended (its line and state), once it has; `None` when
    /// no row of this run has that external id.
    pub async fn wait(&self, external_id: &str) -> Option<(u64, SlotState)> {
        loop {
            let notified = self.finished.notified();
            tokio::pin!(notified);
            // Registered before looking, so a finish in between is not missed.
            notified.as_mut().enable();
            match self.lookup(external_id) {
                Ok(None) => return None,
                Ok(Some((line, state))) if !state.unfinished() => return Some((line, state)),
                Ok(Some(_)) => {}
                // How it ended cannot be told: it is not counted as landed.
                Err(reason) => {
                    let state = SlotState::NotLanded {
                        rejected: false,
                        reason: reason.into(),
                    };
                    return Some((0, state));
                }
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
        let r = Arc::new(Registry::open().unwrap());
        assert_eq!(r.register("p1", 1, [1; 16]), Ok(Seen::First));
        assert_eq!(
            r.register("p1", 5, [1; 16]),
            Ok(Seen::Again {
                line: 1,
                same: true
            })
        );
        assert_eq!(
            r.register("p1", 6, [2; 16]),
            Ok(Seen::Again {
                line: 1,
                same: false
            })
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
        assert_eq!((line, state), (1, refused.clone()));
        // Read back from the table once ended: nothing of it is held in memory.
        assert!(r.slots().held.is_empty());
        assert_eq!(r.state("p1"), Ok(Some(refused)));
    }

    #[tokio::test]
    async fn rows_put_off_wait_and_landed_rows_are_kept_on_disk_only() {
        let r = Registry::open().unwrap();
        for (line, id) in [(1, "a"), (2, "b")] {
            assert_eq!(r.register(id, line, [0; 16]), Ok(Seen::First));
        }
        r.set_state("b", SlotState::Deferred);
        assert_eq!(r.state("b"), Ok(Some(SlotState::Deferred)));
        r.finish("a", 1, SlotState::Landed);
        assert_eq!(r.wait("a").await, Some((1, SlotState::Landed)));
        assert_eq!(r.state("c"), Ok(None));
        let held: Vec<String> = r.slots().held.keys().cloned().collect();
        assert_eq!(held, ["b"], "only the unfinished row is held in memory");
    }
}
