//! Canonical customers -> Rebilly `PUT /customers/{id}` bodies.

use std::borrow::Cow;

use billsync_core::provider_kit::{FieldPath, LazyPath, Validator};
use billsync_core::{
    Address, Customer, CustomerStatus, PaymentInstrumentRef, Record, Result,
    TaxNumber as CanonicalTaxNumber, TaxNumberKind,
};

use super::{MAX_ID_CHARS, check_id, payment_method};
use crate::config::{RebillyConfig, Revision, Unmapped};
use crate::wire::{
    ContactObject, CustomFields, Customer as WireCustomer, LabelledValues,
    LegacyDefaultPaymentInstrument, PaymentMethod, TaxNumber, TaxNumberType,
};

fn max(v: &mut Validator, path: impl FieldPath, value: Option<&str>, limit: usize) {
    v.max_chars(path, value, limit);
}

fn unmapped(v: &mut Validator, policy: Unmapped, present: bool, path: &str, what: &str) {
    if present && policy == Unmapped::Reject {
        v.push(
            path,
            format!("Rebilly has no field for {what}; remove it or use Unmapped::Drop"),
        );
    }
}

fn address_fields(v: &mut Validator, path: &str, address: &Address) {
    max(v, (path, "line1"), address.line1.as_deref(), 60);
    max(v, (path, "line2"), address.line2.as_deref(), 60);
    max(v, (path, "city"), address.city.as_deref(), 45);
    max(v, (path, "region"), address.region.as_deref(), 45);
    // The country pattern `^[A-Z]{2}$` is a subset of the canonical ISO 3166 check.
    if let Some(postal) = address.postal_code.as_deref() {
        let p = (path, "postal_code");
        max(v, p, Some(postal), 10);
        let ok = postal
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c.is_whitespace());
        if !ok {
            v.push(
                p,
                format!("`{postal}` may hold only letters, digits, spaces, `-` and `_` at Rebilly"),
            );
        }
    }
}

/// Validates `customer` against the canonical rules and Rebilly's, and builds the body of
/// `PUT /customers/{id}` and the id it goes to (borrowed from the record when it is the external
/// id itself).
pub fn customer_request<'c: 'a, 'a>(
    customer: &'c Customer,
    config: &'a RebillyConfig,
) -> Result<(Cow<'c, str>, WireCustomer<'a>)> {
    let mut v = Validator::new();
    customer.validate_into(&mut v);
    let id = check_id(
        &mut v,
        "external_id",
        &customer.external_id,
        config.id_policy,
    );
    unmapped_fields(&mut v, customer, config.unmapped);
    let primary = primary_address(&mut v, customer);
    let mut body = WireCustomer {
        website_id: config.website_id.as_deref(),
        // A custom field given as `null` is left out: the `PUT` replaces the custom fields.
        custom_fields: CustomFields::new(&customer.custom_fields),
        primary_address: (primary != ContactObject::default()).then_some(primary),
        locale: customer.locale.as_deref(),
        tax_numbers: customer.tax_numbers.iter().map(tax_number).collect(),
        ..WireCustomer::default()
    };
    if let Some(instrument) = &customer.default_payment_instrument {
        default_instrument(&mut v, instrument, config.revision, &mut body);
    }
    if config.revision == Revision::Legacy2025 {
        body.is_edd_required = Some(config.edd_required);
    }

    v.finish(Some(crate::PROVIDER))?;
    // `id` is Some whenever validation passed: a blank or non-fitting id was reported above.
    let id = id.unwrap_or_default();
    Ok((id, body))
}

/// Reports (under [`Unmapped::Reject`]) the canonical fields Rebilly has no place for, and a
/// deleted status, which this call cannot express under any policy.
fn unmapped_fields(v: &mut Validator, customer: &Customer, policy: Unmapped) {
    unmapped(
        v,
        policy,
        !customer.contacts.is_empty(),
        "contacts",
        "contacts beyond the primary one",
    );
    unmapped(
        v,
        policy,
        customer.shipping_address.is_some(),
        "shipping_address",
        "a customer's shipping address",
    );
    unmapped(
        v,
        policy,
        customer.parent.is_some(),
        "parent",
        "a parent customer",
    );
    unmapped(v, policy, customer.notes.is_some(), "notes", "notes");
    if customer.status == Some(CustomerStatus::Deleted) {
        v.push(
            "status",
            "Rebilly customers cannot be marked deleted through this call; a deleted customer is not synced",
        );
    }
    unmapped(
        v,
        policy,
        matches!(
            customer.status,
            Some(CustomerStatus::Inactive | CustomerStatus::Locked)
        ),
        "status",
        "an inactive or locked status (every customer is active)",
    );
    unmapped(
        v,
        policy,
        customer.utc_offset_hours.is_some(),
        "utc_offset_hours",
        "a UTC offset",
    );
    unmapped(
        v,
        policy,
        customer.balance.is_some(),
        "balance",
        "a writable balance",
    );
    unmapped(
        v,
        policy,
        customer.portal_login.is_some(),
        "portal_login",
        "portal credentials on the customer",
    );
}

/// The customer's `primaryAddress`: its company and primary contact (name, emails, phones,
/// billing address), checked against Rebilly's lengths; empty when the record has none of them.
fn primary_address<'a>(v: &mut Validator, customer: &'a Customer) -> ContactObject<'a> {
    let mut primary = ContactObject {
        organization: customer.company.as_deref(),
        ..ContactObject::default()
    };
    max(v, "company", customer.company.as_deref(), 255);
    let Some(contact) = &customer.primary_contact else {
        return primary;
    };
    let path = "primary_contact";
    max(v, (path, "first_name"), contact.first_name.as_deref(), 45);
    max(v, (path, "last_name"), contact.last_name.as_deref(), 45);
    max(v, (path, "job_title"), contact.job_title.as_deref(), 255);
    primary.first_name = contact.first_name.as_deref();
    primary.last_name = contact.last_name.as_deref();
    primary.job_title = contact.job_title.as_deref();
    primary.dob = contact.date_of_birth;
    primary.emails = LabelledValues::new(&contact.emails);
    primary.phone_numbers = LabelledValues::new(&contact.phones);
    check_labelled(v, path, "emails", primary.emails, 255);
    check_labelled(v, path, "phones", primary.phone_numbers, 50);
    if let Some(address) = &contact.billing_address {
        address_fields(v, "primary_contact.billing_address", address);
        primary.address = address.line1.as_deref();
        primary.address2 = address.line2.as_deref();
        primary.city = address.city.as_deref();
        primary.region = address.region.as_deref();
        primary.postal_code = address.postal_code.as_deref();
        primary.country = address.country.as_deref();
    }
    primary
}

/// Checks a contact's labelled values as [`LabelledValues`] sends them (`list` is `emails` or
/// `phones`): each label against Rebilly's 45 characters, each value against `value_max`. The
/// email format itself is a canonical rule, already checked.
fn check_labelled(
    v: &mut Validator,
    path: &str,
    list: &str,
    values: LabelledValues<'_>,
    value_max: usize,
) {
    for (i, item) in values.iter().enumerate() {
        max(
            v,
            LazyPath(|| format!("{path}.{list}[{i}].label")),
            Some(item.label),
            45,
        );
        max(
            v,
            LazyPath(|| format!("{path}.{list}[{i}].value")),
            Some(item.value),
            value_max,
        );
    }
}

fn tax_number(t: &CanonicalTaxNumber) -> TaxNumber<'_> {
    TaxNumber {
        kind: match t.kind {
            TaxNumberKind::EuVat => TaxNumberType::EuVat,
            // `Other`, and any kind newer than this crate.
            _ => TaxNumberType::Other,
        },
        value: &t.value,
        is_default: t.is_default,
    }
}

/// Puts the customer's default payment instrument into `body` as `revision` references it: by
/// id alone (current), or by method and id (legacy 2025, card and ACH only).
fn default_instrument<'a>(
    v: &mut Validator,
    instrument: &'a PaymentInstrumentRef,
    revision: Revision,
    body: &mut WireCustomer<'a>,
) {
    max(
        v,
        "default_payment_instrument.id",
        Some(&instrument.id),
        MAX_ID_CHARS,
    );
    match revision {
        Revision::Current => {
            body.default_payment_instrument_id = Some(&instrument.id);
        }
        Revision::Legacy2025 => match payment_method(instrument.method) {
            Some(method @ (PaymentMethod::PaymentCard | PaymentMethod::Ach)) => {
                body.default_payment_instrument = Some(LegacyDefaultPaymentInstrument {
                    method,
                    payment_instrument_id: &instrument.id,
                });
            }
            _ => v.push(
                "default_payment_instrument.method",
                format!(
                    "the legacy 2025 revision references stored instruments by id only for card and ACH, not `{}`; use Revision::Current",
                    instrument.method.as_str()
                ),
            ),
        },
    }
}
