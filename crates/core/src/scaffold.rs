//! The code every provider crate would otherwise write again, generated once: the
//! [`Provider`](crate::Provider) impl of its client ([`impl_provider!`](crate::impl_provider)),
//! and its one-step builder's shared methods, `options()` and its factory's connect function
//! ([`client_builder!`](crate::client_builder)). What differs between providers stays in the
//! provider crate: its keys, how it reads them, its capabilities, its upserts.

/// Implements [`Provider`](crate::Provider) for a provider crate's client, with the inherent
/// accessors every client has: `config`, `account`, `id_map`, `with_id_map` and
/// `with_rate_limit`.
///
/// The client type must have the fields `config: Arc<$config>`, `account: Account`,
/// `http: HttpClient` and `ids: Arc<dyn IdMap>`, and an inherent
/// `capabilities(&self) -> Capabilities`. `customers` and `payments` are `supported` (the
/// client implements `Upsert` of that kind) or `unsupported`; `warm_up` optionally names an
/// `async fn(&Client, RecordKind) -> Result<u32>` that replaces the default (which does
/// nothing).
///
/// A provider that stores nothing yet (every provider crate calls it the same way, with
/// `supported` for each kind it implements `Upsert` of):
///
/// ```
/// use std::sync::Arc;
///
/// use billsync_core::provider_kit::HttpClient;
/// use billsync_core::url::Url;
/// use billsync_core::{
///     Account, Capabilities, HttpSettings, IdMap, MemoryIdMap, Provider, Support,
/// };
///
/// #[derive(Debug)]
/// struct NoopConfig;
///
/// #[derive(Debug)]
/// struct NoopClient {
///     config: Arc<NoopConfig>,
///     account: Account,
///     http: HttpClient,
///     ids: Arc<dyn IdMap>,
/// }
///
/// impl NoopClient {
///     fn capabilities(&self) -> Capabilities {
///         Capabilities::new(Support::Unsupported, Support::Unsupported, false)
///     }
/// }
///
/// billsync_core::impl_provider!(NoopClient {
///     name: "noop",
///     config: NoopConfig,
///     customers: unsupported,
///     payments: unsupported,
/// });
///
/// let url = Url::parse("https://noop.example/api").unwrap();
/// let client = NoopClient {
///     config: Arc::new(NoopConfig),
///     account: Account::new("noop", &url),
///     http: HttpClient::new("noop", &HttpSettings::default()).unwrap(),
///     ids: Arc::new(MemoryIdMap::new()),
/// }
/// .with_rate_limit(None);
/// let provider: &dyn Provider = &client;
/// assert_eq!(provider.name(), "noop");
/// assert_eq!(provider.account(), client.account());
/// assert!(provider.customers().is_none() && provider.rate_limit().is_none());
/// ```
#[macro_export]
macro_rules! impl_provider {
    ($client:ty {
        name: $name:expr,
        config: $config:ty,
        customers: $customers:ident,
        payments: $payments:ident
        $(, warm_up: $warm_up:path)? $(,)?
    }) => {
        impl $client {
            /// The configuration.
            pub fn config(&self) -> &$config {
                &self.config
            }

            /// The account this client writes to (see the configuration's `account()`): what
            /// every id, hash and lock billsync keeps for its records is keyed by.
            pub fn account(&self) -> &$crate::Account {
                &self.account
            }

            /// The id map in use.
            pub fn id_map(&self) -> &::std::sync::Arc<dyn $crate::IdMap> {
                &self.ids
            }

            /// Uses `ids` to remember the provider's ids (e.g. a persistent store shared
            /// across runs).
            pub fn with_id_map(mut self, ids: ::std::sync::Arc<dyn $crate::IdMap>) -> Self {
                self.ids = ids;
                self
            }

            /// Limits every request of this client and its clones (lookups and retries
            /// included) to `limit`, or lifts the limit with `None`. By default the
            /// provider's documented limit applies (see the configuration's
            /// `documented_rate_limit`, where it has one).
            pub fn with_rate_limit(
                mut self,
                limit: ::core::option::Option<$crate::RateLimit>,
            ) -> Self {
                self.http = self.http.with_rate_limit(limit);
                self
            }
        }

        #[$crate::async_trait]
        impl $crate::Provider for $client {
            fn name(&self) -> &'static str {
                $name
            }

            fn account(&self) -> &$crate::Account {
                &self.account
            }

            fn rate_limit(&self) -> ::core::option::Option<&$crate::RateLimit> {
                self.http.rate_limit()
            }

            fn capabilities(&self) -> $crate::Capabilities {
                <$client>::capabilities(self)
            }

            fn customers(&self) -> ::core::option::Option<&dyn $crate::Upsert<$crate::Customer>> {
                $crate::impl_provider!(@upsert self, $customers)
            }

            fn payments(&self) -> ::core::option::Option<&dyn $crate::Upsert<$crate::Payment>> {
                $crate::impl_provider!(@upsert self, $payments)
            }

            $(
                async fn warm_up(&self, kind: $crate::RecordKind) -> $crate::Result<u32> {
                    $warm_up(self, kind).await
                }
            )?
        }
    };
    (@upsert $self:ident, supported) => {
        ::core::option::Option::Some($self)
    };
    (@upsert $self:ident, unsupported) => {
        ::core::option::Option::None
    };
}

/// Generates what every provider crate's one-step builder shares.
///
/// For a configuration `$config`, its builder `$builder<T>` (with a field
/// `client: ClientSettings` and a `build_config(self) -> Result<$config>`, `T` being the
/// configuration or the client) and the client `$client` (with `new($config) -> Result<Self>`,
/// `with_id_map` and `with_rate_limit`), it generates:
/// - `$config::from_options(&Options)`;
/// - `$builder<T>::options(&Options)`: refuses a key the provider does not know (naming it),
///   takes `rate_limit`, then calls the crate's own
///   `read_options(self, &Options) -> Result<Self>` for its keys;
/// - `$config::from_env()` and `$client::from_env()`;
/// - `$client::builder()` and, on `$builder<$client>`, `id_map`, `rate_limit` and `build`;
/// - `fn $connect(&Options, Option<Arc<dyn IdMap>>) -> Result<Box<dyn Provider>>`, for the
///   crate's [`ProviderSpec`](crate::ProviderSpec).
///
/// As the provider crates call it (`tests/echo/src/connect.rs` is the smallest):
///
/// ```text
/// billsync_core::client_builder! {
///     client: HyfinClient,
///     config: HyfinConfig,
///     builder: HyfinConfigBuilder,
///     name: PROVIDER,
///     keys: KEYS,
///     connect: connect,
/// }
/// ```
#[macro_export]
macro_rules! client_builder {
    (
        client: $client:ident,
        config: $config:ident,
        builder: $builder:ident,
        name: $name:expr,
        keys: $keys:expr,
        connect: $connect:ident $(,)?
    ) => {
        impl $config {
            /// Reads the configuration from `options` (keys: [`KEYS`]); a key this provider
            /// does not know is an error naming it.
            pub fn from_options(options: &$crate::Options) -> $crate::Result<Self> {
                $config::builder().options(options)?.build()
            }

            /// Reads the configuration from the environment variables of [`KEYS`] (and
            /// `BILLSYNC_RATE_LIMIT`).
            pub fn from_env() -> $crate::Result<Self> {
                $config::from_options(&$crate::Options::from_env($keys))
            }
        }

        impl<T> $builder<T> {
            /// Takes every setting in `options` (keys: [`KEYS`] and `rate_limit`); a key this
            /// provider does not know is an error naming it. Required keys are checked by
            /// `build`.
            pub fn options(mut self, options: &$crate::Options) -> $crate::Result<Self> {
                options.check_known($name, $keys)?;
                if let ::core::option::Option::Some(limit) = options.rate_limit($name)? {
                    self.client.rate_limit = ::core::option::Option::Some(limit);
                }
                self.read_options(options)
            }
        }

        impl $client {
            #[doc = concat!(
                                        "Builds a client in one step: `", stringify!($client),
                                        "::builder()`, its settings, then `.build()?`."
                                    )]
            pub fn builder() -> $builder<$client> {
                ::core::default::Default::default()
            }

            /// A client configured from the environment (see `from_env` of the
            /// configuration).
            pub fn from_env() -> $crate::Result<Self> {
                $client::new($config::from_env()?)
            }
        }

        impl $builder<$client> {
            /// Remembers the provider's ids in `ids` (e.g. a persistent store shared across
            /// runs) instead of a fresh in-memory map.
            pub fn id_map(mut self, ids: ::std::sync::Arc<dyn $crate::IdMap>) -> Self {
                self.client.ids = ::core::option::Option::Some(ids);
                self
            }

            /// Limits every request to `limit`, or lifts the limit with `None` (default: the
            /// provider's documented limits, if any).
            pub fn rate_limit(mut self, limit: ::core::option::Option<$crate::RateLimit>) -> Self {
                self.client.rate_limit = ::core::option::Option::Some(limit);
                self
            }

            /// Checks the settings and builds the client. Sends nothing.
            pub fn build(mut self) -> $crate::Result<$client> {
                let settings = ::core::mem::take(&mut self.client);
                let client = $client::new(self.build_config()?)?;
                ::core::result::Result::Ok(settings.apply(
                    client,
                    $client::with_id_map,
                    $client::with_rate_limit,
                ))
            }
        }

        /// A client from `options`, remembering ids in `ids` when given.
        fn $connect(
            options: &$crate::Options,
            ids: ::core::option::Option<::std::sync::Arc<dyn $crate::IdMap>>,
        ) -> $crate::Result<::std::boxed::Box<dyn $crate::Provider>> {
            let mut builder = $client::builder().options(options)?;
            builder.client.ids = ids;
            ::core::result::Result::Ok(::std::boxed::Box::new(builder.build()?))
        }
    };
}
