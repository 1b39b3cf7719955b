//! Load against the sandbox on loopback: billsync's upserts and a minimal hand-written client,
//! each with a fixed pool of workers pulling the next record.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use billsync::reqwest;
use billsync::{Customer, Payment, Upsert};

/// What a load run measured.
#[derive(Debug, Clone, Copy)]
pub struct LoadResult {
    /// Requests that succeeded.
    pub ok: usize,
    /// Requests that failed.
    pub failed: usize,
    /// Wall time of the run.
    pub wall: Duration,
    /// CPU time this process spent during the run.
    pub cpu: Duration,
}

impl LoadResult {
    /// Records per second of wall time.
    pub fn per_second(&self) -> f64 {
        self.ok as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    /// CPU microseconds per request.
    pub fn cpu_us_per_request(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e6 / (self.ok + self.failed).max(1) as f64
    }
}

async fn pool<F, Fut>(n: usize, concurrency: usize, work: F) -> LoadResult
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let ok = Arc::new(AtomicUsize::new(0));
    let work = Arc::new(work);
    let cpu0 = crate::cpu::process_cpu();
    let t0 = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (next, ok, work) = (next.clone(), ok.clone(), work.clone());
        workers.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                if work(i).await {
                    ok.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    while workers.join_next().await.is_some() {}
    let wall = t0.elapsed();
    let cpu = crate::cpu::process_cpu().saturating_sub(cpu0);
    let ok = ok.load(Ordering::Relaxed);
    LoadResult {
        ok,
        failed: n - ok,
        wall,
        cpu,
    }
}

/// Upserts every payment through billsync.
pub async fn billsync_payments<C>(
    client: Arc<C>,
    payments: Arc<Vec<Payment>>,
    concurrency: usize,
) -> LoadResult
where
    C: Upsert<Payment> + 'static,
{
    let n = payments.len();
    pool(n, concurrency, move |i| {
        let (client, payments) = (client.clone(), payments.clone());
        async move { client.upsert(&payments[i]).await.is_ok() }
    })
    .await
}

/// Upserts every customer through billsync.
pub async fn billsync_customers<C>(
    client: Arc<C>,
    customers: Arc<Vec<Customer>>,
    concurrency: usize,
) -> LoadResult
where
    C: Upsert<Customer> + 'static,
{
    let n = customers.len();
    pool(n, concurrency, move |i| {
        let (client, customers) = (client.clone(), customers.clone());
        async move { client.upsert(&customers[i]).await.is_ok() }
    })
    .await
}

/// What the hand-written client sends: one URL, one auth header, and a wire struct per record
/// that it serializes itself on every request, as a hand-written integration would.
pub struct HandWritten<W> {
    /// The endpoint.
    pub url: String,
    /// Auth header name and value.
    pub auth: (String, String),
    /// The provider's wire bodies.
    pub bodies: Vec<W>,
}

/// Posts every body with a plain reqwest client and checks Hyfin's `success` flag.
pub async fn hand_written<W>(hand: HandWritten<W>, concurrency: usize) -> LoadResult
where
    W: serde::Serialize + Send + Sync + 'static,
{
    let client = reqwest::Client::new();
    let hand = Arc::new(hand);
    let n = hand.bodies.len();
    pool(n, concurrency, move |i| {
        let (client, hand) = (client.clone(), hand.clone());
        async move {
            let Ok(body) = serde_json::to_vec(&hand.bodies[i]) else {
                return false;
            };
            let sent = client
                .post(&hand.url)
                .header(&hand.auth.0, &hand.auth.1)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await;
            let Ok(resp) = sent else { return false };
            let Ok(bytes) = resp.bytes().await else {
                return false;
            };
            serde_json::from_slice::<serde_json::Value>(&bytes)
                .map(|v| v.get("success").and_then(|s| s.as_bool()) == Some(true))
                .unwrap_or(false)
        }
    })
    .await
}
