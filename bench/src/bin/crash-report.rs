//! `crash-report`: the full crash test of Hyfin's external-id customer API (issue 13) —
//! `kill -9` a sync of 10,000 customers 20 times at random moments, then resume, and count
//! the customers Hyfin (the sandbox) holds twice or not at all.
//!
//! crash-report [--cli PATH] [--records N] [--kills N] [--seed N] [--docs FILE]
//!
//! `--cli` defaults to the release `billsync` in cargo's target directory.
//!
//! Exits non-zero when any customer is duplicated or lost. With `--docs`, the result replaces
//! the crash-safety section of that file (`docs/benchmarks.md`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use billsync_bench::generate::customers_jsonl;
use billsync_bench::sections::crash::{END, START, replace_section};
use billsync_sandbox::{Provider, Sandbox, SandboxConfig};

struct Options {
    cli: PathBuf,
    records: usize,
    kills: usize,
    seed: u64,
    docs: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        cli: PathBuf::new(),
        records: 10_000,
        kills: 20,
        seed: 13,
        docs: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--cli" => o.cli = value()?.into(),
            "--records" => o.records = value()?.parse().map_err(|_| "--records: a number")?,
            "--kills" => o.kills = value()?.parse().map_err(|_| "--kills: a number")?,
            "--seed" => o.seed = value()?.parse().map_err(|_| "--seed: a number")?,
            "--docs" => o.docs = Some(value()?.into()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if o.cli.as_os_str().is_empty() {
        o.cli = billsync_bench::target::target_directory()?
            .join("release")
            .join("billsync");
    }
    if !o.cli.is_file() {
        return Err(format!(
            "{} was not built (cargo build --release -p billsync-cli)",
            o.cli.display()
        ));
    }
    Ok(o)
}

fn sync(o: &Options, sandbox: &Sandbox, dir: &std::path::Path) -> tokio::process::Command {
    let mut c = tokio::process::Command::new(&o.cli);
    c.current_dir(dir)
        .args([
            "sync",
            "customers.jsonl",
            "--to",
            "hyfin",
            "--concurrency",
            "16",
        ])
        .env("HYFIN_BASE_URL", sandbox.hyfin_base_url())
        .env("HYFIN_SITE_ID", "site-crash")
        .env("HYFIN_API_TOKEN", billsync_sandbox::DEFAULT_HYFIN_TOKEN)
        .env("HYFIN_CUSTOMER_API", "v3")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    c
}

async fn run(o: &Options) -> Result<(String, bool), String> {
    let sandbox = Sandbox::start_with(SandboxConfig {
        latency: Duration::from_millis(2),
        ..SandboxConfig::default()
    })
    .await
    .map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!("billsync-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    customers_jsonl(&dir.join("customers.jsonl"), o.records).map_err(|e| e.to_string())?;
    let mut rng = fastrand::Rng::with_seed(o.seed);
    let started = Instant::now();
    let mut landed_at_kills = Vec::new();
    for _ in 0..o.kills {
        let mut child = sync(o, &sandbox, &dir).spawn().map_err(|e| e.to_string())?;
        tokio::time::sleep(Duration::from_millis(rng.u64(20..300))).await;
        let _ = child.kill().await; // SIGKILL
        let _ = child.wait().await;
        landed_at_kills.push(sandbox.records(Provider::Hyfin, "customer").len());
    }
    let status = sync(o, &sandbox, &dir)
        .status()
        .await
        .map_err(|e| e.to_string())?;
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for c in sandbox.records(Provider::Hyfin, "customer") {
        let id = c["external_id"].as_str().unwrap_or_default().to_owned();
        *per_id.entry(id).or_default() += 1;
    }
    let duplicates: usize = per_id.values().map(|n| n - 1).sum();
    let lost = o.records.saturating_sub(per_id.len());
    let _ = std::fs::remove_dir_all(&dir);
    let ok = status.success() && duplicates == 0 && lost == 0;
    let md = format!(
        "{START}\n## Crash safety: Hyfin's external-id customer API (issue 13)\n\n\
         `cargo xtask crash`: {} `kill -9`s at random moments (seed {}) of `billsync sync` of \
         {} customers to Hyfin with `HYFIN_CUSTOMER_API=v3` (sandbox, 2 ms latency, 16 in \
         flight), then one run to the end ({}).\n\n\
         | customers at the sandbox after each kill | duplicates | lost | resumed run | time |\n\
         |---|---|---|---|---|\n| {} | **{duplicates}** | **{lost}** | exit {} | {:.0} s |\n{END}\n",
        o.kills,
        o.seed,
        o.records,
        billsync_bench::machine::describe(),
        landed_at_kills
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        status.code().unwrap_or(-1),
        started.elapsed().as_secs_f64()
    );
    Ok((md, ok))
}

#[tokio::main]
async fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("crash-report: {e}");
            return ExitCode::from(2);
        }
    };
    let (md, ok) = match run(&o).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("crash-report: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{md}");
    if let Some(path) = &o.docs {
        let old = std::fs::read_to_string(path).unwrap_or_default();
        if let Err(e) = std::fs::write(path, replace_section(&old, &md)) {
            eprintln!("crash-report: could not write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
