//! Canonical records -> validated Rebilly wire structs.
//!
//! Canonical rules ([`Record::validate_into`](billsync_core::Record::validate_into)) and Rebilly's limits from its OpenAPI definitions
//! go into one [`Validator`](billsync_core::provider_kit::Validator), finished with the provider's name: a caller sees every problem of
//! a record at once, and nothing is sent while any remains.

use billsync_core::provider_kit::{FieldPath, LazyPath, Validator};
use billsync_core::{
    Address, ContactPoint, Customer, CustomerStatus, Record, Result, TaxNumberKind,
};
use std::borrow::Cow;

use sha2::{Digest, Sha256};

use crate::config::{IdPolicy, RebillyConfig, Revision, Unmapped};
use crate::wire::{
    ContactEmail, ContactObject, ContactPhoneNumber, Customer as WireCustomer,
    LegacyDefaultPaymentInstrument, PaymentMethod, TaxNumber, TaxNumberType,
};

mod transaction;

pub use transaction::{payment_method, transaction_request};

/// The label Rebilly requires on every email and phone number, used when the canonical record
/// has none.
pub const DEFAULT_LABEL: &str = "main";

/// Longest id Rebilly accepts (customer ids, invoice ids, `requestId`).
pub const MAX_ID_CHARS: usize = 50;
const HASH_PREFIX_CHARS: usize = 33;
const HASH_HEX_CHARS: usize = 16;

/// Whether `id` fits Rebilly's resource id rule: 1 to 50 characters of `[@~-.A-Za-z0-9_]`
/// (`parameters/resourceId.yaml`, pattern `^[@~\-\.\w]+$`, read with JSON Schema's ASCII `\w`).
pub fn is_resource_id(id: &str) -> bool {
    // Every allowed character is ASCII, so bytes are characters here and a non-ASCII byte fails.
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id.bytes().map(char::from).all(is_resource_id_char)
}

fn is_resource_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '@' | '~' | '-' | '.')
}

fn is_request_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-')
}

fn sha256_hex(value: &str, chars: usize) -> String {
    let digest = Sha256::digest(value.as_bytes());
    digest
        .iter()
        .flat_map(|b| [b >> 4, b & 0x0f])
        .take(chars)
        .map(|n| char::from_digit(u32::from(n), 16).unwrap_or('0'))
        .collect()
}

fn hashed(id: &str, keep: fn(char) -> bool, separator: char) -> String {
    let prefix: String = id
        .chars()
        .filter(|c| keep(*c))
        .take(HASH_PREFIX_CHARS)
        .collect();
    format!("{prefix}{separator}{}", sha256_hex(id, HASH_HEX_CHARS))
}

/// The Rebilly id for a caller's customer (or invoice) id under `policy`: the id itself when it
/// fits Rebilly's rule; under [`IdPolicy::Hash`] otherwise its fitting characters (at most 33),
/// `~`, and the first 16 hex digits of the SHA-256 of the id; `None` under
/// [`IdPolicy::Strict`] for an id that does not fit.
#[cfg_attr(not(feature = "unstable"), allow(dead_code))] // for the bench
pub fn rebilly_id(external_id: &str, policy: IdPolicy) -> Option<String> {
    mapped_id(external_id, policy).map(Cow::into_owned)
}

/// [`rebilly_id`], borrowing the external id when it is the Rebilly id itself.
fn mapped_id(external_id: &str, policy: IdPolicy) -> Option<Cow<'_, str>> {
    if is_resource_id(external_id) {
        return Some(Cow::Borrowed(external_id));
    }
    match policy {
        IdPolicy::Strict => None,
        IdPolicy::Hash if external_id.trim().is_empty() => None,
        IdPolicy::Hash => Some(Cow::Owned(hashed(external_id, is_resource_id_char, '~'))),
    }
}

/// The transaction `requestId` for a payment's external id: the external id itself when it fits
/// `requestId`'s rule (1 to 50 characters of `[-A-Za-z0-9_]`), else its fitting characters (at
/// most 33), `-`, and the first 16 hex digits of the SHA-256 of the external id. Deterministic:
/// every upsert of the same payment sends the same `requestId`, so Rebilly ignores a repeat
/// within its 24-hour window.
pub fn request_id(external_id: &str) -> String {
    // Every allowed character is ASCII, so bytes are characters here and a non-ASCII byte fails.
    let fits = !external_id.is_empty()
        && external_id.len() <= MAX_ID_CHARS
        && external_id.bytes().map(char::from).all(is_request_id_char);
    if fits {
        external_id.to_owned()
    } else {
        hashed(external_id, is_request_id_char, '-')
    }
}

fn id_rule_message(id: &str) -> String {
    format!(
        "`{id}` is not a Rebilly id (at most {MAX_ID_CHARS} characters of letters, digits and `@ ~ - . _`); \
         use IdPolicy::Hash to send a derived id"
    )
}

fn check_id<'a>(
    v: &mut Validator,
    path: &str,
    id: &'a str,
    policy: IdPolicy,
) -> Option<Cow<'a, str>> {
    let mapped = mapped_id(id, policy);
    if mapped.is_none() && !id.trim().is_empty() {
        v.push(path, id_rule_message(id));
    }
    mapped
}

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

/// Labelled points, with `primary` set on the one the canonical model treats as primary (the one
/// flagged, else the first) so that Rebilly derives the same customer email.
fn points(list: &[ContactPoint]) -> impl Iterator<Item = (&str, &str, bool)> + '_ {
    let primary = list.iter().position(|p| p.primary).unwrap_or(0);
    list.iter().enumerate().map(move |(i, p)| {
        let label = p
            .label
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .unwrap_or(DEFAULT_LABEL);
        (label, p.value.as_str(), i == primary)
    })
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

    let policy = config.unmapped;
    unmapped(
        &mut v,
        policy,
        !customer.contacts.is_empty(),
        "contacts",
        "contacts beyond the primary one",
    );
    unmapped(
        &mut v,
        policy,
        customer.shipping_address.is_some(),
        "shipping_address",
        "a customer's shipping address",
    );
    unmapped(
        &mut v,
        policy,
        customer.parent.is_some(),
        "parent",
        "a parent customer",
    );
    unmapped(&mut v, policy, customer.notes.is_some(), "notes", "notes");
    if customer.status == Some(CustomerStatus::Deleted) {
        v.push(
            "status",
            "Rebilly customers cannot be marked deleted through this call; a deleted customer is not synced",
        );
    }
    unmapped(
        &mut v,
        policy,
        matches!(
            customer.status,
            Some(CustomerStatus::Inactive | CustomerStatus::Locked)
        ),
        "status",
        "an inactive or locked status (every customer is active)",
    );
    unmapped(
        &mut v,
        policy,
        customer.utc_offset_hours.is_some(),
        "utc_offset_hours",
        "a UTC offset",
    );
    unmapped(
        &mut v,
        policy,
        customer.balance.is_some(),
        "balance",
        "a writable balance",
    );
    unmapped(
        &mut v,
        policy,
        customer.portal_login.is_some(),
        "portal_login",
        "portal credentials on the customer",
    );

    let mut primary = ContactObject {
        organization: customer.company.as_deref(),
        ..ContactObject::default()
    };
    max(&mut v, "company", customer.company.as_deref(), 255);
    if let Some(contact) = &customer.primary_contact {
        let path = "primary_contact";
        max(
            &mut v,
            (path, "first_name"),
            contact.first_name.as_deref(),
            45,
        );
        max(
            &mut v,
            (path, "last_name"),
            contact.last_name.as_deref(),
            45,
        );
        max(
            &mut v,
            (path, "job_title"),
            contact.job_title.as_deref(),
            255,
        );
        primary.first_name = contact.first_name.as_deref();
        primary.last_name = contact.last_name.as_deref();
        primary.job_title = contact.job_title.as_deref();
        primary.dob = contact.date_of_birth;
        for (i, (label, value, is_primary)) in points(&contact.emails).enumerate() {
            max(
                &mut v,
                LazyPath(|| format!("{path}.emails[{i}].label")),
                Some(label),
                45,
            );
            // The email format itself is a canonical rule, already checked.
            max(
                &mut v,
                LazyPath(|| format!("{path}.emails[{i}].value")),
                Some(value),
                255,
            );
            primary.emails.push(ContactEmail {
                label,
                value,
                primary: is_primary,
            });
        }
        for (i, (label, value, is_primary)) in points(&contact.phones).enumerate() {
            max(
                &mut v,
                LazyPath(|| format!("{path}.phones[{i}].label")),
                Some(label),
                45,
            );
            max(
                &mut v,
                LazyPath(|| format!("{path}.phones[{i}].value")),
                Some(value),
                50,
            );
            primary.phone_numbers.push(ContactPhoneNumber {
                label,
                value,
                primary: is_primary,
            });
        }
        if let Some(address) = &contact.billing_address {
            address_fields(&mut v, "primary_contact.billing_address", address);
            primary.address = address.line1.as_deref();
            primary.address2 = address.line2.as_deref();
            primary.city = address.city.as_deref();
            primary.region = address.region.as_deref();
            primary.postal_code = address.postal_code.as_deref();
            primary.country = address.country.as_deref();
        }
    }

    let mut body = WireCustomer {
        website_id: config.website_id.as_deref(),
        // A custom field given as `null` is left out: the `PUT` replaces the custom fields.
        custom_fields: customer.custom_field_values().collect(),
        primary_address: (primary != ContactObject::default()).then_some(primary),
        locale: customer.locale.as_deref(),
        tax_numbers: customer
            .tax_numbers
            .iter()
            .map(|t| TaxNumber {
                kind: match t.kind {
                    TaxNumberKind::EuVat => TaxNumberType::EuVat,
                    TaxNumberKind::Other => TaxNumberType::Other,
                },
                value: &t.value,
                is_default: t.is_default,
            })
            .collect(),
        ..WireCustomer::default()
    };

    if let Some(instrument) = &customer.default_payment_instrument {
        let path = "default_payment_instrument.id";
        max(&mut v, path, Some(&instrument.id), MAX_ID_CHARS);
        match config.revision {
            Revision::Current => {
                body.default_payment_instrument_id = Some(&instrument.id);
            }
            Revision::Legacy2025 => match payment_method(instrument.method) {
                method @ (PaymentMethod::PaymentCard | PaymentMethod::Ach) => {
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
    if config.revision == Revision::Legacy2025 {
        body.is_edd_required = Some(config.edd_required);
    }

    v.finish(Some(crate::PROVIDER))?;
    // `id` is Some whenever validation passed: a blank or non-fitting id was reported above.
    let id = id.unwrap_or_default();
    Ok((id, body))
}

#[cfg(test)]
mod tests;
