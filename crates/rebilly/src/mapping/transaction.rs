//! Canonical payments -> Rebilly `POST /transactions` bodies (sales processed outside Rebilly).

use std::borrow::Cow;

use billsync_core::money::WireAmount;
use billsync_core::provider_kit::Validator;
use billsync_core::rust_decimal::Decimal;
use billsync_core::{
    Payment, PaymentMethod as CanonicalMethod, PaymentStatus, Record, Result, minor_units,
};

use super::{check_id, request_id_of};
use crate::config::{IdPolicy, RebillyConfig, Unmapped};
use crate::wire::{PaymentInstructionMethods, PaymentMethod, TransactionRequest, TransactionType};

/// Rebilly's method for a canonical method: Card = `payment-card`, Ach = `ach`, Cash = `cash`,
/// Check = `check`; `None` for a canonical method newer than this crate.
pub fn payment_method(method: CanonicalMethod) -> Option<PaymentMethod> {
    Some(match method {
        CanonicalMethod::Card => PaymentMethod::PaymentCard,
        CanonicalMethod::Ach => PaymentMethod::Ach,
        CanonicalMethod::Cash => PaymentMethod::Cash,
        CanonicalMethod::Check => PaymentMethod::Check,
        _ => return None,
    })
}

/// Validates `payment` against the canonical rules and Rebilly's, and builds the body of
/// `POST /transactions` recording it as a sale processed outside Rebilly.
pub fn transaction_request<'a>(
    payment: &'a Payment,
    config: &'a RebillyConfig,
) -> Result<TransactionRequest<'a>> {
    let mut v = Validator::new();
    payment.validate_into(&mut v);
    let customer_id = check_id(
        &mut v,
        "customer_external_id",
        &payment.customer_external_id,
        config.id_policy,
    );
    check_recordable(&mut v, payment);
    let minor = minor_units(&payment.currency).unwrap_or(2);
    let amount = sale_amount(&mut v, payment, config.unmapped);
    let invoice_ids = invoice_ids(&mut v, payment, config.id_policy);

    let website_id = config.website_id.as_deref();
    if website_id.is_none() {
        v.push(
            "website_id",
            "Rebilly requires a website id to record a payment; configure website_id (REBILLY_WEBSITE_ID)",
        );
    }

    let description = description(payment);
    v.max_chars("description", description.as_deref(), 255);

    let method = payment.method.and_then(payment_method);
    if let (Some(m), None) = (payment.method, method) {
        v.push(
            "method",
            format!("`{}` has no equivalent at rebilly", m.as_str()),
        );
    }
    v.finish(Some(crate::PROVIDER))?;

    Ok(TransactionRequest {
        kind: TransactionType::Sale,
        website_id: website_id.unwrap_or_default(),
        customer_id: customer_id.unwrap_or_default(),
        currency: &payment.currency,
        amount: WireAmount::with_scale(amount, minor),
        invoice_ids,
        payment_instruction: PaymentInstructionMethods {
            methods: methods(method),
            reference: match method {
                Some(PaymentMethod::Check) => payment.gateway_transaction_id.as_deref(),
                _ => None,
            },
        },
        request_id: request_id_of(&payment.external_id),
        description,
        is_processed_outside: true,
        processed_time: payment.paid_at,
    })
}

/// Reports what Rebilly cannot record as an outside-processed sale: a status other than
/// captured or settled, an inactive payment, a payment without a method.
fn check_recordable(v: &mut Validator, payment: &Payment) {
    // Without a status the payment is recorded as what Rebilly records: an approved sale.
    match payment.status.unwrap_or_default() {
        PaymentStatus::Captured | PaymentStatus::Settled => {}
        other => v.push(
            "status",
            format!(
                "Rebilly records an outside-processed payment as an approved sale; status `{}` cannot be recorded (only captured or settled)",
                serde_json::to_value(other)
                    .ok()
                    .and_then(|s| s.as_str().map(str::to_owned))
                    .unwrap_or_default()
            ),
        ),
    }
    if payment.active == Some(false) {
        v.push(
            "active",
            "Rebilly has no inactive transactions; an inactive payment cannot be recorded",
        );
    }
    if payment.method.is_none() {
        v.push(
            "method",
            "is required by Rebilly to record an outside-processed payment",
        );
    }
}

/// The transaction's one amount: the payment's, plus tip and tax under [`Unmapped::Drop`] (the
/// fee left out); under [`Unmapped::Reject`] a tip, tax or fee is reported instead.
fn sale_amount(v: &mut Validator, payment: &Payment, policy: Unmapped) -> Decimal {
    match policy {
        Unmapped::Reject => {
            for (name, value) in [
                ("tip", payment.tip),
                ("tax", payment.tax),
                ("fee", payment.fee),
            ] {
                if value.is_some() {
                    v.push(
                        name,
                        format!("a Rebilly transaction has one amount and no {name}; remove it or use Unmapped::Drop (tip and tax are then added to the amount, the fee left out)"),
                    );
                }
            }
            payment.amount
        }
        Unmapped::Drop => {
            payment.amount + (payment.tip.unwrap_or_default() + payment.tax.unwrap_or_default())
        }
    }
}

/// The Rebilly id of the invoice the payment pays (its provider id, else its external id),
/// when it has one that maps; a non-fitting or blank one is reported.
/// `methods` of the payment instruction: the one method, or none.
fn methods(method: Option<PaymentMethod>) -> &'static [PaymentMethod] {
    match method {
        Some(PaymentMethod::PaymentCard) => &[PaymentMethod::PaymentCard],
        Some(PaymentMethod::Ach) => &[PaymentMethod::Ach],
        Some(PaymentMethod::Cash) => &[PaymentMethod::Cash],
        Some(PaymentMethod::Check) => &[PaymentMethod::Check],
        Some(PaymentMethod::Unknown) => &[PaymentMethod::Unknown],
        None => &[],
    }
}

fn invoice_ids<'a>(v: &mut Validator, payment: &'a Payment, policy: IdPolicy) -> Vec<Cow<'a, str>> {
    let mut invoice_ids = Vec::new();
    if let Some(invoice) = &payment.invoice {
        let (path, id) = match (&invoice.provider_id, &invoice.external_id) {
            (Some(id), _) => ("invoice.provider_id", id.as_str()),
            (None, Some(id)) => ("invoice.external_id", id.as_str()),
            (None, None) => ("invoice", ""),
        };
        if let Some(id) = check_id(v, path, id, policy) {
            invoice_ids.push(id);
        }
    }
    invoice_ids
}

/// The transaction's description: the method's display name, the sub type (card brand, account
/// type) unless the display name already says it, and the gateway's transaction id.
fn description(payment: &Payment) -> Option<String> {
    let name = payment.method_display_name.as_deref();
    let gateway = payment.gateway_transaction_id.as_deref();
    if name.is_none() && payment.sub_type.is_none() && gateway.is_none() {
        return None;
    }
    // The parts, joined by `; `, written into one string of the size they take.
    let size = name.map_or(0, str::len)
        + payment.sub_type.map_or(0, |s| s.as_str().len())
        + gateway.map_or(0, |g| "gateway transaction ".len() + g.len())
        + 4;
    let mut description = String::with_capacity(size);
    let mut parts = 0;
    let mut part = |text: &str| {
        if parts > 0 {
            description.push_str("; ");
        }
        parts += 1;
        description.push_str(text);
    };
    if let Some(name) = name {
        part(name);
    }
    if let Some(sub) = payment.sub_type {
        let named = name.is_some_and(|n| n.to_lowercase().contains(sub.as_str()));
        if !named {
            part(sub.as_str());
        }
    }
    if let Some(gateway) = gateway {
        part("gateway transaction ");
        // The gateway's id follows its prefix in the same part.
        description.push_str(gateway);
    }
    Some(description)
}

#[cfg(test)]
mod tests {
    use super::*;
    use billsync_core::PaymentSubType;
    use billsync_core::chrono::Utc;

    /// The description as it was first written: the parts collected, then joined.
    fn joined(payment: &Payment) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(name) = &payment.method_display_name {
            parts.push(name.clone());
        }
        if let Some(sub) = payment.sub_type {
            let named = payment
                .method_display_name
                .as_deref()
                .is_some_and(|n| n.to_lowercase().contains(sub.as_str()));
            if !named {
                parts.push(sub.as_str().to_owned());
            }
        }
        if let Some(gateway) = &payment.gateway_transaction_id {
            parts.push(format!("gateway transaction {gateway}"));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    #[test]
    fn the_description_joins_its_parts_as_before() {
        let base = Payment::new("p", "c", Decimal::ONE, "USD", Utc::now());
        for name in [None, Some(""), Some("VISA debit"), Some("Office card")] {
            for sub in [None, Some(PaymentSubType::Visa)] {
                for gateway in [None, Some(""), Some("ch_123")] {
                    let mut p = base.clone();
                    p.method_display_name = name.map(str::to_owned);
                    p.sub_type = sub;
                    p.gateway_transaction_id = gateway.map(str::to_owned);
                    assert_eq!(description(&p), joined(&p), "{name:?} {sub:?} {gateway:?}");
                }
            }
        }
        let mut p = base;
        p.method_display_name = Some("Office card".into());
        p.sub_type = Some(PaymentSubType::Visa);
        p.gateway_transaction_id = Some("ch_1".into());
        assert_eq!(
            description(&p).as_deref(),
            Some("Office card; visa; gateway transaction ch_1")
        );
    }
}
