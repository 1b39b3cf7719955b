//! # billsync
//!
//! Push customers and payments into billing providers through one canonical model.
//!
//! This facade re-exports [`billsync-core`](billsync_core) (the canonical [`Customer`] and
//! [`Payment`], the [`Upsert`] trait, [`Error`]) and, behind one feature each, the provider
//! crates:
//!
//! | feature   | module               | provider crate     |
//! |-----------|----------------------|--------------------|
//! | `hyfin`   | [`hyfin`]            | `billsync-hyfin`   |
//! | `rebilly` | [`rebilly`]          | `billsync-rebilly` |
//! | `payabli` | [`payabli`]          | `billsync-payabli` |
//! | `state`   | [`state`]            | `billsync-state`   |
//! | `full`    | all of the above     |                    |
//! | `echo`    | [`echo`]             | `billsync-echo`: the minimal example provider of `docs/new-provider.md`, not in `full` |
//!
//! With only one provider's feature on, no other provider crate is compiled.
//!
//! ## Any provider, configured as data
//! [`connect`] builds a client of any enabled provider from a key/value [`Options`] map (from a
//! settings file, a database, the environment with [`connect_from_env`]); [`providers`] lists
//! the enabled providers with their configuration keys. Code that holds the
//! `Box<dyn Provider>` never names a provider type.
//!
//! ## When you need `state`
//!
//! A client remembers the provider ids it learns in an [`IdMap`]; the default
//! [`MemoryIdMap`] forgets them when the process ends. Providers that key records by an id of
//! their own then create a second record for the same external id in the next process: Hyfin
//! customers through its v4 API. Rebilly (the external id is the Rebilly id), Payabli (looked up
//! by `customerNumber` before any create) and Hyfin payments (keyed by `external_id`) stay
//! duplicate-free without it. [`state::SqliteState`] is a durable `IdMap` (and the journal and
//! per-account locks the `billsync` command line uses): pass it with `with_id_map`.
//!
//! Everything remembered is keyed by the client's [`Account`]: Hyfin's base URL and site id,
//! Rebilly's base URL, organization and website, Payabli's base URL and entrypoint. One store
//! can serve many merchants.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use billsync_core::*;

mod connect;
pub use connect::{connect, connect_from_env, connect_with, provider, providers};

#[cfg(feature = "hyfin")]
#[cfg_attr(docsrs, doc(cfg(feature = "hyfin")))]
pub use billsync_hyfin as hyfin;

#[cfg(feature = "rebilly")]
#[cfg_attr(docsrs, doc(cfg(feature = "rebilly")))]
pub use billsync_rebilly as rebilly;

#[cfg(feature = "payabli")]
#[cfg_attr(docsrs, doc(cfg(feature = "payabli")))]
pub use billsync_payabli as payabli;

#[cfg(feature = "state")]
#[cfg_attr(docsrs, doc(cfg(feature = "state")))]
pub use billsync_state as state;

#[cfg(feature = "echo")]
#[cfg_attr(docsrs, doc(cfg(feature = "echo")))]
pub use billsync_echo as echo;

/// The README's code, compiled as doctests so that it never drifts from the API.
#[cfg(all(doctest, feature = "hyfin", feature = "state"))]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
