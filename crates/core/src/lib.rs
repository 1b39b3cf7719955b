//! # billsync-core
//!
//! The provider-independent half of billsync: the canonical [`Customer`] and [`Payment`], the
//! [`Upsert`] trait every provider implements, the one [`Error`] type, validation, and the HTTP
//! core that sends [`PreparedRequest`]s with retries.
//!
//! Data flows one way: canonical record → [`Validator`] → provider wire struct →
//! [`PreparedRequest`] (data) → [`HttpClient::send`] with retries → provider answer →
//! [`Upserted`] or a typed [`Error`]. Core never knows a provider.
//!
//! Users normally depend on the `billsync` facade crate, which re-exports this crate and the
//! provider crates behind features.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod account;
mod connect;
mod answer;
mod error;
mod http;
mod idempotency;
mod idmap;
mod kind;
pub mod model;
pub mod money;
mod provider;
mod ratelimit;
mod request;
pub mod retry;
pub mod secret;
mod send_failure;
pub mod testing;
mod status;
pub mod time;
mod upsert;
mod validate;

pub use account::Account;
pub use connect::{
    ClientSettings, ConfigKey, KeyRole, Options, ProviderFactory, RATE_LIMIT_KEY, parse_rate_limit,
};
pub use answer::ProviderErrors;
pub use error::{Error, ErrorKind, FieldError, ProviderDetail, Result};
pub use http::{HttpClient, HttpSettings, RawResponse};
pub use idempotency::IdempotencyKey;
pub use idmap::{IdMap, MemoryIdMap};
pub use model::*;
pub use provider::{Provider, unsupported};
pub use ratelimit::{RateGate, RateLimit, Window, is_loopback};
pub use request::{
    PreparedRequest, RenderedRequest, RetrySafety, parse_base_url, secret_header_value,
    url_with_segments,
};
pub use retry::RetryConfig;
pub use status::{StatusTable, default_kind};
pub use upsert::{Capabilities, Outcome, Support, Upsert, UpsertOptions, Upserted};
pub use validate::{FieldPath, LazyPath, Validator, is_email};

/// Re-exported so callers and provider crates use the same versions.
pub use {async_trait::async_trait, chrono, reqwest, rust_decimal, secrecy, url};
