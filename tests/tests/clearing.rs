//! Updates make the provider hold what the record says now: a field removed from the canonical
//! record is cleared where the provider's API allows it, a status that is not given is left to
//! the provider, and money arrives exactly. Each test writes through the real client to the
//! sandbox and reads back, field by field, what the sandbox stored.

use std::sync::Arc;

use billsync::hyfin::{HyfinClient, HyfinConfig};
use billsync::payabli::{PayabliClient, PayabliConfig};
use billsync::rebilly::{RebillyClient, RebillyConfig};
use billsync::secrecy::SecretString;
use billsync::{
    Address, Contact, Customer, CustomerStatus, MemoryIdMap, Outcome, Payment, PaymentMethod,
    PaymentStatus, PortalLogin, Upsert,
};
use billsync_sandbox::{
    DEFAULT_HYFIN_TOKEN, DEFAULT_PAYABLI_TOKEN, DEFAULT_REBILLY_KEY, Provider, Sandbox,
};
use serde_json::{Value, json};

fn payabli(sandbox: &Sandbox) -> PayabliClient {
    PayabliClient::new(
        PayabliConfig::builder()
            .base_url(sandbox.payabli_base_url())
            .entrypoint("entry-clearing")
            .api_token(SecretString::from(DEFAULT_PAYABLI_TOKEN))
            .build()
            .unwrap(),
    )
    .unwrap()
    .with_id_map(Arc::new(MemoryIdMap::new()))
}

fn rebilly(sandbox: &Sandbox) -> RebillyClient {
    RebillyClient::new(
        RebillyConfig::builder()
            .base_url(sandbox.rebilly_base_url())
            .organization_id("org-clearing")
            .website_id("web-clearing")
            .api_key(SecretString::from(DEFAULT_REBILLY_KEY))
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// The one stored record whose `key` is `value`.
fn stored(sandbox: &Sandbox, provider: Provider, key: &str, value: &str) -> Value {
    let mut found: Vec<Value> = sandbox
        .records(provider, "customer")
        .into_iter()
        .filter(|r| r.get(key).and_then(Value::as_str) == Some(value))
        .collect();
    assert_eq!(found.len(), 1, "one record with {key} = {value}: {found:?}");
    found.remove(0)
}

fn full_customer() -> Customer {
    let mut c = Customer::new("clear-1")
        .with_company("Franklin Printing")
        .with_primary_contact(
            Contact::new("Ada", "Lovelace")
                .with_email("ada@example.com")
                .with_phone("512-710-1640")
                .with_billing_address(
                    Address::new("36 Craven St", "Austin", "TX", "78701", "US")
                        .with_line2("Floor 2"),
                ),
        )
        .with_shipping_address(Address::new(
            "500 Warehouse Rd",
            "Round Rock",
            "TX",
            "78664",
            "US",
        ))
        .with_custom_field("tier", "gold")
        .with_custom_field("promo", "spring")
        .with_status(CustomerStatus::Inactive);
    c.balance = Some("125.50".parse().unwrap());
    c.utc_offset_hours = Some(-6);
    c.portal_login = Some(PortalLogin {
        username: "ada".into(),
        password: SecretString::from("correct-horse"),
    });
    c
}

#[tokio::test]
async fn payabli_clears_removed_fields_and_keeps_a_status_not_given() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = payabli(&sandbox);
    let created = client.upsert(&full_customer()).await.unwrap();
    assert_eq!(created.outcome, Outcome::Created);
    let before = stored(&sandbox, Provider::Payabli, "customerNumber", "clear-1");
    assert_eq!(before["Company"], "Franklin Printing");
    assert_eq!(before["Balance"], 125.5);
    assert_eq!(before["customerStatus"], 0);

    // The same customer without company, phone, second address line, shipping address,
    // balance, time zone, portal login or status; one custom field asked to be removed.
    let mut edited = full_customer().without_custom_field("promo");
    edited.company = None;
    edited.shipping_address = None;
    edited.balance = None;
    edited.utc_offset_hours = None;
    edited.portal_login = None;
    edited.status = None;
    if let Some(contact) = edited.primary_contact.as_mut() {
        contact.phones.clear();
        if let Some(a) = contact.billing_address.as_mut() {
            a.line2 = None;
        }
    }
    let updated = client.upsert(&edited).await.unwrap();
    assert_eq!(updated.outcome, Outcome::Updated);
    assert_eq!(updated.provider_id, created.provider_id);

    let after = stored(&sandbox, Provider::Payabli, "customerNumber", "clear-1");
    for cleared in [
        "Company",
        "Phone",
        "Address1",
        "ShippingAddress",
        "ShippingAddress1",
        "ShippingCity",
        "ShippingState",
        "ShippingZip",
        "ShippingCountry",
        "Balance",
        "TimeZone",
        "customerUsername",
    ] {
        assert_eq!(after[cleared], Value::Null, "{cleared} still held: {after}");
    }
    assert_eq!(after["AdditionalFields"]["promo"], Value::Null, "{after}");
    // What the record still has is still there; the status it did not give is Payabli's.
    assert_eq!(after["AdditionalFields"]["tier"], "gold");
    assert_eq!(after["Firstname"], "Ada");
    assert_eq!(after["Lastname"], "Lovelace");
    assert_eq!(after["Email"], "ada@example.com");
    assert_eq!(after["Address"], "36 Craven St");
    assert_eq!(after["City"], "Austin");
    assert_eq!(after["Zip"], "78701");
    assert_eq!(
        after["customerStatus"], 0,
        "an inactive customer stays inactive"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn payabli_create_without_a_status_sends_none_and_an_update_leaves_a_lock() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = payabli(&sandbox);
    let c = Customer::new("clear-2").with_primary_contact(Contact::new("Bo", "Locke"));
    let body = client.prepare(&c).unwrap()[1].body_json().unwrap();
    assert_eq!(body.get("customerStatus"), None, "{body}");
    client.upsert(&c).await.unwrap();
    // Payabli (here another writer) locks the customer; a sync without a status keeps it.
    client
        .upsert(&c.clone().with_status(CustomerStatus::Locked))
        .await
        .unwrap();
    assert_eq!(
        stored(&sandbox, Provider::Payabli, "customerNumber", "clear-2")["customerStatus"],
        85
    );
    client.upsert(&c).await.unwrap();
    assert_eq!(
        stored(&sandbox, Provider::Payabli, "customerNumber", "clear-2")["customerStatus"],
        85
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn rebilly_put_replaces_so_removed_fields_are_gone() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = rebilly(&sandbox);
    let mut c = Customer::new("clear-3")
        .with_company("Franklin Printing")
        .with_primary_contact(
            Contact::new("Ada", "Lovelace")
                .with_email("ada@example.com")
                .with_billing_address(Address::new("36 Craven St", "Austin", "TX", "78701", "US")),
        )
        .with_custom_field("tier", "gold");
    c.locale = Some("en-US".into());
    client.upsert(&c).await.unwrap();
    let before = stored(&sandbox, Provider::Rebilly, "id", "clear-3");
    assert_eq!(
        before["primaryAddress"]["organization"],
        "Franklin Printing"
    );
    assert_eq!(before["customFields"], json!({"tier": "gold"}));

    let mut edited = c.clone().without_custom_field("tier");
    edited.company = None;
    edited.locale = None;
    if let Some(contact) = edited.primary_contact.as_mut() {
        contact.billing_address = None;
    }
    client.upsert(&edited).await.unwrap();
    let after = stored(&sandbox, Provider::Rebilly, "id", "clear-3");
    let address = &after["primaryAddress"];
    for cleared in [
        "organization",
        "address",
        "city",
        "region",
        "postalCode",
        "country",
    ] {
        assert!(
            address.get(cleared).is_none_or(Value::is_null),
            "{cleared} still held: {after}"
        );
    }
    assert_eq!(after["locale"], Value::Null);
    assert_eq!(after["customFields"], json!({}));
    assert_eq!(address["firstName"], "Ada");
    assert_eq!(after["email"], "ada@example.com");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn hyfin_payment_status_not_given_is_left_as_hyfin_holds_it() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = HyfinClient::new(
        HyfinConfig::builder()
            .base_url(sandbox.hyfin_base_url())
            .site_id("site-clearing")
            .api_token(SecretString::from(DEFAULT_HYFIN_TOKEN))
            .build()
            .unwrap(),
    )
    .unwrap();
    let paid_at = "2024-05-02T18:45:09Z".parse().unwrap();
    let p = Payment::new(
        "pay-keep-1",
        "c-1",
        "35.10".parse().unwrap(),
        "USD",
        paid_at,
    )
    .with_method(PaymentMethod::Card)
    .with_gateway_transaction_id("gw-1")
    .with_method_display_name("VISA **** 1111");
    let body = Upsert::<Payment>::prepare(&client, &p).unwrap()[0]
        .body_json()
        .unwrap();
    assert_eq!(body.get("status"), None, "{body}");
    assert_eq!(body.get("active"), None, "{body}");
    let stored_payment = || {
        let all = sandbox.records(Provider::Hyfin, "payment");
        assert_eq!(all.len(), 1, "{all:?}");
        all.into_iter().next().unwrap()
    };
    client.upsert(&p).await.unwrap();
    assert_eq!(stored_payment()["status"], "captured", "Hyfin's default");
    assert_eq!(stored_payment()["amount"], 35.1);
    // The refund is recorded (here by a sync that gives it); a later sync without a status
    // leaves it, where it used to send `captured` back.
    client
        .upsert(&p.clone().with_status(PaymentStatus::Refunded))
        .await
        .unwrap();
    client.upsert(&p).await.unwrap();
    assert_eq!(stored_payment()["status"], "refunded");
    // An inactive payment is reactivated by a record that says so.
    client.upsert(&p.clone().with_active(false)).await.unwrap();
    assert_eq!(stored_payment()["active"], false);
    client.upsert(&p.clone().with_active(true)).await.unwrap();
    assert_eq!(stored_payment()["active"], true);
    sandbox.shutdown().await;
}
