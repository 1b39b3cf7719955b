//! A person to reach about a customer, and their email addresses and phone numbers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Address;
use crate::Validator;
use crate::validate::LazyPath;

/// A person to reach about a customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The caller's own id for this contact, for providers that store contacts as records of
    /// their own. When absent, billsync derives one from the customer's external id and the
    /// contact's position (`cust-1#contact-0` for the primary contact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email addresses; the one flagged `primary` (else the first) is the contact's email.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<ContactPoint>,
    /// Phone numbers; the one flagged `primary` (else the first) is the contact's phone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<ContactPoint>,
    /// Billing address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<Address>,
    /// Job title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    /// Date of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<NaiveDate>,
}

impl Contact {
    /// A contact with a first and last name.
    pub fn new(first_name: impl Into<String>, last_name: impl Into<String>) -> Self {
        Contact {
            first_name: Some(first_name.into()),
            last_name: Some(last_name.into()),
            ..Contact::default()
        }
    }

    /// Adds an email address (the first one added is primary).
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        let primary = self.emails.is_empty();
        self.emails.push(ContactPoint {
            label: None,
            value: email.into(),
            primary,
        });
        self
    }

    /// Adds a phone number (the first one added is primary).
    pub fn with_phone(mut self, phone: impl Into<String>) -> Self {
        let primary = self.phones.is_empty();
        self.phones.push(ContactPoint {
            label: None,
            value: phone.into(),
            primary,
        });
        self
    }

    /// Sets the billing address.
    pub fn with_billing_address(mut self, address: Address) -> Self {
        self.billing_address = Some(address);
        self
    }

    /// Sets the caller's own id for this contact.
    pub fn with_external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// The primary email: the one flagged primary, else the first.
    pub fn email(&self) -> Option<&str> {
        ContactPoint::primary_of(&self.emails)
    }

    /// The primary phone: the one flagged primary, else the first.
    pub fn phone(&self) -> Option<&str> {
        ContactPoint::primary_of(&self.phones)
    }

    /// First and last name joined by a space, when either is set.
    pub fn full_name(&self) -> Option<String> {
        match (self.first_name.as_deref(), self.last_name.as_deref()) {
            (Some(f), Some(l)) => Some(format!("{f} {l}")),
            (Some(n), None) | (None, Some(n)) => Some(n.to_owned()),
            (None, None) => None,
        }
    }

    pub(super) fn validate_into_indexed(&self, v: &mut Validator, index: usize) {
        // Paths of further contacts are only rendered when a problem is found.
        let mut inner = Validator::new();
        self.validate_into(&mut inner, "");
        for e in inner.into_errors() {
            v.push(format!("contacts[{index}].{}", e.path), e.message);
        }
    }

    pub(super) fn validate_into(&self, v: &mut Validator, path: &str) {
        v.not_blank((path, "first_name"), self.first_name.as_deref());
        v.not_blank((path, "last_name"), self.last_name.as_deref());
        v.not_blank((path, "external_id"), self.external_id.as_deref());
        for (i, email) in self.emails.iter().enumerate() {
            v.email(
                LazyPath(|| join(path, &format!("emails[{i}].value"))),
                &email.value,
            );
        }
        for (i, phone) in self.phones.iter().enumerate() {
            let p = || join(path, &format!("phones[{i}].value"));
            v.required(LazyPath(p), Some(&phone.value));
            // Fewer than three digits (ASCII digits are single bytes: bytes suffice).
            if phone
                .value
                .bytes()
                .filter(u8::is_ascii_digit)
                .nth(2)
                .is_none()
            {
                v.push(
                    LazyPath(p),
                    format!("`{}` does not look like a phone number", phone.value),
                );
            }
        }
        for (list, name) in [(&self.emails, "emails"), (&self.phones, "phones")] {
            // A second primary entry is enough: the rest need not be counted.
            if list.iter().filter(|p| p.primary).nth(1).is_some() {
                v.push((path, name), "at most one entry may be primary");
            }
        }
        if let Some(address) = &self.billing_address {
            address.validate_into(v, (path, "billing_address"));
        }
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// An email address or phone number with an optional label (`work`, `mobile`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactPoint {
    /// A label such as `main`, `work` or `mobile`; providers that require one use `main`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The address or number.
    pub value: String,
    /// Whether this is the contact's primary address or number.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub primary: bool,
}

impl ContactPoint {
    /// The value flagged primary, else the first.
    pub fn primary_of(points: &[ContactPoint]) -> Option<&str> {
        points
            .iter()
            .find(|p| p.primary)
            .or_else(|| points.first())
            .map(|p| p.value.as_str())
    }
}
