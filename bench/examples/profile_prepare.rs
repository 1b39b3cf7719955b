//! Loops `prepare` over the accepted customer fixtures, for profiling with callgrind:
//! `valgrind --tool=callgrind target/release/examples/profile_prepare hyfin|rebilly`.

use std::hint::black_box;

use billsync::hyfin::{HyfinClient, HyfinConfig};
use billsync::rebilly::{RebillyClient, RebillyConfig};
use billsync::secrecy::SecretString;
use billsync::{Customer, Provider};
use billsync_bench::accepted_customers;

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
    let customers: Vec<Customer> = accepted_customers(|c| client.prepare_customer(c).is_ok());
    for _ in 0..2000 {
        for c in &customers {
            black_box(client.prepare_customer(black_box(c)).unwrap());
        }
    }
}
