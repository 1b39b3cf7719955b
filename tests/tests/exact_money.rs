//! Money is exact end to end: an amount read from a JSON line (as a number or a string) goes to
//! every provider that carries money with the same digits, and an amount a provider cannot hold
//! is refused naming the field, never rounded.

use billsync::hyfin::{HyfinClient, HyfinConfig};
use billsync::payabli::{PayabliClient, PayabliConfig};
use billsync::rebilly::{RebillyClient, RebillyConfig};
use billsync::secrecy::SecretString;
use billsync::{Customer, ErrorKind, Payment, Upsert};
use billsync_tests::exact_numbers;
use proptest::prelude::*;

fn hyfin(currency: &str) -> HyfinClient {
    HyfinClient::new(
        HyfinConfig::builder()
            .base_url("https://partner.hyfin.test")
            .site_id("site-1")
            .api_token(SecretString::from("t"))
            .currency(currency)
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn rebilly() -> RebillyClient {
    RebillyClient::new(
        RebillyConfig::builder()
            .organization_id("org-1")
            .website_id("web-1")
            .api_key(SecretString::from("k"))
            .build()
            .unwrap(),
    )
    .unwrap()
}

fn payabli() -> PayabliClient {
    PayabliClient::new(
        PayabliConfig::builder()
            .entrypoint("entry-1")
            .api_token(SecretString::from("t"))
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// The exact text of the number at `pointer` in the body of the request that has one.
fn wire_text<R>(client: &dyn Upsert<R>, record: &R, pointer: &str) -> String
where
    R: billsync::Record,
{
    let requests = client.prepare(record).unwrap();
    requests
        .iter()
        .filter_map(|r| exact_numbers(r.body.as_deref()?).remove(pointer))
        .next()
        .unwrap_or_else(|| panic!("no {pointer} in {requests:?}"))
}

/// A payment JSON line with `amount` written as given (a JSON number, or a quoted string).
fn payment(amount: &str, currency: &str) -> Payment {
    let line = format!(
        r#"{{"external_id": "p-1", "customer_external_id": "c-1", "amount": {amount},
            "currency": "{currency}", "paid_at": "2024-05-02T18:45:09Z", "method": "card",
            "gateway_transaction_id": "gw-1", "method_display_name": "VISA **** 1111"}}"#
    );
    serde_json::from_str(&line).unwrap()
}

fn customer(balance: &str) -> Customer {
    serde_json::from_str(&format!(
        r#"{{"external_id": "c-1", "balance": {balance}}}"#
    ))
    .unwrap()
}

/// Decimal text as people write it: up to 15 integer digits, up to 2 decimal places that carry
/// value, sometimes trailing zeros past them.
fn decimal_text() -> impl Strategy<Value = (String, String)> {
    (
        prop_oneof![Just("0".to_owned()), "[1-9][0-9]{0,14}"],
        "[0-9]{0,2}",
        0usize..3,
    )
        .prop_map(|(int, frac, zeros)| {
            let mut text = int.clone();
            if !frac.is_empty() || zeros > 0 {
                text = format!("{int}.{frac}{}", "0".repeat(zeros));
            }
            // What the provider must receive: the same value with exactly two places.
            let want = format!("{int}.{frac:0<2}");
            (text, want)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_decimals_reach_every_provider_with_the_same_digits(
        (text, want) in decimal_text(),
        quoted in any::<bool>(),
    ) {
        let written = if quoted { format!("\"{text}\"") } else { text.clone() };
        let p = payment(&written, "USD");
        prop_assert_eq!(wire_text::<Payment>(&hyfin("USD"), &p, "/amount"), want.clone());
        prop_assert_eq!(wire_text::<Payment>(&rebilly(), &p, "/amount"), want.clone());
        let c = customer(&written);
        prop_assert_eq!(wire_text::<Customer>(&payabli(), &c, "/balance"), want);
    }

    #[test]
    fn a_third_decimal_place_is_refused_naming_the_field_never_rounded(
        int in prop_oneof![Just("0".to_owned()), "[1-9][0-9]{0,14}"],
        cents in "[0-9]{2}",
        last in 1u8..10,
    ) {
        let amount = format!("{int}.{cents}{last}");
        let err = payabli().prepare(&customer(&amount)).unwrap_err();
        prop_assert!(matches!(err.kind(), ErrorKind::InvalidInput));
        prop_assert_eq!(err.field_errors()[0].path.as_str(), "balance");
        let p = payment(&amount, "USD");
        for err in [
            Upsert::<Payment>::prepare(&hyfin("USD"), &p).unwrap_err(),
            Upsert::<Payment>::prepare(&rebilly(), &p).unwrap_err(),
        ] {
            prop_assert_eq!(err.field_errors()[0].path.as_str(), "amount");
        }
    }
}

#[test]
fn seventeen_significant_digits_survive_a_json_number() {
    let p = payment("123456789012345.67", "USD");
    assert_eq!(
        wire_text(&hyfin("USD"), &p, "/amount"),
        "123456789012345.67"
    );
    assert_eq!(wire_text(&rebilly(), &p, "/amount"), "123456789012345.67");
    let c = customer("12345678901234567.89");
    assert_eq!(
        wire_text(&payabli(), &c, "/balance"),
        "12345678901234567.89"
    );
}

#[test]
fn payabli_balance_of_a_tenth_of_a_cent_is_refused_not_rounded() {
    let err = payabli().prepare(&customer("10.125")).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidInput));
    let fields = err.field_errors();
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].path, "balance");
    assert!(
        fields[0]
            .message
            .contains("10.125 has 3 decimal places and payabli holds 2"),
        "{}",
        fields[0].message
    );
}

#[test]
fn hyfin_refuses_a_third_place_even_where_the_currency_has_one() {
    // The Kuwaiti dinar has three minor units; Hyfin documents amounts as `0.00`.
    let mut p = payment("1.125", "KWD");
    p.tip = Some("0.5".parse().unwrap());
    let err = Upsert::<Payment>::prepare(&hyfin("KWD"), &p).unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["amount"]);
    p.amount = "1.12".parse().unwrap();
    assert_eq!(wire_text(&hyfin("KWD"), &p, "/amount"), "1.12");
    assert_eq!(wire_text(&hyfin("KWD"), &p, "/tip"), "0.50");
}
