//! Rebilly's own request and response structs, named and cased as Rebilly's OpenAPI definitions
//! (`Rebilly/api-definitions`, `openapi/components/...`) name them.

use std::borrow::Cow;
use std::collections::BTreeMap;

use billsync_core::ContactPoint;
use billsync_core::chrono::{DateTime, NaiveDate, Utc};
use billsync_core::money::WireAmount;
use serde::{Deserialize, Serialize, Serializer};

/// The body of `PUT /customers/{id}` (`schemas/Customer.yaml`, writable fields only).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer<'a> {
    /// ID of the website the customer was obtained through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website_id: Option<&'a str>,
    /// ID of a stored payment instrument to make the default (current revision).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_payment_instrument_id: Option<&'a str>,
    /// The default payment instrument as an object (legacy 2025 revision).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_payment_instrument: Option<LegacyDefaultPaymentInstrument<'a>>,
    /// Custom fields (must be defined in the Rebilly organization).
    #[serde(skip_serializing_if = "CustomFields::is_empty")]
    pub custom_fields: CustomFields<'a>,
    /// The customer's primary address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_address: Option<ContactObject<'a>>,
    /// RFC 5646 locale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<&'a str>,
    /// Tax numbers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tax_numbers: Vec<TaxNumber<'a>>,
    /// Enhanced Due Diligence flag (legacy 2025 revision only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_edd_required: Option<bool>,
}

/// `defaultPaymentInstrument` as it was writable through 2025 (`VaultedInstrument.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyDefaultPaymentInstrument<'a> {
    /// `payment-card` or `ach`.
    pub method: PaymentMethod,
    /// ID of the stored payment instrument.
    pub payment_instrument_id: &'a str,
}

/// Rebilly payment methods billsync sends (`schemas/PaymentMethod.yaml` has about 200).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentMethod {
    /// A payment card.
    #[serde(rename = "payment-card")]
    PaymentCard,
    /// ACH bank transfer.
    #[serde(rename = "ach")]
    Ach,
    /// Cash.
    #[serde(rename = "cash")]
    Cash,
    /// Paper check.
    #[serde(rename = "check")]
    Check,
    /// Any other method Rebilly answers with.
    #[serde(other)]
    Unknown,
}

/// A contact (`schemas/ContactObject.yaml`), used as the customer's `primaryAddress`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactObject<'a> {
    /// First name (≤45).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<&'a str>,
    /// Last name (≤45).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<&'a str>,
    /// Organization (≤255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<&'a str>,
    /// First address line (≤60).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<&'a str>,
    /// Second address line (≤60).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address2: Option<&'a str>,
    /// City (≤45).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<&'a str>,
    /// Region (≤45).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<&'a str>,
    /// ISO 3166 alpha-2 country (`^[A-Z]{2}$`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<&'a str>,
    /// Postal code (≤10, `^[\w\s\-]+$`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<&'a str>,
    /// Phone numbers.
    #[serde(skip_serializing_if = "LabelledValues::is_empty")]
    pub phone_numbers: LabelledValues<'a>,
    /// Email addresses.
    #[serde(skip_serializing_if = "LabelledValues::is_empty")]
    pub emails: LabelledValues<'a>,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dob: Option<NaiveDate>,
    /// Job title (≤255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<&'a str>,
}

/// One email address or phone number of a contact (`schemas/ContactEmails.yaml` and
/// `schemas/ContactPhoneNumbers.yaml` have the same fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelledValue<'a> {
    /// Label (required, ≤45).
    pub label: &'a str,
    /// The address (email, ≤255) or number (≤50).
    pub value: &'a str,
    /// Whether it is the contact's primary address or number.
    pub primary: bool,
}

/// A contact's emails or phone numbers as Rebilly takes them, written straight from the
/// canonical points (no list is built): a point without a label, or with a blank one, is
/// labelled [`DEFAULT_LABEL`], and the one the canonical model treats as primary (the one
/// flagged, else the first) is marked primary, so that Rebilly derives the same customer email.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LabelledValues<'a> {
    points: &'a [ContactPoint],
    /// The index of the primary point.
    primary: usize,
}

/// The label Rebilly requires on every email and phone number, used when the canonical record
/// has none.
pub const DEFAULT_LABEL: &str = "main";

impl<'a> LabelledValues<'a> {
    /// The points as Rebilly takes them.
    pub fn new(points: &'a [ContactPoint]) -> Self {
        let primary = points.iter().position(|p| p.primary).unwrap_or(0);
        LabelledValues { points, primary }
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Each point as sent.
    pub fn iter(&self) -> impl Iterator<Item = LabelledValue<'a>> + 'a {
        let primary = self.primary;
        self.points.iter().enumerate().map(move |(i, p)| {
            let label = p
                .label
                .as_deref()
                .filter(|l| !l.trim().is_empty())
                .unwrap_or(DEFAULT_LABEL);
            LabelledValue {
                label,
                value: &p.value,
                primary: i == primary,
            }
        })
    }
}

impl Serialize for LabelledValues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The custom fields that have a value, borrowed from the record (a field given as `null` is
/// left out: the `PUT` replaces the custom fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomFields<'a> {
    fields: &'a BTreeMap<String, Option<String>>,
}

static NO_FIELDS: BTreeMap<String, Option<String>> = BTreeMap::new();

impl Default for CustomFields<'_> {
    fn default() -> Self {
        CustomFields { fields: &NO_FIELDS }
    }
}

impl<'a> CustomFields<'a> {
    /// The fields of `fields` that have a value.
    pub fn new(fields: &'a BTreeMap<String, Option<String>>) -> Self {
        CustomFields { fields }
    }

    /// True when no field has a value.
    pub fn is_empty(&self) -> bool {
        self.fields.values().all(Option::is_none)
    }

    /// Each field with a value, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.fields
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_deref()?)))
    }
}

impl Serialize for CustomFields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// A tax number (`schemas/TaxNumber.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaxNumber<'a> {
    /// `eu-vat` or `other`.
    #[serde(rename = "type")]
    pub kind: TaxNumberType,
    /// The number.
    pub value: &'a str,
    /// Whether it is shown on invoices by default.
    pub is_default: bool,
}

/// Kinds of tax number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TaxNumberType {
    /// A European Union VAT number.
    #[serde(rename = "eu-vat")]
    EuVat,
    /// Any other tax number.
    #[serde(rename = "other")]
    Other,
}

/// The body of `POST /transactions` (`requestBodies/TransactionRequest.yaml`), for a sale
/// processed outside Rebilly. It borrows from the payment and the configuration it was mapped
/// from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionRequest<'a> {
    /// Always [`TransactionType::Sale`] here.
    #[serde(rename = "type")]
    pub kind: TransactionType,
    /// The website id.
    pub website_id: &'a str,
    /// The Rebilly customer id.
    pub customer_id: Cow<'a, str>,
    /// ISO 4217 currency.
    pub currency: &'a str,
    /// The amount, exact, with the currency's minor units.
    pub amount: WireAmount,
    /// Invoices the payment applies to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invoice_ids: Vec<Cow<'a, str>>,
    /// How the customer paid.
    pub payment_instruction: PaymentInstructionMethods<'a>,
    /// Key that makes Rebilly ignore a repeat within 24 hours (≤50, `^[\-\w]+$`).
    pub request_id: Cow<'a, str>,
    /// Payment description (≤255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Always `true` here: the payment was already processed.
    pub is_processed_outside: bool,
    /// When the payment was processed.
    pub processed_time: DateTime<Utc>,
}

/// Types of transaction a `POST /transactions` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransactionType {
    /// A sale.
    Sale,
}

/// The "payment methods" form of a payment instruction (`schemas/PaymentInstructionMethods.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentInstructionMethods<'a> {
    /// The one method used.
    pub methods: &'static [PaymentMethod],
    /// Reference data (check number), for `check`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<&'a str>,
}

/// The parts of a customer answer billsync reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerResponse {
    /// The customer id.
    #[serde(default)]
    pub id: Option<String>,
}

/// The parts of a transaction answer billsync reads (`schemas/Transaction.yaml`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionResponse {
    /// The transaction id.
    #[serde(default)]
    pub id: Option<String>,
    /// The request id the transaction was created with.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The result.
    #[serde(default)]
    pub result: Option<TransactionResult>,
    /// The status (`completed`, `pending`, ...), as Rebilly wrote it.
    #[serde(default)]
    pub status: Option<String>,
}

/// The result of a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransactionResult {
    /// Approved.
    Approved,
    /// Declined.
    Declined,
    /// Abandoned.
    Abandoned,
    /// Canceled.
    Canceled,
    /// Rebilly's own `unknown`: the result is not known yet (e.g. a gateway timeout).
    Unknown,
    /// A value this crate does not know (Rebilly's `unknown` is [`TransactionResult::Unknown`]).
    #[serde(other)]
    Unrecognized,
}
