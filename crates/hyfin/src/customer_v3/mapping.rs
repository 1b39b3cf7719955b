//! Canonical customer → validated body of Hyfin's external-id customer API (3.0).
//!
//! Checks the canonical rules and Hyfin's own in one pass and reports every problem at once;
//! nothing here sends anything.

use billsync_core::provider_kit::Validator;
use billsync_core::{Contact, Customer, CustomerStatus, Record, Result};

use super::wire::HyfinV3CustomerRequest;
use crate::PROVIDER;

/// Validates `customer` and builds the body of
/// `POST /api/v3/site/{site_id}/customer/addUpdate`.
///
/// What goes where:
/// - `external_id` ← the customer's external id (the upsert key);
/// - `first_name`, `last_name` ← the primary contact's names (both required by Hyfin);
/// - `account_name` ← the company, else the display name, unless it merely repeats the primary
///   contact's full name;
/// - `email`, `mobile_phone` ← the primary contact's primary email and phone;
/// - `notes` ← the notes;
/// - `active` ← `false` for inactive and deleted customers, `true` otherwise (always sent, so
///   that a customer made active again at the source becomes active again at Hyfin).
///
/// Nothing else of the canonical customer has a place in this API and none of it is sent (see
/// the crate documentation). `notification_options` is never sent: the canonical customer has no
/// notification preferences, so Hyfin's own defaults apply.
pub fn customer_v3_request(customer: &Customer) -> Result<HyfinV3CustomerRequest<'_>> {
    let mut v = Validator::new();
    customer.validate_into(&mut v);
    let contact = customer.primary_contact.as_ref();
    let first_name = contact.and_then(|c| c.first_name.as_deref());
    let last_name = contact.and_then(|c| c.last_name.as_deref());
    match contact {
        None => v.push(
            "primary_contact",
            "hyfin's v3 customer API requires a primary contact with a first and a last name",
        ),
        Some(_) => {
            for (path, value) in [
                ("primary_contact.first_name", first_name),
                ("primary_contact.last_name", last_name),
            ] {
                // A blank name is already reported by the canonical rules.
                if value.is_none() {
                    v.push(path, "required by hyfin's v3 customer API");
                }
            }
        }
    }
    v.finish(Some(PROVIDER))?;

    let full_name = contact.and_then(Contact::full_name);
    Ok(HyfinV3CustomerRequest {
        external_id: &customer.external_id,
        first_name: first_name.unwrap_or_default(),
        last_name: last_name.unwrap_or_default(),
        account_name: customer
            .company
            .as_deref()
            .or(customer.display_name.as_deref())
            .filter(|name| Some(*name) != full_name.as_deref()),
        mobile_phone: contact.and_then(Contact::phone),
        email: contact.and_then(Contact::email),
        notes: customer.notes.as_deref(),
        // Sent only when the record gives a status (Hyfin's default for a new customer is
        // active; an existing one keeps its own). Locked is about a customer portal, which
        // Hyfin does not have: still active.
        active: customer
            .status
            .map(|s| !matches!(s, CustomerStatus::Inactive | CustomerStatus::Deleted)),
        notification_options: None,
    })
}

#[cfg(test)]
mod tests {
    use billsync_core::{Contact, Customer, CustomerStatus, ErrorKind};
    use serde_json::json;

    use super::*;

    /// Hyfin's own sample request of `en/3.0/addUpdateCustomer`, from a canonical customer. The
    /// sample's `"account_name": ""` and `notification_options` are values the canonical
    /// customer does not have, so they are not sent.
    #[test]
    fn hyfin_sample_request_is_reproduced() {
        let customer = Customer::new("39772634")
            .with_primary_contact(
                Contact::new("John", "Doe")
                    .with_phone("111-222-3333")
                    .with_email("johndoe@abc.com"),
            )
            .with_notes("World's best customer")
            .with_status(CustomerStatus::Active);
        let body = serde_json::to_value(customer_v3_request(&customer).unwrap()).unwrap();
        assert_eq!(
            body,
            json!({
              "external_id": "39772634",
              "first_name": "John",
              "last_name": "Doe",
              "mobile_phone": "111-222-3333",
              "email": "johndoe@abc.com",
              "notes": "World's best customer",
              "active": true
            })
        );
    }

    #[test]
    fn status_maps_to_active() {
        let base = Customer::new("c").with_primary_contact(Contact::new("A", "B"));
        for (status, active) in [
            (CustomerStatus::Active, true),
            (CustomerStatus::Locked, true),
            (CustomerStatus::Inactive, false),
            (CustomerStatus::Deleted, false),
        ] {
            let c = base.clone().with_status(status);
            assert_eq!(
                customer_v3_request(&c).unwrap().active,
                Some(active),
                "{status:?}"
            );
        }
        // No status given: none sent, Hyfin keeps (or defaults) its own.
        assert_eq!(customer_v3_request(&base).unwrap().active, None);
    }

    #[test]
    fn account_name_is_the_company_else_a_display_name_that_is_not_the_contact_name() {
        let c = Customer::new("c")
            .with_display_name("Jane Roe")
            .with_primary_contact(Contact::new("Jane", "Roe"));
        assert_eq!(customer_v3_request(&c).unwrap().account_name, None);
        let c = c.with_display_name("Roe Bakery");
        assert_eq!(
            customer_v3_request(&c).unwrap().account_name,
            Some("Roe Bakery")
        );
        let c = c.with_company("Roe Bakery LLC");
        assert_eq!(
            customer_v3_request(&c).unwrap().account_name,
            Some("Roe Bakery LLC")
        );
    }

    #[test]
    fn names_are_required_and_every_problem_is_reported_at_once() {
        let mut contact = Contact::new("", "Doe");
        contact.last_name = None;
        let c = Customer::new(" ").with_primary_contact(contact);
        let err = customer_v3_request(&c).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidInput));
        let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
        assert!(paths.contains(&"external_id"), "{paths:?}");
        assert!(paths.contains(&"primary_contact.first_name"), "{paths:?}");
        assert!(paths.contains(&"primary_contact.last_name"), "{paths:?}");
        assert_eq!(paths.len(), 3, "each problem once: {paths:?}");

        let err = customer_v3_request(&Customer::new("c").with_company("X")).unwrap_err();
        let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["primary_contact"]);
    }
}
