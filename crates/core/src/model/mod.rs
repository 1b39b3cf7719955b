//! The canonical model: what a caller syncs, independent of any provider.
//!
//! Every type is `serde` (de)serializable with snake_case field names, so files of records
//! (JSON Lines, or CSV flattened by the CLI) read straight into it. Optional fields are omitted
//! when empty, and unknown fields in input are refused so that a typo never silently drops data.
//!
//! A record is the whole truth for the fields billsync maps: a field that is absent now is
//! cleared at the provider where its API allows it (see [`Customer`], "Updates"). Amounts are
//! read from their decimal text, never through floating point ([`crate::money`]).

mod address;
mod codes;
mod contact;
mod custom_fields;
mod customer;
mod payment;

pub use address::Address;
pub use codes::{is_iso3166_alpha2, is_iso4217, minor_units};
pub use contact::{Contact, ContactPoint};
pub use customer::{
    Customer, CustomerStatus, ParentCustomer, PaymentInstrumentRef, PortalLogin, TaxNumber,
    TaxNumberKind,
};
pub use payment::{InvoiceRef, Payment, PaymentMethod, PaymentStatus, PaymentSubType};

/// The kinds of record billsync syncs; used by [`crate::IdMap`] namespaces and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RecordKind {
    /// A [`Customer`].
    Customer,
    /// A [`Payment`].
    Payment,
    /// A contact of a customer, for providers that store contacts as records of their own.
    Contact,
}

impl RecordKind {
    /// The lower-case name used in id maps, reports and logs (`customer`, `payment`, `contact`).
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Customer => "customer",
            RecordKind::Payment => "payment",
            RecordKind::Contact => "contact",
        }
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record that can be upserted: it has the caller's own key and knows how to validate itself
/// against the canonical rules (provider rules are checked by each provider crate).
pub trait Record: Send + Sync + std::fmt::Debug {
    /// The kind of record.
    const KIND: RecordKind;
    /// The caller's own identifier, the key of every upsert.
    fn external_id(&self) -> &str;
    /// Adds every canonical-rule violation to `v`, with field paths relative to the record.
    fn validate_into(&self, v: &mut crate::Validator);
}
