//! Canonical records → validated Hyfin wire bodies.
//!
//! Every function checks the canonical rules and Hyfin's own in one pass and reports every
//! problem at once; nothing here sends anything.

use billsync_core::money::WireAmount;
use billsync_core::{
    Address, Contact, ContactPoint, Customer, CustomerStatus, IdMap, Payment, PaymentMethod,
    PaymentStatus, PaymentSubType, Record, RecordKind, Result, Validator,
};

use crate::PROVIDER;
use crate::config::HyfinConfig;
use crate::wire::*;

/// What a customer upsert sends: the contact records first (when the customer has several
/// contacts), then the customer.
#[derive(Debug, Clone)]
pub(crate) struct CustomerPlan {
    /// Contacts to add or update, in order (primary first), with their external ids.
    pub contacts: Vec<PlannedContact>,
    /// The customer body; its `contacts` references are filled in once the contacts' Hyfin ids
    /// are known.
    pub customer: HyfinCustomerRequest,
}

#[derive(Debug, Clone)]
pub(crate) struct PlannedContact {
    pub external_id: String,
    pub is_primary: bool,
    pub body: HyfinContactRequest,
}

/// Validates `customer` and builds its customer body as it would be sent now: Hyfin ids (the
/// customer's, its parent's, its contacts') come from `ids`; a contact not yet created is
/// referenced as `<hyfin id of contact X>`.
pub fn customer_request(customer: &Customer, ids: &dyn IdMap) -> Result<HyfinCustomerRequest> {
    let plan = customer_plan(customer, ids)?;
    let contact_ids = plan.known_or_placeholder_contact_ids();
    Ok(plan.with_contact_ids(&contact_ids))
}

impl CustomerPlan {
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
    pub fn with_contact_ids(mut self, ids: &[String]) -> HyfinCustomerRequest {
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
pub(crate) fn customer_plan(customer: &Customer, ids: &dyn IdMap) -> Result<CustomerPlan> {
    let mut v = Validator::new();
    customer.validate_into(&mut v);
    let display_name = customer.name_for_display();
    if display_name.is_none() {
        v.push(
            "display_name",
            "hyfin requires a display name (or a company, or a named primary contact)",
        );
    }
    let contact_count = customer.all_contacts().count();
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
    let parent_id = match &customer.parent {
        Some(parent) if !parent.external_id.trim().is_empty() => {
            let known = ids.get(PROVIDER, RecordKind::Customer, &parent.external_id)?;
            if known.is_none() {
                v.push(
                    "parent.external_id",
                    format!(
                        "parent customer `{}` has not been synced to hyfin yet; sync it first",
                        parent.external_id
                    ),
                );
            }
            known
        }
        _ => None,
    };
    v.finish(Some(PROVIDER))?;

    let id = ids.get(PROVIDER, RecordKind::Customer, &customer.external_id)?;
    let single = contact_count == 1;
    let contacts = if single {
        Vec::new()
    } else {
        customer
            .all_contacts()
            .enumerate()
            .map(|(i, c)| -> Result<PlannedContact> {
                let external_id = contact_external_id(customer, i, c);
                let id = ids.get(PROVIDER, RecordKind::Contact, &external_id)?;
                Ok(PlannedContact {
                    body: contact_body(c, id, customer.locale.as_deref()),
                    external_id,
                    is_primary: i == 0,
                })
            })
            .collect::<Result<Vec<_>>>()?
    };
    let deleted = match (customer.status, &id) {
        (CustomerStatus::Deleted, _) => Some(true),
        // On an update, say so explicitly so that a record deleted at Hyfin comes back.
        (_, Some(_)) => Some(false),
        (_, None) => None,
    };
    let customer_body = HyfinCustomerRequest {
        id,
        display_name: display_name.unwrap_or_default(),
        account_name: customer
            .company
            .clone()
            .filter(|c| Some(c) != customer.display_name.as_ref()),
        primary_contact: if single {
            customer.primary_contact.as_ref().map(primary_contact)
        } else {
            None
        },
        contacts: Vec::new(),
        parent_customer: parent_id,
        bill_to_parent_flag: customer.parent.as_ref().map(|p| p.bill_to_parent),
        notes: customer.notes.clone(),
        deleted,
    };
    Ok(CustomerPlan {
        contacts,
        customer: customer_body,
    })
}

fn address(a: &Address) -> HyfinAddress {
    HyfinAddress {
        address_line1: a.line1.clone(),
        address_line2: a.line2.clone(),
        city: a.city.clone(),
        state_code: a.region.clone(),
        zip_code: a.postal_code.clone(),
    }
}

fn primary_contact(c: &Contact) -> HyfinPrimaryContact {
    HyfinPrimaryContact {
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        mobile_phone: c.phone().map(str::to_owned),
        email: c.email().map(str::to_owned),
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

fn contact_body(c: &Contact, id: Option<String>, locale: Option<&str>) -> HyfinContactRequest {
    HyfinContactRequest {
        id,
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        language: locale
            .and_then(|l| l.split('-').next())
            .map(|l| l.to_ascii_lowercase()),
        emails: c
            .emails
            .iter()
            .enumerate()
            .map(|(i, e)| HyfinContactEmail {
                label: e.label.clone().unwrap_or_else(|| "main".to_owned()),
                address: e.value.clone(),
                is_primary: is_primary(&c.emails, i),
            })
            .collect(),
        phone_numbers: c
            .phones
            .iter()
            .enumerate()
            .map(|(i, p)| HyfinContactPhone {
                label: p.label.clone().unwrap_or_else(|| "mobile".to_owned()),
                number: p.value.clone(),
                is_primary: is_primary(&c.phones, i),
            })
            .collect(),
        addresses: c
            .billing_address
            .iter()
            .filter(|a| !a.is_empty())
            .map(|a| HyfinContactAddress {
                label: "billing".to_owned(),
                is_primary: true,
                address: address(a),
            })
            .collect(),
    }
}

/// Validates `payment` (canonical and Hyfin rules, all problems at once) and builds its body.
pub fn payment_request(payment: &Payment, config: &HyfinConfig) -> Result<HyfinPaymentRequest> {
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
    v.finish(Some(PROVIDER))?;

    let scale = billsync_core::minor_units(&config.currency).unwrap_or(2);
    let amount = |d| WireAmount::with_scale(d, scale);
    Ok(HyfinPaymentRequest {
        external_id: payment.external_id.clone(),
        gateway_transaction_id: payment.gateway_transaction_id.clone().unwrap_or_default(),
        payment_type: payment.method.map(payment_type),
        payment_sub_type: payment.sub_type.map(payment_sub_type),
        display_name: payment.method_display_name.clone().unwrap_or_default(),
        amount: amount(payment.amount),
        tip: payment.tip.map(amount),
        tax: payment.tax.map(amount),
        fee: payment.fee.map(amount),
        paid_on: billsync_core::time::utc_seconds(&payment.paid_at),
        status: payment_status(payment.status),
        invoice: payment.invoice.as_ref().map(|i| HyfinInvoiceRef {
            external_id: i.external_id.clone(),
            id: i.provider_id.clone(),
        }),
        active: (!payment.active).then_some(false),
    })
}

fn payment_type(m: PaymentMethod) -> HyfinPaymentType {
    match m {
        PaymentMethod::Card => HyfinPaymentType::PaymentCard,
        PaymentMethod::Ach => HyfinPaymentType::Ach,
        PaymentMethod::Cash => HyfinPaymentType::Cash,
        PaymentMethod::Check => HyfinPaymentType::Check,
    }
}

fn payment_sub_type(s: PaymentSubType) -> HyfinPaymentSubType {
    match s {
        PaymentSubType::Checking => HyfinPaymentSubType::Checking,
        PaymentSubType::Savings => HyfinPaymentSubType::Savings,
        PaymentSubType::Visa => HyfinPaymentSubType::Visa,
        PaymentSubType::Mastercard => HyfinPaymentSubType::Mastercard,
        PaymentSubType::Discover => HyfinPaymentSubType::Discover,
        PaymentSubType::Amex => HyfinPaymentSubType::Amex,
        PaymentSubType::Cash => HyfinPaymentSubType::Cash,
        PaymentSubType::Other => HyfinPaymentSubType::Other,
    }
}

fn payment_status(s: PaymentStatus) -> HyfinPaymentStatus {
    match s {
        PaymentStatus::Declined => HyfinPaymentStatus::Declined,
        PaymentStatus::Authorized => HyfinPaymentStatus::Authorized,
        PaymentStatus::Captured => HyfinPaymentStatus::Captured,
        PaymentStatus::Voided => HyfinPaymentStatus::Voided,
        PaymentStatus::Settled => HyfinPaymentStatus::Settled,
        PaymentStatus::Returned => HyfinPaymentStatus::Returned,
        PaymentStatus::RefundFailed => HyfinPaymentStatus::RefundFailed,
        PaymentStatus::Refunded => HyfinPaymentStatus::Refunded,
        PaymentStatus::RefundSettled => HyfinPaymentStatus::RefundSettled,
    }
}
