//! Canonical records to Echo's bodies: the canonical rules are all Echo has.

use billsync_core::chrono::SecondsFormat;
use billsync_core::{Customer, Payment, Result};

use crate::PROVIDER;
use crate::wire::{EchoCustomer, EchoPayment};

/// The customer body; every canonical problem at once, nothing sent.
pub(crate) fn customer(c: &Customer) -> Result<EchoCustomer<'_>> {
    c.validate().map_err(|e| e.with_provider(PROVIDER))?;
    let contact = c.primary_contact.as_ref();
    Ok(EchoCustomer {
        name: c
            .display_name
            .as_deref()
            .or(c.company.as_deref())
            .unwrap_or(&c.external_id),
        company: c.company.as_deref(),
        email: contact.and_then(|k| k.email()),
        phone: contact.and_then(|k| k.phone()),
    })
}

/// The payment body, its amount written with its own places (never rounded).
pub(crate) fn payment(p: &Payment) -> Result<EchoPayment<'_>> {
    p.validate().map_err(|e| e.with_provider(PROVIDER))?;
    Ok(EchoPayment {
        customer: &p.customer_external_id,
        amount: p.amount.to_string(),
        currency: &p.currency,
        paid_at: p.paid_at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
    })
}
