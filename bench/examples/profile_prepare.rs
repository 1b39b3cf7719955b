//! Loops `prepare` over the accepted customer fixtures, for profiling with callgrind:
//! `valgrind --tool=callgrind target/release/examples/profile_prepare hyfin|rebilly [payments]`.

use std::hint::black_box;

use billsync::hyfin::{HyfinClient, HyfinConfig};
use billsync::rebilly::{RebillyClient, RebillyConfig};
use billsync::secrecy::SecretString;
use billsync::{Customer, Payment, Provider};
use billsync_bench::{accepted_customers, accepted_payments};

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "hyfin".into());
    let client: Box<dyn Provider> = match which.as_str() {
        "rebilly" => Box::new(
            RebillyClient::new(
                RebillyConfig::builder()
                    .organization_id("org")
                    .website_id("web")
                    .api_key(SecretString::from("k"))
                    .build()
                    .unwrap(),
            )
            .unwrap(),
        ),
        _ => Box::new(
            HyfinClient::new(
                HyfinConfig::builder()
                    .base_url("https://partner.hyfin.test")
                    .site_id("site")
                    .api_token(SecretString::from("t"))
                    .build()
                    .unwrap(),
            )
            .unwrap(),
        ),
    };
    if std::env::args().nth(2).as_deref() == Some("payments") {
        let payments: Vec<Payment> = accepted_payments(|p| client.prepare_payment(p).is_ok());
        for _ in 0..2000 {
            for p in &payments {
                black_box(client.prepare_payment(black_box(p)).unwrap());
            }
        }
        return;
    }
    let customers: Vec<Customer> = accepted_customers(|c| client.prepare_customer(c).is_ok());
    for _ in 0..2000 {
        for c in &customers {
            black_box(client.prepare_customer(black_box(c)).unwrap());
        }
    }
}
