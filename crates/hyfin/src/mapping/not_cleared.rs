//! What an update to Hyfin leaves as it was: Hyfin documents no way to clear a field.

use billsync_core::{Customer, Payment};

/// The canonical fields that `customer` does not have and that an update to Hyfin therefore
/// cannot clear (Hyfin documents no way to clear a field; see the crate docs): if Hyfin holds a
/// value for one of them, it keeps it. For a caller's report of an update ("not cleared at
/// hyfin: notes"); empty when the record has every such field.
pub fn customer_fields_not_cleared(customer: &Customer) -> Vec<&'static str> {
    let contact = customer.primary_contact.as_ref();
    let address = contact.and_then(|c| c.billing_address.as_ref());
    let mut missing = Vec::new();
    let mut check = |present: bool, name: &'static str| {
        if !present {
            missing.push(name);
        }
    };
    check(customer.company.is_some(), "company");
    check(customer.notes.is_some(), "notes");
    check(customer.parent.is_some(), "parent");
    if customer.contacts.is_empty() {
        // A single contact goes inline; several go through contact records of their own.
        check(
            contact.is_some_and(|c| c.first_name.is_some()),
            "primary_contact.first_name",
        );
        check(
            contact.is_some_and(|c| c.last_name.is_some()),
            "primary_contact.last_name",
        );
        check(
            contact.is_some_and(|c| c.phone().is_some()),
            "primary_contact.phones",
        );
        check(
            contact.is_some_and(|c| c.email().is_some()),
            "primary_contact.emails",
        );
        for (present, name) in [
            (
                address.is_some_and(|a| a.line1.is_some()),
                "primary_contact.billing_address.line1",
            ),
            (
                address.is_some_and(|a| a.line2.is_some()),
                "primary_contact.billing_address.line2",
            ),
            (
                address.is_some_and(|a| a.city.is_some()),
                "primary_contact.billing_address.city",
            ),
            (
                address.is_some_and(|a| a.region.is_some()),
                "primary_contact.billing_address.region",
            ),
            (
                address.is_some_and(|a| a.postal_code.is_some()),
                "primary_contact.billing_address.postal_code",
            ),
        ] {
            check(present, name);
        }
    }
    missing
}

/// The canonical fields that `payment` does not have and that an update of the payment at Hyfin
/// cannot clear, like [`customer_fields_not_cleared`].
pub fn payment_fields_not_cleared(payment: &Payment) -> Vec<&'static str> {
    [
        (payment.tip.is_some(), "tip"),
        (payment.tax.is_some(), "tax"),
        (payment.fee.is_some(), "fee"),
        (payment.invoice.is_some(), "invoice"),
        (payment.method.is_some(), "method"),
        (payment.sub_type.is_some(), "sub_type"),
        (payment.status.is_some(), "status"),
        (payment.active.is_some(), "active"),
    ]
    .into_iter()
    .filter_map(|(present, name)| (!present).then_some(name))
    .collect()
}

#[cfg(test)]
mod tests {
    use billsync_core::{Address, Contact};
    use rust_decimal::Decimal;

    use super::*;

    #[test]
    fn names_exactly_the_fields_the_record_lacks() {
        let full = Customer::new("c")
            .with_company("ACME")
            .with_notes("n")
            .with_primary_contact(
                Contact::new("A", "B")
                    .with_email("a@b.co")
                    .with_phone("555-0100")
                    .with_billing_address(
                        Address::new("1 St", "X", "TX", "1", "US").with_line2("2"),
                    ),
            );
        let mut full = full;
        full.parent = Some(billsync_core::ParentCustomer {
            external_id: "p".into(),
            bill_to_parent: false,
        });
        assert_eq!(customer_fields_not_cleared(&full), Vec::<&str>::new());
        let mut bare = full.clone();
        bare.notes = None;
        bare.company = None;
        if let Some(c) = bare.primary_contact.as_mut() {
            c.phones.clear();
        }
        assert_eq!(
            customer_fields_not_cleared(&bare),
            ["company", "notes", "primary_contact.phones"]
        );
        let paid = "2024-01-01T00:00:00Z".parse().unwrap();
        let p = Payment::new("p", "c", Decimal::new(100, 2), "USD", paid);
        assert_eq!(
            payment_fields_not_cleared(&p),
            [
                "tip", "tax", "fee", "invoice", "method", "sub_type", "status", "active"
            ]
        );
    }
}
