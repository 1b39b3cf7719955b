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
//! | `full`    | all of the above     |                    |
//!
//! With only one provider's feature on, no other provider crate is compiled.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use billsync_core::*;

#[cfg(feature = "hyfin")]
#[cfg_attr(docsrs, doc(cfg(feature = "hyfin")))]
pub use billsync_hyfin as hyfin;

#[cfg(feature = "rebilly")]
#[cfg_attr(docsrs, doc(cfg(feature = "rebilly")))]
pub use billsync_rebilly as rebilly;

#[cfg(feature = "payabli")]
#[cfg_attr(docsrs, doc(cfg(feature = "payabli")))]
pub use billsync_payabli as payabli;
