//! # billsync-rebilly
//!
//! The [Rebilly](https://www.rebilly.com/docs/dev-docs/api/) provider for billsync: customers
//! and already-processed payments, from the canonical [`billsync_core::Customer`] and
//! [`billsync_core::Payment`].
//!
//! ```no_run
//! use billsync_core::{Contact, Customer, Upsert};
//! use billsync_rebilly::{RebillyClient, RebillyConfig};
//! use billsync_core::secrecy::SecretString;
//!
//! # async fn run() -> billsync_core::Result<()> {
//! let client = RebillyClient::new(
//!     RebillyConfig::builder()
//!         .organization_id("org-123")
//!         .website_id("web-123")
//!         .api_key(SecretString::from("..."))
//!         .build()?,
//! )?;
//! let customer = Customer::new("cust-1")
//!     .with_primary_contact(Contact::new("John", "Doe").with_email("johndoe@abc.com"));
//! let done = client.upsert(&customer).await?;
//! println!("{:?} {}", done.outcome, done.provider_id);
//! # Ok(()) }
//! ```
//!
//! Facts below follow Rebilly's OpenAPI definitions, GitHub `Rebilly/api-definitions` as of
//! commit `657cabcf` (2026-08-21), unless a revision is named.
//!
//! ## Endpoints
//! | record | request | key | support |
//! |---|---|---|---|
//! | customer | `PUT {server}/customers/{id}` | `id` = the external id | upsert by external id |
//! | payment | `POST {server}/transactions` | `requestId` from the external id | create once |
//!
//! `{server}` is `{base_url}/organizations/{organizationId}`; the base URL is
//! `https://api-sandbox.rebilly.com` (sandbox, the default), `https://api.rebilly.com` (live) or
//! any URL ([`RebillyConfigBuilder::base_url`], `REBILLY_BASE_URL`). Every path parameter is
//! percent-encoded as one segment.
//!
//! ## Authentication
//! A secret API key in `REB-APIKEY`, or a JWT as `Authorization: Bearer`. Both are held in
//! `SecretString`s, marked sensitive in requests, and never appear in `Debug`, errors, spans or
//! rendered requests.
//!
//! ## Identity
//! Rebilly lets the caller choose customer ids, so the customer's `external_id` *is* its Rebilly
//! id, and a payment's `customer_external_id` is its transaction's `customerId`. Rebilly ids are
//! at most 50 characters of `[@~-.A-Za-z0-9_]`. An external id outside that rule is refused with
//! a validation error by default; [`IdPolicy::Hash`] sends a documented deterministic derivation
//! instead (see `mapping::rebilly_id`). Ids are never changed silently.
//!
//! ## Customer fields and the revision each follows
//! | canonical | Rebilly | revision |
//! |---|---|---|
//! | `external_id` | path `id` | both |
//! | (config) `website_id` | `websiteId` | both |
//! | `company` | `primaryAddress.organization` (≤255) | both |
//! | `primary_contact.first_name`, `last_name` | `primaryAddress.firstName`, `lastName` (≤45) | both |
//! | `primary_contact.billing_address` | `primaryAddress.address` / `address2` (≤60), `city` / `region` (≤45), `postalCode` (≤10, `[\w\s-]`), `country` (`^[A-Z]{2}$`) | both |
//! | `primary_contact.emails` | `primaryAddress.emails[]{label ≤45, value ≤255, primary}` | both |
//! | `primary_contact.phones` | `primaryAddress.phoneNumbers[]{label ≤45, value ≤50, primary}` | both |
//! | `primary_contact.date_of_birth`, `job_title` | `primaryAddress.dob`, `jobTitle` (≤255) | both |
//! | `custom_fields` | `customFields` | both |
//! | `locale` | `locale` | both |
//! | `tax_numbers` | `taxNumbers[]{type eu-vat/other, value, isDefault}` | both |
//! | `default_payment_instrument` | `defaultPaymentInstrumentId` | [`Revision::Current`] |
//! | `default_payment_instrument` | `defaultPaymentInstrument{method, paymentInstrumentId}` (card, ACH) | [`Revision::Legacy2025`] |
//! | (config) [`RebillyConfigBuilder::edd_required`] | `isEddRequired` | [`Revision::Legacy2025`] only |
//!
//! Labels default to `main` (Rebilly requires one). The email and phone the canonical model
//! treats as primary (the one flagged, else the first) are sent with `primary: true`, so Rebilly
//! derives the same customer email.
//!
//! Not sent, by design: `display_name` (Rebilly derives a customer's name from its primary
//! address and has no display name), `created_at` (Rebilly sets `createdTime`), and a contact's
//! own `external_id`. Canonical fields Rebilly's customer cannot store at all (further
//! `contacts`, `shipping_address`, `parent`, `notes`, an inactive or locked `status`,
//! `utc_offset_hours`, `balance`, `portal_login`) are not sent, like every provider crate does
//! with fields its provider has no place for; [`Unmapped::Reject`] refuses such records instead,
//! naming each field. A `deleted` customer is always refused: upserting it would make it active.
//!
//! ## Updates clear what the record no longer has
//! `PUT /customers/{id}` takes the whole Customer resource and replaces it: Rebilly's
//! definitions name it "Upsert" ("Creates or updates") and give partial updates their own `PATCH`
//! operations where a resource has them (`paths/credit-memos@{id}.yaml` and
//! `paths/quotes@{id}.yaml` pair "Upsert" `PUT` with "Partially update" `PATCH`); the Customer
//! schema's defaults (`customFields: {}`, nullable `primaryAddress`, `locale`, `taxNumbers`) are
//! what an absent member becomes. So billsync sends nothing explicit to clear: a field the record
//! no longer has is absent from the body and is cleared by the replacement, a custom field
//! included (one given as `null` is simply left out). A customer's status is not sent at all.
//! Nothing the caller did not give is sent except the configured `websiteId` and the label
//! `main` on emails and phones without one (Rebilly requires a label).
//!
//! ## Payments
//! A payment is recorded as a `sale` transaction with `isProcessedOutside: true`,
//! `processedTime` = `paid_at`, the configured `websiteId` (required), `customerId`, `currency`,
//! `amount` (an exact JSON number with the currency's minor units), `paymentInstruction`
//! `{methods: [<method>]}` (card = `payment-card`, ACH = `ach`, cash = `cash`, check = `check`,
//! with the check's `gateway_transaction_id` as its `reference`), `invoiceIds` (the invoice's
//! provider id, else its external id taken as its Rebilly id), and a `description` made of the
//! method's display name, sub type and gateway transaction id (≤255).
//!
//! `requestId` is the payment's external id when it fits `requestId`'s rule (≤50 characters of
//! `[-A-Za-z0-9_]`); otherwise its fitting characters (at most 33), `-`, and the first 16 hex
//! digits of the SHA-256 of the external id (`mapping::request_id`). Rebilly ignores a repeated
//! `requestId` within 24 hours, so the POST is retried safely.
//!
//! Limits, also stated by [`RebillyClient::capabilities`]: a recorded transaction cannot be edited
//! through this call ([`Support::CreateOnly`](billsync_core::Support::CreateOnly)). Only
//! `captured` and `settled` payments can be recorded (an outside-processed sale is approved);
//! other statuses, inactive payments and payments without a method are refused by validation,
//! naming the field. A tip or tax is added to the amount and a fee left out (under
//! [`Unmapped::Reject`] they are refused instead).
//!
//! Rebilly's definitions say a duplicate `requestId` is "ignored" but not what the answer is.
//! This crate reads: `201` -> [`Outcome::Created`](billsync_core::Outcome::Created); `200` with
//! a transaction (not a documented answer to a create, so the existing transaction) ->
//! `Unchanged`. Rebilly documents no problem type for a reused `requestId`, so the answer's
//! status and fields come first: a `409`, or a `400`/`422` with an `invalidFields` entry for
//! `requestId`, is checked with `GET /transactions?filter=requestId:<id>&limit=1`, and a
//! transaction found there makes the payment `Unchanged` (nothing found: the answer's own
//! error). A problem's `transactionId` names the transaction without a lookup, as do its `id`
//! or `Location` when its wording says the `requestId` was already used
//! ([`RebillyProblem::is_duplicate_request_id`], the last resort, also used for a `400`/`422`
//! without the field). A transaction recorded with result
//! `declined`, `abandoned` or `canceled` is an [`ErrorKind::Rejected`](billsync_core::ErrorKind)
//! error.
//!
//! ## Answers
//! `201` created (id from the body, else `Location`), `200` updated; `401`/`403` auth, `404` not
//! found, `409` conflict, `400`/`422` invalid input with every `invalidFields` entry as a
//! [`FieldError`](billsync_core::FieldError), `429` rate limited, `408` and `5xx` unavailable
//! (billsync-core's default status table, with no override). The problem `type` is the
//! error's [`code`](billsync_core::Error::codes). Problem
//! bodies parse as `application/json` or `application/problem+json` ([`RebillyProblem`] via
//! [`Error::detail`](billsync_core::Error::detail)); HTML, empty or garbage bodies give a
//! typed error (decode for a success status, by status otherwise), never a panic. On `429`,
//! `X-RateLimit-Retry-After` is a UTC epoch timestamp, honoured within
//! [`RetryConfig::max_retry_wait`](billsync_core::RetryConfig::max_retry_wait).
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod answers;
mod client;
mod config;
mod connect;
mod error;
#[doc(hidden)]
pub mod fuzzing;
/// Unstable: public only with the `unstable` feature (for billsync's bench); not covered by
/// semver.
#[cfg(feature = "unstable")]
pub mod mapping;
#[cfg(not(feature = "unstable"))]
mod mapping;
mod options;
mod transactions;
/// Unstable: public only with the `unstable` feature (for billsync's bench); not covered by
/// semver.
#[cfg(feature = "unstable")]
pub mod wire;
#[cfg(not(feature = "unstable"))]
mod wire;

pub use client::{API_KEY_HEADER, RebillyClient};
pub use config::{
    Environment, IdPolicy, LIVE_BASE_URL, RebillyConfig, RebillyConfigBuilder, Revision,
    SANDBOX_BASE_URL, Unmapped,
};
pub use connect::{
    FACTORY, KEYS, LOCAL_SANDBOX_KEY, LOCAL_SANDBOX_ORGANIZATION, LOCAL_SANDBOX_WEBSITE,
    RebillyClientBuilder,
};
pub use error::{InvalidField, RETRY_AFTER_HEADER, RebillyProblem, retry_after};

/// The provider's name, as in errors, spans and id maps.
pub const PROVIDER: &str = "rebilly";
