//! The choices a Rebilly configuration makes: environment, resource revision, id policy, and
//! what to do with fields Rebilly has no place for.

/// Base URL of Rebilly's sandbox (`organizations/{organizationId}/...` is appended).
pub const SANDBOX_BASE_URL: &str = "https://api-sandbox.rebilly.com";
/// Base URL of Rebilly's live environment (`organizations/{organizationId}/...` is appended).
pub const LIVE_BASE_URL: &str = "https://api.rebilly.com";

pub use billsync_core::Environment;

/// Which revision of Rebilly's `Customer` resource the request body follows.
///
/// Rebilly's published definitions changed in 2026: `isEddRequired` was removed (2026-05-06) and
/// the writable `defaultPaymentInstrument` object became read-only, its writes moving to
/// `defaultPaymentInstrumentId` (2026-08). The crate docs list which field follows which revision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Revision {
    /// Today's definitions (`Rebilly/api-definitions` as of 2026-08-21): the default payment
    /// instrument is written as `defaultPaymentInstrumentId`; `isEddRequired` is not sent.
    #[default]
    Current,
    /// The shape Rebilly documented through 2025 (and its rendered docs still showed when
    /// crawled): a writable `defaultPaymentInstrument` object (`{method, paymentInstrumentId}`)
    /// and `isEddRequired`, sent as configured by [`RebillyConfigBuilder::edd_required`](crate::RebillyConfigBuilder::edd_required)
    /// (default `false`).
    Legacy2025,
}

/// What to do with a caller's id that Rebilly's id rule (at most 50 characters of
/// `[@~-.A-Za-z0-9_]`) does not accept. Applies to customer ids (and so to a payment's
/// `customerId`) and invoice ids.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdPolicy {
    /// Refuse the record with a validation error naming the field (the default).
    #[default]
    Strict,
    /// Ids that fit are sent unchanged; an id that does not fit is sent as its fitting
    /// characters (at most 33) followed by `~` and the first 16 hex digits of the SHA-256 of the
    /// whole id, e.g. `cust-ncd-42~3f1c0a9be2d4f6a1`. Deterministic, so every upsert of the same
    /// external id reaches the same Rebilly customer, and payments find it too.
    Hash,
}

/// What to do with canonical fields that Rebilly's customer or transaction resource cannot
/// store (further contacts, shipping address, parent, notes, a non-active status, UTC offset,
/// balance, portal login; a payment's tip, tax or fee).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Unmapped {
    /// Refuse the record with a validation error naming each such field: for callers who want
    /// to know about every piece of data Rebilly will not hold.
    Reject,
    /// Send the record without them (the default, as every provider crate does with fields its
    /// provider has no place for; the crate docs list them). Tip and tax are added to the
    /// transaction amount (Rebilly has one amount per transaction: what the customer paid); the
    /// fee, a cost of the merchant, is left out. A deleted customer is refused whatever the
    /// policy: sending it would create or keep an active customer.
    #[default]
    Drop,
}
