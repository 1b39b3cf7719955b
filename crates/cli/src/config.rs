//! Provider clients from the environment, a billsync.toml profile, or a local sandbox.
//!
//! The command line knows no provider: it asks `billsync::providers()` for the enabled ones,
//! and each describes its configuration keys (names, environment variables, which are secret).
//! A profile in billsync.toml gives values the environment does not set, by environment
//! variable name, or by key name under a table named after the provider:
//!
//! ```toml
//! [profiles.staging]
//! ACME_ORGANIZATION_ID = "org-staging"   # a variable of provider `acme`
//!
//! [profiles.staging.acme]                # keys of provider `acme`
//! website_id = "web-1"
//! environment = "sandbox"
//! ```
//!
//! `billsync providers` lists the variables and keys of every enabled provider.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use billsync::{IdMap, KeyRole, Options, Provider, ProviderFactory, RATE_LIMIT_KEY};

use crate::args::ProviderName;

/// The settings of one profile: values by environment variable name, and tables of values by
/// key name per provider.
#[derive(Default)]
pub struct Profile {
    values: BTreeMap<String, String>,
    tables: BTreeMap<String, BTreeMap<String, String>>,
}

/// Reads `profile` (or `default`) of the file at `path`. A missing file with no profile asked
/// for is an empty profile.
pub fn read_profile(path: &Path, profile: Option<&str>) -> Result<Profile, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(_) if profile.is_none() => return Ok(Profile::default()),
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
            None => Ok(Profile::default()),
        };
    };
    let mut out = Profile::default();
    for (key, value) in settings {
        match value {
            toml::Value::Table(table) => {
                let table = table.iter().map(|(k, v)| (k.clone(), text_of(v))).collect();
                out.tables.insert(key.to_ascii_lowercase(), table);
            }
            other => {
                out.values.insert(key.clone(), text_of(other));
            }
        }
    }
    Ok(out)
}

fn text_of(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
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
pub enum Source<'a> {
    /// The environment, then the profile.
    Env(&'a Profile),
    /// A local sandbox: its address and default credentials; only the user's
    /// [`KeyRole::Setting`]s (from the environment or the profile) are kept.
    Sandbox(&'a crate::local::Sandbox, &'a Profile),
}

/// The options for `factory`: from the environment first, then the profile. A profile value
/// named like the provider's variables (`ACME_...` for `acme`) that is none of them is an error.
fn user_options(factory: &dyn ProviderFactory, profile: &Profile) -> Result<Options, String> {
    let keys: Vec<_> = factory.keys().iter().chain([&RATE_LIMIT_KEY]).collect();
    let prefix = format!("{}_", factory.name().to_ascii_uppercase());
    if let Some(unknown) = profile
        .values
        .keys()
        .find(|k| k.starts_with(&prefix) && !keys.iter().any(|key| key.env == k.as_str()))
    {
        return Err(format!(
            "profile setting {unknown} is not a {} variable; it knows {}",
            factory.name(),
            keys.iter().map(|k| k.env).collect::<Vec<_>>().join(", ")
        ));
    }
    let mut options = Options::from_env(factory.keys());
    for key in &keys {
        if let Some(v) = profile.values.get(key.env) {
            options.insert_missing(key.name, v.clone());
        }
    }
    if let Some(table) = profile.tables.get(factory.name()) {
        for (k, v) in table {
            options.insert_missing(k, v.clone());
        }
    }
    Ok(options)
}

/// A client for `name`, remembering ids in `ids`; `rate_limit` (the `--rate-limit` text)
/// overrides any configured one.
pub fn provider(
    name: ProviderName,
    source: &Source<'_>,
    ids: Arc<dyn IdMap>,
    rate_limit: Option<&str>,
) -> Result<Arc<dyn Provider>, String> {
    let factory = name.factory();
    let mut options = match source {
        Source::Env(profile) => user_options(factory, profile)?,
        Source::Sandbox(sandbox, profile) => {
            let base = sandbox
                .provider_base_url(factory.name())
                .ok_or_else(|| format!("the sandbox does not emulate {}", factory.name()))?;
            let mut options = factory
                .sandbox_options(&base)
                .ok_or_else(|| format!("{} has no sandbox settings", factory.name()))?;
            let user = user_options(factory, profile)?;
            for key in factory.keys().iter().chain([&RATE_LIMIT_KEY]) {
                if key.role == KeyRole::Setting
                    && let Some(v) = user.raw(key.name)
                {
                    options.insert(key.name, v.to_owned());
                }
            }
            options
        }
    };
    if let Some(text) = rate_limit {
        billsync::parse_rate_limit(text).map_err(|e| format!("--rate-limit {e}"))?;
        options.insert(RATE_LIMIT_KEY.name, text.to_owned());
    }
    factory
        .connect(&options, Some(ids))
        .map(Arc::from)
        .map_err(|e| e.to_string())
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
            format!("[profiles.default]\nX_SITE_ID = \"s1\"\nX_API_TOKEN = \"{token}\n"),
            // bare value
            format!("[profiles.default]\nX_SITE_ID = \"s1\"\nX_API_TOKEN = {token}\n"),
            // missing `=`
            format!("[profiles.default]\nX_SITE_ID = \"s1\"\nX_API_TOKEN \"{token}\"\n"),
            // trailing garbage after the value
            format!("[profiles.default]\nX_SITE_ID = \"s1\"\nX_API_TOKEN = \"{token}\" {token}\n"),
        ];
        for (i, text) in cases.iter().enumerate() {
            let path = write(&format!("bad{i}.toml"), text);
            let err = read_profile(&path, None).err().unwrap();
            let _ = std::fs::remove_file(&path);
            assert!(!err.contains("5ecret"), "case {i} echoes the token: {err}");
            let expected = format!("{}:3:", path.display());
            assert!(err.starts_with(&expected), "case {i}: {err}");
            let column: String = err[expected.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            assert!(
                column.parse::<u32>().is_ok_and(|c| c >= 12),
                "case {i}: {err}"
            );
        }
    }

    #[test]
    fn a_duplicate_key_is_named_but_not_its_value() {
        let path = write(
            "dup.toml",
            "[profiles.default]\nX_API_TOKEN = \"first-5ecret\"\nX_API_TOKEN = \"second-5ecret\"\n",
        );
        let err = read_profile(&path, None).err().unwrap();
        let _ = std::fs::remove_file(&path);
        assert!(!err.contains("5ecret"), "{err}");
        assert!(err.starts_with(&format!("{}:3:", path.display())), "{err}");
    }

    #[test]
    fn profiles_give_values_by_variable_and_by_key_and_misspellings_are_named() {
        let factory = billsync::providers()[0];
        let name = factory.name();
        let key = factory.keys()[0];
        let other = factory.keys()[1];
        let path = write(
            "ok.toml",
            &format!(
                "[profiles.p]\n{} = \"from-variable\"\n[profiles.p.{name}]\n{} = \"from-key\"\n",
                key.env, other.name
            ),
        );
        let profile = read_profile(&path, Some("p")).ok().unwrap();
        let _ = std::fs::remove_file(&path);
        let options = user_options(factory, &profile).unwrap();
        if std::env::var_os(key.env).is_none() {
            assert_eq!(options.get(key.name), Some("from-variable"));
        }
        if std::env::var_os(other.env).is_none() {
            assert_eq!(options.get(other.name), Some("from-key"));
        }
        let typo = format!("{}_NOT_A_KEY", name.to_ascii_uppercase());
        let profile = Profile {
            values: [(typo.clone(), "x".to_owned())].into(),
            tables: BTreeMap::new(),
        };
        let err = user_options(factory, &profile).err().unwrap();
        assert!(err.contains(&typo) && err.contains(key.env), "{err}");
    }
}
