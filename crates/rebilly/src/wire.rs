//! Rebilly's own request and response structs, named and cased as Rebilly's OpenAPI definitions
//! (`Rebilly/api-definitions`, `openapi/components/...`) name them.

use std::collections::BTreeMap;

use billsync_core::chrono::{DateTime, NaiveDate, Utc};
use billsync_core::money::WireAmount;
use serde::{Deserialize, Serialize};

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
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_fields: BTreeMap<&'a str, &'a str>,
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phone_numbers: Vec<ContactPhoneNumber<'a>>,
    /// Email addresses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<ContactEmail<'a>>,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dob: Option<NaiveDate>,
    /// Job title (≤255).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<&'a str>,
}

/// One phone number of a contact (`schemas/ContactPhoneNumbers.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactPhoneNumber<'a> {
    /// Label (required, ≤45).
    pub label: &'a str,
    /// The number (required, ≤50).
    pub value: &'a str,
    /// Whether it is the contact's primary number.
    pub primary: bool,
}

/// One email address of a contact (`schemas/ContactEmails.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactEmail<'a> {
    /// Label (required, ≤45).
    pub label: &'a str,
    /// The address (required, email, ≤255).
    pub value: &'a str,
    /// Whether it is the contact's primary address.
    pub primary: bool,
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
/// processed outside Rebilly.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionRequest {
    /// Always [`TransactionType::Sale`] here.
    #[serde(rename = "type")]
    pub kind: TransactionType,
    /// The website id.
    pub website_id: String,
    /// The Rebilly customer id.
    pub customer_id: String,
    /// ISO 4217 currency.
    pub currency: String,
    /// The amount, exact, with the currency's minor units.
    pub amount: WireAmount,
    /// Invoices the payment applies to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invoice_ids: Vec<String>,
    /// How the customer paid.
    pub payment_instruction: PaymentInstructionMethods,
    /// Key that makes Rebilly ignore a repeat within 24 hours (≤50, `^[\-\w]+$`).
    pub request_id: String,
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
pub struct PaymentInstructionMethods {
    /// The one method used.
    pub methods: Vec<PaymentMethod>,
    /// Reference data (check number), for `check`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
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
