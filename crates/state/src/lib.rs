//! # billsync-state
//!
//! Durable sync state for billsync: what a sync must remember between processes so that running
//! it again is safe.
//!
//! - **Provider ids** ([`IdMap`](billsync_core::IdMap)): providers that key records by an id of
//!   their own (Hyfin v4 customers, Payabli customers) are told it after a create, so the next
//!   process updates the same record instead of creating a second one. Without a durable id map
//!   a new process forgets them (the default [`MemoryIdMap`](billsync_core::MemoryIdMap) lives in
//!   memory).
//! - **The journal**: per record, whether it is pending, done, failed or of unknown outcome, and
//!   the [`fingerprint`] of what was sent, so that an unchanged record is not sent again and a
//!   changed one always is; and the names (never the values) of the custom fields it had when it
//!   last landed, so that a custom field the record no longer lists can be removed.
//! - **Per-account locks**: one writer per account and state file; syncs of different accounts
//!   share one file concurrently.
//!
//! Everything is keyed by [`Account`](billsync_core::Account) — a provider's base URL plus its
//! tenant ids — so one state file can serve many merchants without one ever seeing another's ids.
//!
//! [`SqliteState`] is the store shipped here (one file, opened with one call). The
//! [`SyncStore`] trait is what a sync uses, so that another backend can follow.
//!
//! ```no_run
//! use billsync_state::{SqliteState, SyncStore};
//! # fn main() -> billsync_core::Result<()> {
//! let state = SqliteState::open("billsync-state.sqlite")?;
//! for account in state.summary()? {
//!     println!("{}: {} kinds", account.account, account.kinds.len());
//! }
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

pub mod fingerprint;
pub mod lock;
mod sqlite;
mod store;

pub use fingerprint::DigestKey;
pub use lock::AccountLock;
pub use sqlite::SqliteState;
pub use store::{
    AccountSummary, JournalEntry, KindCounts, Landed, RecordKey, RecordStatus, SyncStore,
};
