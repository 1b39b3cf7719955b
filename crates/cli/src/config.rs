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
use billsync::{IdMap, Provider};

pub use crate::rate::RateChoice;

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
        .map_err(|e: toml::de::Error| syntax_error(path, &text, &e))?;
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

/// A TOML syntax error as `file:line:column: what`, without the offending text: the line may
/// hold a token, so neither it nor any value from it is shown.
fn syntax_error(path: &Path, text: &str, e: &toml::de::Error) -> String {
    let at = e.span().map(|span| {
        let before = text.get(..span.start.min(text.len())).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!(":{line}:{column}")
    });
    // toml's message is a fixed sentence ("invalid basic string", "expected `=`"...), apart from
    // duplicate keys, which it names: keys are no secret, values never appear in it.
    let what = e.message().lines().next().unwrap_or("invalid TOML").trim();
    format!(
        "{}{}: not valid TOML ({what}); the line is not shown as it may hold a secret",
        path.display(),
        at.unwrap_or_default()
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("billsync-config-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_syntax_error_names_file_line_and_column_but_never_the_token() {
        let token = "tok_live_5ecret9981";
        let cases = [
            // unterminated string
            format!("[profiles.default]\nHYFIN_SITE_ID = \"s1\"\nHYFIN_API_TOKEN = \"{token}\n"),
            // bare value
            format!("[profiles.default]\nHYFIN_SITE_ID = \"s1\"\nHYFIN_API_TOKEN = {token}\n"),
            // missing `=`
            format!("[profiles.default]\nHYFIN_SITE_ID = \"s1\"\nHYFIN_API_TOKEN \"{token}\"\n"),
            // trailing garbage after the value
            format!(
                "[profiles.default]\nHYFIN_SITE_ID = \"s1\"\nHYFIN_API_TOKEN = \"{token}\" {token}\n"
            ),
        ];
        for (i, text) in cases.iter().enumerate() {
            let path = write(&format!("bad{i}.toml"), text);
            let err = apply_profile(&path, None).unwrap_err();
            let _ = std::fs::remove_file(&path);
            assert!(!err.contains("5ecret"), "case {i} echoes the token: {err}");
            let expected = format!("{}:3:", path.display());
            assert!(err.starts_with(&expected), "case {i}: {err}");
            let column: String = err[expected.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            assert!(
                column.parse::<u32>().is_ok_and(|c| c >= 16),
                "case {i}: {err}"
            );
        }
    }

    #[test]
    fn a_duplicate_key_is_named_but_not_its_value() {
        let path = write(
            "dup.toml",
            "[profiles.default]\nPAYABLI_API_TOKEN = \"first-5ecret\"\nPAYABLI_API_TOKEN = \"second-5ecret\"\n",
        );
        let err = apply_profile(&path, None).unwrap_err();
        let _ = std::fs::remove_file(&path);
        assert!(!err.contains("5ecret"), "{err}");
        assert!(err.starts_with(&format!("{}:3:", path.display())), "{err}");
    }
}
