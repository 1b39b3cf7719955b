//! # billsync-echo
//!
//! The smallest complete billsync provider, and the worked example of `docs/new-provider.md`:
//! an HTTP API that keeps customers and payments by the caller's external id.
//!
//! | record | request | key |
//! |---|---|---|
//! | customer | `PUT {base_url}/customers/{external_id}` | the external id |
//! | payment | `PUT {base_url}/payments/{external_id}` | the external id |
//!
//! Requests carry `Authorization: Bearer <api_token>`. The answer is `201` with `{"id": ...}`
//! for a new record, `200` for an update; errors are `{"error": {"code", "message",
//! "fields": [{"field", "message"}]}}`. A `PUT` replaces the record, so it is idempotent and
//! retried on 5xx and timeouts.
//!
//! ```no_run
//! # async fn run() -> billsync_core::Result<()> {
//! use billsync_core::{Customer, Upsert};
//! let client = billsync_echo::EchoClient::builder()
//!     .base_url("https://echo.example/v1")
//!     .api_token("...")
//!     .build()?;
//! let done = client.upsert(&Customer::new("c-1").with_display_name("ABC")).await?;
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod client;
mod config;
mod connect;
mod error;
mod mapping;
mod wire;

pub use client::EchoClient;
pub use config::{EchoConfig, EchoConfigBuilder};
pub use connect::{EchoClientBuilder, FACTORY, KEYS};
pub use error::{EchoError, EchoFieldError};

/// The provider's name, as in errors, accounts and reports.
pub const PROVIDER: &str = "echo";
