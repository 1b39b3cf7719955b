//! `billsync`: bulk-sync files of customers and payments into billing providers, with
//! progress, resume and a report of rejected rows. `billsync --help` lists the commands.

mod config;
#[cfg(feature = "sandbox")]
mod demo;
mod local;
mod logs;
mod progress;
mod providers;
mod render;
mod status;
mod stdout;
mod stop;
mod sync;

// The command line and the record decoder live in the library (`src/lib.rs`), for fuzzing.
use billsync_cli::{args, input, report};

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

use crate::args::{Cli, Command, OneKind, ProviderName};
use crate::config::Source;
use crate::stdout::say;
use billsync_state::SqliteState;

/// A failure: its message and the exit code (1 some rows did not land, 2 usage/configuration).
struct Failure(String, u8);

fn usage(msg: impl Into<String>) -> Failure {
    Failure(msg.into(), 2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logs::install(cli.verbose, cli.quiet, cli.log_format);
    let profile = match config::read_profile(&cli.config, cli.profile.as_deref()) {
        Ok(profile) => profile,
        Err(e) => {
            eprintln!("billsync: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("billsync: cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli, &profile)) {
        Ok(code) => ExitCode::from(code),
        Err(Failure(msg, code)) => {
            eprintln!("billsync: {msg}");
            ExitCode::from(code)
        }
    }
}

/// A sandbox, when `--sandbox` asks for one.
async fn sandbox_if(asked: bool) -> Result<Option<local::Sandbox>, Failure> {
    if !asked {
        return Ok(None);
    }
    local::start().await.map(Some).map_err(usage)
}

fn client(
    name: ProviderName,
    sandbox: Option<&local::Sandbox>,
    profile: &config::Profile,
    ids: Arc<dyn billsync::IdMap>,
    rate_limit: Option<&str>,
) -> Result<Arc<dyn billsync::Provider>, Failure> {
    let source = match sandbox {
        Some(s) => Source::Sandbox(s, profile),
        None => Source::Env(profile),
    };
    config::provider(name, &source, ids, rate_limit).map_err(usage)
}

fn open_state(path: &Path) -> Result<Arc<SqliteState>, Failure> {
    SqliteState::open(path).map_err(|e| usage(e.to_string()))
}

/// A short, stable tag of an account for file names (12 hex digits of its key's SHA-256).
fn account_tag(account: &billsync::Account) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(account.key().as_bytes());
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

fn read_one(file: &Path) -> Result<String, Failure> {
    let mut text = String::new();
    if file.as_os_str() == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| usage(format!("cannot read standard input: {e}")))?;
    } else {
        input::open_file(file)
            .and_then(|mut f| {
                f.read_to_string(&mut text)
                    .map_err(|e| format!("cannot read {}: {e}", file.display()))
            })
            .map_err(usage)?;
    }
    Ok(text)
}

async fn run(cli: Cli, profile: &config::Profile) -> Result<u8, Failure> {
    match cli.command {
        Command::Demo => {
            local::demo(profile).await.map_err(usage)?;
            Ok(0)
        }
        Command::Providers => {
            providers::print();
            Ok(0)
        }
        Command::Status { json } => status(&cli.state, json),
        Command::Sandbox { port, data } => {
            local::serve(port, data).await.map_err(usage)?;
            Ok(0)
        }
        Command::Sync {
            file,
            to,
            kind,
            concurrency,
            rate_limit,
            report,
            resend_unknown,
            wait_for_lock,
            adopt_legacy_state,
            json,
            grace_period,
        } => {
            let sandbox = sandbox_if(cli.sandbox).await?;
            let state = open_state(&cli.state)?;
            let provider = client(
                to,
                sandbox.as_ref(),
                profile,
                state.clone(),
                rate_limit.as_deref(),
            )?;
            let report =
                report.unwrap_or_else(|| default_report(&cli.state, to, kind, provider.account()));
            let opts = sync::SyncOptions {
                file,
                kind,
                concurrency,
                report,
                resend_unknown,
                wait_for_lock,
                adopt_legacy: adopt_legacy_state,
                // Log lines and a redrawn bar do not mix: plain progress lines when verbose.
                quiet: cli.quiet || cli.verbose > 0,
                silent: json,
                stop: Arc::new(stop::Stop::default()),
                grace: std::time::Duration::from_secs(grace_period),
            };
            sync_file(opts, provider, state, json).await
        }
        Command::Upsert { kind, file, to } => {
            let sandbox = sandbox_if(cli.sandbox).await?;
            let state = open_state(&cli.state)?;
            let provider = client(to, sandbox.as_ref(), profile, state, None)?;
            upsert_one(provider.as_ref(), kind, &file).await
        }
        Command::Render { file, to, kind } => {
            let sandbox = sandbox_if(cli.sandbox).await?;
            // Rendering reads what is remembered of earlier syncs when a state file exists, and
            // never creates one.
            let ids: Arc<dyn billsync::IdMap> = if cli.state.exists() {
                open_state(&cli.state)?
            } else {
                Arc::new(billsync::MemoryIdMap::new())
            };
            let provider = client(to, sandbox.as_ref(), profile, ids, None)?;
            let all_valid = render::run(&file, kind, provider.as_ref()).map_err(usage)?;
            Ok(if all_valid { 0 } else { 1 })
        }
    }
}

/// `billsync status`: what the state file remembers, per account.
fn status(state_path: &Path, json: bool) -> Result<u8, Failure> {
    if !state_path.exists() {
        return Err(usage(format!(
            "no state file at {} (--state names it)",
            state_path.display()
        )));
    }
    let state = open_state(state_path)?;
    status::print(state.as_ref(), json).map_err(usage)?;
    Ok(0)
}

/// The report file when `--report` names none: next to the state file, one per account and kind
/// (runs of different accounts never share one).
fn default_report(
    state_path: &Path,
    to: ProviderName,
    kind: args::Kind,
    account: &billsync::Account,
) -> PathBuf {
    let kind_name = if kind == args::Kind::Customers {
        "customers"
    } else {
        "payments"
    };
    let dir = state_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let tag = account_tag(account);
    dir.join(format!(
        "billsync-report-{}-{tag}-{kind_name}.jsonl",
        to.as_str()
    ))
}

/// `billsync sync`: runs the sync (stopped cleanly by SIGINT or SIGTERM), prints its summary and
/// answers the exit code.
async fn sync_file(
    opts: sync::SyncOptions,
    provider: Arc<dyn billsync::Provider>,
    state: Arc<SqliteState>,
    json: bool,
) -> Result<u8, Failure> {
    stop::listen(opts.stop.clone());
    let summary = sync::run(opts, provider, state).await.map_err(usage)?;
    if json {
        say!("{}", serde_json::to_string(&summary).unwrap_or_default());
    } else {
        say!("{}", summary.text().trim_end());
    }
    Ok(match summary.signal {
        // Stopped by SIGINT (130) or SIGTERM (143), as shells expect.
        Some(code) => code,
        None if summary.all_landed() => 0,
        None => 1,
    })
}

/// `billsync upsert`: upserts the one record of `file` and prints the outcome as JSON.
async fn upsert_one(
    provider: &dyn billsync::Provider,
    kind: OneKind,
    file: &Path,
) -> Result<u8, Failure> {
    let text = read_one(file)?;
    let name = file.display().to_string();
    let result = match kind {
        OneKind::Customer => {
            let c: billsync::Customer = serde_json::from_str(&text)
                .map_err(|e| usage(format!("{name}: not a valid customer: {e}")))?;
            provider.upsert_customer(&c).await
        }
        OneKind::Payment => {
            let p: billsync::Payment = serde_json::from_str(&text)
                .map_err(|e| usage(format!("{name}: not a valid payment: {e}")))?;
            provider.upsert_payment(&p).await
        }
    };
    match result {
        Ok(done) => {
            say!(
                "{}",
                serde_json::to_string_pretty(&done).unwrap_or_default()
            );
            Ok(0)
        }
        Err(e)
            if matches!(
                e.kind(),
                billsync::ErrorKind::Config | billsync::ErrorKind::Unsupported
            ) =>
        {
            Err(usage(e.to_string()))
        }
        Err(e) => Err(Failure(e.to_string(), 1)),
    }
}
