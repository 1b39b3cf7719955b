//! Canonical records → validated Hyfin wire bodies.
//!
//! Every function checks the canonical rules and Hyfin's own in one pass and reports every
//! problem at once; nothing here sends anything.

use std::borrow::Cow;

use billsync_core::provider_kit::Validator;
use billsync_core::{
    Account, Address, Contact, ContactPoint, Customer, CustomerStatus, IdMap, Record, RecordKind,
    Result,
};

use crate::PROVIDER;
use crate::wire::*;

mod not_cleared;
mod payment;

pub use not_cleared::{customer_fields_not_cleared, payment_fields_not_cleared};
pub use payment::payment_request;

/// Decimal places of a payment amount: Hyfin documents its amounts as `0.00`.
pub const AMOUNT_PLACES: u32 = 2;

/// What a customer upsert sends: the contact records first (when the customer has several
/// contacts), then the customer.
#[derive(Debug, Clone)]
pub(crate) struct CustomerPlan<'a> {
    /// Contacts to add or update, in order (primary first), with their external ids.
    pub contacts: Vec<PlannedContact<'a>>,
    /// The customer body; its `contacts` references are filled in once the contacts' Hyfin ids
    /// are known.
    pub customer: HyfinCustomerRequest<'a>,
}

#[derive(Debug, Clone)]
pub(crate) struct PlannedContact<'a> {
    pub external_id: String,
    pub is_primary: bool,
    pub body: HyfinContactRequest<'a>,
}

/// Validates `customer` and builds its customer body as it would be sent now: Hyfin ids (the
/// customer's, its parent's, its contacts') come from `ids`; a contact not yet created is
/// referenced as `<hyfin id of contact X>`.
#[cfg_attr(not(feature = "unstable"), allow(dead_code))] // for the bench
pub fn customer_request<'a>(
    customer: &'a Customer,
    ids: &dyn IdMap,
    account: &Account,
) -> Result<HyfinCustomerRequest<'a>> {
    let plan = customer_plan(customer, ids, account)?;
    let contact_ids = plan.known_or_placeholder_contact_ids();
    Ok(plan.with_contact_ids(&contact_ids))
}

/// Validates `customer` and builds the contact bodies an upsert sends before the customer's (for
/// a customer with several contacts; empty for one contact, which goes inline).
#[cfg_attr(not(feature = "unstable"), allow(dead_code))] // for the bench
pub fn contact_requests<'a>(
    customer: &'a Customer,
    ids: &dyn IdMap,
    account: &Account,
) -> Result<Vec<HyfinContactRequest<'a>>> {
    Ok(customer_plan(customer, ids, account)?
        .contacts
        .into_iter()
        .map(|c| c.body)
        .collect())
}

impl<'a> CustomerPlan<'a> {
    /// The contacts' Hyfin ids where known, else a readable placeholder (for dry runs).
    pub fn known_or_placeholder_contact_ids(&self) -> Vec<String> {
        self.contacts
            .iter()
            .map(|c| {
                c.body
                    .id
                    .clone()
                    .unwrap_or_else(|| format!("<hyfin id of contact {}>", c.external_id))
            })
            .collect()
    }

    /// Fills the customer's contact references from the contacts' Hyfin ids, in plan order.
    pub fn with_contact_ids(mut self, ids: &[String]) -> HyfinCustomerRequest<'a> {
        self.customer.contacts = self
            .contacts
            .iter()
            .zip(ids)
            .map(|(c, id)| HyfinContactRef {
                id: id.clone(),
                is_primary: c.is_primary,
            })
            .collect();
        self.customer
    }
}

/// The external id of a customer's contact: its own, or `<customer>#contact-<position>`.
pub(crate) fn contact_external_id(
    customer: &Customer,
    position: usize,
    contact: &Contact,
) -> String {
    contact
        .external_id
        .clone()
        .unwrap_or_else(|| format!("{}#contact-{position}", customer.external_id))
}

/// Validates `customer` (canonical and Hyfin rules, all problems at once) and plans its requests.
pub(crate) fn customer_plan<'a>(
    customer: &'a Customer,
    ids: &dyn IdMap,
    account: &Account,
) -> Result<CustomerPlan<'a>> {
    let mut v = Validator::new();
    customer.validate_into(&mut v);
    let display_name = display_name(customer);
    if display_name.is_none() {
        v.push(
            "display_name",
            "hyfin requires a display name (or a company, or a named primary contact)",
        );
    }
    let contact_count = customer.all_contacts().count();
    check_contacts(&mut v, customer, contact_count);
    let parent_id = parent_id(&mut v, customer, ids, account)?;
    v.finish(Some(PROVIDER))?;

    let id = ids.get(account, RecordKind::Customer, &customer.external_id)?;
    let single = contact_count == 1;
    let contacts = if single {
        Vec::new()
    } else {
        planned_contacts(customer, ids, account)?
    };
    let deleted = deleted_flag(customer.status, id.is_some());
    let customer_body = HyfinCustomerRequest {
        id,
        display_name: display_name.unwrap_or_default(),
        account_name: customer
            .company
            .as_deref()
            .filter(|c| Some(*c) != customer.display_name.as_deref()),
        primary_contact: if single {
            customer.primary_contact.as_ref().map(primary_contact)
        } else {
            None
        },
        contacts: Vec::new(),
        parent_customer: parent_id,
        bill_to_parent_flag: customer.parent.as_ref().map(|p| p.bill_to_parent),
        notes: customer.notes.as_deref(),
        deleted,
    };
    Ok(CustomerPlan {
        contacts,
        customer: customer_body,
    })
}

/// Hyfin's `displayName`: the record's display name, else its company, else its primary
/// contact's full name.
fn display_name(customer: &Customer) -> Option<Cow<'_, str>> {
    customer
        .display_name
        .as_deref()
        .or(customer.company.as_deref())
        .map(Cow::Borrowed)
        .or_else(|| {
            customer
                .primary_contact
                .as_ref()
                .and_then(Contact::full_name)
                .map(Cow::Owned)
        })
}

/// Reports a customer without contacts, and several contacts without a primary one.
fn check_contacts(v: &mut Validator, customer: &Customer, contact_count: usize) {
    if contact_count == 0 {
        v.push(
            "primary_contact",
            "hyfin requires a primary contact or contacts",
        );
    }
    if !customer.contacts.is_empty() && customer.primary_contact.is_none() {
        v.push(
            "primary_contact",
            "the first of several contacts must be given as primary_contact",
        );
    }
}

/// The Hyfin id of the customer's parent, when it has one; a parent not synced yet is reported.
fn parent_id(
    v: &mut Validator,
    customer: &Customer,
    ids: &dyn IdMap,
    account: &Account,
) -> Result<Option<String>> {
    let parent = match &customer.parent {
        Some(parent) if !parent.external_id.trim().is_empty() => parent,
        _ => return Ok(None),
    };
    let known = ids.get(account, RecordKind::Customer, &parent.external_id)?;
    if known.is_none() {
        v.push(
            "parent.external_id",
            format!(
                "parent customer `{}` has not been synced to hyfin yet; sync it first",
                parent.external_id
            ),
        );
    }
    Ok(known)
}

/// The contact records of a customer with several contacts, primary first, with their Hyfin
/// ids where known.
fn planned_contacts<'a>(
    customer: &'a Customer,
    ids: &dyn IdMap,
    account: &Account,
) -> Result<Vec<PlannedContact<'a>>> {
    customer
        .all_contacts()
        .enumerate()
        .map(|(i, c)| -> Result<PlannedContact<'a>> {
            let external_id = contact_external_id(customer, i, c);
            let id = ids.get(account, RecordKind::Contact, &external_id)?;
            Ok(PlannedContact {
                body: contact_body(c, id, customer.locale.as_deref()),
                external_id,
                is_primary: i == 0,
            })
        })
        .collect()
}

/// Hyfin's `deleted` flag for a record with `status`, `known` when it updates a customer Hyfin
/// already has: set for a deleted record, else left out unless an update gives a status.
fn deleted_flag(status: Option<CustomerStatus>, known: bool) -> Option<bool> {
    match (status, known) {
        (Some(CustomerStatus::Deleted), _) => Some(true),
        // A status given on an update is said explicitly, so that a record deleted at Hyfin
        // comes back; without a status, Hyfin's flag is left as it is.
        (Some(_), true) => Some(false),
        (Some(_) | None, _) => None,
    }
}

fn address(a: &Address) -> HyfinAddress<'_> {
    HyfinAddress {
        address_line1: a.line1.as_deref(),
        address_line2: a.line2.as_deref(),
        city: a.city.as_deref(),
        state_code: a.region.as_deref(),
        zip_code: a.postal_code.as_deref(),
    }
}

fn primary_contact(c: &Contact) -> HyfinPrimaryContact<'_> {
    HyfinPrimaryContact {
        first_name: c.first_name.as_deref(),
        last_name: c.last_name.as_deref(),
        mobile_phone: c.phone(),
        email: c.email(),
        billing_address: c
            .billing_address
            .as_ref()
            .filter(|a| !a.is_empty())
            .map(address),
    }
}

fn is_primary(points: &[ContactPoint], i: usize) -> bool {
    match points.iter().position(|p| p.primary) {
        Some(p) => p == i,
        None => i == 0,
    }
}

fn contact_body<'a>(
    c: &'a Contact,
    id: Option<String>,
    locale: Option<&str>,
) -> HyfinContactRequest<'a> {
    HyfinContactRequest {
        id,
        first_name: c.first_name.as_deref(),
        last_name: c.last_name.as_deref(),
        language: locale
            .and_then(|l| l.split('-').next())
            .map(|l| l.to_ascii_lowercase()),
        emails: c
            .emails
            .iter()
            .enumerate()
            .map(|(i, e)| HyfinContactEmail {
                label: e.label.as_deref(),
                address: &e.value,
                is_primary: is_primary(&c.emails, i),
            })
            .collect(),
        phone_numbers: c
            .phones
            .iter()
            .enumerate()
            .map(|(i, p)| HyfinContactPhone {
                label: p.label.as_deref(),
                number: &p.value,
                is_primary: is_primary(&c.phones, i),
            })
            .collect(),
        addresses: c
            .billing_address
            .iter()
            .filter(|a| !a.is_empty())
            .map(|a| HyfinContactAddress {
                label: "billing",
                is_primary: true,
                address: address(a),
            })
            .collect(),
    }
}
