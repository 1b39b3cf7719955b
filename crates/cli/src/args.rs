//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Push customers and payments into billing providers.
///
/// Credentials and settings come from the environment (`billsync providers` lists each
/// provider's variables), filled in from a profile of billsync.toml where the environment does
/// not set them; --sandbox points every provider at a local emulator instead.
#[derive(Debug, Parser)]
#[command(name = "billsync", version, about)]
pub struct Cli {
    /// SQLite file that remembers what was synced (provider ids, fingerprints of what was
    /// sent), per provider account: one file can serve many merchants.
    #[arg(long, global = true, default_value = "billsync-state.sqlite")]
    pub state: PathBuf,
    /// Profile of billsync.toml whose settings fill in unset environment variables.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Configuration file with profiles.
    #[arg(long, global = true, default_value = "billsync.toml")]
    pub config: PathBuf,
    /// Run against a fresh in-process sandbox of every provider it emulates (no credentials
    /// needed).
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// More log lines on standard error: -v info, -vv debug, -vvv trace (overrides RUST_LOG,
    /// which is read otherwise; warnings only by default).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Errors only in the log, and plain progress lines instead of a progress bar.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// How log lines are written on standard error.
    #[arg(long, global = true, value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Formats of the log on standard error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per event, with its spans.
    Json,
}

/// A provider of the enabled features, by name (`billsync providers` lists them).
#[derive(Clone, Copy)]
pub struct ProviderName(&'static dyn billsync::ProviderFactory);

impl ProviderName {
    /// Every enabled provider.
    pub fn all() -> impl Iterator<Item = ProviderName> {
        billsync::providers().iter().map(|f| ProviderName(*f))
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        self.0.name()
    }

    /// What the provider says of itself: its configuration keys, its limits, its sandbox.
    pub fn factory(self) -> &'static dyn billsync::ProviderFactory {
        self.0
    }
}

impl std::fmt::Debug for ProviderName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for ProviderName {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl std::str::FromStr for ProviderName {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        billsync::provider(s)
            .map(ProviderName)
            .map_err(|e| e.to_string())
    }
}

/// Kinds of record in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Customers.
    Customers,
    /// Payments.
    Payments,
}

/// Kinds of a single record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OneKind {
    /// A customer.
    Customer,
    /// A payment.
    Payment,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sync a JSON Lines or CSV file of canonical records into a provider.
    ///
    /// The file is streamed (constant memory: the external ids already read, kept to tell
    /// duplicates and parents, go to a temporary SQLite file of about 60 bytes a record, in
    /// SQLITE_TMPDIR or TMPDIR). Records unchanged since they last landed are not
    /// sent again. A run killed at any moment can be run again: records whose request was in
    /// flight are resent when a repeat cannot duplicate them; a create that may have landed at a
    /// provider that keys records by its own id only is reported as `outcome_unknown` instead
    /// (check it at the provider, then run again with --resend-unknown). Exit 0 when every row landed, 1 when some were rejected or failed,
    /// 2 on usage or configuration errors.
    ///
    /// CSV columns (customers): external_id, display_name, company, first_name, last_name,
    /// email, phone, line1, line2, city, region, postal_code, country, shipping_line1,
    /// shipping_line2, shipping_city, shipping_region, shipping_postal_code, shipping_country,
    /// notes, status, locale, parent_external_id, bill_to_parent, `custom.<name>`. An empty
    /// cell is an absent value; an empty `custom.<name>` cell removes a custom field that an
    /// earlier sync with the same state file sent (docs/update-semantics.md).
    /// CSV columns (payments): external_id, customer_external_id, gateway_transaction_id,
    /// method_display_name, amount, currency, tip, tax, fee, paid_at, invoice_external_id,
    /// method, sub_type, status, active.
    Sync {
        /// The file (`.csv` is read as CSV, anything else as JSON Lines). It must be a regular
        /// file: a directory, FIFO or device is refused at once (exit 2).
        file: PathBuf,
        /// The provider.
        #[arg(long)]
        to: ProviderName,
        /// What the file holds.
        #[arg(long, value_enum, default_value = "customers")]
        kind: Kind,
        /// Upserts in flight at once.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// HTTP requests per second, minute or hour (`N/s`, `N/m`, `N/h`, `off` or
        /// `documented`), counting every request (lookups, contacts and retries included);
        /// defaults to the provider's documented limits (`billsync providers` lists them), and
        /// to none against a local sandbox.
        #[arg(long)]
        rate_limit: Option<String>,
        /// Where to write rejected and failed rows (JSON Lines), and updates that could not
        /// clear a field the record no longer has (outcome `updated`, kind `not_cleared`).
        #[arg(long)]
        report: Option<PathBuf>,
        /// Resend records whose earlier create may have landed (see above).
        #[arg(long)]
        resend_unknown: bool,
        /// When another run is syncing the same account with the same state file, wait for it
        /// to finish instead of exiting with code 2.
        #[arg(long)]
        wait_for_lock: bool,
        /// The state file was written by billsync 0.1 (before it kept provider accounts apart):
        /// attribute its rows of this provider to this run's account. Only when they were
        /// synced to this very account (`billsync status` lists them).
        #[arg(long)]
        adopt_legacy_state: bool,
        /// Print the summary as one JSON object (for scripts) instead of text.
        #[arg(long)]
        json: bool,
        /// After a first SIGINT or SIGTERM, how many seconds the upserts in flight may take to
        /// finish before the run ends anyway (they are then left pending for the next run).
        #[arg(long, default_value_t = 30)]
        grace_period: u64,
    },
    /// Upsert one record (a JSON file, or `-` for standard input) and print the outcome as JSON.
    Upsert {
        /// Customer or payment.
        kind: OneKind,
        /// The file, or `-`.
        file: PathBuf,
        /// The provider.
        #[arg(long)]
        to: ProviderName,
    },
    /// Print the requests that would be sent for each record, secrets redacted; send nothing.
    Render {
        /// A JSON Lines or CSV file, or `-` for JSON Lines on standard input.
        file: PathBuf,
        /// The provider.
        #[arg(long)]
        to: ProviderName,
        /// What the file holds.
        #[arg(long, value_enum, default_value = "customers")]
        kind: Kind,
    },
    /// List the enabled providers with their configuration keys, environment variables and
    /// documented request limits.
    Providers,
    /// List the provider accounts a state file holds, with counts per kind and status (done,
    /// pending, failed, outcome unknown) and the provider ids it remembers.
    Status {
        /// Print one JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Run the local emulator of the providers in the foreground (Ctrl-C stops it).
    Sandbox {
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8787)]
        port: u16,
        /// Keep the sandbox's records in this SQLite file across restarts.
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Sync the example customers and payments into a local sandbox of every provider, twice,
    /// then after an edit, and print a table per provider.
    Demo,
}
