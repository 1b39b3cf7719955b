//! The canonical customer.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::{Address, Contact, PaymentMethod, Record, RecordKind};
use crate::Validator;
use crate::validate::{LazyPath, is_blank};

/// A customer as the caller's system knows it.
///
/// `external_id` is the caller's own key and the key of every upsert: syncing the same
/// `external_id` twice updates the provider's record instead of creating a second one.
///
/// ```
/// use billsync_core::{Address, Contact, Customer};
///
/// let customer = Customer::new("cust-1001")
///     .with_display_name("ABC Plumbing")
///     .with_primary_contact(
///         Contact::new("John", "Doe")
///             .with_email("johndoe@abc.com")
///             .with_phone("333-444-5555")
///             .with_billing_address(Address::new("123 Main Street", "Naples", "FL", "34102", "US")),
///     );
/// assert!(customer.validate().is_ok());
/// ```
///
/// # Updates: the record is the whole truth
/// Syncing a customer again sends the record as it is now. A field the provider receives and
/// the record no longer has is **cleared** at the provider where its API allows it (each provider
/// crate lists how, and which fields it cannot clear): remove `company` from the record and the
/// provider's company goes too. Two things are not cleared by absence, because absence means
/// "not given" for them:
///
/// - `status`: absent means the provider keeps (or, on a create, defaults) its own status, so a
///   customer the merchant deactivated, or the provider locked, stays so. Give a status to set it.
/// - one `custom_fields` entry, for a caller that does not remember which custom fields it sent
///   before: providers that merge custom fields (Payabli) keep a key the record no longer lists.
///   Give the key with a `null` value to remove it:
///   `"custom_fields": {"tier": "gold", "old_promo": null}` ([`Customer::without_custom_field`]).
///   A caller that remembers the names it sent adds those nulls with
///   [`Customer::remove_unlisted_custom_fields`]; the billsync CLI does, from its state file.
///   Providers whose update replaces the custom fields (Rebilly) drop it either way.
///
/// No value the caller did not give is sent, except a default a provider requires (each provider
/// crate documents those).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// The caller's own identifier for this customer (required, non-blank).
    pub external_id: String,
    /// The name shown for the customer; providers that need one fall back to the company, then
    /// the primary contact's full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Company or account name (for business customers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The primary contact: names, emails, phones, billing address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact: Option<Contact>,
    /// Further contacts besides the primary one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    /// Where goods are shipped, when different from the billing address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<Address>,
    /// A parent customer (by its external id), for customer hierarchies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentCustomer>,
    /// Internal notes, visible to the merchant only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Free-form custom fields, sent where the provider has custom fields. A `None` value
    /// (`null` in JSON) asks the provider to remove that field (see "Updates" above and
    /// [`Customer::remove_unlisted_custom_fields`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_fields: BTreeMap<String, Option<String>>,
    /// Whether the customer is active, inactive, locked or deleted; `None` (absent) leaves the
    /// status to the provider: nothing is sent, and an existing customer keeps its status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CustomerStatus>,
    /// Preferred language or locale, as an RFC 5646 tag (`en`, `fr-CA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The customer's time zone as a whole-hour offset from UTC (`-5` for US Eastern).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_hours: Option<i8>,
    /// The customer's outstanding balance, where the provider tracks one.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::opt_decimal"
    )]
    pub balance: Option<Decimal>,
    /// Tax registration numbers (VAT and others).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tax_numbers: Vec<TaxNumber>,
    /// A payment instrument already stored at the provider to make the customer's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_payment_instrument: Option<PaymentInstrumentRef>,
    /// Credentials for the provider's customer portal, where it has one. The password is a
    /// secret: it is never printed and serializes as `[redacted]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub portal_login: Option<PortalLogin>,
    /// When the customer was created in the caller's system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
}

impl Customer {
    /// A customer with only its external id set; add the rest with the `with_*` methods.
    pub fn new(external_id: impl Into<String>) -> Self {
        Customer {
            external_id: external_id.into(),
            ..Customer::default()
        }
    }

    /// Sets the display name.
    pub fn with_display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Sets the company or account name.
    pub fn with_company(mut self, company: impl Into<String>) -> Self {
        self.company = Some(company.into());
        self
    }

    /// Sets the primary contact.
    pub fn with_primary_contact(mut self, contact: Contact) -> Self {
        self.primary_contact = Some(contact);
        self
    }

    /// Adds a further contact.
    pub fn with_contact(mut self, contact: Contact) -> Self {
        self.contacts.push(contact);
        self
    }

    /// Sets the shipping address.
    pub fn with_shipping_address(mut self, address: Address) -> Self {
        self.shipping_address = Some(address);
        self
    }

    /// Sets the notes.
    pub fn with_notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }

    /// Sets the status.
    pub fn with_status(mut self, status: CustomerStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// The name to show for this customer: the display name, else the company, else the primary
    /// contact's full name.
    pub fn name_for_display(&self) -> Option<String> {
        self.display_name
            .clone()
            .or_else(|| self.company.clone())
            .or_else(|| self.primary_contact.as_ref().and_then(Contact::full_name))
    }

    /// Every contact, primary first.
    pub fn all_contacts(&self) -> impl Iterator<Item = &Contact> {
        self.primary_contact.iter().chain(self.contacts.iter())
    }

    /// Checks the canonical rules; every problem is reported at once with its field path.
    pub fn validate(&self) -> crate::Result<()> {
        let mut v = Validator::new();
        self.validate_into(&mut v);
        v.finish(None)
    }
}

impl Record for Customer {
    const KIND: RecordKind = RecordKind::Customer;

    fn external_id(&self) -> &str {
        &self.external_id
    }

    fn validate_into(&self, v: &mut Validator) {
        v.required("external_id", Some(&self.external_id));
        v.not_blank("display_name", self.display_name.as_deref());
        v.not_blank("company", self.company.as_deref());
        v.not_blank("notes", self.notes.as_deref());
        v.not_blank("locale", self.locale.as_deref());
        if let Some(contact) = &self.primary_contact {
            contact.validate_into(v, "primary_contact");
        }
        for (i, contact) in self.contacts.iter().enumerate() {
            contact.validate_into_indexed(v, i);
        }
        if let Some(address) = &self.shipping_address {
            address.validate_into(v, ("", "shipping_address"));
        }
        if let Some(parent) = &self.parent {
            v.required("parent.external_id", Some(&parent.external_id));
            if parent.external_id == self.external_id {
                v.push("parent.external_id", "a customer cannot be its own parent");
            }
        }
        if let Some(locale) = &self.locale {
            let ok = locale.split('-').all(|part| {
                // Bytes suffice: a non-ASCII character's bytes are not ASCII alphanumerics.
                (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
            });
            if !ok {
                v.push(
                    "locale",
                    format!("`{locale}` is not an RFC 5646 language tag (e.g. `en`, `fr-CA`)"),
                );
            }
        }
        if let Some(offset) = self.utc_offset_hours
            && !(-12..=14).contains(&offset)
        {
            v.push("utc_offset_hours", format!("{offset} is outside -12..=14"));
        }
        for (i, tax) in self.tax_numbers.iter().enumerate() {
            v.required(
                LazyPath(|| format!("tax_numbers[{i}].value")),
                Some(&tax.value),
            );
        }
        if let Some(instrument) = &self.default_payment_instrument {
            v.required("default_payment_instrument.id", Some(&instrument.id));
        }
        if let Some(login) = &self.portal_login {
            v.required("portal_login.username", Some(&login.username));
        }
        for key in self.custom_fields.keys() {
            if is_blank(key) {
                v.push("custom_fields", "custom field names must not be blank");
            }
        }
    }
}

/// A link to a parent customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParentCustomer {
    /// The parent's external id; it must have been synced before the child.
    pub external_id: String,
    /// Whether the parent is billed for this customer.
    #[serde(default)]
    pub bill_to_parent: bool,
}

/// Whether a customer is in use. A customer without one ([`Customer::status`] `None`) leaves
/// the status to the provider.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CustomerStatus {
    /// In use (what providers default to when a new customer has no status).
    #[default]
    Active,
    /// Kept but not in use.
    Inactive,
    /// Locked out of the provider's customer portal (e.g. after failed logins).
    Locked,
    /// Deleted: providers that support it mark the record deleted.
    Deleted,
}

impl CustomerStatus {
    /// True for [`CustomerStatus::Active`].
    pub fn is_active(&self) -> bool {
        *self == CustomerStatus::Active
    }
}

/// A tax registration number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxNumber {
    /// The kind of number.
    pub kind: TaxNumberKind,
    /// The number itself.
    pub value: String,
    /// Whether this is the customer's default tax number.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_default: bool,
}

/// Kinds of tax number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TaxNumberKind {
    /// A European Union VAT number.
    EuVat,
    /// Any other tax number.
    Other,
}

/// A payment instrument already stored at the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentInstrumentRef {
    /// The kind of instrument.
    pub method: PaymentMethod,
    /// The provider's id of the stored instrument.
    pub id: String,
}

/// Credentials for a provider's customer portal.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalLogin {
    /// Portal user name.
    pub username: String,
    /// Portal password: never printed, serialized as `[redacted]`.
    #[serde(serialize_with = "crate::secret::serialize_redacted")]
    pub password: SecretString,
}

impl PartialEq for PortalLogin {
    fn eq(&self, other: &Self) -> bool {
        self.username == other.username
            && self.password.expose_secret() == other.password.expose_secret()
    }
}

impl std::fmt::Debug for PortalLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalLogin")
            .field("username", &self.username)
            .field("password", &crate::secret::REDACTED)
            .finish()
    }
}
