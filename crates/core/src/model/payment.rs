use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{Record, RecordKind};
use crate::Validator;

/// A payment that was already processed (by a gateway, or in cash or by check) and is recorded
/// at the provider.
///
/// Money is exact: `amount`, `tip`, `tax` and `fee` are decimals in `currency` (ISO 4217), with no
/// more decimal places than the currency's minor unit. In JSON they may be written as numbers or
/// strings (`35.15` or `"35.15"`); they are read without passing through floating point.
///
/// ```
/// use billsync_core::{Payment, PaymentMethod};
/// use rust_decimal::Decimal;
///
/// let paid_at = "2021-01-01T14:32:18Z".parse().unwrap();
/// let payment = Payment::new("pay-1", "cust-1", Decimal::new(3515, 2), "USD", paid_at)
///     .with_method(PaymentMethod::Card);
/// assert!(payment.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// The caller's own identifier for this payment (required).
    pub external_id: String,
    /// The external id of the customer who paid (required).
    pub customer_external_id: String,
    /// The id the gateway gave the transaction, when a gateway processed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_transaction_id: Option<String>,
    /// A display name of the payment method safe to show (`VISA **** 3421`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method_display_name: Option<String>,
    /// The amount paid, tip, tax and fee excluded.
    #[serde(with = "crate::money::decimal")]
    pub amount: Decimal,
    /// ISO 4217 currency code of every amount of the payment (`USD`).
    pub currency: String,
    /// Tip added to the payment.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::opt_decimal"
    )]
    pub tip: Option<Decimal>,
    /// Tax included in the payment.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::opt_decimal"
    )]
    pub tax: Option<Decimal>,
    /// Fee charged on the payment.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::money::opt_decimal"
    )]
    pub fee: Option<Decimal>,
    /// When the payment was made, in UTC.
    pub paid_at: DateTime<Utc>,
    /// The invoice the payment settles, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<InvoiceRef>,
    /// How the customer paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<PaymentMethod>,
    /// The card brand or bank account type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<PaymentSubType>,
    /// The payment's status; `None` (absent) leaves it to the provider: nothing is sent, a
    /// recorded payment keeps its status (a refund recorded at the provider stays), and a new
    /// one gets the provider's default (`captured`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PaymentStatus>,
    /// Whether the payment record is active; `None` (absent) leaves it to the provider (a new
    /// payment is active). `Some(true)` reactivates a payment made inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

impl Payment {
    /// A payment with the required fields set; its status and whether it is active are left to
    /// the provider (captured and active, for a new one) until set.
    pub fn new(
        external_id: impl Into<String>,
        customer_external_id: impl Into<String>,
        amount: Decimal,
        currency: impl Into<String>,
        paid_at: DateTime<Utc>,
    ) -> Self {
        Payment {
            external_id: external_id.into(),
            customer_external_id: customer_external_id.into(),
            gateway_transaction_id: None,
            method_display_name: None,
            amount,
            currency: currency.into(),
            tip: None,
            tax: None,
            fee: None,
            paid_at,
            invoice: None,
            method: None,
            sub_type: None,
            status: None,
            active: None,
        }
    }

    /// Sets the payment method.
    pub fn with_method(mut self, method: PaymentMethod) -> Self {
        self.method = Some(method);
        self
    }

    /// Sets the card brand or account type.
    pub fn with_sub_type(mut self, sub_type: PaymentSubType) -> Self {
        self.sub_type = Some(sub_type);
        self
    }

    /// Sets the gateway's transaction id.
    pub fn with_gateway_transaction_id(mut self, id: impl Into<String>) -> Self {
        self.gateway_transaction_id = Some(id.into());
        self
    }

    /// Sets the method's display name.
    pub fn with_method_display_name(mut self, name: impl Into<String>) -> Self {
        self.method_display_name = Some(name.into());
        self
    }

    /// Sets the status.
    pub fn with_status(mut self, status: PaymentStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets whether the payment record is active.
    pub fn with_active(mut self, active: bool) -> Self {
        self.active = Some(active);
        self
    }

    /// Sets the invoice reference.
    pub fn with_invoice(mut self, invoice: InvoiceRef) -> Self {
        self.invoice = Some(invoice);
        self
    }

    /// Checks the canonical rules; every problem is reported at once with its field path.
    pub fn validate(&self) -> crate::Result<()> {
        let mut v = Validator::new();
        self.validate_into(&mut v);
        v.finish(None)
    }
}

impl Record for Payment {
    const KIND: RecordKind = RecordKind::Payment;

    fn external_id(&self) -> &str {
        &self.external_id
    }

    fn validate_into(&self, v: &mut Validator) {
        v.required("external_id", Some(&self.external_id));
        v.required("customer_external_id", Some(&self.customer_external_id));
        v.not_blank(
            "gateway_transaction_id",
            self.gateway_transaction_id.as_deref(),
        );
        v.not_blank("method_display_name", self.method_display_name.as_deref());
        let minor = super::minor_units(&self.currency);
        if minor.is_none() {
            v.push(
                "currency",
                format!(
                    "`{}` is not an ISO 4217 currency code (e.g. `USD`)",
                    self.currency
                ),
            );
        }
        let amounts = [
            ("amount", Some(self.amount)),
            ("tip", self.tip),
            ("tax", self.tax),
            ("fee", self.fee),
        ];
        for (name, amount) in amounts {
            let Some(amount) = amount else { continue };
            if amount.is_sign_negative() && !amount.is_zero() {
                v.push(
                    name,
                    format!("{amount} is negative; record refunds with a refund status"),
                );
            }
            if let Some(minor) = minor
                && amount.normalize().scale() > minor
            {
                v.push(
                    name,
                    format!(
                        "{amount} has more decimal places than {} allows ({minor})",
                        self.currency
                    ),
                );
            }
        }
        if let Some(invoice) = &self.invoice {
            if invoice.external_id.is_none() && invoice.provider_id.is_none() {
                v.push(
                    "invoice",
                    "an invoice reference needs an external_id or a provider_id",
                );
            }
            v.not_blank("invoice.external_id", invoice.external_id.as_deref());
            v.not_blank("invoice.provider_id", invoice.provider_id.as_deref());
        }
        if let (Some(method), Some(sub)) = (self.method, self.sub_type)
            && !sub.fits(method)
        {
            v.push(
                "sub_type",
                format!(
                    "sub type `{}` does not fit method `{}`",
                    sub.as_str(),
                    method.as_str()
                ),
            );
        }
    }
}

/// A reference to an invoice, by the caller's id or the provider's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoiceRef {
    /// The caller's own id of the invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The provider's id of the invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
}

impl InvoiceRef {
    /// A reference by the caller's own invoice id.
    pub fn external(id: impl Into<String>) -> Self {
        InvoiceRef {
            external_id: Some(id.into()),
            provider_id: None,
        }
    }
}

/// How a payment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentMethod {
    /// Credit or debit card.
    Card,
    /// ACH bank transfer.
    Ach,
    /// Cash.
    Cash,
    /// Paper check.
    Check,
}

impl PaymentMethod {
    /// The snake_case name (`card`, `ach`, `cash`, `check`).
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Card => "card",
            PaymentMethod::Ach => "ach",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Check => "check",
        }
    }
}

/// The card brand or bank account type of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentSubType {
    /// Checking account (ACH).
    Checking,
    /// Savings account (ACH).
    Savings,
    /// Visa card.
    Visa,
    /// Mastercard.
    Mastercard,
    /// Discover card.
    Discover,
    /// American Express card.
    Amex,
    /// Cash.
    Cash,
    /// Anything else.
    Other,
}

impl PaymentSubType {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentSubType::Checking => "checking",
            PaymentSubType::Savings => "savings",
            PaymentSubType::Visa => "visa",
            PaymentSubType::Mastercard => "mastercard",
            PaymentSubType::Discover => "discover",
            PaymentSubType::Amex => "amex",
            PaymentSubType::Cash => "cash",
            PaymentSubType::Other => "other",
        }
    }

    /// Whether this sub type can describe a payment made with `method`.
    pub fn fits(self, method: PaymentMethod) -> bool {
        use PaymentSubType as S;
        match method {
            PaymentMethod::Card => matches!(
                self,
                S::Visa | S::Mastercard | S::Discover | S::Amex | S::Other
            ),
            PaymentMethod::Ach => matches!(self, S::Checking | S::Savings | S::Other),
            PaymentMethod::Cash => matches!(self, S::Cash | S::Other),
            PaymentMethod::Check => matches!(self, S::Checking | S::Savings | S::Other),
        }
    }
}

/// The status of a recorded payment (the nine statuses Hyfin defines).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentStatus {
    /// Declined by the issuer or bank.
    Declined,
    /// Authorized, not yet captured.
    Authorized,
    /// Captured (what providers default to when a new payment has no status).
    #[default]
    Captured,
    /// Voided before settlement.
    Voided,
    /// Settled.
    Settled,
    /// Returned (e.g. an ACH return).
    Returned,
    /// A refund was attempted and failed.
    RefundFailed,
    /// Refunded.
    Refunded,
    /// The refund settled.
    RefundSettled,
}

impl PaymentStatus {
    /// Every status, in declaration order.
    pub const ALL: [PaymentStatus; 9] = [
        PaymentStatus::Declined,
        PaymentStatus::Authorized,
        PaymentStatus::Captured,
        PaymentStatus::Voided,
        PaymentStatus::Settled,
        PaymentStatus::Returned,
        PaymentStatus::RefundFailed,
        PaymentStatus::Refunded,
        PaymentStatus::RefundSettled,
    ];
}
