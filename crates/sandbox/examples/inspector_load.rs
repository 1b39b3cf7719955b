//! The inspector under load: fills a 20,000-request ring with 30,000 Rebilly customer writes
//! (10,000 customers, three versions each), then times the endpoints the page calls.
//!
//! `cargo run --release -p billsync-sandbox --example inspector_load -- [writes] [ring]`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use billsync_sandbox::{DEFAULT_REBILLY_KEY, Sandbox, SandboxConfig};

/// Runs `f` `n` times and returns the median and the slowest duration.
async fn time<F, Fut>(n: usize, mut f: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut all = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        f().await;
        all.push(started.elapsed());
    }
    all.sort();
    (all[n / 2], all[n - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// 32 clients send `writes` Rebilly customer PUTs over `customers` ids; how long it took.
async fn fill(
    sandbox: &Sandbox,
    client: &reqwest::Client,
    writes: u64,
    customers: u64,
) -> Result<Duration, Box<dyn std::error::Error>> {
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let (client, next) = (client.clone(), next.clone());
        let base = format!(
            "{}/organizations/org-1/customers",
            sandbox.rebilly_base_url()
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= writes {
                    return;
                }
                let body = format!(
                    r#"{{"websiteId":"web-1","primaryAddress":{{"firstName":"Ada","lastName":"Lovelace {}"}}}}"#,
                    i / customers
                );
                let _ = client
                    .put(format!("{base}/cus-{}", i % customers))
                    .header("REB-APIKEY", DEFAULT_REBILLY_KEY)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await;
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    Ok(started.elapsed())
}

/// Times each endpoint the inspector page calls, 30 calls each.
async fn time_endpoints(
    sandbox: &Sandbox,
    client: &reqwest::Client,
) -> Result<(), Box<dyn std::error::Error>> {
    let admin = sandbox.base_url();
    let get = |path: String| {
        let client = client.clone();
        let url = format!("{admin}{path}");
        async move {
            let answer = client.get(url).send().await.expect("answer");
            assert!(answer.status().is_success(), "{}", answer.status());
            answer.bytes().await.expect("body");
        }
    };
    let first: serde_json::Value = client
        .get(format!("{admin}/_sandbox/requests?limit=1"))
        .send()
        .await?
        .json()
        .await?;
    println!(
        "ring: {} kept of {}, {} evicted",
        first["kept"], first["capacity"], first["evicted"]
    );
    let latest = first["latest"].as_u64().unwrap_or(0);
    let middle = latest.saturating_sub(first["kept"].as_u64().unwrap_or(0) / 2);
    let cases = [
        ("newest page (50)", "/_sandbox/requests?limit=50".to_owned()),
        (
            "page in the middle",
            format!("/_sandbox/requests?limit=50&before={middle}"),
        ),
        (
            "provider + status filter",
            "/_sandbox/requests?provider=rebilly&status=2xx".to_owned(),
        ),
        (
            "external id matching nothing (scans every body)",
            "/_sandbox/requests?external_id=nobody-has-this".to_owned(),
        ),
        (
            "one request's detail",
            format!("/_sandbox/requests/{latest}"),
        ),
        (
            "history page, 10,000 records",
            "/_sandbox/records/rebilly/customer/history?limit=50".to_owned(),
        ),
    ];
    for (name, path) in cases {
        let (median, slowest) = time(30, || get(path.clone())).await;
        println!(
            "GET {name}: median {}, slowest {} (30 calls)",
            ms(median),
            ms(slowest)
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let writes: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(30_000);
    let ring: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let customers = 10_000;
    let sandbox = Sandbox::start_with(SandboxConfig::default().with_requests_kept(ring)).await?;
    let client = reqwest::Client::new();
    let elapsed = fill(&sandbox, &client, writes, customers).await?;
    println!(
        "{writes} writes (32 clients, {customers} customers) in {:.2} s: {:.0} requests/s",
        elapsed.as_secs_f64(),
        writes as f64 / elapsed.as_secs_f64()
    );
    time_endpoints(&sandbox, &client).await?;
    sandbox.shutdown().await;
    Ok(())
}
