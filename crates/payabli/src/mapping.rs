//! Canonical customers → validated Payabli `CustomerData`.

use billsync_core::chrono::{DateTime, Utc};
use billsync_core::money::{WireAmount, check_places};
use billsync_core::provider_kit::{Validator, is_blank};
use billsync_core::secrecy::ExposeSecret;
use billsync_core::time::utc_seconds_spaced;
use billsync_core::{Customer, CustomerStatus, Record, Result};

use crate::PROVIDER;
use crate::config::PayabliConfig;
use crate::wire::PayabliCustomerData;

/// The longest `customerNumber`.
pub const MAX_CUSTOMER_NUMBER: usize = 250;
/// The longest `email`.
pub const MAX_EMAIL: usize = 320;
/// Decimal places of a `balance`: Payabli keeps money to the cent.
pub const BALANCE_PLACES: u32 = 2;

/// Payabli's status code for a canonical status (-99 deleted, 0 inactive, 1 active, 85 locked);
/// `None` for a canonical status newer than this crate (refused by validation).
pub fn customer_status(status: CustomerStatus) -> Option<i32> {
    Some(match status {
        CustomerStatus::Active => 1,
        CustomerStatus::Inactive => 0,
        CustomerStatus::Locked => 85,
        CustomerStatus::Deleted => -99,
        _ => return None,
    })
}

/// Validates `customer` (canonical and Payabli rules, every problem at once) and builds its
/// `CustomerData` as a create sends it, borrowing from the record: what the record does not have
/// is left out. [`PayabliCustomerData::for_update`] makes the update's body, which clears it.
pub fn customer_data<'a>(
    customer: &'a Customer,
    config: &'a PayabliConfig,
) -> Result<PayabliCustomerData<'a>> {
    let mut v = Validator::new();
    customer.validate_into(&mut v);
    let email = customer_email(customer);
    check_limits(&mut v, customer, email);
    if let Some(status) = customer.status
        && customer_status(status).is_none()
    {
        v.push("status", format!("{status:?} has no equivalent at payabli"));
    }
    let data = wire_data(customer, config, email);
    if !has_identifier(&data) {
        v.push(
            "identifier_fields",
            format!(
                "Payabli rejects a customer without an identifier: none of {:?} has a value",
                identifier_names(&data)
            ),
        );
    }
    v.finish(Some(PROVIDER))?;
    Ok(data)
}

/// The primary contact's email.
fn customer_email(customer: &Customer) -> Option<&str> {
    customer.primary_contact.as_ref().and_then(|c| c.email())
}

/// Reports what exceeds Payabli's limits: the lengths of the customer number, the primary
/// contact's `email` and the shipping address; the time zone's range; the balance's places.
fn check_limits(v: &mut Validator, customer: &Customer, email: Option<&str>) {
    v.max_chars(
        "external_id",
        Some(&customer.external_id),
        MAX_CUSTOMER_NUMBER,
    );
    v.max_chars("primary_contact.emails", email, MAX_EMAIL);
    if let Some(ship) = &customer.shipping_address {
        v.max_chars("shipping_address.line1", ship.line1.as_deref(), 250);
        v.max_chars("shipping_address.line2", ship.line2.as_deref(), 100);
        v.max_chars("shipping_address.city", ship.city.as_deref(), 250);
        v.max_chars(
            "shipping_address.postal_code",
            ship.postal_code.as_deref(),
            50,
        );
    }
    if let Some(offset) = customer.utc_offset_hours {
        v.check(
            (-12..=12).contains(&offset),
            "utc_offset_hours",
            format!("{offset} is outside Payabli's -12..=12"),
        );
    }
    if let Some(balance) = customer.balance {
        check_places(v, "balance", balance, BALANCE_PLACES, PROVIDER);
    }
}

/// The record as `CustomerData`, borrowing from it; `email` is the primary contact's.
fn wire_data<'a>(
    customer: &'a Customer,
    config: &'a PayabliConfig,
    email: Option<&'a str>,
) -> PayabliCustomerData<'a> {
    let contact = customer.primary_contact.as_ref();
    let billing = contact.and_then(|c| c.billing_address.as_ref());
    let shipping = customer.shipping_address.as_ref();
    PayabliCustomerData {
        customer_number: &customer.external_id,
        customer_username: customer
            .portal_login
            .as_ref()
            .map(|l| l.username.as_str())
            .into(),
        customer_psw: customer
            .portal_login
            .as_ref()
            .map(|l| l.password.expose_secret())
            .into(),
        customer_status: customer.status.and_then(customer_status),
        company: customer.company.as_deref().into(),
        first_name: contact.and_then(|c| c.first_name.as_deref()).into(),
        last_name: contact.and_then(|c| c.last_name.as_deref()).into(),
        phone: contact.and_then(|c| c.phone()).into(),
        email: email.into(),
        address: billing.and_then(|a| a.line1.as_deref()).into(),
        address1: billing.and_then(|a| a.line2.as_deref()).into(),
        city: billing.and_then(|a| a.city.as_deref()).into(),
        state: billing.and_then(|a| a.region.as_deref()).into(),
        zip: billing.and_then(|a| a.postal_code.as_deref()).into(),
        country: billing.and_then(|a| a.country.as_deref()).into(),
        shipping_address: shipping.and_then(|a| a.line1.as_deref()).into(),
        shipping_address1: shipping.and_then(|a| a.line2.as_deref()).into(),
        shipping_city: shipping.and_then(|a| a.city.as_deref()).into(),
        shipping_state: shipping.and_then(|a| a.region.as_deref()).into(),
        shipping_zip: shipping.and_then(|a| a.postal_code.as_deref()).into(),
        shipping_country: shipping.and_then(|a| a.country.as_deref()).into(),
        balance: customer
            .balance
            .map(|b| WireAmount::with_scale(b, BALANCE_PLACES))
            .into(),
        time_zone: customer.utc_offset_hours.into(),
        additional_fields: &customer.custom_fields,
        identifier_fields: &config.identifier_fields,
        created_at: customer.created_at.as_ref().map(payabli_time),
    }
}

/// `YYYY-MM-DD HH:mm:ss` (UTC), as Payabli writes `createdAt`.
fn payabli_time(t: &DateTime<Utc>) -> String {
    utc_seconds_spaced(t)
}

/// Payabli's default identifiers, used when none are configured.
const DEFAULT_IDENTIFIERS: [&str; 3] = ["customernumber", "email", "firstname+lastname"];

/// The identifier fields that count: the configured ones, or Payabli's defaults (customer
/// number, email, or first and last name) when none are configured.
fn identifier_names<'a>(data: &'a PayabliCustomerData<'_>) -> Vec<&'a str> {
    if data.identifier_fields.is_empty() {
        DEFAULT_IDENTIFIERS.to_vec()
    } else {
        data.identifier_fields.iter().map(String::as_str).collect()
    }
}

fn has_identifier(data: &PayabliCustomerData<'_>) -> bool {
    if data.identifier_fields.is_empty() {
        // `DEFAULT_IDENTIFIERS` in order, without matching their names.
        !is_blank(data.customer_number)
            || present(data.email.value())
            || (present(data.first_name.value()) && present(data.last_name.value()))
    } else {
        data.identifier_fields
            .iter()
            .any(|name| identifies(data, name))
    }
}

/// Whether the identifier field `name` (any case) has a value in `data`.
fn identifies(data: &PayabliCustomerData<'_>, name: &str) -> bool {
    // Configured names are usually written as Payabli writes them: compare exactly first.
    let is = |known: &str| name == known || name.eq_ignore_ascii_case(known);
    if is("customernumber") {
        !is_blank(data.customer_number)
    } else if is("email") {
        present(data.email.value())
    } else if is("firstname+lastname") {
        present(data.first_name.value()) && present(data.last_name.value())
    } else if is("firstname") {
        present(data.first_name.value())
    } else if is("lastname") {
        present(data.last_name.value())
    } else if is("phone") {
        present(data.phone.value())
    } else if is("company") {
        present(data.company.value())
    } else {
        // A custom identifier: one of the additional fields that has a value.
        data.additional_fields
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case(name) && present(v.as_deref().as_ref()))
    }
}

/// Whether an identifier has a value: present and not blank.
fn present(value: Option<&&str>) -> bool {
    value.is_some_and(|s| !is_blank(s))
}

#[cfg(test)]
mod tests {
    use billsync_core::Contact;
    use billsync_core::secrecy::SecretString;

    use super::*;

    /// The default identifiers checked directly agree with matching them by name, for every
    /// combination of a blank, white-space, absent or given customer number, email, first and
    /// last name.
    #[test]
    fn default_identifiers_agree_with_their_names() {
        let config = PayabliConfig::builder()
            .entrypoint("e")
            .api_token(SecretString::from("t"))
            .identifier_fields(Vec::<String>::new())
            .build()
            .unwrap();
        assert!(config.identifier_fields().is_empty());
        let values = [None, Some(""), Some(" \u{a0}"), Some("x"), Some(" é ")];
        let mut found = 0;
        for number in ["", " ", "\u{2003}", "c-1"] {
            for email in values {
                for first in values {
                    for last in values {
                        let mut contact = Contact {
                            first_name: first.map(str::to_owned),
                            last_name: last.map(str::to_owned),
                            ..Contact::default()
                        };
                        if let Some(e) = email {
                            contact = contact.with_email(e);
                        }
                        let customer = Customer::new(number).with_primary_contact(contact);
                        let data = wire_data(&customer, &config, customer_email(&customer));
                        let by_name = DEFAULT_IDENTIFIERS.iter().any(|n| identifies(&data, n));
                        assert_eq!(has_identifier(&data), by_name, "{customer:?}");
                        found += usize::from(by_name);
                    }
                }
            }
        }
        // Both answers occur.
        assert!(found > 0 && found < 4 * 5 * 5 * 5, "{found}");
    }

    #[test]
    fn created_at_is_written_as_chrono_writes_it() {
        for text in [
            "2024-03-05T09:30:00Z",
            "1999-12-31T23:59:59Z",
            "0001-02-03T04:05:06Z",
            "+12345-01-01T00:00:00Z",
        ] {
            let t: DateTime<Utc> = text.parse().unwrap();
            assert_eq!(
                payabli_time(&t),
                t.format("%Y-%m-%d %H:%M:%S").to_string(),
                "{text}"
            );
        }
        let t: DateTime<Utc> = "2024-03-05T09:30:00Z".parse().unwrap();
        assert_eq!(payabli_time(&t), "2024-03-05 09:30:00");
    }
}
