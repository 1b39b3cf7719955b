//! Providers described as data: their configuration keys, and a factory that builds a client
//! from a key/value map.
//!
//! Each provider crate exports one [`ProviderFactory`]. The `billsync` facade lists the
//! factories of its enabled features and offers `billsync::connect(name, &options)`, so that a
//! caller (the command line, a service reading its settings from a database) never names a
//! provider type. Options come from anywhere: [`Options::from_env`], a settings file
//! ([`Options::set`] per key), or code.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::{Error, IdMap, Provider, RateLimit, Result};

/// What a configuration key is for: it decides which keys a local sandbox keeps from the user's
/// settings (only [`KeyRole::Setting`]s: a sandbox must never receive a real credential, nor
/// send to a real base URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyRole {
    /// A secret (token, API key): never printed, never stored in clear.
    Secret,
    /// Which tenant of the provider (site, organization, entrypoint): part of the
    /// [`Account`](crate::Account).
    Account,
    /// Where the provider is (base URL, environment): part of the account too.
    Endpoint,
    /// How the client behaves (API version, currency, identifier fields, rate limit).
    Setting,
}

/// One configuration key of a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigKey {
    /// The key in an options map (`api_token`, `site_id`, ...), lower snake case.
    pub name: &'static str,
    /// The environment variable that sets it (`HYFIN_API_TOKEN`).
    pub env: &'static str,
    /// What the key is for.
    pub role: KeyRole,
    /// Whether a client cannot be built without it.
    pub required: bool,
    /// One line: what the value means and its default.
    pub help: &'static str,
}

impl ConfigKey {
    /// A key with its environment variable, role and one-line help; optional.
    pub const fn new(
        name: &'static str,
        env: &'static str,
        role: KeyRole,
        help: &'static str,
    ) -> Self {
        ConfigKey {
            name,
            env,
            role,
            required: false,
            help,
        }
    }

    /// The same key, required.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }
}

/// The key every provider accepts for its client-side request limit: `documented` (the
/// provider's documented limits, the default), `off`, or `N/s`, `N/m`, `N/h`.
pub const RATE_LIMIT_KEY: ConfigKey = ConfigKey::new(
    "rate_limit",
    "BILLSYNC_RATE_LIMIT",
    KeyRole::Setting,
    "requests the client may send: `documented` (default), `off`, or N/s, N/m, N/h",
);

/// Configuration values by key name. Every value is held as a [`SecretString`], so that no
/// value (a token among them) is ever printed by `Debug`; only the key names are.
#[derive(Clone, Default)]
pub struct Options {
    values: BTreeMap<String, SecretString>,
}

impl Options {
    /// No values.
    pub fn new() -> Self {
        Options::default()
    }

    /// Sets `key` (a key name such as `site_id`) to `value`, replacing any earlier value.
    pub fn set(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(key, value);
        self
    }

    /// Sets `key` to `value` in place.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.values
            .insert(key.into(), SecretString::from(value.into()));
    }

    /// Sets `key` only when it has no value yet.
    pub fn insert_missing(&mut self, key: &str, value: impl Into<String>) {
        if !self.values.contains_key(key) {
            self.insert(key, value);
        }
    }

    /// The keys that have a value.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// Every key of `keys` whose environment variable is set (to anything but blanks).
    pub fn from_env(keys: &[ConfigKey]) -> Options {
        let mut options = Options::new();
        for key in keys.iter().chain([&RATE_LIMIT_KEY]) {
            if let Ok(value) = std::env::var(key.env) {
                options.insert(key.name, value);
            }
        }
        options
    }

    /// The value of `key`, trimmed; `None` when unset or blank.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.raw(key).map(str::trim).filter(|v| !v.is_empty())
    }

    /// The value of `key` exactly as given (blank included).
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|v| v.expose_secret())
    }

    /// The value of `key` as a secret.
    pub fn secret(&self, key: &str) -> Option<SecretString> {
        self.get(key).map(|v| SecretString::from(v.to_owned()))
    }

    /// `set(builder, value)` when `key` has a value ([`Options::get`]); `builder` as it is
    /// otherwise. For a builder reading its keys one line each.
    pub fn with<'a, B>(&'a self, key: &str, builder: B, set: impl FnOnce(B, &'a str) -> B) -> B {
        match self.get(key) {
            Some(value) => set(builder, value),
            None => builder,
        }
    }

    /// [`Options::with`] for a secret value ([`Options::secret`]).
    pub fn with_secret<B>(
        &self,
        key: &str,
        builder: B,
        set: impl FnOnce(B, SecretString) -> B,
    ) -> B {
        match self.secret(key) {
            Some(value) => set(builder, value),
            None => builder,
        }
    }

    /// The value of the required `key`, or a configuration error naming it and its
    /// environment variable.
    pub fn require(&self, provider: &'static str, key: &ConfigKey) -> Result<&str> {
        self.get(key.name).ok_or_else(|| {
            Error::config(format!(
                "`{}` is required (environment variable {})",
                key.name, key.env
            ))
            .with_provider(provider)
        })
    }

    /// A boolean `key`: `true`/`false`, `yes`/`no`, `1`/`0`.
    pub fn flag(&self, provider: &'static str, key: &str) -> Result<Option<bool>> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        match v.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Ok(Some(true)),
            "false" | "no" | "0" => Ok(Some(false)),
            _ => Err(
                Error::config(format!("`{key}` is `{v}`, not true or false"))
                    .with_provider(provider),
            ),
        }
    }

    /// Fails when a key is set that `keys` (and [`RATE_LIMIT_KEY`]) do not know, naming it and
    /// the known keys: a misspelt key must not be ignored.
    pub fn check_known(&self, provider: &'static str, keys: &[ConfigKey]) -> Result<()> {
        let known = |k: &str| k == RATE_LIMIT_KEY.name || keys.iter().any(|key| key.name == k);
        let unknown: Vec<&str> = self.keys().filter(|k| !known(k)).collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = keys.iter().map(|k| k.name).collect();
        Err(Error::config(format!(
            "unknown option{} {}; {provider} knows {} and {}",
            if unknown.len() == 1 { "" } else { "s" },
            unknown.join(", "),
            names.join(", "),
            RATE_LIMIT_KEY.name
        ))
        .with_provider(provider))
    }

    /// The client-side request limit asked for by [`RATE_LIMIT_KEY`]: `None` for the
    /// provider's documented limits (also when unset), `Some(None)` for `off`.
    pub fn rate_limit(&self, provider: &'static str) -> Result<Option<Option<RateLimit>>> {
        let Some(text) = self.get(RATE_LIMIT_KEY.name) else {
            return Ok(None);
        };
        parse_rate_limit(text)
            .map_err(|e| Error::config(format!("`rate_limit` {e}")).with_provider(provider))
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("keys", &self.values.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Parses a request limit: `documented` → `None`; `off` or `none` → `Some(None)`; `N/s`, `N/m`,
/// `N/h` (N a whole number above 0; a bare `N` is per second) → that limit.
pub fn parse_rate_limit(text: &str) -> std::result::Result<Option<Option<RateLimit>>, String> {
    let t = text.trim().to_ascii_lowercase();
    match t.as_str() {
        "documented" => return Ok(None),
        "off" | "none" => return Ok(Some(None)),
        _ => {}
    }
    let bad = || format!("`{text}`: use N/s, N/m, N/h (N a whole number), off or documented");
    let (n, per) = match t.split_once('/') {
        Some((n, "s")) => (n, 1),
        Some((n, "m")) => (n, 60),
        Some((n, "h")) => (n, 3600),
        Some(_) => return Err(bad()),
        None => (t.as_str(), 1),
    };
    match n.trim().parse::<u32>() {
        Ok(v) if v > 0 => Ok(Some(Some(RateLimit::new(v, Duration::from_secs(per))))),
        _ => Err(bad()),
    }
}

/// A provider, described as data and able to build its client from [`Options`].
///
/// Implemented once per provider crate (`billsync_hyfin::FACTORY`, ...); the facade lists the
/// enabled ones.
pub trait ProviderFactory: Send + Sync {
    /// The provider's name (`hyfin`), as used on the command line and in accounts.
    fn name(&self) -> &'static str;

    /// Every configuration key the provider reads, besides [`RATE_LIMIT_KEY`].
    fn keys(&self) -> &'static [ConfigKey];

    /// The documented request limits, in one line (for `--help` and docs).
    fn documented_limits(&self) -> &'static str;

    /// The options that point a client at billsync's local sandbox served at `base_url`
    /// (its default credentials and tenant ids). `None` when the sandbox does not emulate this
    /// provider.
    fn sandbox_options(&self, base_url: &str) -> Option<Options>;

    /// Builds a client from `options` (unknown keys are an error), remembering provider ids in
    /// `ids` (a fresh in-memory map when `None`). Sends nothing.
    fn connect(&self, options: &Options, ids: Option<Arc<dyn IdMap>>) -> Result<Box<dyn Provider>>;
}

impl fmt::Debug for dyn ProviderFactory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ProviderFactory")
            .field(&self.name())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[ConfigKey] = &[
        ConfigKey::new("api_token", "X_API_TOKEN", KeyRole::Secret, "the token").required(),
        ConfigKey::new("site_id", "X_SITE_ID", KeyRole::Account, "the site"),
    ];

    #[test]
    fn with_sets_only_keys_that_have_a_value() {
        let o = Options::new()
            .set("site_id", "  s1 ")
            .set("blank", "   ")
            .set("api_token", "tok");
        let push = |mut v: Vec<String>, x: &str| {
            v.push(x.to_owned());
            v
        };
        let v = o.with("site_id", Vec::new(), push);
        let v = o.with("blank", v, push);
        let v = o.with("unset", v, push);
        assert_eq!(v, ["s1"]);
        let secret = o.with_secret("api_token", None, |_, s| Some(s));
        assert_eq!(
            secret.map(|s| s.expose_secret().to_owned()).as_deref(),
            Some("tok")
        );
        assert!(o.with_secret("blank", None, |_, s| Some(s)).is_none());
    }

    #[test]
    fn debug_shows_keys_but_never_values() {
        let o = Options::new()
            .set("api_token", "tok_5ecret")
            .set("site_id", "s1");
        let text = format!("{o:?}");
        assert!(
            text.contains("api_token") && text.contains("site_id"),
            "{text}"
        );
        assert!(!text.contains("5ecret") && !text.contains("s1\""), "{text}");
    }

    #[test]
    fn values_are_trimmed_and_blank_is_unset() {
        let o = Options::new()
            .set("site_id", "  s1 ")
            .set("api_token", "  ");
        assert_eq!(o.get("site_id"), Some("s1"));
        assert_eq!(o.get("api_token"), None);
        assert_eq!(o.raw("api_token"), Some("  "));
        let err = o.require("x", &KEYS[0]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x: `api_token` is required (environment variable X_API_TOKEN)"
        );
    }

    #[test]
    fn a_misspelt_key_is_named_with_the_known_ones() {
        let o = Options::new().set("site", "s1").set("rate_limit", "off");
        let err = o.check_known("x", KEYS).unwrap_err().to_string();
        assert_eq!(
            err,
            "x: unknown option site; x knows api_token, site_id and rate_limit"
        );
        assert!(
            Options::new()
                .set("site_id", "1")
                .check_known("x", KEYS)
                .is_ok()
        );
    }

    #[test]
    fn rate_limits_parse_as_requests_per_window() {
        let minute = RateLimit::new(200, Duration::from_secs(60));
        assert_eq!(parse_rate_limit("200/m"), Ok(Some(Some(minute))));
        let hour = RateLimit::new(9, Duration::from_secs(3600));
        assert_eq!(parse_rate_limit("9/h"), Ok(Some(Some(hour))));
        let second = RateLimit::new(5, Duration::from_secs(1));
        assert_eq!(parse_rate_limit(" 5 "), Ok(Some(Some(second))));
        assert_eq!(parse_rate_limit("off"), Ok(Some(None)));
        assert_eq!(parse_rate_limit("Documented"), Ok(None));
        for bad in ["0/s", "1.5/s", "3/d", "x", ""] {
            assert!(parse_rate_limit(bad).unwrap_err().contains("N/s"), "{bad}");
        }
    }

    #[test]
    fn flags_accept_the_usual_spellings_only() {
        let o = Options::new()
            .set("a", "Yes")
            .set("b", "0")
            .set("c", "maybe");
        assert_eq!(o.flag("x", "a").unwrap(), Some(true));
        assert_eq!(o.flag("x", "b").unwrap(), Some(false));
        assert_eq!(o.flag("x", "d").unwrap(), None);
        assert!(
            o.flag("x", "c")
                .unwrap_err()
                .to_string()
                .contains("`c` is `maybe`")
        );
    }
}
