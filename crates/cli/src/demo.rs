//! `billsync demo`: the whole tool against an in-process sandbox, no credentials, no network.
//!
//! Syncs the example customers and payments into every provider that takes each kind, twice
//! (the second run sends nothing), then after editing three customers, and prints a table per
//! provider. Some example rows are deliberately invalid: they are reported, never sent.

use std::path::{Path, PathBuf};

use billsync_sandbox::Sandbox;

use crate::args::{Kind, ProviderName};
use crate::config::{self, Profile, Source};
use crate::stdout::say;
use crate::sync::{self, Summary, SyncOptions};
use billsync_state::SqliteState;

const CUSTOMERS: &str = include_str!("../../../examples/customers.jsonl");
const PAYMENTS: &str = include_str!("../../../examples/payments.jsonl");

/// The example customers with the primary contact's last name of the first three changed.
fn edited(customers: &str) -> Result<String, String> {
    let mut out = String::with_capacity(customers.len() + 64);
    let mut edited = 0;
    for line in customers.lines() {
        let mut value: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(_) => {
                out.push_str(line);
                out.push('\n');
                continue;
            }
        };
        // The primary contact's last name: a field every provider receives.
        let last_name = value
            .pointer("/primary_contact/last_name")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        if edited < 3
            && let Some(name) = last_name
        {
            value["primary_contact"]["last_name"] =
                serde_json::Value::String(format!("{name}-Renamed"));
            edited += 1;
        }
        out.push_str(&value.to_string());
        out.push('\n');
    }
    Ok(out)
}

fn write(dir: &Path, name: &str, text: &str) -> Result<PathBuf, String> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// The example files the demo syncs.
struct Files {
    customers: PathBuf,
    payments: PathBuf,
    customers_edited: PathBuf,
}

/// Runs the demo.
pub async fn run(profile: &Profile) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("billsync-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let files = Files {
        customers: write(&dir, "customers.jsonl", CUSTOMERS)?,
        payments: write(&dir, "payments.jsonl", PAYMENTS)?,
        customers_edited: write(&dir, "customers-edited.jsonl", &edited(CUSTOMERS)?)?,
    };
    let sandbox = Sandbox::start()
        .await
        .map_err(|e| format!("cannot start the sandbox: {e}"))?;
    let source = Source::Sandbox(&sandbox, profile);
    let names: Vec<ProviderName> = ProviderName::all()
        .filter(|p| sandbox.provider_base_url(p.as_str()).is_some())
        .collect();
    introduce(&sandbox, &names);
    for name in names {
        demo_provider(name, &source, &dir, &files).await?;
        print_sandbox_stats(&sandbox, name);
    }
    say!("state and reports are in {}", dir.display());
    Ok(())
}

/// Says what the demo runs against and where to watch it.
fn introduce(sandbox: &Sandbox, names: &[ProviderName]) {
    let listed: Vec<&str> = names.iter().map(|p| p.as_str()).collect();
    say!(
        "billsync demo: a local sandbox of {} at http://{}",
        listed.join(", "),
        sandbox.addr()
    );
    say!(
        "watch it in the inspector while the demo runs: {}/_sandbox/",
        sandbox.base_url()
    );
    say!(
        "examples: {} customers, {} payments (a few deliberately invalid)\n",
        CUSTOMERS.lines().count(),
        PAYMENTS.lines().count()
    );
}

/// The runs of the demo against one provider: every file once, every file again, then the
/// edited customers; payments only for a provider that takes them.
fn runs(files: &Files, takes_payments: bool) -> Vec<(&'static str, &PathBuf, Kind)> {
    let mut r = vec![("1 first sync", &files.customers, Kind::Customers)];
    if takes_payments {
        r.push(("1 first sync", &files.payments, Kind::Payments));
    }
    r.push(("2 same files again", &files.customers, Kind::Customers));
    if takes_payments {
        r.push(("2 same files again", &files.payments, Kind::Payments));
    }
    r.push((
        "3 three customers edited",
        &files.customers_edited,
        Kind::Customers,
    ));
    r
}

/// Runs the demo's syncs against one provider, with its own state file, and prints their table
/// and where the first run's rejected rows are.
async fn demo_provider(
    name: ProviderName,
    source: &Source<'_>,
    dir: &Path,
    files: &Files,
) -> Result<(), String> {
    let state = SqliteState::open(dir.join(format!("state-{}.sqlite", name.as_str())))
        .map_err(|e| e.to_string())?;
    let provider = config::provider(name, source, state.clone(), None)?;
    let takes_payments = provider.capabilities().payments.is_supported();
    say!("{}", name.as_str());
    say!(
        "  {:<26} {:<10} {:>7} {:>7} {:>9} {:>8} {:>6}",
        "run",
        "kind",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "failed"
    );
    let mut first_reports = Vec::new();
    for (label, file, kind) in runs(files, takes_payments) {
        let kind_name = if kind == Kind::Customers {
            "customers"
        } else {
            "payments"
        };
        let run_number = label.split(' ').next().unwrap_or("x");
        let report = dir.join(format!(
            "report-{}-{kind_name}-run{run_number}.jsonl",
            name.as_str()
        ));
        let opts = SyncOptions {
            file: file.clone(),
            kind,
            concurrency: 8,
            report,
            resend_unknown: false,
            wait_for_lock: false,
            adopt_legacy: false,
            quiet: true,
            silent: true,
            stop: std::sync::Arc::new(crate::stop::Stop::default()),
            grace: crate::stop::DEFAULT_GRACE,
        };
        let s: Summary = sync::run(opts, provider.clone(), state.clone()).await?;
        say!(
            "  {label:<26} {kind_name:<10} {:>7} {:>7} {:>9} {:>8} {:>6}",
            s.created,
            s.updated,
            s.unchanged,
            s.rejected,
            s.failed
        );
        if label.starts_with('1')
            && let Some(r) = &s.report
        {
            first_reports.push(r.clone());
        }
    }
    if !takes_payments {
        say!(
            "  ({} cannot record payments processed elsewhere: payments are not synced)",
            name.as_str()
        );
    }
    for r in first_reports {
        say!(
            "  rejected rows of the first run, with every reason: {}",
            r.display()
        );
    }
    Ok(())
}

/// Prints how many requests the sandbox saw for one provider, and what they created and updated.
fn print_sandbox_stats(sandbox: &Sandbox, name: ProviderName) {
    let stats = sandbox.stats();
    let p = name
        .as_str()
        .parse::<billsync_sandbox::Provider>()
        .map(|p| *stats.provider(p))
        .unwrap_or_default();
    say!(
        "  the sandbox saw {} requests: {} created, {} updated\n",
        p.requests,
        p.created,
        p.updated
    );
}
