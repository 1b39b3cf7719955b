//! Canonical payments → validated Hyfin payment bodies.

use billsync_core::money::{WireAmount, check_places};
use billsync_core::provider_kit::Validator;
use billsync_core::{Payment, PaymentMethod, PaymentStatus, PaymentSubType, Record, Result};

use super::AMOUNT_PLACES;
use crate::PROVIDER;
use crate::config::HyfinConfig;
use crate::wire::*;

/// Validates `payment` (canonical and Hyfin rules, all problems at once) and builds its body.
pub fn payment_request<'a>(
    payment: &'a Payment,
    config: &HyfinConfig,
) -> Result<HyfinPaymentRequest<'a>> {
    let mut v = Validator::new();
    payment.validate_into(&mut v);
    v.required(
        "gateway_transaction_id",
        payment.gateway_transaction_id.as_ref(),
    );
    v.required("method_display_name", payment.method_display_name.as_ref());
    if billsync_core::is_iso4217(&payment.currency) && payment.currency != config.currency {
        v.push(
            "currency",
            format!(
                "hyfin records amounts without a currency, so only {} is accepted (got {})",
                config.currency, payment.currency
            ),
        );
    }
    let minor = billsync_core::minor_units(&config.currency).unwrap_or(AMOUNT_PLACES);
    let places = minor.min(AMOUNT_PLACES);
    // The canonical rules already refuse places beyond the currency's; Hyfin's own limit only
    // matters for currencies with more minor units than it holds.
    if minor > AMOUNT_PLACES {
        let amounts = [
            ("amount", Some(payment.amount)),
            ("tip", payment.tip),
            ("tax", payment.tax),
            ("fee", payment.fee),
        ];
        for (name, value) in amounts {
            if let Some(value) = value {
                check_places(&mut v, name, value, places, PROVIDER);
            }
        }
    }
    let payment_type = known(&mut v, "method", payment.method, payment_type);
    let payment_sub_type = known(&mut v, "sub_type", payment.sub_type, payment_sub_type);
    let status = known(&mut v, "status", payment.status, payment_status);
    v.finish(Some(PROVIDER))?;

    let amount = |d| WireAmount::with_scale(d, places);
    Ok(HyfinPaymentRequest {
        external_id: &payment.external_id,
        gateway_transaction_id: payment
            .gateway_transaction_id
            .as_deref()
            .unwrap_or_default(),
        payment_type,
        payment_sub_type,
        display_name: payment.method_display_name.as_deref().unwrap_or_default(),
        amount: amount(payment.amount),
        tip: payment.tip.map(amount),
        tax: payment.tax.map(amount),
        fee: payment.fee.map(amount),
        paid_on: billsync_core::time::utc_seconds(&payment.paid_at),
        status,
        invoice: payment.invoice.as_ref().map(|i| HyfinInvoiceRef {
            external_id: i.external_id.as_deref(),
            id: i.provider_id.as_deref(),
        }),
        active: payment.active,
    })
}

fn payment_type(m: PaymentMethod) -> Option<HyfinPaymentType> {
    Some(match m {
        PaymentMethod::Card => HyfinPaymentType::PaymentCard,
        PaymentMethod::Ach => HyfinPaymentType::Ach,
        PaymentMethod::Cash => HyfinPaymentType::Cash,
        PaymentMethod::Check => HyfinPaymentType::Check,
        // A canonical value newer than this crate: refused by validation, naming it.
        _ => return None,
    })
}

fn payment_sub_type(s: PaymentSubType) -> Option<HyfinPaymentSubType> {
    Some(match s {
        PaymentSubType::Checking => HyfinPaymentSubType::Checking,
        PaymentSubType::Savings => HyfinPaymentSubType::Savings,
        PaymentSubType::Visa => HyfinPaymentSubType::Visa,
        PaymentSubType::Mastercard => HyfinPaymentSubType::Mastercard,
        PaymentSubType::Discover => HyfinPaymentSubType::Discover,
        PaymentSubType::Amex => HyfinPaymentSubType::Amex,
        PaymentSubType::Cash => HyfinPaymentSubType::Cash,
        PaymentSubType::Other => HyfinPaymentSubType::Other,
        // A canonical value newer than this crate: refused by validation, naming it.
        _ => return None,
    })
}

fn payment_status(s: PaymentStatus) -> Option<HyfinPaymentStatus> {
    Some(match s {
        PaymentStatus::Declined => HyfinPaymentStatus::Declined,
        PaymentStatus::Authorized => HyfinPaymentStatus::Authorized,
        PaymentStatus::Captured => HyfinPaymentStatus::Captured,
        PaymentStatus::Voided => HyfinPaymentStatus::Voided,
        PaymentStatus::Settled => HyfinPaymentStatus::Settled,
        PaymentStatus::Returned => HyfinPaymentStatus::Returned,
        PaymentStatus::RefundFailed => HyfinPaymentStatus::RefundFailed,
        PaymentStatus::Refunded => HyfinPaymentStatus::Refunded,
        PaymentStatus::RefundSettled => HyfinPaymentStatus::RefundSettled,
        // A canonical value newer than this crate: refused by validation, naming it.
        _ => return None,
    })
}

/// Hyfin's value of an optional canonical `value`, or a validation problem at `path` when
/// Hyfin has none for it (a canonical value added after this crate).
fn known<T: std::fmt::Debug + Copy, U>(
    v: &mut Validator,
    path: &'static str,
    value: Option<T>,
    map: fn(T) -> Option<U>,
) -> Option<U> {
    let value = value?;
    let mapped = map(value);
    if mapped.is_none() {
        v.push(path, format!("{value:?} has no equivalent at {PROVIDER}"));
    }
    mapped
}
