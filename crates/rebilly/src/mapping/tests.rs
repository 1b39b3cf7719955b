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

#[test]
fn the_byte_table_allows_what_the_id_rule_allows() {
    for b in 0..=255u8 {
        let rule = b.is_ascii() && is_resource_id_char(char::from(b));
        assert_eq!(RESOURCE_ID_BYTES[usize::from(b)], rule, "{b}");
    }
}
