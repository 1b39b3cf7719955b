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
//! | customer (v4, the default) | `POST {base_url}/api/v4/site/{site_id}/customer/addUpdate` | Hyfin's `_id` (remembered per external id) |
//! | contact (v4, customers with several) | `POST {base_url}/api/v4/site/{site_id}/contact/addUpdate` | Hyfin's `_id` (remembered per contact external id) |
//! | customer (v3) | `POST {base_url}/api/v3/site/{site_id}/customer/addUpdate` | the customer's `external_id` |
//! | customer read (any API) | `GET {base_url}/api/v3.1/site/{site_id}/customer/{external_id}` | the customer's `external_id` |
//! | payment | `POST {base_url}/api/v3/site/{site_id}/payment/addUpdate` | the payment's `external_id` |
//!
//! ## Two customer APIs: field coverage against crash safety
//! [`HyfinConfigBuilder::customer_api`] or `HYFIN_CUSTOMER_API=v4|v3` chooses how customers are
//! written; payments are the same with both. The names are Hyfin's version numbers.
//!
//! - **v4** ([`HyfinCustomerApi::V4`], the default, as in the seed documents) carries the most
//!   fields, but Hyfin keys its customers by Hyfin's own `_id` only. billsync must remember that
//!   id per external id ([`billsync_core::IdMap`]); a lost id map means the next sync adds every
//!   customer again. A create whose answer is lost (timeout, dropped connection, killed process)
//!   is never retried and ends as `ErrorKind::OutcomeUnknown`: resending it may duplicate it.
//! - **v3** ([`HyfinCustomerApi::V3`]) is keyed by the caller's `external_id`: the same value
//!   updates the customer, another adds one. Every customer write is marked
//!   `RetrySafety::Idempotent`, so 5xx answers and timeouts are retried with the same bytes;
//!   `OutcomeUnknown` never happens for customers (exhausted retries end as the retryable
//!   `Unavailable` or `Transport`, safe to send again); no id map is read or written
//!   (capabilities say `Support::UpsertByExternalId`); a lost state file creates no duplicate.
//!   It carries fewer fields.
//!
//! | canonical field | v4 | v3 |
//! |---|---|---|
//! | `external_id` | not sent (the id map links it to `_id`) | `external_id`, the upsert key |
//! | `display_name` | `display_name` (else company, else contact name) | `account_name` when there is no company and it is not the contact's name; else dropped |
//! | `company` | `account_name` (when not the display name) | `account_name` (when not the contact's name) |
//! | primary contact first/last name | `primary_contact.first_name`/`last_name` | `first_name`/`last_name`, both required |
//! | primary contact's primary email / phone | `primary_contact.email` / `mobile_phone` | `email` / `mobile_phone` |
//! | primary contact's other emails and phones | sent only for customers with several contacts (contact records) | dropped |
//! | contacts' billing addresses (no country) | `primary_contact.billing_address`, or the contact records' `addresses` | dropped |
//! | further `contacts` | contact records referenced from `contacts` | dropped |
//! | `parent` (and `bill_to_parent`) | `parent_customer`, `bill_to_parent_flag` | dropped |
//! | `notes` | `notes` | `notes` |
//! | `status` | `deleted: true` when deleted (explicit `false` on updates) | `active: false` when inactive or deleted, else `true` (always sent) |
//! | `locale` | contact `language` (several contacts) | dropped |
//! | shipping address, custom fields, tax numbers, balance, time zone, default payment instrument, portal login, `created_at`, job title, date of birth | dropped | dropped |
//!
//! v3's `notification_options` is never sent (the canonical customer has no notification
//! preferences), so Hyfin's defaults apply. v3 has no `display_name`, `_id` or `deleted`.
//! [`HyfinClient::customer_by_external_id`] reads a v3 customer back.
//!
//! **What v3 reports.** `added` is `Outcome::Created` and `updated` is `Outcome::Updated`, as
//! Hyfin's `action` says. When a create's answer was lost and the retry found the customer that
//! the first attempt added, Hyfin says `updated`, and so does billsync: it cannot tell that
//! record from one added earlier. An answer without a known `action` is reported as an update.
//!
//! **Switching APIs on a site that already has customers** is not a migration: Hyfin documents no
//! `external_id` on customers written through v4, so the first v3 sync adds each of them again;
//! and v3 writes no id map, so a later v4 sync adds the v3 customers again.
//!
//! ## Ambiguous v4 creates stay `outcome_unknown`
//! After a v4 customer or contact create whose answer was lost, billsync would resolve the
//! outcome if Hyfin documented a way to find the record. It documents none: the v4
//! `GET customer/{_id}` needs the `_id` that was lost; v4 customers have no `external_id`, so the
//! v3.1 `GET customer/{external_id}` cannot find them; and none of Hyfin's published 3.0, 3.1,
//! 4.0 or 4.0s pages describes a customer list or search. Matching on names or emails would be a
//! guess. So the error stays `ErrorKind::OutcomeUnknown`; the way out is the v3 API.
//!
//! ## Account identity
//! A Hyfin client's account is its [`HyfinConfig::base_url`] (as parsed by `url::Url`: scheme and
//! host lower-cased, default port dropped; a trailing `/` changes no request URL and so is not
//! part of it) plus its [`HyfinConfig::site_id`]. Neither is a secret. The token, the auth header,
//! the currency and the customer API are not part of it: both customer APIs write the same
//! site's customers.
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
//!   `external_id` upsert key are used. The external-id customer API is 3.0's
//!   ([`CUSTOMER_V3_API_VERSION`]), not "4.0s": 4.0s documents the same body at the `/api/v4/`
//!   path with a table in camelCase and `deleted` where its sample has snake_case and `active`,
//!   so a request to it could not be told from a v4 one; 3.0's path and body agree.
//! - **Field casing.** snake_case, as every sample; `isPrimary` in contact references is
//!   camelCase exactly as in Hyfin's multi-contact sample.
//! - **Identity.** v4 customers are keyed by Hyfin's `_id`. The client remembers it in an
//!   [`billsync_core::IdMap`]; pass a persistent one (the CLI does) so that a later process
//!   updates instead of creating. A v4 create is never retried once it may have reached Hyfin
//!   (there is no idempotency key): an ambiguous failure is reported as
//!   `ErrorKind::OutcomeUnknown` instead of risking a duplicate. v3 customers and payments are
//!   keyed by `external_id` at Hyfin and retried freely.
//! - **Contacts.** A customer with one contact sends it inline as `primary_contact` (the first
//!   sample). A customer with several sends `contacts: [{_id, isPrimary}]` (the second sample),
//!   after adding or updating each contact through the contact endpoint. A contact's external id
//!   is its own `external_id`, else `<customer external id>#contact-<n>` (primary is 0).
//! - **Display name.** Required by Hyfin; falls back to the company, then the primary contact's
//!   name. `account_name` is the company when it differs from the display name.
//! - **Deleted.** `deleted: true` for deleted customers; on updates of a customer with another
//!   status `deleted: false` is sent explicitly so a customer undeleted at the source comes
//!   back. Hyfin has no "inactive" or "locked" customer state: those are sent as not deleted. A
//!   customer without a status sends no `deleted` at all (Hyfin keeps, or on a create defaults,
//!   its own).
//! - **Address.** Hyfin's address has no country; the country is not sent.
//! - **Currency.** Hyfin's payment has no currency field: payments must be in the configured
//!   currency (`USD` by default, `HYFIN_CURRENCY`); others are refused by validation.
//! - **Answers.** Hyfin's body (`success` / `errors`) is read whatever the HTTP status: a
//!   `success: false` under a 2xx is rejected. Error statuses map through billsync-core's
//!   default table with no override (401/403 auth, 404 not found, 409 conflict, 408 and 5xx
//!   unavailable, or outcome unknown for a create that cannot be repeated, 429 rate limited,
//!   other 4xx rejected). Hyfin documents no error codes, only messages, so
//!   [`Error::codes`](billsync_core::Error::codes) is empty.
//! - **Not mapped.** `attachment_refs` (item shape undocumented); the payment's customer (v3
//!   payments carry no customer field; link them through `invoice`). Canonical fields Hyfin's
//!   customer has no place for are not sent: shipping address, custom fields, tax numbers,
//!   balance, time zone, default payment instrument, portal login, and, for a customer with a
//!   single contact, every email and phone but the primary ones (customers with several
//!   contacts send them all through the contact records).
//!
//! ## Updates cannot clear a field
//! Hyfin's `addUpdate` documents no way to clear a field: no `null`, no empty value, and no word
//! on whether an update replaces the record or merges the fields sent. billsync invents none, so
//! a field removed from the canonical record keeps its old value at Hyfin: the customer's
//! `account_name`, `notes`, `parent_customer` / `bill_to_parent_flag`, and the primary contact's
//! `first_name`, `last_name`, `mobile_phone`, `email` and `billing_address` lines; the
//! payment's `tip`, `tax`, `fee`, `invoice`, `payment_type`, `payment_sub_type`, `status` and
//! `active`. Change such a
//! field to a new value to replace it, or clear it in Hyfin itself. (Payabli and Rebilly do clear
//! removed fields.) `mapping::customer_fields_not_cleared` and
//! `mapping::payment_fields_not_cleared` name, for one record, the canonical fields it lacks
//! that an update leaves as they were, so that a report can say so.
//!
//! No value the caller did not give is sent: a payment's `status` and `active` go out only when
//! the record has them (Hyfin defaults a new payment to `captured` and active, and an update
//! without them leaves Hyfin's as they are, a refund recorded in Hyfin included); a customer's
//! `deleted` only with a status (above). Contact records' emails and phones carry a label only
//! when the record gives one (Hyfin does not require labels); the billing address goes with the
//! label `billing`, which says which canonical address it is.
//!
//! ## Money
//! Amounts go out as exact JSON numbers with the currency's minor units, at most two decimal
//! places (Hyfin documents `0.00`): `35.10`, or `5000` in JPY. An amount with more places is
//! refused by validation, naming the field; nothing is rounded.
#![deny(missing_docs)]

mod client;
mod config;
mod connect;
mod customer_api;
pub mod customer_v3;
mod error;
#[doc(hidden)]
pub mod fuzzing;
/// Unstable: public only with the `unstable` feature (for billsync's bench); not covered by
/// semver.
#[cfg(feature = "unstable")]
pub mod mapping;
#[cfg(not(feature = "unstable"))]
mod mapping;
/// Unstable: public only with the `unstable` feature (for billsync's bench); not covered by
/// semver.
#[cfg(feature = "unstable")]
pub mod wire;
#[cfg(not(feature = "unstable"))]
mod wire;

pub use client::{CONTACT_API_VERSION, CUSTOMER_API_VERSION, HyfinClient, PAYMENT_API_VERSION};
pub use config::{
    DEFAULT_AUTH_HEADER, DEFAULT_AUTH_SCHEME, DEFAULT_CURRENCY, HyfinConfig, HyfinConfigBuilder,
};
pub use connect::{FACTORY, HyfinClientBuilder, KEYS, LOCAL_SANDBOX_SITE, LOCAL_SANDBOX_TOKEN};
pub use customer_api::{CUSTOMER_LOOKUP_API_VERSION, CUSTOMER_V3_API_VERSION, HyfinCustomerApi};
pub use error::HyfinError;

/// The provider's name, as in errors and reports.
pub const PROVIDER: &str = "hyfin";
