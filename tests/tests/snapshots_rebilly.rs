//! Every canonical fixture rendered into the exact request Rebilly would receive (or the
//! validation error, for fixtures Rebilly cannot take), and the seed document's sample request
//! reproduced from a canonical record.

use billsync::rebilly::{IdPolicy, RebillyClient, RebillyConfig, Revision, Unmapped};
use billsync::secrecy::SecretString;
use billsync::{Customer, Payment, Upsert};
use billsync_tests::{customer, customers, payments, rendered};
use serde_json::json;

const KEY: &str = "rebilly-snapshot-key-123";

fn config() -> billsync::rebilly::RebillyConfigBuilder {
    RebillyConfig::builder()
        .organization_id("org-test")
        .website_id("web-test")
        .api_key(SecretString::from(KEY))
}

fn client() -> RebillyClient {
    RebillyClient::new(config().build().unwrap()).unwrap()
}

/// The explicit, documented option for ids the default refuses: derived ids for ids outside
/// Rebilly's rule.
fn lenient_client() -> RebillyClient {
    RebillyClient::new(config().id_policy(IdPolicy::Hash).build().unwrap()).unwrap()
}

/// Fields Rebilly cannot store are refused, one error per field, under `Unmapped::Reject`.
#[test]
fn unmapped_fields_are_refused_when_asked() {
    let strict = RebillyClient::new(config().unmapped(Unmapped::Reject).build().unwrap()).unwrap();
    for name in ["full", "multi_contact", "parent_child"] {
        let value = rendered(Upsert::<Customer>::prepare(
            &strict,
            &billsync_tests::customer(name),
        ));
        insta::assert_json_snapshot!(format!("rebilly__customer__{name}__strict"), value);
    }
    let value = rendered(Upsert::<Payment>::prepare(
        &strict,
        &billsync_tests::payment("card_authorized_tip_tax_fee"),
    ));
    insta::assert_json_snapshot!(
        "rebilly__payment__card_authorized_tip_tax_fee__strict",
        value
    );
}

fn snapshot<R>(prefix: &str, name: &str, records: &[(&str, &RebillyClient)], record: &R)
where
    RebillyClient: Upsert<R>,
    R: billsync::Record,
{
    for (suffix, client) in records {
        let result = Upsert::prepare(*client, record);
        let failed = result.is_err();
        let value = rendered(result);
        let text = value.to_string();
        assert!(!text.contains(KEY), "{text}");
        insta::assert_json_snapshot!(format!("rebilly__{prefix}__{name}{suffix}"), value);
        if !failed {
            break;
        }
    }
}

#[test]
fn every_customer_fixture() {
    let (strict, lenient) = (client(), lenient_client());
    let clients = [("", &strict), ("__lenient", &lenient)];
    for (name, c) in customers() {
        snapshot::<Customer>("customer", &name, &clients, &c);
    }
}

#[test]
fn every_payment_fixture() {
    let (strict, lenient) = (client(), lenient_client());
    let clients = [("", &strict), ("__lenient", &lenient)];
    for (name, p) in payments() {
        snapshot::<Payment>("payment", &name, &clients, &p);
    }
}

/// Rendered bodies are parsed JSON values, which print `2500.00` as `2500.0`; the bytes sent are
/// exact, with the currency's minor units.
#[test]
fn amounts_are_sent_as_exact_decimals() {
    for (name, amount) in [
        ("ach_settled", "\"amount\":2500.00,"),
        ("card_captured_hyfin_seed", "\"amount\":35.15,"),
        ("jpy_no_minor_units", "\"amount\":5000,"),
    ] {
        let client = if name == "jpy_no_minor_units" {
            lenient_client()
        } else {
            client()
        };
        let requests = Upsert::prepare(&client, &billsync_tests::payment(name)).unwrap();
        let bytes = String::from_utf8_lossy(requests[0].body.as_ref().unwrap()).into_owned();
        assert!(bytes.contains(amount), "{name}: {bytes}");
    }
}

#[test]
fn full_customer_under_the_legacy_revision() {
    let client = RebillyClient::new(
        config()
            .schema_revision(Revision::Legacy2025)
            .unmapped(Unmapped::Drop)
            .build()
            .unwrap(),
    )
    .unwrap();
    let value = rendered(Upsert::prepare(&client, &customer("full")));
    assert!(!value.to_string().contains(KEY));
    insta::assert_json_snapshot!("rebilly__customer__full__legacy2025", value);
}

#[test]
fn jwt_never_renders() {
    let client = RebillyClient::new(
        RebillyConfig::builder()
            .organization_id("org-test")
            .jwt(SecretString::from("jwt-snapshot-token-456"))
            .build()
            .unwrap(),
    )
    .unwrap();
    let requests = Upsert::prepare(&client, &customer("minimal")).unwrap();
    let text = format!("{}{:?}", requests[0], requests[0]);
    assert!(!text.contains("jwt-snapshot-token-456"), "{text}");
    assert!(text.contains("authorization: [redacted]"), "{text}");
}

/// `rebilly-customer-upsert.txt`, the request body sample, reproduced from the `rebilly_seed`
/// fixture under the legacy 2025 revision (which the sample shows: `isEddRequired` and a
/// writable `defaultPaymentInstrument` object).
///
/// The sample's `paymentToken: "string"` is left out of the comparison: a payment token is a
/// single-use value from Rebilly's tokenization, which the canonical model does not carry.
#[test]
fn seed_customer_sample_is_reproduced_under_the_legacy_revision() {
    let client = RebillyClient::new(
        RebillyConfig::builder()
            .organization_id("org-test")
            .website_id("web_0YV7DE4Z26DQSA1AC92FBJ7SEG")
            .api_key(SecretString::from(KEY))
            .schema_revision(Revision::Legacy2025)
            .build()
            .unwrap(),
    )
    .unwrap();
    let requests = Upsert::prepare(&client, &customer("rebilly_seed")).unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method.as_str(), "PUT");
    assert_eq!(
        requests[0].url.as_str(),
        "https://api-sandbox.rebilly.com/organizations/org-test/customers/cus-franklin-01"
    );
    let mut seed = json!({
      "websiteId": "web_0YV7DE4Z26DQSA1AC92FBJ7SEG",
      "paymentToken": "string",
      "defaultPaymentInstrument": {
        "method": "payment-card",
        "paymentInstrumentId": "4f6cf35x-2c4y-483z-a0a9-158621f77a21"
      },
      "customFields": {
        "foo": "bar"
      },
      "primaryAddress": {
        "firstName": "Benjamin",
        "lastName": "Franklin",
        "organization": "Rebilly",
        "address": "36 Craven St",
        "address2": "string",
        "city": "Austin",
        "region": "Texas",
        "country": "GB",
        "postalCode": "WC2N 5NF",
        "phoneNumbers": [
          { "label": "main", "value": "512-710-1640", "primary": true }
        ],
        "emails": [
          { "label": "main", "value": "rebilly@example.com", "primary": true }
        ],
        "dob": "1980-04-01",
        "jobTitle": "CEO"
      },
      "isEddRequired": false
    });
    seed.as_object_mut().unwrap().remove("paymentToken");
    assert_eq!(requests[0].body_json().unwrap(), seed);

    // Today's definitions: the same record writes `defaultPaymentInstrumentId` and no
    // `isEddRequired`.
    let current = RebillyClient::new(
        RebillyConfig::builder()
            .organization_id("org-test")
            .website_id("web_0YV7DE4Z26DQSA1AC92FBJ7SEG")
            .api_key(SecretString::from(KEY))
            .build()
            .unwrap(),
    )
    .unwrap();
    let body = Upsert::prepare(&current, &customer("rebilly_seed")).unwrap()[0]
        .body_json()
        .unwrap();
    let object = seed.as_object_mut().unwrap();
    object.remove("isEddRequired");
    object.remove("defaultPaymentInstrument");
    object.insert(
        "defaultPaymentInstrumentId".into(),
        json!("4f6cf35x-2c4y-483z-a0a9-158621f77a21"),
    );
    assert_eq!(body, seed);
}
