//! Retry policy: jittered exponential backoff and the provider's own retry-after signals.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How failed attempts are retried.
///
/// Retries happen on 408, 429 and 5xx answers, on success answers whose body is not JSON (a
/// proxy's page), and on transport failures, within the limits of the request's
/// [`RetrySafety`](crate::RetrySafety). The wait before retry `n` is a random
/// duration between half and all of `initial_backoff * multiplier^(n-1)`, capped at
/// `max_backoff`; when the provider says how long to wait (e.g. `Retry-After`), that wait is used
/// instead, as long as it is at most `max_retry_wait` (a longer one ends the retries and the
/// caller gets a rate-limited error saying when to come back).
#[derive(Debug, Clone, PartialEq)]
pub struct RetryConfig {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// The first backoff.
    pub initial_backoff: Duration,
    /// The longest backoff between two attempts.
    pub max_backoff: Duration,
    /// How much each backoff grows.
    pub multiplier: f64,
    /// The longest wait a provider may ask for that is still honoured by sleeping.
    pub max_retry_wait: Duration,
    /// Total time budget for all attempts of one request, retries included.
    pub retry_timeout: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            multiplier: 2.0,
            max_retry_wait: Duration::from_secs(60),
            retry_timeout: Duration::from_secs(180),
        }
    }
}

impl RetryConfig {
    /// No retries at all.
    pub fn none() -> Self {
        RetryConfig {
            max_retries: 0,
            ..RetryConfig::default()
        }
    }

    /// The jittered backoff before retry number `retry` (1-based).
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .multiplier
            .max(1.0)
            .powi(retry.saturating_sub(1).min(30) as i32);
        let full = self.initial_backoff.mul_f64(exp).min(self.max_backoff);
        let half = full / 2;
        half + full.saturating_sub(half).mul_f64(fastrand::f64())
    }
}

/// Reads how long the provider asked us to wait from the answer's headers.
pub type RetryAfterParser = fn(&HeaderMap) -> Option<Duration>;

/// The standard `Retry-After` header: delay seconds or an HTTP date.
pub fn standard_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(at);
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A header holding the UTC epoch second at which retrying is allowed (not a delay), as Rebilly's
/// `X-RateLimit-Retry-After`; the wait is that instant minus now (zero when it has passed).
pub fn epoch_seconds_until(headers: &HeaderMap, name: &str) -> Option<Duration> {
    let value = headers.get(name)?.to_str().ok()?.trim();
    let epoch: u64 = value.parse().ok()?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(epoch.saturating_sub(now)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let cfg = RetryConfig::default();
        for retry in 1..=10 {
            let full = cfg
                .initial_backoff
                .mul_f64(2f64.powi(retry as i32 - 1))
                .min(cfg.max_backoff);
            let d = cfg.backoff(retry);
            assert!(
                d >= full / 2 && d <= full,
                "retry {retry}: {d:?} vs {full:?}"
            );
        }
    }

    #[test]
    fn retry_after_as_seconds_or_date() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(standard_retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(standard_retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(standard_retry_after(&h), None);
    }

    #[test]
    fn epoch_header_is_an_instant_not_a_delay() {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let mut h = HeaderMap::new();
        h.insert(
            "x-ratelimit-retry-after",
            HeaderValue::from_str(&(now + 5).to_string()).unwrap(),
        );
        let d = epoch_seconds_until(&h, "x-ratelimit-retry-after").unwrap();
        assert!(
            d <= Duration::from_secs(5) && d >= Duration::from_secs(3),
            "{d:?}"
        );
        h.insert(
            "x-ratelimit-retry-after",
            HeaderValue::from_static("1713187500"),
        );
        assert_eq!(
            epoch_seconds_until(&h, "x-ratelimit-retry-after"),
            Some(Duration::ZERO)
        );
    }
}
