//! Running a batch of upserts with a fixed number in flight, on the current thread (the bench's
//! runtime is single-threaded and pinned to one core, so its CPU time is the client's alone).

use std::cell::Cell;
use std::future::Future;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

/// What a run measured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Run {
    /// Records sent.
    pub records: usize,
    /// Records whose upsert failed.
    pub failed: usize,
    /// HTTP requests the client says it made for the records that succeeded.
    pub requests: u64,
    /// HTTP requests the sandbox received during the run (`None` when not counted).
    pub received: Option<u64>,
    /// CPU time of this process during the run (user + system).
    pub cpu: Duration,
    /// Wall time of the run.
    pub wall: Duration,
}

impl Run {
    /// Adds `other`'s counts and times to these.
    pub fn add(&mut self, other: &Run) {
        self.records += other.records;
        self.failed += other.failed;
        self.requests += other.requests;
        self.received = match (self.received, other.received) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        self.cpu += other.cpu;
        self.wall += other.wall;
    }

    /// CPU microseconds per record.
    pub fn cpu_us_per_record(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e6 / self.records.max(1) as f64
    }

    /// CPU microseconds per HTTP request (as the sandbox counted them when it did).
    pub fn cpu_us_per_request(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e6 / self.http_requests().max(1) as f64
    }

    /// HTTP requests made: as the sandbox counted them, else as the client did.
    pub fn http_requests(&self) -> u64 {
        self.received.unwrap_or(self.requests)
    }

    /// HTTP requests per record.
    pub fn requests_per_record(&self) -> f64 {
        self.http_requests() as f64 / self.records.max(1) as f64
    }

    /// Records per second of wall time.
    pub fn per_second(&self) -> f64 {
        (self.records - self.failed) as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// Runs `work(0..n)` with `in_flight` at a time; `work` answers the HTTP requests a record took,
/// or `None` when it failed. The CPU and wall time cover the run alone.
pub async fn run<F, Fut>(n: usize, in_flight: usize, work: F) -> Run
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Option<u32>>,
{
    let next = Cell::new(0usize);
    let ok = Cell::new(0usize);
    let requests = Cell::new(0u64);
    let worker = || async {
        loop {
            let i = next.get();
            if i >= n {
                break;
            }
            next.set(i + 1);
            if let Some(r) = work(i).await {
                ok.set(ok.get() + 1);
                requests.set(requests.get() + u64::from(r));
            }
        }
    };
    let cpu0 = crate::cpu::process_cpu();
    let t0 = Instant::now();
    let mut workers: FuturesUnordered<_> = (0..in_flight.max(1)).map(|_| worker()).collect();
    while workers.next().await.is_some() {}
    let wall = t0.elapsed();
    let cpu = crate::cpu::process_cpu().saturating_sub(cpu0);
    Run {
        records: n,
        failed: n - ok.get(),
        requests: requests.get(),
        received: None,
        cpu,
        wall,
    }
}
