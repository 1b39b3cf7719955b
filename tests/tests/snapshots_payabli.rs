//! Every canonical customer fixture rendered into the exact requests Payabli would receive, and
//! proof that every field of the seed document is reachable.

use std::collections::BTreeSet;
use std::sync::Arc;

use billsync::payabli::{PayabliClient, PayabliConfig};
use billsync::secrecy::SecretString;
use billsync::{ErrorKind, IdMap, MemoryIdMap, Provider, RecordKind, Upsert};
use billsync_tests::{customer, customers, payment, rendered};

const TOKEN: &str = "payabli-snapshot-token-123";
const PORTAL_PASSWORD: &str = "correct-horse-battery";

fn client() -> PayabliClient {
    PayabliClient::new(
        PayabliConfig::builder()
            .entrypoint("entry-test")
            .api_token(SecretString::from(TOKEN))
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// The idempotency key is random per upsert: present, but redacted for the snapshot.
fn without_random_keys(mut value: serde_json::Value) -> serde_json::Value {
    if let Some(requests) = value.get_mut("requests").and_then(|r| r.as_array_mut()) {
        for r in requests {
            if let Some(key) = r.pointer_mut("/headers/idempotencykey") {
                assert_eq!(
                    key.as_str().map(str::len),
                    Some(36),
                    "a UUID key on every create"
                );
                *key = serde_json::Value::String("[random uuid]".into());
            }
        }
    }
    value
}

#[test]
fn every_customer_fixture() {
    let client = client();
    for (name, c) in customers() {
        let value = without_random_keys(rendered(Upsert::prepare(&client, &c)));
        let text = value.to_string();
        assert!(
            !text.contains(TOKEN) && !text.contains(PORTAL_PASSWORD),
            "{text}"
        );
        insta::assert_json_snapshot!(format!("payabli__customer__{name}"), value);
    }
}

#[test]
fn a_known_customer_is_one_put() {
    let ids = Arc::new(MemoryIdMap::new());
    let client = client().with_id_map(ids.clone());
    ids.put(
        client.account(),
        RecordKind::Customer,
        "cust-full-1001",
        "4242",
    )
    .unwrap();
    let value = rendered(Upsert::prepare(&client, &customer("full")));
    insta::assert_json_snapshot!("payabli__customer__full__known_id", value);
}

/// An update sends `null` for every field the record does not have, so Payabli clears it; it
/// sends no `customerStatus` when the record has none, and a custom field given as `null`.
#[test]
fn an_update_clears_what_the_record_does_not_have() {
    let mut c = customer("minimal").without_custom_field("old_promo");
    let ids = Arc::new(MemoryIdMap::new());
    let client = client().with_id_map(ids.clone());
    ids.put(
        client.account(),
        RecordKind::Customer,
        &c.external_id,
        "4243",
    )
    .unwrap();
    let value = rendered(Upsert::prepare(&client, &c));
    insta::assert_json_snapshot!("payabli__customer__minimal__known_id", value);

    // A create of the same record leaves those fields out instead.
    let create = rendered(Upsert::prepare(&self::client(), &c));
    let body = &create["requests"][1]["body"];
    assert_eq!(body.get("company"), None, "{body}");
    assert_eq!(body.get("customerStatus"), None, "{body}");
    assert_eq!(
        body["additionalFields"]["old_promo"],
        serde_json::Value::Null
    );

    // A status given is sent, on an update too.
    c.status = Some(billsync::CustomerStatus::Inactive);
    let value = rendered(Upsert::prepare(&client, &c));
    assert_eq!(value["requests"][0]["body"]["customerStatus"], 0);
}

#[test]
fn payments_are_unsupported() {
    let client: Box<dyn Provider> = Box::new(client());
    let err = client
        .prepare_payment(&payment("card_captured_hyfin_seed"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    assert_eq!(err.provider(), Some("payabli"));
}

/// `payabli-customer-create.txt`: every request field of the seed appears in some snapshot body.
#[test]
fn every_seed_field_is_reachable() {
    let seed = [
        "additionalFields",
        "address",
        "address1",
        "balance",
        "city",
        "company",
        "country",
        "createdAt",
        "customerNumber",
        "customerPsw",
        "customerStatus",
        "customerUsername",
        "email",
        "firstname",
        "identifierFields",
        "lastname",
        "phone",
        "shippingAddress",
        "shippingAddress1",
        "shippingCity",
        "shippingCountry",
        "shippingState",
        "shippingZip",
        "state",
        "timeZone",
        "zip",
    ];
    let client = client();
    let mut seen = BTreeSet::new();
    for (_, c) in customers() {
        if let Ok(requests) = Upsert::prepare(&client, &c) {
            for r in requests {
                if let Some(serde_json::Value::Object(body)) = r.body_json() {
                    seen.extend(body.keys().cloned());
                }
            }
        }
    }
    let missing: Vec<&str> = seed
        .iter()
        .copied()
        .filter(|f| !seen.contains(*f))
        .collect();
    assert!(missing.is_empty(), "seed fields never sent: {missing:?}");
}
