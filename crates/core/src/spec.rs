//! What a provider crate fills in: the settings its one-step builder holds besides the
//! configuration, and its [`ProviderSpec`], the data behind its `FACTORY`.

use std::fmt;
use std::sync::Arc;

use crate::{ConfigKey, IdMap, Options, Provider, ProviderFactory, RateLimit, Result};

/// What a one-step client builder (`HyfinClient::builder()`, ...) holds besides the provider's
/// configuration: the id map and the request limit to give the client.
#[derive(Clone, Default)]
pub struct ClientSettings {
    /// The id map the client remembers provider ids in; a fresh in-memory one when `None`.
    pub ids: Option<Arc<dyn IdMap>>,
    /// The request limit: `None` for the provider's documented limits, `Some(None)` for none.
    pub rate_limit: Option<Option<RateLimit>>,
}

impl fmt::Debug for ClientSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSettings")
            .field("ids", &self.ids.is_some())
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl ClientSettings {
    /// Gives `client` the id map and request limit these settings hold, through the client's
    /// own `with_id_map` and `with_rate_limit`.
    pub fn apply<C>(
        self,
        mut client: C,
        with_id_map: fn(C, Arc<dyn IdMap>) -> C,
        with_rate_limit: fn(C, Option<RateLimit>) -> C,
    ) -> C {
        if let Some(ids) = self.ids {
            client = with_id_map(client, ids);
        }
        if let Some(limit) = self.rate_limit {
            client = with_rate_limit(client, limit);
        }
        client
    }
}

/// How a [`ProviderSpec`] builds a client: from options, with an id map when given.
pub type ConnectFn = fn(&Options, Option<Arc<dyn IdMap>>) -> Result<Box<dyn Provider>>;

/// A provider described as data: what a provider crate exports as its `FACTORY`. It implements
/// [`ProviderFactory`] from its fields, so no provider crate writes that impl.
#[derive(Debug, Clone, Copy)]
pub struct ProviderSpec {
    /// The provider's name (`hyfin`).
    pub name: &'static str,
    /// Every configuration key, besides [`RATE_LIMIT_KEY`](crate::RATE_LIMIT_KEY).
    pub keys: &'static [ConfigKey],
    /// The documented request limits, in one line.
    pub documented_limits: &'static str,
    /// The settings besides `base_url` that point a client at billsync's local sandbox, if it
    /// emulates the provider: `(key, value)` pairs, e.g. the sandbox's token.
    pub sandbox: Option<&'static [(&'static str, &'static str)]>,
    /// Builds a client from options, with an id map when given.
    pub connect: ConnectFn,
}

impl ProviderFactory for ProviderSpec {
    fn name(&self) -> &'static str {
        self.name
    }

    fn keys(&self) -> &'static [ConfigKey] {
        self.keys
    }

    fn documented_limits(&self) -> &'static str {
        self.documented_limits
    }

    fn sandbox_options(&self, base_url: &str) -> Option<Options> {
        let settings = self.sandbox?;
        let options = Options::new().set("base_url", base_url);
        Some(
            settings
                .iter()
                .fold(options, |options, (key, value)| options.set(*key, *value)),
        )
    }

    fn connect(&self, options: &Options, ids: Option<Arc<dyn IdMap>>) -> Result<Box<dyn Provider>> {
        (self.connect)(options, ids)
    }
}
