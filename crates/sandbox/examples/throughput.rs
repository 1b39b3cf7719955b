//! Rough throughput of the sandbox: N concurrent keep-alive clients upserting Hyfin payments,
//! Rebilly customers and Payabli customers for a few seconds (client and server share the
//! machine, so this is a floor).
//!
//! `cargo run --release -p billsync-sandbox --example throughput -- [seconds] [concurrency]`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use billsync_sandbox::{DEFAULT_PAYABLI_TOKEN, DEFAULT_REBILLY_KEY, Sandbox};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);
    let sandbox = Sandbox::start().await?;
    let client = reqwest::Client::new();
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (client, done, failed) = (client.clone(), done.clone(), failed.clone());
        let hyfin = format!(
            "{}/api/v3/site/s/payment/addUpdate",
            sandbox.hyfin_base_url()
        );
        let rebilly = format!("{}/organizations/o/customers/", sandbox.rebilly_base_url());
        let payabli = format!(
            "{}/Customer/single/e?forceCustomerCreation=false&replaceExisting=1",
            sandbox.payabli_base_url()
        );
        tasks.push(tokio::spawn(async move {
            let mut i = 0u64;
            while Instant::now() < deadline {
                i += 1;
                let n = i % 1000;
                let req = match i % 3 {
                    0 => client
                        .post(&hyfin)
                        .header("authorization", "Bearer sandbox-hyfin-token")
                        .body(format!(
                            r#"{{"external_id":"w{worker}-{n}","gateway_transaction_id":"g{i}","display_name":"VISA **** 1111","amount":12.5,"paid_on":"2024-01-01T10:00:00Z","payment_type":"payment_card","payment_sub_type":"visa"}}"#
                        )),
                    1 => client
                        .put(format!("{rebilly}c-{worker}-{n}"))
                        .header("REB-APIKEY", DEFAULT_REBILLY_KEY)
                        .body(r#"{"websiteId":"web-1","primaryAddress":{"firstName":"Ada","lastName":"Lovelace","emails":[{"label":"main","value":"ada@example.com","primary":true}]}}"#),
                    _ => client
                        .post(&payabli)
                        .header("requestToken", DEFAULT_PAYABLI_TOKEN)
                        .body(format!(
                            r#"{{"customerNumber":"w{worker}-{n}","firstname":"Ada","lastname":"Lovelace","email":"ada@example.com"}}"#
                        )),
                };
                match req.header("content-type", "application/json").send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let ok = done.load(Ordering::Relaxed);
    println!(
        "{ok} requests in {seconds} s = {:.0} requests/s ({} failed, concurrency {concurrency})",
        ok as f64 / seconds as f64,
        failed.load(Ordering::Relaxed)
    );
    println!("{:?}", sandbox.stats());
    sandbox.shutdown().await;
    Ok(())
}
