//! # billsync-hyfin
//!
//! The [Hyfin](https://dev.hyfin.app/docs) provider for billsync: customers and
//! already-processed payments, from the canonical [`billsync_core::Customer`] and
//! [`billsync_core::Payment`].
//!
//! ```no_run
//! use billsync_core::{Customer, Contact, Upsert};
//! use billsync_hyfin::{HyfinClient, HyfinConfig};
//! use secrecy::SecretString;
//!
//! # async fn run() -> billsync_core::Result<()> {
//! let client = HyfinClient::new(
//!     HyfinConfig::builder()
//!         .base_url("https://partner.hyfin.app")
//!         .site_id("site-123")
//!         .api_token(SecretString::from("..."))
//!         .build()?,
//! )?;
//! let customer = Customer::new("cust-1")
//!     .with_display_name("ABC Plumbing")
//!     .with_primary_contact(Contact::new("John", "Doe").with_email("johndoe@abc.com"));
//! let done = client.upsert(&customer).await?;
//! println!("{:?} {}", done.outcome, done.provider_id);
//! # Ok(()) }
//! ```
//!
//! ## Endpoints
//! | record | request | key |
//! |---|---|---|
//! | customer | `POST {base_url}/api/v4/site/{site_id}/customer/addUpdate` | Hyfin's `_id` (remembered per external id) |
//! | contact (customers with several) | `POST {base_url}/api/v4/site/{site_id}/contact/addUpdate` | Hyfin's `_id` (remembered per contact external id) |
//! | payment | `POST {base_url}/api/v3/site/{site_id}/payment/addUpdate` | the payment's `external_id` |
//!
//! ## Choices where Hyfin's documentation is silent or unclear
//! - **Host.** Hyfin publishes no fixed host; every white-label deployment has its own, so
//!   `base_url` is required configuration (`HYFIN_BASE_URL`).
//! - **Authentication.** The authentication page is not public. The token goes in
//!   `Authorization: Bearer <token>` by default; header name and scheme are configurable
//!   ([`HyfinConfigBuilder::auth_header`], `HYFIN_AUTH_HEADER`, `HYFIN_AUTH_SCHEME`).
//! - **Versions.** The customer endpoint is v4 and the payment endpoint v3, as in the seed
//!   documents ([`CUSTOMER_API_VERSION`], [`PAYMENT_API_VERSION`]). v4's payment table (integer
//!   cents, camelCase) contradicts its own sample, so v3's documented decimal `0.00` amounts and
//!   `external_id` upsert key are used.
//! - **Field casing.** snake_case, as every sample; `isPrimary` in contact references is
//!   camelCase exactly as in Hyfin's multi-contact sample.
//! - **Identity.** v4 customers are keyed by Hyfin's `_id`. The client remembers it in an
//!   [`billsync_core::IdMap`]; pass a persistent one (the CLI does) so that a later process
//!   updates instead of creating. A create is never retried once it may have reached Hyfin
//!   (there is no idempotency key): an ambiguous failure is reported as
//!   `ErrorKind::OutcomeUnknown` instead of risking a duplicate.
//! - **Contacts.** A customer with one contact sends it inline as `primary_contact` (the first
//!   sample). A customer with several sends `contacts: [{_id, isPrimary}]` (the second sample),
//!   after adding or updating each contact through the contact endpoint. A contact's external id
//!   is its own `external_id`, else `<customer external id>#contact-<n>` (primary is 0).
//! - **Display name.** Required by Hyfin; falls back to the company, then the primary contact's
//!   name. `account_name` is the company when it differs from the display name.
//! - **Deleted.** `deleted: true` for deleted customers; on updates `deleted: false` is sent
//!   explicitly so a customer undeleted at the source comes back. Hyfin has no "inactive" or
//!   "locked" customer state: those are sent as not deleted.
//! - **Address.** Hyfin's address has no country; the country is not sent.
//! - **Currency.** Hyfin's payment has no currency field: payments must be in the configured
//!   currency (`USD` by default, `HYFIN_CURRENCY`); others are refused by validation.
//! - **Answers.** Hyfin's body (`success` / `errors`) is read whatever the HTTP status; statuses
//!   decide the error kind only when the body says nothing (401/403 auth, 429 rate limited,
//!   5xx unavailable, other 4xx rejected).
//! - **Not mapped.** `attachment_refs` (item shape undocumented); the payment's customer (v3
//!   payments carry no customer field; link them through `invoice`). Canonical fields Hyfin's
//!   customer has no place for are not sent: shipping address, custom fields, tax numbers,
//!   balance, time zone, default payment instrument, portal login, and, for a customer with a
//!   single contact, every email and phone but the primary ones (customers with several
//!   contacts send them all through the contact records).
#![deny(missing_docs)]

mod client;
mod config;
mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod mapping;
pub mod wire;

pub use client::{CONTACT_API_VERSION, CUSTOMER_API_VERSION, HyfinClient, PAYMENT_API_VERSION};
pub use config::{
    DEFAULT_AUTH_HEADER, DEFAULT_AUTH_SCHEME, DEFAULT_CURRENCY, HyfinConfig, HyfinConfigBuilder,
};
pub use error::HyfinError;

/// The provider's name, as in errors and reports.
pub const PROVIDER: &str = "hyfin";
