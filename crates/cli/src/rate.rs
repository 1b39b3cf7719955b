//! `--rate-limit`: how many HTTP requests the provider client may send.

use billsync::RateLimit;

/// What `--rate-limit` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateChoice {
    /// The provider's documented limit (none against a local address).
    Documented,
    /// No client-side limit (the provider's 429 answers still pause every request).
    Off,
    /// This limit.
    Limit(RateLimit),
}

/// Parses `--rate-limit`: `off`, `N/s` or `N/m` (N a whole number of requests; a bare `N` is
/// per second).
pub fn parse_rate(text: &str) -> Result<RateChoice, String> {
    let t = text.trim().to_ascii_lowercase();
    if t == "off" || t == "none" {
        return Ok(RateChoice::Off);
    }
    let bad = || format!("--rate-limit `{text}`: use N/s, N/m (N a whole number) or off");
    let (n, per) = match t.split_once('/') {
        Some((n, "s")) => (n, 1),
        Some((n, "m")) => (n, 60),
        Some(_) => return Err(bad()),
        None => (t.as_str(), 1),
    };
    match n.trim().parse::<u32>() {
        Ok(v) if v > 0 => Ok(RateChoice::Limit(RateLimit::new(
            v,
            std::time::Duration::from_secs(per),
        ))),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rate_limits_parse_as_requests_per_window() {
        assert_eq!(parse_rate("off"), Ok(RateChoice::Off));
        let per_minute = RateLimit::new(200, Duration::from_secs(60));
        assert_eq!(parse_rate("200/m"), Ok(RateChoice::Limit(per_minute)));
        let per_second = RateLimit::new(5, Duration::from_secs(1));
        assert_eq!(parse_rate("5"), Ok(RateChoice::Limit(per_second)));
        for bad in ["0/s", "1.5/s", "3/h", "x"] {
            assert!(parse_rate(bad).unwrap_err().contains("N/s"), "{bad}");
        }
    }
}
