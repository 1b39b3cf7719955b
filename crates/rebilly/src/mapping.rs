//! Canonical records -> validated Rebilly wire structs.
//!
//! Canonical rules ([`Record::validate_into`]) and Rebilly's limits from its OpenAPI definitions
//! go into one [`Validator`], finished with the provider's name: a caller sees every problem of
//! a record at once, and nothing is sent while any remains.

use billsync_core::money::WireAmount;
use billsync_core::{
    Address, ContactPoint, Customer, CustomerStatus, FieldPath, LazyPath, Payment,
    PaymentMethod as CanonicalMethod, PaymentStatus, Record, Result, TaxNumberKind, Validator,
    minor_units,
};
use sha2::{Digest, Sha256};

use crate::config::{IdPolicy, RebillyConfig, Revision, Unmapped};
use crate::wire::{
    ContactEmail, ContactObject, ContactPhoneNumber, Customer as WireCustomer,
    LegacyDefaultPaymentInstrument, PaymentInstructionMethods, PaymentMethod, TaxNumber,
    TaxNumberType, TransactionRequest, TransactionType,
};

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
    !id.is_empty() && id.chars().count() <= MAX_ID_CHARS && id.chars().all(is_resource_id_char)
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
pub fn rebilly_id(external_id: &str, policy: IdPolicy) -> Option<String> {
    if is_resource_id(external_id) {
        return Some(external_id.to_owned());
    }
    match policy {
        IdPolicy::Strict => None,
        IdPolicy::Hash if external_id.trim().is_empty() => None,
        IdPolicy::Hash => Some(hashed(external_id, is_resource_id_char, '~')),
    }
}

/// The transaction `requestId` for a payment's external id: the external id itself when it fits
/// `requestId`'s rule (1 to 50 characters of `[-A-Za-z0-9_]`), else its fitting characters (at
/// most 33), `-`, and the first 16 hex digits of the SHA-256 of the external id. Deterministic:
/// every upsert of the same payment sends the same `requestId`, so Rebilly ignores a repeat
/// within its 24-hour window.
pub fn request_id(external_id: &str) -> String {
    let fits = !external_id.is_empty()
        && external_id.chars().count() <= MAX_ID_CHARS
        && external_id.chars().all(is_request_id_char);
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

fn check_id(v: &mut Validator, path: &str, id: &str, policy: IdPolicy) -> Option<String> {
    let mapped = rebilly_id(id, policy);
    if mapped.is_none() && !id.trim().is_empty() {
        v.push(path, id_rule_message(id));
    }
    mapped
}

/// Rebilly's method for a canonical method: Card = `payment-card`, Ach = `ach`, Cash = `cash`,
/// Check = `check`.
pub fn payment_method(method: CanonicalMethod) -> PaymentMethod {
    match method {
        CanonicalMethod::Card => PaymentMethod::PaymentCard,
        CanonicalMethod::Ach => PaymentMethod::Ach,
        CanonicalMethod::Cash => PaymentMethod::Cash,
        CanonicalMethod::Check => PaymentMethod::Check,
    }
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
/// `PUT /customers/{id}` and the id it goes to.
pub fn customer_request<'a>(
    customer: &'a Customer,
    config: &'a RebillyConfig,
) -> Result<(String, WireCustomer<'a>)> {
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
    if customer.status == CustomerStatus::Deleted {
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
            CustomerStatus::Inactive | CustomerStatus::Locked
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
        custom_fields: customer
            .custom_fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
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

/// Validates `payment` against the canonical rules and Rebilly's, and builds the body of
/// `POST /transactions` recording it as a sale processed outside Rebilly.
pub fn transaction_request(
    payment: &Payment,
    config: &RebillyConfig,
) -> Result<TransactionRequest> {
    let mut v = Validator::new();
    payment.validate_into(&mut v);
    let customer_id = check_id(
        &mut v,
        "customer_external_id",
        &payment.customer_external_id,
        config.id_policy,
    );

    match payment.status {
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
    if !payment.active {
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

    let minor = minor_units(&payment.currency).unwrap_or(2);
    let mut amount = payment.amount;
    match config.unmapped {
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
        }
        Unmapped::Drop => {
            amount += payment.tip.unwrap_or_default() + payment.tax.unwrap_or_default();
        }
    }

    let mut invoice_ids = Vec::new();
    if let Some(invoice) = &payment.invoice {
        let (path, id) = match (&invoice.provider_id, &invoice.external_id) {
            (Some(id), _) => ("invoice.provider_id", id),
            (None, Some(id)) => ("invoice.external_id", id),
            (None, None) => ("invoice", &String::new()),
        };
        if let Some(id) = check_id(&mut v, path, id, config.id_policy) {
            invoice_ids.push(id);
        }
    }

    let website_id = config.website_id.clone();
    if website_id.is_none() {
        v.push(
            "website_id",
            "Rebilly requires a website id to record a payment; configure website_id (REBILLY_WEBSITE_ID)",
        );
    }

    let mut description = Vec::new();
    if let Some(name) = &payment.method_display_name {
        description.push(name.clone());
    }
    // The sub type (card brand, account type) is added unless the display name already says it.
    if let Some(sub) = payment.sub_type {
        let named = payment
            .method_display_name
            .as_deref()
            .is_some_and(|n| n.to_lowercase().contains(sub.as_str()));
        if !named {
            description.push(sub.as_str().to_owned());
        }
    }
    if let Some(gateway) = &payment.gateway_transaction_id {
        description.push(format!("gateway transaction {gateway}"));
    }
    let description = (!description.is_empty()).then(|| description.join("; "));
    v.max_chars("description", description.as_deref(), 255);

    let method = payment.method.map(payment_method);
    v.finish(Some(crate::PROVIDER))?;

    Ok(TransactionRequest {
        kind: TransactionType::Sale,
        website_id: website_id.unwrap_or_default(),
        customer_id: customer_id.unwrap_or_default(),
        currency: payment.currency.clone(),
        amount: WireAmount::with_scale(amount, minor),
        invoice_ids,
        payment_instruction: PaymentInstructionMethods {
            methods: method.into_iter().collect(),
            reference: match method {
                Some(PaymentMethod::Check) => payment.gateway_transaction_id.clone(),
                _ => None,
            },
        },
        request_id: request_id(&payment.external_id),
        description,
        is_processed_outside: true,
        processed_time: payment.paid_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_fit_are_kept() {
        assert!(is_resource_id("cus-franklin_01@x.y~z"));
        assert!(!is_resource_id(""));
        assert!(!is_resource_id("a b"));
        assert!(!is_resource_id("cust-ünï"));
        assert!(!is_resource_id(&"x".repeat(51)));
        assert_eq!(
            rebilly_id("cust-1", IdPolicy::Strict).as_deref(),
            Some("cust-1")
        );
        assert_eq!(rebilly_id("cust 1", IdPolicy::Strict), None);
    }

    #[test]
    fn hashed_ids_are_deterministic_fit_and_differ() {
        let a = rebilly_id("cust-ünïcödé-42", IdPolicy::Hash).unwrap();
        assert_eq!(a, rebilly_id("cust-ünïcödé-42", IdPolicy::Hash).unwrap());
        assert!(is_resource_id(&a), "{a}");
        assert!(a.starts_with("cust-ncd-42~"), "{a}");
        let long = "y".repeat(80);
        let b = rebilly_id(&long, IdPolicy::Hash).unwrap();
        assert!(is_resource_id(&b) && b.len() == 50, "{b}");
        assert_ne!(b, rebilly_id(&"y".repeat(81), IdPolicy::Hash).unwrap());
    }

    #[test]
    fn request_ids() {
        assert_eq!(request_id("65432325"), "65432325");
        assert_eq!(request_id("pay-cash-8"), "pay-cash-8");
        let r = request_id("pay.with.dots");
        assert!(r.starts_with("paywithdots-") && r.len() == "paywithdots-".len() + 16);
        assert!(r.chars().all(is_request_id_char));
        assert_eq!(request_id(&"z".repeat(50)), "z".repeat(50));
        assert_eq!(request_id(&"z".repeat(51)).len(), 33 + 1 + 16);
    }
}
