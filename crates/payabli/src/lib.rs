//! # billsync-payabli
//!
//! The [Payabli](https://docs.payabli.com) provider for billsync: customers, from the canonical
//! [`billsync_core::Customer`].
//!
//! ```no_run
//! use billsync_core::{Contact, Customer, Upsert};
//! use billsync_payabli::{PayabliClient, PayabliConfig};
//! use billsync_core::secrecy::SecretString;
//!
//! # async fn run() -> billsync_core::Result<()> {
//! let client = PayabliClient::new(
//!     PayabliConfig::builder()
//!         .entrypoint("my-paypoint")
//!         .api_token(SecretString::from("..."))
//!         .build()?,
//! )?;
//! let customer = Customer::new("cust-1")
//!     .with_primary_contact(Contact::new("John", "Doe").with_email("johndoe@abc.com"));
//! let done = client.upsert(&customer).await?;
//! println!("{:?} {}", done.outcome, done.provider_id);
//! # Ok(()) }
//! ```
//!
//! ## Endpoints
//! | call | request |
//! |---|---|
//! | create | `POST {base}/Customer/single/{entry}?forceCustomerCreation=..&replaceExisting=..`, headers `requestToken`, `idempotencyKey` |
//! | update | `PUT {base}/Customer/{customerId}` |
//! | lookup | `GET {base}/Query/customers/{entry}?customernumber(eq)={external id}` |
//!
//! `base` is `https://api-sandbox.payabli.com/api` (default), `https://api.payabli.com/api`, or
//! any URL (`PAYABLI_BASE_URL`).
//!
//! ## Identity
//! Payabli has no upsert by the caller's key, so billsync provides one ([`PayabliClient`] lists
//! the calls of each path): the external id is sent as `customerNumber` and is the identifier
//! (`identifierFields: ["customernumber"]` by default, configurable); a customer is looked up by
//! it before any create, whether or not this process created it, and its Payabli id is remembered
//! in the [`billsync_core::IdMap`]. The outcome says truthfully whether it created or updated.
//!
//! ## Choices where Payabli's documentation is unclear
//! - **Idempotency.** Every create carries an `idempotencyKey` (random per upsert unless the
//!   caller passes one), the same on every retry, so creates are retried safely. A reused key
//!   answers 409 with a plain-text body ("Duplicated idempotencyKey: ..."): a 409 without
//!   Payabli's envelope is read as that answer; after a retried create it means the first
//!   attempt created the customer: the client looks it up and reports `Created`. The key's
//!   retention is 1 or 2 minutes depending on the page; nothing here depends on which.
//! - **"Already exists".** Payabli documents no `responseCode` for identifiers that match an
//!   existing customer; a 409 answered with the envelope is read as that (another writer created
//!   the customer after our lookup), and the client looks it up and updates it. Only for other
//!   statuses is the wording searched ("already exist", "duplicate customer"), as a last
//!   resort ([`PayabliError::says_exists`]); the lookup confirms either way.
//! - **Errors.** Statuses map through billsync-core's default table with no override (a 5xx or
//!   408 after the retries is `Unavailable`; every Payabli request is safe to repeat); an
//!   envelope with `isSuccess: false` under a 2xx is `Rejected`. The envelope's `responseCode`
//!   is the error's [`code`](billsync_core::Error::codes).
//! - **`responseData`.** The create's answer may carry the whole record (`customerId` inside) or a
//!   bare id (number or string); both are read. Without either, the customer is looked up.
//! - **Identifiers.** Payabli rejects a customer without an identifier; with the default
//!   identifier fields the external id always is one. With custom `identifier_fields`, at least
//!   one of them must have a value (`customernumber`, `email`, `firstname+lastname`,
//!   `firstname`, `lastname`, `phone`, `company`, or a custom field's name).
//! - **Status.** Active 1, inactive 0, locked 85, deleted -99, sent only when the record has a
//!   status: a customer without one keeps the status Payabli holds (a merchant's "inactive", or
//!   Payabli's "locked" after failed portal logins), and a new one gets Payabli's default.
//! - **Time zone.** Payabli takes whole-hour UTC offsets -12..=12; the canonical model allows up
//!   to +14, which Payabli's validation refuses, so this crate refuses it first.
//! - **Portal password.** Sent as `customerPsw` from the canonical `portal_login`; it is a
//!   secret: redacted wherever a request is rendered, never in errors or logs.
//! - **Not mapped.** Contacts beyond the primary one, their further emails and phones, notes,
//!   parent, locale, tax numbers, default payment instrument: `CustomerData` has no place for
//!   them; they are not sent.
//!
//! ## Updates clear what the record no longer has
//! Payabli's update changes only the fields sent, and a `null` clears a field (Payabli's own SDKs
//! send `"company": null` to clear the company). So the `PUT` of an update sends every
//! `CustomerData` field billsync maps, with `null` for each one the record does not have
//! (`wire::PayabliCustomerData::for_update`): company, first and last name, phone, email, the
//! billing address fields, the shipping address fields, balance, time zone, portal user name and
//! password. A create leaves such fields out. Not cleared by absence:
//! - `customerStatus`: only sent when the record has a status (above).
//! - `createdAt`: Payabli keeps the creation time it has.
//! - custom fields: Payabli merges `additionalFields` into the stored ones, and this crate does
//!   not know which keys an earlier sync sent. A key given with a `null` value
//!   ([`billsync_core::Customer::without_custom_field`]) is sent as `null` and removed; a caller
//!   that remembers the keys it sent adds those `null`s with
//!   [`billsync_core::Customer::remove_unlisted_custom_fields`] (the billsync CLI does, from its
//!   state file).
//!
//! Nothing the caller did not give is sent; the one default is `identifierFields:
//! ["customernumber"]` (configurable), because Payabli refuses a customer without an identifier.
//!
//! ## Money
//! `balance` is sent as an exact JSON number with two decimal places (`125.50`). A balance with
//! more places (`10.125`) is refused by validation, naming `balance`: Payabli keeps money to the
//! cent, and billsync never rounds.
//!
//! ## Payments
//! Payabli has no endpoint to record a payment processed elsewhere (its MoneyIn endpoints run
//! new transactions). This crate does not implement `Upsert<Payment>`:
//! [`PayabliClient`]'s capabilities say `payments: Unsupported`, and
//! [`billsync_core::Provider::upsert_payment`] answers an `Unsupported` error naming Payabli.
#![deny(missing_docs)]

mod answers;
mod client;
mod config;
mod connect;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod listing;
/// Unstable: public only with the `unstable` feature (for billsync's bench); not covered by
/// semver.
#[cfg(feature = "unstable")]
pub mod mapping;
#[cfg(not(feature = "unstable"))]
mod mapping;
mod requests;
/// Unstable: public only with the `unstable` feature (for billsync's bench); not covered by
/// semver.
#[cfg(feature = "unstable")]
pub mod wire;
#[cfg(not(feature = "unstable"))]
mod wire;

pub use client::{IDEMPOTENCY_HEADER, PayabliClient, TOKEN_HEADER};
pub use config::{
    Environment, MAX_ENTRYPOINT_CHARS, PRODUCTION_BASE_URL, PayabliConfig, PayabliConfigBuilder,
    SANDBOX_BASE_URL,
};
pub use connect::{
    FACTORY, KEYS, LOCAL_SANDBOX_ENTRYPOINT, LOCAL_SANDBOX_TOKEN, PayabliClientBuilder,
};
pub use error::PayabliError;

/// The provider's name, as in errors and reports.
pub const PROVIDER: &str = "payabli";
