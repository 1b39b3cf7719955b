//! Mapping and serialization: canonical record -> validated -> prepared request with the exact
//! wire bytes, against the floor of `serde_json::to_vec` of the already-built wire struct.
//!
//! Each iteration handles every fixture of a kind the provider accepts, so the numbers are per
//! batch of fixtures; the report divides by the batch size.

use std::hint::black_box;
use std::sync::Arc;

use billsync::hyfin::{HyfinClient, HyfinConfig};
use billsync::payabli::{PayabliClient, PayabliConfig};
use billsync::rebilly::{RebillyClient, RebillyConfig};
use billsync::secrecy::SecretString;
use billsync::{Customer, IdMap, MemoryIdMap, Payment, RecordKind, Upsert};
use billsync_bench::{accepted_customers, accepted_payments};
use criterion::{Criterion, criterion_group, criterion_main};

fn hyfin() -> HyfinClient {
    let ids = MemoryIdMap::new();
    ids.put(
        "hyfin",
        RecordKind::Customer,
        "cust-abc-plumbing",
        "60f720d248f143332af022e0",
    )
    .unwrap();
    HyfinClient::new(
        HyfinConfig::builder()
            .base_url("https://partner.hyfin.test")
            .site_id("site-123")
            .api_token(SecretString::from("token"))
            .build()
            .unwrap(),
    )
    .unwrap()
    .with_id_map(Arc::new(ids))
}

fn rebilly() -> RebillyClient {
    RebillyClient::new(
        RebillyConfig::builder()
            .organization_id("org-test")
            .website_id("web-test")
            .api_key(SecretString::from("key"))
            .build()
            .unwrap(),
    )
    .unwrap()
}

/// A Payabli client; with `known`, every fixture's customer id is remembered (the `PUT` path),
/// otherwise none is (the lookup `GET` and the create `POST`).
fn payabli(known: &[Customer]) -> PayabliClient {
    let ids = MemoryIdMap::new();
    for (i, c) in known.iter().enumerate() {
        ids.put(
            "payabli",
            RecordKind::Customer,
            &c.external_id,
            &(4000 + i).to_string(),
        )
        .unwrap();
    }
    PayabliClient::new(
        PayabliConfig::builder()
            .entrypoint("entry-test")
            .api_token(SecretString::from("token"))
            .build()
            .unwrap(),
    )
    .unwrap()
    .with_id_map(Arc::new(ids))
}

fn mapping(c: &mut Criterion) {
    let hyfin = hyfin();
    let rebilly = rebilly();
    let payabli_new = payabli(&[]);

    let hy_customers = accepted_customers(|x| Upsert::<Customer>::prepare(&hyfin, x).is_ok());
    let hy_payments = accepted_payments(|x| Upsert::<Payment>::prepare(&hyfin, x).is_ok());
    let rb_customers = accepted_customers(|x| Upsert::<Customer>::prepare(&rebilly, x).is_ok());
    let rb_payments = accepted_payments(|x| Upsert::<Payment>::prepare(&rebilly, x).is_ok());

    let pb_customers = accepted_customers(|x| Upsert::<Customer>::prepare(&payabli_new, x).is_ok());
    let payabli_known = payabli(&pb_customers);

    let ids: &dyn IdMap = hyfin.id_map().as_ref();
    // Every body prepare serializes: a multi-contact customer's contacts, then the customer.
    let hy_customer_wire: Vec<_> = hy_customers
        .iter()
        .map(|x| {
            let contacts = billsync::hyfin::mapping::contact_requests(x, ids).unwrap();
            (
                contacts,
                billsync::hyfin::mapping::customer_request(x, ids).unwrap(),
            )
        })
        .collect();
    let hy_payment_wire: Vec<_> = hy_payments
        .iter()
        .map(|x| billsync::hyfin::mapping::payment_request(x, hyfin.config()).unwrap())
        .collect();
    let rb_customer_wire: Vec<_> = rb_customers
        .iter()
        .map(|x| {
            billsync::rebilly::mapping::customer_request(x, rebilly.config())
                .unwrap()
                .1
        })
        .collect();
    let rb_payment_wire: Vec<_> = rb_payments
        .iter()
        .map(|x| billsync::rebilly::mapping::transaction_request(x, rebilly.config()).unwrap())
        .collect();
    let pb_customer_wire: Vec<_> = pb_customers
        .iter()
        .map(|x| billsync::payabli::mapping::customer_data(x, payabli_new.config()).unwrap())
        .collect();

    let mut g = c.benchmark_group("mapping");
    macro_rules! pair {
        ($label:literal, $client:expr, $records:expr, $kind:ty, $wire:expr) => {
            g.bench_function(concat!($label, "/billsync"), |b| {
                b.iter(|| {
                    for r in $records.iter() {
                        black_box(Upsert::<$kind>::prepare($client, black_box(r)).unwrap());
                    }
                })
            });
            g.bench_function(concat!($label, "/floor"), |b| {
                b.iter(|| {
                    for w in $wire.iter() {
                        black_box(FloorBodies::to_vecs(black_box(w)));
                    }
                })
            });
        };
    }
    pair!(
        "hyfin/customer",
        &hyfin,
        hy_customers,
        Customer,
        hy_customer_wire
    );
    pair!(
        "hyfin/payment",
        &hyfin,
        hy_payments,
        Payment,
        hy_payment_wire
    );
    pair!(
        "rebilly/customer",
        &rebilly,
        rb_customers,
        Customer,
        rb_customer_wire
    );
    pair!(
        "rebilly/payment",
        &rebilly,
        rb_payments,
        Payment,
        rb_payment_wire
    );
    pair!(
        "payabli/customer",
        &payabli_new,
        pb_customers,
        Customer,
        pb_customer_wire
    );
    pair!(
        "payabli/customer_known",
        &payabli_known,
        pb_customers,
        Customer,
        pb_customer_wire
    );
    g.finish();
}

/// The floor: `serde_json::to_vec` of each already-built wire body a record needs.
trait FloorBodies {
    fn to_vecs(&self) -> usize;
}

impl<C: serde::Serialize, W: serde::Serialize> FloorBodies for (Vec<C>, W) {
    fn to_vecs(&self) -> usize {
        let mut n = 0;
        for c in &self.0 {
            n += serde_json::to_vec(c).unwrap().len();
        }
        n + serde_json::to_vec(&self.1).unwrap().len()
    }
}

macro_rules! single_body {
    ($($t:ty),*) => {$(
        impl FloorBodies for $t {
            fn to_vecs(&self) -> usize {
                serde_json::to_vec(self).unwrap().len()
            }
        }
    )*};
}
single_body!(
    billsync::hyfin::wire::HyfinPaymentRequest<'_>,
    billsync::rebilly::wire::Customer<'_>,
    billsync::rebilly::wire::TransactionRequest,
    billsync::payabli::wire::PayabliCustomerData<'_>
);

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = mapping
}
criterion_main!(benches);
