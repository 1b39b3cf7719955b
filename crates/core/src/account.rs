//! Which provider account a client reads and writes.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};
use url::Url;
use url::form_urlencoded::byte_serialize;

/// The provider account a client writes to: the provider, the deployment it talks to (the
/// normalized base URL) and the provider's own tenant ids (a Hyfin site, a Rebilly organization
/// and website, a Payabli entrypoint). Never a secret.
///
/// Everything billsync remembers — provider ids in an [`IdMap`](crate::IdMap), hashes of what
/// was sent, locks, report rows — is keyed by the account, so that a sync for one merchant never
/// reads or overwrites what belongs to another. Two clients with a different base URL or a
/// different tenant id are different accounts, even when their credentials are the same.
///
/// Each provider crate builds its clients' account from their configuration; callers read it
/// with `client.account()` or [`Provider::account`](crate::Provider::account).
///
/// ```
/// use billsync_core::Account;
/// let base = billsync_core::url::Url::parse("https://API.example.com/api/").unwrap();
/// let a = Account::new("payabli", &base).with_scope("entrypoint", "shop-1");
/// assert_eq!(a.key(), "payabli https://api.example.com/api entrypoint=shop-1");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Account {
    // The canonical key first, so that ordering and equality follow it.
    key: Arc<str>,
    provider: &'static str,
}

impl Account {
    /// The account of `provider` at `base_url` (normalized: lower-case scheme and host, no
    /// default port, no trailing `/`, no query or fragment), with no tenant id yet.
    pub fn new(provider: &'static str, base_url: &Url) -> Self {
        let mut url = base_url.clone();
        url.set_query(None);
        url.set_fragment(None);
        let _ = url.set_username("");
        let _ = url.set_password(None);
        let text = url.as_str().trim_end_matches('/');
        Account {
            key: format!("{provider} {text}").into(),
            provider,
        }
    }

    /// Adds one tenant id (`site`, `organization`, `entrypoint`, ...). The value is
    /// percent-encoded in the key, so no value can be confused with another.
    pub fn with_scope(self, name: &str, value: &str) -> Self {
        let value: String = byte_serialize(value.as_bytes()).collect();
        Account {
            key: format!("{} {name}={value}", self.key).into(),
            provider: self.provider,
        }
    }

    /// The canonical key: `provider base-url name=value ...`. Stable across versions: stores
    /// key their rows by it.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The provider's name.
    pub fn provider(&self) -> &'static str {
        self.provider
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Account").field(&&*self.key).finish()
    }
}

impl Serialize for Account {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn base_urls_are_normalized() {
        let a = Account::new("hyfin", &url("HTTPS://Hyfin.Example:443/api/?x=1#f"));
        let b = Account::new("hyfin", &url("https://hyfin.example/api"));
        assert_eq!(a, b);
        assert_eq!(a.key(), "hyfin https://hyfin.example/api");
        let userinfo = Account::new("hyfin", &url("https://user:pw@hyfin.example/api"));
        assert_eq!(userinfo, b, "credentials in a URL never enter the key");
    }

    #[test]
    fn every_part_tells_accounts_apart() {
        let base = url("https://h.example/");
        let site1 = Account::new("hyfin", &base).with_scope("site", "1");
        assert_ne!(site1, Account::new("hyfin", &base).with_scope("site", "2"));
        assert_ne!(
            site1,
            Account::new("hyfin", &url("https://other.example/")).with_scope("site", "1")
        );
        assert_ne!(
            site1,
            Account::new("payabli", &base).with_scope("site", "1")
        );
        // A value with a space or `=` cannot pass for two scopes.
        let tricky = Account::new("rebilly", &base).with_scope("organization", "a website=b");
        let two = Account::new("rebilly", &base)
            .with_scope("organization", "a")
            .with_scope("website", "b");
        assert_ne!(tricky, two);
        assert_eq!(site1.provider(), "hyfin");
        assert_eq!(site1.to_string(), "hyfin https://h.example site=1");
    }
}
