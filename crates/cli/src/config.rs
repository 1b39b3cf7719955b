//! Provider clients from the environment, a billsync.toml profile, or a local sandbox.
//!
//! Each provider crate's `from_env()` is the one source of truth for variable names. A profile
//! in billsync.toml only fills in variables the environment does not set:
//!
//! ```toml
//! [profiles.staging]
//! REBILLY_ORGANIZATION_ID = "org-staging"
//! REBILLY_WEBSITE_ID = "web-1"
//! REBILLY_ENVIRONMENT = "sandbox"
//! ```

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use billsync::hyfin::HyfinClient;
use billsync::payabli::PayabliClient;
use billsync::rebilly::RebillyClient;
use billsync::{IdMap, Provider, RateLimit};

use crate::args::ProviderName;

/// Sets an environment variable. Only called from `main` before the runtime and any other
/// thread start, which is what makes `set_var` sound.
fn set_env(name: &str, value: &str) {
    // SAFETY: single-threaded at this point (see the callers).
    unsafe { std::env::set_var(name, value) };
}

/// Fills unset environment variables from `profile` of the file at `path`. Missing file with no
/// profile asked for: nothing to do.
pub fn apply_profile(path: &Path, profile: Option<&str>) -> Result<(), String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(_) if profile.is_none() => return Ok(()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let parsed: toml::Table = text
        .parse()
        .map_err(|e| format!("{} is not valid TOML: {e}", path.display()))?;
    let name = profile.unwrap_or("default");
    let profiles = parsed.get("profiles").and_then(|p| p.as_table());
    let Some(settings) = profiles
        .and_then(|p| p.get(name))
        .and_then(|p| p.as_table())
    else {
        return match profile {
            Some(p) => Err(format!("{} has no [profiles.{p}]", path.display())),
            None => Ok(()),
        };
    };
    let mut values = BTreeMap::new();
    for (key, value) in settings {
        let value = match value {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        values.insert(key.clone(), value);
    }
    for (key, value) in values {
        if std::env::var_os(&key).is_none() {
            set_env(&key, &value);
        }
    }
    Ok(())
}

/// Where provider clients get their configuration.
pub enum Source {
    /// The environment (each provider crate's `from_env()`).
    Env,
    /// A local sandbox at these base URLs, with its default credentials.
    Sandbox {
        /// Hyfin's base URL.
        hyfin: String,
        /// Rebilly's base URL.
        rebilly: String,
        /// Payabli's base URL.
        payabli: String,
    },
}

impl Source {
    /// The sandbox's base URLs.
    pub fn sandbox(s: &billsync_sandbox::Sandbox) -> Source {
        Source::Sandbox {
            hyfin: s.hyfin_base_url(),
            rebilly: s.rebilly_base_url(),
            payabli: s.payabli_base_url(),
        }
    }
}

/// A client for `name`, remembering ids in `ids`, keeping to `rate`.
pub fn provider(
    name: ProviderName,
    source: &Source,
    ids: Arc<dyn IdMap>,
    rate: &RateChoice,
) -> billsync::Result<Arc<dyn Provider>> {
    macro_rules! limited {
        ($client:expr $(,)?) => {{
            let client = $client;
            Arc::new(match rate {
                RateChoice::Documented => client,
                RateChoice::Off => client.with_rate_limit(None),
                RateChoice::Limit(limit) => client.with_rate_limit(Some(limit.clone())),
            })
        }};
    }
    use billsync::hyfin::HyfinConfig;
    use billsync::payabli::PayabliConfig;
    use billsync::rebilly::RebillyConfig;
    use billsync::secrecy::SecretString;
    Ok(match (name, source) {
        (ProviderName::Hyfin, Source::Env) => limited!(HyfinClient::from_env()?.with_id_map(ids)),
        (ProviderName::Rebilly, Source::Env) => {
            limited!(RebillyClient::from_env()?.with_id_map(ids))
        }
        (ProviderName::Payabli, Source::Env) => {
            limited!(PayabliClient::from_env()?.with_id_map(ids))
        }
        (ProviderName::Hyfin, Source::Sandbox { hyfin, .. }) => limited!(
            HyfinClient::new(
                HyfinConfig::builder()
                    .base_url(hyfin.as_str())
                    .site_id("sandbox-site")
                    .customer_api(hyfin_customer_api()?)
                    .api_token(SecretString::from(billsync_sandbox::DEFAULT_HYFIN_TOKEN))
                    .build()?,
            )?
            .with_id_map(ids),
        ),
        (ProviderName::Rebilly, Source::Sandbox { rebilly, .. }) => limited!(
            RebillyClient::new(
                RebillyConfig::builder()
                    .base_url(rebilly.as_str())
                    .organization_id("sandbox-org")
                    .website_id("sandbox-web")
                    .api_key(SecretString::from(billsync_sandbox::DEFAULT_REBILLY_KEY))
                    .build()?,
            )?
            .with_id_map(ids),
        ),
        (ProviderName::Payabli, Source::Sandbox { payabli, .. }) => limited!(
            PayabliClient::new(
                PayabliConfig::builder()
                    .base_url(payabli.as_str())
                    .entrypoint("sandbox-entry")
                    .api_token(SecretString::from(billsync_sandbox::DEFAULT_PAYABLI_TOKEN))
                    .build()?,
            )?
            .with_id_map(ids),
        ),
    })
}

/// The Hyfin customer API the sandbox client uses: `HYFIN_CUSTOMER_API` when set (as for real
/// endpoints), else v4.
fn hyfin_customer_api() -> billsync::Result<billsync::hyfin::HyfinCustomerApi> {
    match std::env::var("HYFIN_CUSTOMER_API") {
        Ok(v) => v.parse(),
        Err(_) => Ok(billsync::hyfin::HyfinCustomerApi::default()),
    }
}

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
