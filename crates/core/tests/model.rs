//! The canonical model as a caller meets it: reading records, validating them, keeping secrets.

use billsync_core::{Customer, CustomerStatus, ErrorKind, Payment, PaymentStatus};

#[test]
fn a_typo_in_a_field_name_is_refused_not_dropped() {
    let err = serde_json::from_str::<Customer>(r#"{"external_id": "c1", "dispaly_name": "x"}"#)
        .unwrap_err();
    assert!(
        err.to_string().contains("unknown field `dispaly_name`"),
        "{err}"
    );
}

#[test]
fn customers_round_trip_through_json() {
    let json = r#"{
        "external_id": "c1",
        "display_name": "ABC",
        "primary_contact": {"first_name": "A", "emails": [{"value": "a@b.co", "primary": true}]},
        "status": "inactive",
        "balance": "10.50",
        "custom_fields": {"k": "v"}
    }"#;
    let c: Customer = serde_json::from_str(json).unwrap();
    let again: Customer = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(c, again);
    assert_eq!(c.balance.unwrap().to_string(), "10.50");
}

#[test]
fn payments_without_status_or_active_leave_them_to_the_provider() {
    let p: Payment = serde_json::from_str(
        r#"{"external_id": "p1", "customer_external_id": "c1", "amount": 12.5, "currency": "USD",
            "paid_at": "2024-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    assert_eq!(p.status, None);
    assert_eq!(p.active, None);
    // Given explicitly, they are kept and written back.
    let mut value = serde_json::to_value(&p).unwrap();
    assert_eq!(value.get("status"), None);
    value["status"] = "refunded".into();
    value["active"] = true.into();
    let given: Payment = serde_json::from_value(value).unwrap();
    assert_eq!(given.status, Some(PaymentStatus::Refunded));
    assert_eq!(given.active, Some(true));
    assert_eq!(p.amount.to_string(), "12.5");
    assert!(p.validate().is_ok());
}

#[test]
fn every_problem_is_reported_with_its_path() {
    let p: Payment = serde_json::from_str(
        r#"{"external_id": "p1", "customer_external_id": "", "amount": "1.005", "currency": "USD",
            "tip": "-1", "paid_at": "2024-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let err = p.validate().unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["customer_external_id", "amount", "tip"]);
    assert!(matches!(err.kind(), ErrorKind::InvalidInput));
}

#[test]
fn zero_decimal_currencies_refuse_cents() {
    let mut p: Payment = serde_json::from_str(
        r#"{"external_id": "p1", "customer_external_id": "c1", "amount": "5000", "currency": "JPY",
            "paid_at": "2024-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    assert!(p.validate().is_ok());
    p.amount = "5000.5".parse().unwrap();
    assert_eq!(p.validate().unwrap_err().field_errors()[0].path, "amount");
}

#[test]
fn portal_passwords_never_show() {
    let c: Customer = serde_json::from_str(
        r#"{"external_id": "c1", "portal_login": {"username": "u", "password": "hunter2-secret"}}"#,
    )
    .unwrap();
    let shown = [format!("{c:?}"), serde_json::to_string(&c).unwrap()];
    for s in shown {
        assert!(!s.contains("hunter2-secret"), "{s}");
        assert!(s.contains("[redacted]"));
    }
}

#[test]
fn an_absent_status_is_not_active_but_not_given() {
    let c: Customer = serde_json::from_str(r#"{"external_id": "c1"}"#).unwrap();
    assert_eq!(c.status, None);
    assert_eq!(
        serde_json::to_string(&c).unwrap(),
        r#"{"external_id":"c1"}"#
    );
    // A status given explicitly, `active` included, is kept and written back.
    let c: Customer = serde_json::from_str(r#"{"external_id": "c1", "status": "active"}"#).unwrap();
    assert_eq!(c.status, Some(CustomerStatus::Active));
    assert_eq!(
        serde_json::to_string(&c).unwrap(),
        r#"{"external_id":"c1","status":"active"}"#
    );
}

#[test]
fn a_null_custom_field_asks_for_its_removal_and_round_trips() {
    let c: Customer = serde_json::from_str(
        r#"{"external_id": "c1", "custom_fields": {"tier": "gold", "old_promo": null}}"#,
    )
    .unwrap();
    assert_eq!(c.custom_fields["tier"].as_deref(), Some("gold"));
    assert_eq!(c.custom_fields["old_promo"], None);
    assert_eq!(
        c.custom_field_values().collect::<Vec<_>>(),
        [("tier", "gold")]
    );
    assert_eq!(
        c,
        Customer::new("c1")
            .with_custom_field("tier", "gold")
            .without_custom_field("old_promo")
    );
    let again: Customer = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(again, c);
    assert!(c.validate().is_ok());
}

#[test]
fn amounts_in_json_lines_keep_every_digit() {
    // 17 significant digits: through f64 this would read 12345678901234568.
    let p: Payment = serde_json::from_str(
        r#"{"external_id": "p1", "customer_external_id": "c1", "amount": 123456789012345.67,
            "tip": 0.10, "currency": "USD", "paid_at": "2024-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    assert_eq!(p.amount.to_string(), "123456789012345.67");
    assert_eq!(p.tip.unwrap().to_string(), "0.10");
    let c: Customer = serde_json::from_str(r#"{"external_id": "c1", "balance": 10.125}"#).unwrap();
    assert_eq!(c.balance.unwrap().to_string(), "10.125");
}

/// The locale rule (RFC 5646-like: `-`-separated parts of 1 to 8 ASCII letters or digits) as it
/// was first written, over characters: the reference the byte-wise check must agree with.
fn locale_reference(locale: &str) -> bool {
    locale.split('-').all(|part| {
        (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

#[test]
fn locales_are_checked_as_the_reference_checks_them() {
    let alphabet = ["a", "Z", "7", "-", "_", " ", "é", "٣", "ß"];
    let mut words = vec![String::new()];
    let mut checked = 0;
    let mut refused = 0;
    for _ in 0..4 {
        words = words
            .iter()
            .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
            .collect();
        for w in words
            .iter()
            .cloned()
            .chain(words.iter().map(|w| format!("abcdefg{w}")))
        {
            let mut c = Customer::new("c1");
            c.locale = Some(w.clone());
            let message = format!("`{w}` is not an RFC 5646 language tag (e.g. `en`, `fr-CA`)");
            let says_bad = c.validate().err().is_some_and(|e| {
                e.field_errors()
                    .iter()
                    .any(|f| f.path == "locale" && f.message == message)
            });
            assert_eq!(says_bad, !locale_reference(&w), "{w:?}");
            checked += 1;
            refused += usize::from(says_bad);
        }
    }
    assert!(
        checked > 14_000 && refused > 0 && refused < checked,
        "{checked} {refused}"
    );
}

#[test]
fn two_primary_entries_are_refused_one_is_not() {
    use billsync_core::{Contact, ContactPoint};
    let point = |primary| ContactPoint {
        label: None,
        value: "a@b.co".into(),
        primary,
    };
    for primaries in 0..4 {
        for others in 0..3 {
            let mut contact = Contact::new("A", "B");
            contact.emails = (0..primaries)
                .map(|_| point(true))
                .chain((0..others).map(|_| point(false)))
                .collect();
            let c = Customer::new("c1").with_primary_contact(contact);
            let flagged = c.validate().err().is_some_and(|e| {
                e.field_errors().iter().any(|f| {
                    f.path == "primary_contact.emails"
                        && f.message == "at most one entry may be primary"
                })
            });
            assert_eq!(flagged, primaries > 1, "{primaries} {others}");
        }
    }
}
