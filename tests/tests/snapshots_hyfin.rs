//! Every canonical fixture rendered into the exact requests Hyfin would receive, and the seed
//! documents' sample requests reproduced from canonical records.

use std::sync::Arc;

use billsync::hyfin::{HyfinClient, HyfinConfig, HyfinCustomerApi};
use billsync::secrecy::SecretString;
use billsync::{IdMap, MemoryIdMap, RecordKind, Upsert};
use billsync_tests::{customer, customers, payment, payments, rendered};
use serde_json::json;

const TOKEN: &str = "hyfin-snapshot-token-123";
const PARENT_ID: &str = "60f720d248f143332af022e0";

/// A client whose id map already knows the records the fixtures refer to: the parent customer
/// and the two contacts of the multi-contact fixture (ids from Hyfin's own sample).
fn client() -> HyfinClient {
    let config = HyfinConfig::builder()
        .base_url("https://partner.hyfin.test")
        .site_id("site-123")
        .api_token(SecretString::from(TOKEN))
        .build()
        .unwrap();
    let account = config.account();
    let ids = MemoryIdMap::new();
    ids.put(
        &account,
        RecordKind::Customer,
        "cust-abc-plumbing",
        PARENT_ID,
    )
    .unwrap();
    ids.put(
        &account,
        RecordKind::Contact,
        "contact-7-owner",
        "6839e415564d3cc21603221e",
    )
    .unwrap();
    ids.put(
        &account,
        RecordKind::Contact,
        "contact-7-office",
        "6839e415564d3cc2160t623c",
    )
    .unwrap();
    HyfinClient::new(config).unwrap().with_id_map(Arc::new(ids))
}

fn fresh_client() -> HyfinClient {
    client().with_id_map(Arc::new(MemoryIdMap::new()))
}

#[test]
fn every_customer_fixture() {
    let client = client();
    for (name, c) in customers() {
        let value = rendered(Upsert::prepare(&client, &c));
        assert!(!value.to_string().contains(TOKEN));
        insta::assert_json_snapshot!(format!("hyfin__customer__{name}"), value);
    }
}

/// The external-id customer API: one `customer/addUpdate` keyed by `external_id`, whatever the
/// client remembers (so the client is the one that knows the parent and contacts, and still
/// sends no Hyfin id).
#[test]
fn every_customer_fixture_with_the_v3_api() {
    let client = HyfinClient::new(
        HyfinConfig::builder()
            .base_url("https://partner.hyfin.test")
            .site_id("site-123")
            .api_token(SecretString::from(TOKEN))
            .customer_api(HyfinCustomerApi::V3)
            .build()
            .unwrap(),
    )
    .unwrap()
    .with_id_map(client().id_map().clone());
    for (name, c) in customers() {
        let value = rendered(Upsert::prepare(&client, &c));
        assert!(!value.to_string().contains(TOKEN));
        insta::assert_json_snapshot!(format!("hyfin__customer_v3__{name}"), value);
    }
}

#[test]
fn every_payment_fixture() {
    let client = client();
    for (name, p) in payments() {
        let value = rendered(Upsert::prepare(&client, &p));
        assert!(!value.to_string().contains(TOKEN));
        insta::assert_json_snapshot!(format!("hyfin__payment__{name}"), value);
    }
}

#[test]
fn customer_with_unsynced_contacts_and_parent() {
    let client = fresh_client();
    insta::assert_json_snapshot!(
        "hyfin__customer__multi_contact_unsynced",
        rendered(Upsert::prepare(&client, &customer("multi_contact")))
    );
    insta::assert_json_snapshot!(
        "hyfin__customer__parent_child_unsynced_parent",
        rendered(Upsert::prepare(&client, &customer("parent_child")))
    );
}

fn body(requests: Vec<billsync::PreparedRequest>, index: usize) -> serde_json::Value {
    requests[index].body_json().unwrap()
}

/// `hyfin-customer-add-update.txt`, "Sample Request (Add a Customer with a single contact)".
#[test]
fn seed_customer_with_a_single_contact_is_reproduced() {
    let requests =
        Upsert::prepare(&fresh_client(), &customer("hyfin_seed_single_contact")).unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.as_str(),
        "https://partner.hyfin.test/api/v4/site/site-123/customer/addUpdate"
    );
    let seed = json!({
      "display_name": "ABC Plumbing",
      "primary_contact": {
        "first_name": "John",
        "last_name": "Doe",
        "mobile_phone": "333-444-5555",
        "email": "johndoe@abc.com",
        "billing_address": {
          "address_line1": "123 Main Street",
          "address_line2": "Suite 123",
          "city": "Naples",
          "state_code": "FL",
          "zip_code": "34102"
        }
      }
    });
    assert_eq!(body(requests, 0), seed);
}

/// `hyfin-customer-add-update.txt`, "Sample Request (Add a Customer with multiple contacts)", once
/// the contacts' ids are known.
#[test]
fn seed_customer_with_multiple_contacts_is_reproduced() {
    let mut c = customer("multi_contact");
    // The seed sample is a create: no Hyfin id for the customer yet.
    c.external_id = "cust-multi-new".into();
    let requests = Upsert::prepare(&client(), &c).unwrap();
    assert_eq!(requests.len(), 3, "two contact updates, then the customer");
    let seed = json!({
      "display_name": "ABC Plumbing",
      "contacts": [
        { "_id": "6839e415564d3cc21603221e", "isPrimary": true },
        { "_id": "6839e415564d3cc2160t623c", "isPrimary": false }
      ]
    });
    assert_eq!(body(requests, 2), seed);
}

/// `hyfin-payment-add-update.txt`, "Sample Request".
#[test]
fn seed_payment_is_reproduced() {
    let requests = Upsert::prepare(&client(), &payment("card_captured_hyfin_seed")).unwrap();
    assert_eq!(
        requests[0].url.as_str(),
        "https://partner.hyfin.test/api/v3/site/site-123/payment/addUpdate"
    );
    let seed = json!({
      "external_id": "65432325",
      "gateway_transaction_id": "53912387124235234",
      "payment_type": "payment_card",
      "payment_sub_type": "visa",
      "display_name": "VISA **** 5123",
      "amount": 35.15,
      "paid_on": "2021-01-01T14:32:18Z",
      "status": "captured",
      "invoice": {
        "external_id": "65432661"
      }
    });
    assert_eq!(body(requests.clone(), 0), seed);
    // The exact bytes carry the amount as the decimal's digits, not a float rendering.
    let bytes = String::from_utf8(requests[0].body.as_ref().unwrap().to_vec()).unwrap();
    assert!(bytes.contains(r#""amount":35.15,"#), "{bytes}");
}

#[test]
fn amounts_are_exact_two_decimal_numbers_on_the_wire() {
    let requests = Upsert::prepare(&client(), &payment("card_authorized_tip_tax_fee")).unwrap();
    let bytes = String::from_utf8(requests[0].body.as_ref().unwrap().to_vec()).unwrap();
    for expected in [
        r#""amount":1999.90"#,
        r#""tip":20.00"#,
        r#""tax":164.99"#,
        r#""fee":3.50"#,
    ] {
        assert!(bytes.contains(expected), "{expected} not in {bytes}");
    }
}
