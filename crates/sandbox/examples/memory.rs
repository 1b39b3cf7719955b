//! Memory per stored record: stores N customers of one provider through the HTTP API and
//! reports the growth of live heap bytes (a counting global allocator, exact) and of the
//! process's resident set (`VmRSS`, Linux), divided by N.
//!
//! `cargo run --release -p billsync-sandbox --example memory -- [rebilly|hyfin|payabli] [N]`
//!
//! The bodies are full customers as billsync sends them (name, email, phone, address,
//! custom fields). Run one provider per process, so that one measurement does not inherit
//! another's freed pages.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering};

use billsync_sandbox::{
    DEFAULT_HYFIN_TOKEN, DEFAULT_PAYABLI_TOKEN, DEFAULT_REBILLY_KEY, Provider, Sandbox,
};
use serde_json::json;

/// Counts live heap bytes.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded to `System` unchanged; only a counter is updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn rss_bytes() -> Option<i64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: i64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Method, URL, auth header and body of customer `i`.
fn request(
    sb: &Sandbox,
    p: Provider,
    i: usize,
) -> (reqwest::Method, String, (&'static str, String), String) {
    let email = format!("customer{i}@example.com");
    match p {
        Provider::Rebilly => (
            reqwest::Method::PUT,
            format!("{}/organizations/org-1/customers/cus-{i:07}", sb.rebilly_base_url()),
            ("REB-APIKEY", DEFAULT_REBILLY_KEY.to_owned()),
            json!({"websiteId": "web-1", "customFields": {"source": "crm", "tier": "gold"},
                "primaryAddress": {"firstName": "Ada", "lastName": format!("Lovelace{i}"),
                    "organization": "Analytical Engines Ltd", "address": "12 St James's Square",
                    "city": "London", "region": "London", "postalCode": "SW1Y 4JH", "country": "GB",
                    "emails": [{"label": "main", "value": email, "primary": true}],
                    "phoneNumbers": [{"label": "mobile", "value": "+44 20 7946 0000", "primary": true}]}})
            .to_string(),
        ),
        Provider::Hyfin => (
            reqwest::Method::POST,
            format!("{}/api/v4/site/site-1/customer/addUpdate", sb.hyfin_base_url()),
            ("authorization", format!("Bearer {DEFAULT_HYFIN_TOKEN}")),
            json!({"display_name": format!("ABC Plumbing {i}"), "account_name": "ABC Plumbing LLC",
                "notes": "imported by billsync",
                "primary_contact": {"first_name": "John", "last_name": format!("Doe{i}"),
                    "mobile_phone": "333-444-5555", "email": email,
                    "billing_address": {"address_line1": "123 Main Street", "address_line2": "Suite 123",
                        "city": "Naples", "state_code": "FL", "zip_code": "34102"}}})
            .to_string(),
        ),
        Provider::Payabli => (
            reqwest::Method::POST,
            format!("{}/Customer/single/entry-1", sb.payabli_base_url()),
            ("requestToken", DEFAULT_PAYABLI_TOKEN.to_owned()),
            json!({"customerNumber": format!("C-{i:07}"), "firstname": "Irene",
                "lastname": format!("Adler{i}"), "email": email, "phone": "5555550100",
                "address1": "221B Baker St", "city": "London", "state": "LDN", "zip": "12345",
                "country": "GB", "additionalFields": {"source": "crm"}})
            .to_string(),
        ),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let provider: Provider = args.next().unwrap_or_else(|| "rebilly".into()).parse()?;
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let sandbox = Arc::new(Sandbox::start().await?);
    let client = reqwest::Client::new();
    // Warm up connections and lazily built state before the baseline.
    for i in 0..64 {
        let (m, url, (h, v), body) = request(&sandbox, provider, n + i);
        client
            .request(m, url)
            .header(h, v)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await?;
    }
    sandbox.reset();
    let (live0, rss0) = (LIVE.load(Ordering::Relaxed), rss_bytes().unwrap_or(0));
    let workers = 32;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let (client, sandbox) = (client.clone(), sandbox.clone());
        tasks.push(tokio::spawn(async move {
            for i in (w..n).step_by(workers) {
                let (m, url, (h, v), body) = request(&sandbox, provider, i);
                let answer = client
                    .request(m, url)
                    .header(h, v)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await?;
                if !answer.status().is_success() {
                    return Err(format!("customer {i}: {}", answer.status()).into());
                }
                answer.bytes().await?;
            }
            Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
        }));
    }
    for t in tasks {
        t.await?.map_err(|e| e.to_string())?;
    }
    let stored = sandbox.records(provider, "customer");
    assert_eq!(stored.len(), n, "every customer is stored");
    let json_bytes: usize = stored.iter().map(|r| r.to_string().len()).sum();
    drop(stored);
    let (live1, rss1) = (LIVE.load(Ordering::Relaxed), rss_bytes().unwrap_or(0));
    let per = |d: i64| d as f64 / n as f64;
    println!(
        "{provider}: {n} customers; live heap +{:.1} MiB ({:.0} B/record); RSS +{:.1} MiB ({:.0} B/record); record JSON {:.0} B on average",
        (live1 - live0) as f64 / 1048576.0,
        per((live1 - live0) as i64),
        (rss1 - rss0) as f64 / 1048576.0,
        per(rss1 - rss0),
        json_bytes as f64 / n as f64,
    );
    Ok(())
}
