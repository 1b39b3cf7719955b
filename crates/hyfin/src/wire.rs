//! Hyfin's own request and response bodies, named as Hyfin names them. Request bodies borrow
//! from the canonical record they were mapped from: mapping copies no strings.

use std::borrow::Cow;

use billsync_core::money::WireAmount;
use serde::{Deserialize, Serialize};

/// Body of `POST /api/v4/site/{site_id}/customer/addUpdate`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HyfinCustomerRequest<'a> {
    /// Hyfin's id: absent to add, present to update.
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name displayed for the customer.
    pub display_name: Cow<'a, str>,
    /// Business name (for group customers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<&'a str>,
    /// The primary contact, inline (when the customer has only one contact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_contact: Option<HyfinPrimaryContact<'a>>,
    /// References to contact records (when the customer has several contacts).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<HyfinContactRef>,
    /// Hyfin id of the parent customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_customer: Option<String>,
    /// Whether the parent is billed for this customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bill_to_parent_flag: Option<bool>,
    /// Merchant-only notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<&'a str>,
    /// Whether the customer is deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
}

/// The inline `primary_contact` of a customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HyfinPrimaryContact<'a> {
    /// Given name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<&'a str>,
    /// Family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<&'a str>,
    /// Mobile phone, used to send payment requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<&'a str>,
    /// Email, used to send payment requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    /// Billing address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<HyfinAddress<'a>>,
}

/// A US-style address as Hyfin stores it (it has no country field).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HyfinAddress<'a> {
    /// First street line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line1: Option<&'a str>,
    /// Second street line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<&'a str>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<&'a str>,
    /// State code (`FL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_code: Option<&'a str>,
    /// ZIP code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<&'a str>,
}

/// A reference to a contact record from a customer (`{"_id": "...", "isPrimary": true}`; the
/// camelCase `isPrimary` is as in Hyfin's own sample).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HyfinContactRef {
    /// Hyfin's id of the contact.
    #[serde(rename = "_id")]
    pub id: String,
    /// Whether this is the customer's primary contact.
    #[serde(rename = "isPrimary")]
    pub is_primary: bool,
}

/// Body of `POST /api/v4/site/{site_id}/contact/addUpdate`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HyfinContactRequest<'a> {
    /// Hyfin's id: absent to add, present to update.
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Given name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<&'a str>,
    /// Family name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<&'a str>,
    /// ISO 639-1 language (`en`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Email addresses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<HyfinContactEmail<'a>>,
    /// Phone numbers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phone_numbers: Vec<HyfinContactPhone<'a>>,
    /// Postal addresses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<HyfinContactAddress<'a>>,
}

/// An email of a contact record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HyfinContactEmail<'a> {
    /// Label (`main`, `work`), when the record gives one (Hyfin does not require it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<&'a str>,
    /// The address.
    pub address: &'a str,
    /// Whether it is the primary email.
    pub is_primary: bool,
}

/// A phone number of a contact record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HyfinContactPhone<'a> {
    /// Label (`mobile`, `work`), when the record gives one (Hyfin does not require it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<&'a str>,
    /// The number.
    pub number: &'a str,
    /// Whether it is the primary number.
    pub is_primary: bool,
}

/// A postal address of a contact record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HyfinContactAddress<'a> {
    /// Label (`billing`).
    pub label: &'a str,
    /// Whether it is the primary address.
    pub is_primary: bool,
    /// The address.
    pub address: HyfinAddress<'a>,
}

/// Body of `POST /api/v3/site/{site_id}/payment/addUpdate`: an already-processed payment, keyed
/// by `external_id` (same id updates, else adds).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HyfinPaymentRequest<'a> {
    /// The payment's id in the source system (the upsert key).
    pub external_id: &'a str,
    /// The gateway's id of the transaction.
    pub gateway_transaction_id: &'a str,
    /// Kind of payment method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<HyfinPaymentType>,
    /// Card brand or account type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_sub_type: Option<HyfinPaymentSubType>,
    /// Safe display name of the method (`VISA **** 3421`).
    pub display_name: &'a str,
    /// Amount paid, format `0.00`.
    pub amount: WireAmount,
    /// Tip, format `0.00`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tip: Option<WireAmount>,
    /// Tax, format `0.00`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax: Option<WireAmount>,
    /// Fee, format `0.00`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<WireAmount>,
    /// When it was paid, `YYYY-MM-DDTHH:mm:ssZ`.
    pub paid_on: String,
    /// Payment status, sent only when the record has one (Hyfin defaults to `captured`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<HyfinPaymentStatus>,
    /// The invoice the payment settles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice: Option<HyfinInvoiceRef<'a>>,
    /// Whether the record is active, sent only when the record says (Hyfin defaults to `true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// A reference to an invoice: by the source system's id or by Hyfin's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HyfinInvoiceRef<'a> {
    /// The invoice's id in the source system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<&'a str>,
    /// Hyfin's id of the invoice.
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
}

/// Hyfin's `payment_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HyfinPaymentType {
    /// Card.
    PaymentCard,
    /// ACH.
    Ach,
    /// Cash.
    Cash,
    /// Check.
    Check,
    /// A value this version of billsync does not know.
    #[serde(other)]
    Unknown,
}

/// Hyfin's `payment_sub_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HyfinPaymentSubType {
    /// Checking account.
    Checking,
    /// Savings account.
    Savings,
    /// Visa.
    Visa,
    /// Mastercard.
    Mastercard,
    /// Discover.
    Discover,
    /// American Express.
    Amex,
    /// Cash.
    Cash,
    /// Other.
    Other,
    /// A value this version of billsync does not know.
    #[serde(other)]
    Unknown,
}

/// Hyfin's payment `status` (camelCase values, as Hyfin spells them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HyfinPaymentStatus {
    /// Declined.
    Declined,
    /// Authorized.
    Authorized,
    /// Captured.
    Captured,
    /// Voided.
    Voided,
    /// Settled.
    Settled,
    /// Returned.
    Returned,
    /// Refund failed.
    RefundFailed,
    /// Refunded.
    Refunded,
    /// Refund settled.
    RefundSettled,
    /// A value this version of billsync does not know.
    #[serde(other)]
    Unknown,
}

/// Hyfin's answer to every addUpdate call.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HyfinResponse {
    /// Whether the record was added or updated.
    #[serde(default)]
    pub success: Option<bool>,
    /// `added` or `updated`, when successful.
    #[serde(default)]
    pub action: Option<HyfinAction>,
    /// The record's Hyfin id.
    #[serde(rename = "_id", default)]
    pub id: Option<String>,
    /// Every error, when not successful.
    #[serde(default)]
    pub errors: Vec<String>,
}

/// What an addUpdate did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HyfinAction {
    /// The record was added.
    Added,
    /// The record was updated.
    Updated,
    /// A value this version of billsync does not know.
    #[serde(other)]
    Unknown,
}
