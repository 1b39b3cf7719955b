//! One record of either kind, as the sync pipeline handles it.

use billsync::secrecy::ExposeSecret;
use billsync::{Customer, Payment, PreparedRequest, Provider, Record, Upserted};
use sha2::{Digest, Sha256};

use crate::args::Kind;

/// A customer or a payment read from the input.
pub enum AnyRecord {
    /// A customer.
    Customer(Box<Customer>),
    /// A payment.
    Payment(Box<Payment>),
}

impl AnyRecord {
    /// The caller's id.
    pub fn external_id(&self) -> &str {
        match self {
            AnyRecord::Customer(c) => c.external_id(),
            AnyRecord::Payment(p) => p.external_id(),
        }
    }

    /// The external id of the parent customer this record needs to land first, if any.
    pub fn parent(&self) -> Option<&str> {
        match self {
            AnyRecord::Customer(c) => c
                .parent
                .as_ref()
                .map(|p| p.external_id.as_str())
                .filter(|p| !p.trim().is_empty() && *p != c.external_id()),
            AnyRecord::Payment(_) => None,
        }
    }

    /// The names of its custom fields that have a value (none for a payment): what the journal
    /// remembers once it lands.
    pub fn custom_field_names(&self) -> Vec<String> {
        match self {
            AnyRecord::Customer(c) => c.custom_field_names(),
            AnyRecord::Payment(_) => Vec::new(),
        }
    }

    /// The record with a removal (`null`) added for each custom field of `sent_before` it no
    /// longer lists; `None` when there is none to add.
    pub fn removing_unlisted_custom_fields(&self, sent_before: &[String]) -> Option<AnyRecord> {
        let AnyRecord::Customer(c) = self else {
            return None;
        };
        let mut cleared = c.clone();
        let added = cleared.remove_unlisted_custom_fields(sent_before.iter().map(String::as_str));
        (!added.is_empty()).then(|| AnyRecord::Customer(cleared))
    }

    /// What the record says, secrets included, as a 16-byte digest: two rows with the same
    /// external id are the same row when this is equal. Kept in memory only.
    pub fn digest(&self) -> [u8; 16] {
        let mut h = Sha256::new();
        let json = match self {
            AnyRecord::Customer(c) => {
                if let Some(login) = &c.portal_login {
                    h.update(login.password.expose_secret().as_bytes());
                    h.update([0]);
                }
                serde_json::to_vec(c)
            }
            AnyRecord::Payment(p) => serde_json::to_vec(p),
        };
        // Serializing the model cannot fail (plain data, string keys); an empty digest input
        // would only make two unreadable rows compare equal, never lose one.
        h.update(json.unwrap_or_default());
        let mut out = [0u8; 16];
        out.copy_from_slice(&h.finalize()[..16]);
        out
    }

    /// The hash billsync 0.1 kept for this record (over the provider and the record with its
    /// secrets redacted): lets a state file from that version tell unchanged records.
    pub fn legacy_hash(&self, provider: &str) -> String {
        let mut h = Sha256::new();
        h.update(provider.as_bytes());
        h.update([0]);
        let bytes = match self {
            AnyRecord::Customer(c) => serde_json::to_vec(c),
            AnyRecord::Payment(p) => serde_json::to_vec(p),
        }
        .unwrap_or_default();
        h.update(&bytes);
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The writes that would carry the record to `provider` now (see `Upsert::prepare_content`).
    pub fn content(&self, provider: &dyn Provider) -> billsync::Result<Vec<PreparedRequest>> {
        let unsupported = |what| billsync::provider_kit::unsupported(provider.name(), what);
        match self {
            AnyRecord::Customer(c) => provider
                .customers()
                .ok_or_else(|| unsupported("customers"))?
                .prepare_content(c),
            AnyRecord::Payment(p) => provider
                .payments()
                .ok_or_else(|| unsupported("payments"))?
                .prepare_content(p),
        }
    }

    /// Upserts the record.
    pub async fn upsert(&self, provider: &dyn Provider) -> billsync::Result<Upserted> {
        match self {
            AnyRecord::Customer(c) => provider.upsert_customer(c).await,
            AnyRecord::Payment(p) => provider.upsert_payment(p).await,
        }
    }
}

/// The next record of `kind` from `records`: its line and the record or why it is unreadable.
pub fn next(
    records: &mut crate::input::Records,
    kind: Kind,
) -> Option<(u64, Result<AnyRecord, String>)> {
    match kind {
        Kind::Customers => records
            .next::<Customer>()
            .map(|i| (i.line, i.record.map(|c| AnyRecord::Customer(Box::new(c))))),
        Kind::Payments => records
            .next::<Payment>()
            .map(|i| (i.line, i.record.map(|p| AnyRecord::Payment(Box::new(p))))),
    }
}
