//! Request budgets: a provider's documented limits as data, and the limiter every request of a
//! client passes through.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Jitter, Quota};
use reqwest::Method;
use tokio::time::Instant;

/// One window of a provider's limit: at most `requests` in any `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Requests allowed in the window.
    pub requests: u32,
    /// The window's length.
    pub per: Duration,
}

/// A provider's request limit: one or more windows that all apply (Payabli: 200 a minute, 3,000
/// per 15 minutes and 10,000 an hour), to every request or to writes only (Rebilly's sandbox
/// counts non-GET requests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    /// The windows; each must allow a request before it is sent.
    pub windows: Vec<Window>,
    /// True when only writes (anything but `GET`) count.
    pub writes_only: bool,
}

impl RateLimit {
    /// At most `requests` per `per`, counting every request.
    pub fn new(requests: u32, per: Duration) -> Self {
        RateLimit {
            windows: vec![Window { requests, per }],
            writes_only: false,
        }
    }

    /// Adds another window that applies too.
    pub fn and(mut self, requests: u32, per: Duration) -> Self {
        self.windows.push(Window { requests, per });
        self
    }

    /// Counts only writes (anything but `GET`).
    pub fn writes_only(mut self) -> Self {
        self.writes_only = true;
        self
    }

    /// Requests per second of the tightest window.
    pub fn per_second(&self) -> f64 {
        self.windows
            .iter()
            .map(|w| f64::from(w.requests) / w.per.as_secs_f64().max(1e-9))
            .fold(f64::INFINITY, f64::min)
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, w) in self.windows.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{} per {} s", w.requests, w.per.as_secs_f64())?;
        }
        if self.writes_only {
            f.write_str(" (writes only)")?;
        }
        Ok(())
    }
}

/// The limiter of one client (and all its clones): every HTTP attempt — lookups, contact
/// calls, retries — waits for its turn, and a provider's "slow down" (429 with a retry-after
/// signal) pauses all of them.
pub struct RateGate {
    limit: Option<RateLimit>,
    windows: Vec<DefaultDirectRateLimiter>,
    paused_until: Mutex<Option<Instant>>,
}

impl fmt::Debug for RateGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateGate")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl RateGate {
    /// A gate enforcing `limit` (none: only a provider's pauses apply).
    pub fn new(limit: Option<RateLimit>) -> Self {
        let windows = limit
            .iter()
            .flat_map(|l| &l.windows)
            .filter_map(|w| {
                let n = NonZeroU32::new(w.requests)?;
                // Evenly spaced: one request every `per / requests`, no burst, so that no window
                // of length `per` ever holds more than `requests` (+1 at its edge).
                let period = w.per.checked_div(n.get()).filter(|p| !p.is_zero())?;
                Quota::with_period(period).map(DefaultDirectRateLimiter::direct)
            })
            .collect();
        RateGate {
            limit,
            windows,
            paused_until: Mutex::new(None),
        }
    }

    /// The limit in force.
    pub fn limit(&self) -> Option<&RateLimit> {
        self.limit.as_ref()
    }

    /// Waits until a request with `method` may be sent.
    pub async fn ready(&self, method: &Method) {
        loop {
            let until = *self.paused_until.lock().unwrap_or_else(|p| p.into_inner());
            match until {
                Some(t) if t > Instant::now() => tokio::time::sleep_until(t).await,
                _ => break,
            }
        }
        let counted =
            !(self.limit.as_ref().is_some_and(|l| l.writes_only) && method == Method::GET);
        if counted {
            for window in &self.windows {
                window
                    .until_ready_with_jitter(Jitter::up_to(Duration::from_millis(5)))
                    .await;
            }
        }
    }

    /// Holds every request back for `wait` (a provider said to slow down).
    pub fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut paused = self.paused_until.lock().unwrap_or_else(|p| p.into_inner());
        if paused.is_none_or(|t| t < until) {
            *paused = Some(until);
        }
    }
}

/// True when `url` points at this machine (a local sandbox): documented limits of the real
/// provider do not apply there.
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn requests_are_spaced_and_pauses_hold_everyone() {
        let gate = RateGate::new(Some(RateLimit::new(20, Duration::from_secs(1))));
        let start = Instant::now();
        for _ in 0..5 {
            gate.ready(&Method::POST).await;
        }
        // The first goes at once, then one every 50 ms.
        let spent = start.elapsed();
        assert!(spent >= Duration::from_millis(195), "{spent:?}");
        gate.pause_for(Duration::from_millis(300));
        let before = Instant::now();
        gate.ready(&Method::GET).await;
        assert!(before.elapsed() >= Duration::from_millis(300));
    }

    #[tokio::test]
    async fn reads_are_free_under_a_writes_only_limit() {
        let gate = RateGate::new(Some(
            RateLimit::new(1, Duration::from_secs(60)).writes_only(),
        ));
        gate.ready(&Method::POST).await;
        let start = Instant::now();
        for _ in 0..100 {
            gate.ready(&Method::GET).await;
        }
        assert!(start.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn the_tightest_window_sets_the_pace() {
        let payabli = RateLimit::new(200, Duration::from_secs(60))
            .and(3000, Duration::from_secs(900))
            .and(10_000, Duration::from_secs(3600));
        assert!((payabli.per_second() - 10_000.0 / 3600.0).abs() < 1e-9);
        assert_eq!(
            payabli.to_string(),
            "200 per 60 s, 3000 per 900 s, 10000 per 3600 s"
        );
        let local = url::Url::parse("http://127.0.0.1:8787/x").unwrap();
        assert!(is_loopback(&local));
        assert!(!is_loopback(
            &url::Url::parse("https://api.payabli.com").unwrap()
        ));
    }
}
