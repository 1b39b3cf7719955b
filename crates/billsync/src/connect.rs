//! Any enabled provider by name, configured from data.

use std::sync::Arc;

use billsync_core::{Error, IdMap, Options, Provider, ProviderFactory, Result};

/// The providers of the enabled features, in a fixed order. This list is the only place that
/// names them: everything else (the command line among them) goes through it.
pub fn providers() -> &'static [&'static dyn ProviderFactory] {
    PROVIDERS
}

static PROVIDERS: &[&dyn ProviderFactory] = &[
    #[cfg(feature = "hyfin")]
    &billsync_hyfin::FACTORY,
    #[cfg(feature = "rebilly")]
    &billsync_rebilly::FACTORY,
    #[cfg(feature = "payabli")]
    &billsync_payabli::FACTORY,
    #[cfg(feature = "echo")]
    &billsync_echo::FACTORY,
];

/// The enabled provider called `name` (case-insensitive), or a configuration error naming the
/// enabled ones.
pub fn provider(name: &str) -> Result<&'static dyn ProviderFactory> {
    providers()
        .iter()
        .copied()
        .find(|p| p.name().eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            let names: Vec<&str> = providers().iter().map(|p| p.name()).collect();
            Error::config(if names.is_empty() {
                format!("no provider `{name}`: no provider feature is enabled")
            } else {
                format!(
                    "no provider `{name}`: the enabled ones are {}",
                    names.join(", ")
                )
            })
        })
}

/// A client of the provider called `name`, configured by `options` (the keys of
/// [`ProviderFactory::keys`], plus `rate_limit`), with a fresh in-memory id map. Sends nothing.
///
/// ```
/// # #[cfg(feature = "payabli")] {
/// let options = billsync::Options::new()
///     .set("entrypoint", "shop-1")
///     .set("api_token", "...")
///     .set("rate_limit", "100/m");
/// let client = billsync::connect("payabli", &options)?;
/// assert_eq!(client.account().to_string(), "payabli https://api-sandbox.payabli.com/api entrypoint=shop-1");
/// # }
/// # Ok::<(), billsync::Error>(())
/// ```
pub fn connect(name: &str, options: &Options) -> Result<Box<dyn Provider>> {
    provider(name)?.connect(options, None)
}

/// Like [`connect`], remembering provider ids in `ids` (e.g. `state::SqliteState`).
pub fn connect_with(
    name: &str,
    options: &Options,
    ids: Arc<dyn IdMap>,
) -> Result<Box<dyn Provider>> {
    provider(name)?.connect(options, Some(ids))
}

/// Like [`connect`], with the options read from the provider's environment variables
/// ([`ConfigKey::env`](billsync_core::ConfigKey::env)).
pub fn connect_from_env(name: &str) -> Result<Box<dyn Provider>> {
    let factory = provider(name)?;
    factory.connect(&Options::from_env(factory.keys()), None)
}
