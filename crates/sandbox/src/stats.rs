//! Request counters: per provider, atomics only (memory stays flat under load).

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::config::Provider;

/// Counters of one provider since start (or the last reset).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderStats {
    /// Requests received (every one, whatever its answer).
    pub requests: u64,
    /// Records created.
    pub created: u64,
    /// Records updated (including Payabli `replaceExisting=1` overwrites).
    pub updated: u64,
    /// Requests refused for their content: validation, unknown ids, conflicts, not found,
    /// malformed JSON (every 4xx except 401, 429 and de-duplications).
    pub rejected: u64,
    /// Repeats recognised as such: Rebilly transactions with a known `requestId` (answered
    /// with the original) and Payabli writes with a reused `idempotencyKey` (answered 409).
    pub deduplicated: u64,
    /// Requests answered 429 (by the configured limit or by an injected fault).
    pub rate_limited: u64,
    /// Requests answered 401.
    pub auth_failures: u64,
    /// Requests that got an injected fault (500, 429, drop, truncate, HTML, slow body).
    pub faults: u64,
}

/// Counters of all providers, as served by `GET /_sandbox/stats`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Hyfin's counters.
    pub hyfin: ProviderStats,
    /// Rebilly's counters.
    pub rebilly: ProviderStats,
    /// Payabli's counters.
    pub payabli: ProviderStats,
}

impl Stats {
    /// The counters of `provider`.
    pub fn provider(&self, provider: Provider) -> &ProviderStats {
        match provider {
            Provider::Hyfin => &self.hyfin,
            Provider::Rebilly => &self.rebilly,
            Provider::Payabli => &self.payabli,
        }
    }

    /// Requests received over all providers.
    pub fn total_requests(&self) -> u64 {
        self.hyfin.requests + self.rebilly.requests + self.payabli.requests
    }
}

/// What a counter counts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Count {
    Requests,
    Created,
    Updated,
    Rejected,
    Deduplicated,
    RateLimited,
    AuthFailures,
    Faults,
}

/// The live counters of one provider.
#[derive(Default)]
pub(crate) struct Counters([AtomicU64; 8]);

impl Counters {
    pub(crate) fn add(&self, what: Count) {
        self.0[what as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> ProviderStats {
        let g = |c: Count| self.0[c as usize].load(Ordering::Relaxed);
        ProviderStats {
            requests: g(Count::Requests),
            created: g(Count::Created),
            updated: g(Count::Updated),
            rejected: g(Count::Rejected),
            deduplicated: g(Count::Deduplicated),
            rate_limited: g(Count::RateLimited),
            auth_failures: g(Count::AuthFailures),
            faults: g(Count::Faults),
        }
    }

    pub(crate) fn reset(&self) {
        for c in &self.0 {
            c.store(0, Ordering::Relaxed);
        }
    }
}
