use super::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Amount {
    #[serde(with = "decimal")]
    v: Decimal,
}

#[derive(Debug, Deserialize)]
struct Maybe {
    #[serde(default, with = "opt_decimal")]
    v: Option<Decimal>,
}

fn read(json: &str) -> Result<String, String> {
    serde_json::from_str::<Amount>(json)
        .map(|a| a.v.to_string())
        .map_err(|e| e.to_string())
}

#[test]
fn reads_numbers_and_strings_exactly() {
    for (json, want) in [
        (r#"{"v": 35.15}"#, "35.15"),
        (r#"{"v": "35.15"}"#, "35.15"),
        (r#"{"v": 35.10}"#, "35.10"),
        (r#"{"v": 0.1}"#, "0.1"),
        (r#"{"v": 12}"#, "12"),
        (r#"{"v": -0.5}"#, "-0.5"),
        (r#"{"v": 1.5e3}"#, "1500"),
        (r#"{"v": 125E-2}"#, "1.25"),
        (r#"{"v": " 7.25 "}"#, "7.25"),
        (r#"{"v": "123456789012345678.99"}"#, "123456789012345678.99"),
    ] {
        assert_eq!(read(json).as_deref(), Ok(want), "{json}");
    }
}

#[test]
fn json_numbers_are_read_from_their_text() {
    // 17 and 20 significant digits: an f64 holds neither (it reads 12345678901234567.89 as
    // 12345678901234568). This also proves serde_json's raw-value token is still the one used.
    assert_eq!(
        read(r#"{"v": 123456789012345.67}"#).as_deref(),
        Ok("123456789012345.67")
    );
    assert_eq!(
        read(r#"{"v": 12345678901234567.89}"#).as_deref(),
        Ok("12345678901234567.89")
    );
    // The same through a reader and through a `serde_json::Value` (the CLI's CSV path).
    let a: Amount = serde_json::from_reader(&br#"{"v": 1234567890123456.78}"#[..]).unwrap();
    assert_eq!(a.v.to_string(), "1234567890123456.78");
    let v = serde_json::json!({"v": "98765432109876543.21"});
    assert_eq!(
        serde_json::from_value::<Amount>(v).unwrap().v.to_string(),
        "98765432109876543.21"
    );
}

#[test]
fn what_is_not_an_exact_amount_is_refused_not_rounded() {
    for json in [
        r#"{"v": "12,50"}"#,
        r#"{"v": "1_000"}"#,
        r#"{"v": "NaN"}"#,
        r#"{"v": ".5"}"#,
        r#"{"v": "5."}"#,
        r#"{"v": "+5"}"#,
        r#"{"v": ""}"#,
        r#"{"v": true}"#,
        r#"{"v": [1]}"#,
        r#"{"v": null}"#,
        r#"{"v": {"a": 1}}"#,
    ] {
        assert!(read(json).is_err(), "{json} was accepted");
    }
    // 30 significant digits, and 29 decimal places: a Decimal holds neither exactly.
    let e = read(r#"{"v": 123456789012345678901234567890}"#).unwrap_err();
    assert!(e.contains("more significant digits"), "{e}");
    let e = read(r#"{"v": 0.00000000000000000000000000001}"#).unwrap_err();
    assert!(e.contains("more than 28 decimal places"), "{e}");
    // Trailing zeros past 28 places carry no value and are accepted.
    assert_eq!(
        read(r#"{"v": "1.000000000000000000000000000000"}"#)
            .map(|s| s.trim_end_matches('0').to_owned()),
        Ok("1.".to_owned())
    );
    let zero = read(r#"{"v": 0e-99}"#).unwrap();
    assert!(zero.parse::<Decimal>().unwrap().is_zero(), "{zero}");
}

#[test]
fn optional_amounts_read_null_and_absence_as_none() {
    let m: Maybe = serde_json::from_str(r#"{"v": null}"#).unwrap();
    assert_eq!(m.v, None);
    let m: Maybe = serde_json::from_str("{}").unwrap();
    assert_eq!(m.v, None);
    let m: Maybe = serde_json::from_str(r#"{"v": 99999999999999.99}"#).unwrap();
    assert_eq!(m.v.unwrap().to_string(), "99999999999999.99");
    let m: Maybe = serde_json::from_value(serde_json::json!({"v": "0.10"})).unwrap();
    assert_eq!(m.v.unwrap().to_string(), "0.10");
}

#[test]
fn wire_amount_is_an_exact_json_number_and_never_rounds() {
    let text = |d: &str, scale| {
        serde_json::to_string(&WireAmount::with_scale(d.parse().unwrap(), scale)).unwrap()
    };
    assert_eq!(text("35.1", 2), "35.10");
    assert_eq!(text("35.100", 2), "35.10");
    assert_eq!(text("123456789012345678.99", 2), "123456789012345678.99");
    assert_eq!(text("5000", 0), "5000");
    assert_eq!(text("-0.00", 2), "0.00");
    // More places than the scale: kept, not rounded (mapping refuses these first).
    assert_eq!(text("10.125", 2), "10.125");
}

#[test]
fn places_beyond_what_a_holder_keeps_are_a_field_error() {
    let mut v = Validator::new();
    check_places(&mut v, "balance", "10.125".parse().unwrap(), 2, "payabli");
    check_places(&mut v, "tip", "10.120".parse().unwrap(), 2, "payabli");
    let errors = v.into_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, "balance");
    assert!(errors[0].message.contains("10.125 has 3 decimal places"));
    assert!(errors[0].message.contains("payabli holds 2"));
}
