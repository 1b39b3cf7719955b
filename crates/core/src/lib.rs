//! # billsync-core
//!
//! The provider-independent half of billsync: the canonical [`Customer`] and [`Payment`], the
//! [`Upsert`] trait every provider implements, the one [`Error`] type, validation, and the HTTP
//! core that sends [`PreparedRequest`]s with retries.
//!
//! Data flows one way: canonical record → [`Validator`] → provider wire struct →
//! [`PreparedRequest`] (data) → [`HttpClient::send`](provider_kit::HttpClient::send) with retries → provider answer →
//! [`Upserted`] or a typed [`Error`]. Core never knows a provider.
//!
//! Users normally depend on the `billsync` facade crate, which re-exports this crate and the
//! provider crates behind features.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod account;
mod answer;
mod connect;
mod deadline;
mod environment;
mod error;
mod exchange;
mod http;
mod idempotency;
mod idmap;
mod kind;
pub mod model;
pub mod money;
mod provider;
mod ratelimit;
mod request;
mod response;
pub mod retry;
mod scaffold;
pub mod secret;
mod send_failure;
mod span;
mod spec;
mod status;
pub mod testing;
pub mod time;
mod upsert;
mod validate;

pub use account::Account;
pub use connect::{ConfigKey, KeyRole, Options, ProviderFactory, RATE_LIMIT_KEY, parse_rate_limit};
pub use environment::Environment;
pub use error::{Error, ErrorKind, FieldError, ProviderDetail, Result};
pub use http::HttpSettings;
pub use idempotency::IdempotencyKey;
pub use idmap::{IdMap, MemoryIdMap};
pub use model::*;
pub use provider::Provider;
pub use ratelimit::{RateLimit, Window};
pub use request::{PreparedRequest, RenderedRequest, RetrySafety};
pub use retry::RetryConfig;
pub use spec::{ConnectFn, ProviderSpec};
pub use upsert::{BoxFuture, Capabilities, Outcome, Support, Upsert, UpsertOptions, Upserted};

// What provider crates use, also at the root of this crate for its own modules.
pub(crate) use answer::ProviderErrors;
pub(crate) use ratelimit::RateGate;
pub(crate) use request::url_with_segments;
pub(crate) use response::RawResponse;
pub(crate) use status::StatusTable;
pub(crate) use validate::Validator;

/// What a provider crate is built from, and callers of billsync never need: the HTTP core, the
/// error mapping, validation, URL and header helpers. `docs/new-provider.md` walks through
/// using them. These items follow billsync's version like the rest of the API, but they are
/// meant for implementors: an application that only syncs records uses none of them.
pub mod provider_kit {
    pub use crate::answer::ProviderErrors;
    pub use crate::http::{BodyReader, HttpClient};
    pub use crate::provider::unsupported;
    pub use crate::ratelimit::{RateGate, is_loopback};
    pub use crate::request::{parse_base_url, secret_header_value, url_with_segments};
    pub use crate::response::{ParsedBody, RawResponse};
    pub use crate::span::in_span;
    pub use crate::spec::ClientSettings;
    pub use crate::status::{StatusTable, default_kind};
    pub use crate::validate::{FieldPath, LazyPath, Validator, is_blank, is_email};
    #[doc(inline)]
    pub use crate::{client_builder, impl_provider};
}

/// Re-exported so callers and provider crates use the same versions. `reqwest` types sit in
/// public fields on purpose, always through this re-export: [`HttpSettings::client`] (bring
/// your own client: proxies, TLS roots, pool), and [`PreparedRequest`]'s method, URL and
/// headers (the request as data).
pub use {async_trait::async_trait, chrono, reqwest, rust_decimal, secrecy, url};
