//! `cargo xtask bench` runs this after the criterion benchmarks: it measures what criterion
//! cannot (requests per CPU-second against the sandbox, latency hiding, the CLI's peak memory,
//! build cost) and writes one table to `target/bench/report.md`.
//!
//! The sandbox runs in a child process (this binary with `--serve-sandbox`), so the CPU time
//! measured here is the client's alone.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use billsync::hyfin::{HyfinClient, HyfinConfig};
use billsync::rebilly::{RebillyClient, RebillyConfig};
use billsync::secrecy::SecretString;
use billsync::{HttpSettings, RetryConfig};
use billsync_bench::generate;
use billsync_bench::load::{self, HandWritten};
use billsync_bench::table::Report;

const HYFIN_TOKEN: &str = "sandbox-hyfin-token";
const REBILLY_KEY: &str = "sandbox-rebilly-key";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn out_dir() -> PathBuf {
    root().join("target").join("bench")
}

/// A sandbox in a child process; killed on drop.
struct SandboxProcess {
    child: Child,
    hyfin: String,
    rebilly: String,
}

impl SandboxProcess {
    fn start(latency_ms: u64) -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut child = Command::new(exe)
            .args(["--serve-sandbox", &latency_ms.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start the sandbox process: {e}"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or("no stdout from the sandbox process")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let mut hyfin = String::new();
        let mut rebilly = String::new();
        for part in line.split_whitespace() {
            if let Some(v) = part.strip_prefix("hyfin=") {
                hyfin = v.to_owned();
            } else if let Some(v) = part.strip_prefix("rebilly=") {
                rebilly = v.to_owned();
            }
        }
        if hyfin.is_empty() || rebilly.is_empty() {
            let _ = child.kill();
            return Err(format!("the sandbox process said `{}`", line.trim()));
        }
        Ok(SandboxProcess {
            child,
            hyfin,
            rebilly,
        })
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve_sandbox(latency_ms: u64) -> Result<(), String> {
    let rt = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    rt.block_on(async {
        let config = billsync_sandbox::SandboxConfig::default()
            .with_latency(Duration::from_millis(latency_ms));
        let sandbox = billsync_sandbox::Sandbox::start_with(config)
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "hyfin={} rebilly={}",
            sandbox.hyfin_base_url(),
            sandbox.rebilly_base_url()
        );
        // Serve until the parent closes our stdin (or kills us).
        tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        })
        .await
        .map_err(|e| e.to_string())?;
        drop(sandbox);
        Ok(())
    })
}

fn http() -> HttpSettings {
    HttpSettings {
        retry: RetryConfig {
            max_retries: 2,
            ..RetryConfig::default()
        },
        ..HttpSettings::default()
    }
}

fn hyfin_client(base: &str) -> Result<HyfinClient, String> {
    let config = HyfinConfig::builder()
        .base_url(base)
        .site_id("bench-site")
        .api_token(SecretString::from(HYFIN_TOKEN))
        .http(http())
        .build()
        .map_err(|e| e.to_string())?;
    HyfinClient::new(config).map_err(|e| e.to_string())
}

fn rebilly_client(base: &str) -> Result<RebillyClient, String> {
    let config = RebillyConfig::builder()
        .base_url(base)
        .organization_id("bench-org")
        .website_id("bench-web")
        .api_key(SecretString::from(REBILLY_KEY))
        .http(http())
        .build()
        .map_err(|e| e.to_string())?;
    RebillyClient::new(config).map_err(|e| e.to_string())
}

/// Section 1: criterion's medians from `target/criterion/mapping/*`.
fn mapping(report: &mut Report) {
    report.section("1. mapping + serialization");
    let dir = root().join("target/criterion/mapping");
    let median = |name: &str| -> Option<f64> {
        let text = std::fs::read_to_string(dir.join(name).join("new/estimates.json")).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        v["median"]["point_estimate"].as_f64()
    };
    let mut found = false;
    for provider in ["hyfin", "rebilly", "payabli"] {
        for kind in ["customer", "payment"] {
            let (Some(ours), Some(floor)) = (
                median(&format!("{provider}_{kind}_billsync")),
                median(&format!("{provider}_{kind}_floor")),
            ) else {
                continue;
            };
            found = true;
            let ratio = ours / floor;
            report.row(
                format!("{provider} {kind}: prepare vs serde_json::to_vec of the built wire struct (per fixture batch)"),
                format!("{:.1} µs vs {:.1} µs = {ratio:.2}x", ours / 1000.0, floor / 1000.0),
                "≤ 2x",
                Some(ratio <= 2.0),
            );
        }
    }
    if !found {
        report.note("mapping: no criterion results found; run `cargo bench -p billsync-bench --bench mapping` first");
    }
}

/// Section 2: CPU per request, billsync vs a hand-written client, same bytes, same sandbox.
async fn cpu_per_request(report: &mut Report, n: usize) -> Result<(), String> {
    report.section("2. requests per CPU-second");
    let sandbox = SandboxProcess::start(0)?;
    let client = Arc::new(hyfin_client(&sandbox.hyfin)?);
    let payments: Vec<_> = (0..n).map(generate::payment).collect();
    // The hand-written loop's wire bodies borrow from the records and must outlive its tasks:
    // leak one copy of each for the length of this (short-lived) benchmark process.
    let leaked_payments: &'static [billsync::Payment] = payments.clone().leak();
    let leaked_client: &'static HyfinClient = Box::leak(Box::new((*client).clone()));
    let bodies = leaked_payments
        .iter()
        .map(|p| billsync::hyfin::mapping::payment_request(p, leaked_client.config()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let payments = Arc::new(payments);
    // Warm both paths (connections, allocator) on a slice first.
    let warm: Arc<Vec<_>> = Arc::new(payments.iter().take(500).cloned().collect());
    load::billsync_payments(client.clone(), warm, 32).await;
    let ours = load::billsync_payments(client.clone(), payments.clone(), 32).await;
    let url = format!("{}/api/v3/site/bench-site/payment/addUpdate", sandbox.hyfin);
    let hand = HandWritten {
        url,
        auth: ("authorization".into(), format!("Bearer {HYFIN_TOKEN}")),
        bodies,
    };
    let theirs = load::hand_written(hand, 32).await;
    let ratio = ours.cpu_us_per_request() / theirs.cpu_us_per_request().max(1e-9);
    report.row(
        format!("billsync Upsert<Payment> (Hyfin), {n} upserts, concurrency 32"),
        format!(
            "{:.1} µs CPU/request ({:.0} req/CPU-s, {} failed)",
            ours.cpu_us_per_request(),
            1e6 / ours.cpu_us_per_request(),
            ours.failed
        ),
        "",
        None,
    );
    report.row(
        format!("hand-written reqwest + serde_json loop, same bytes, {n} requests"),
        format!(
            "{:.1} µs CPU/request ({:.0} req/CPU-s, {} failed)",
            theirs.cpu_us_per_request(),
            1e6 / theirs.cpu_us_per_request(),
            theirs.failed
        ),
        "",
        None,
    );
    report.row(
        "billsync / hand-written CPU per request",
        format!("{ratio:.2}x"),
        "≤ 1.2x",
        Some(ratio <= 1.2 && ours.failed == 0),
    );
    Ok(())
}

/// Section 3: a sandbox adding 20 ms to every answer, 20,000 customers at concurrency 32.
async fn latency_hiding(report: &mut Report, n: usize) -> Result<(), String> {
    report.section("3. latency hiding");
    let sandbox = SandboxProcess::start(20)?;
    let client = Arc::new(rebilly_client(&sandbox.rebilly)?);
    let customers = Arc::new((0..n).map(generate::customer).collect::<Vec<_>>());
    let result = load::billsync_customers(client, customers, 32).await;
    let ideal = 32.0 / 0.020;
    let share = result.per_second() / ideal;
    report.row(
        format!("{n} Rebilly customer upserts, 20 ms added latency, concurrency 32"),
        format!(
            "{:.0} records/s = {:.0}% of {ideal:.0} ({} failed)",
            result.per_second(),
            share * 100.0,
            result.failed
        ),
        "≥ 90% of 1,600/s",
        Some(share >= 0.9 && result.failed == 0),
    );
    Ok(())
}

/// Section 4: peak RSS of `billsync sync` (the CLI) for generated files.
fn memory(report: &mut Report, sizes: &[usize]) -> Result<(), String> {
    report.section("4. memory of `billsync sync`");
    let cli = root().join("target/release/billsync");
    if !cli.exists() {
        report.row(
            "peak RSS",
            "not measured: target/release/billsync was not built",
            "≤ 64 MiB",
            Some(false),
        );
        return Ok(());
    }
    let sandbox = SandboxProcess::start(0)?;
    let dir = out_dir();
    let mut peaks = Vec::new();
    for &n in sizes {
        let file = dir.join(format!("customers-{n}.jsonl"));
        generate::customers_jsonl(&file, n).map_err(|e| e.to_string())?;
        let state = dir.join(format!("state-{n}.sqlite"));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", state.display()));
        }
        let started = Instant::now();
        let mut child = Command::new(&cli)
            .arg("sync")
            .arg(&file)
            .args([
                "--to",
                "rebilly",
                "--kind",
                "customers",
                "--concurrency",
                "32",
                "--rate-limit",
                "off",
            ])
            .arg("--state")
            .arg(&state)
            .arg("--report")
            .arg(dir.join(format!("report-{n}.jsonl")))
            .env("REBILLY_BASE_URL", &sandbox.rebilly)
            .env("REBILLY_API_KEY", REBILLY_KEY)
            .env("REBILLY_ORGANIZATION_ID", "bench-org")
            .env("REBILLY_WEBSITE_ID", "bench-web")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not run {}: {e}", cli.display()))?;
        let mut peak = 0;
        let status = loop {
            if let Some(kib) = billsync_bench::cpu::peak_rss_kib(child.id()) {
                peak = peak.max(kib);
            }
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => return Err(e.to_string()),
            }
        };
        let wall = started.elapsed();
        let mib = peak as f64 / 1024.0;
        peaks.push(mib);
        report.row(
            format!("sync of {n} generated customers to the sandbox (Rebilly)"),
            format!(
                "peak RSS {mib:.1} MiB, {:.0} records/s, exit {}",
                n as f64 / wall.as_secs_f64(),
                status.code().unwrap_or(-1)
            ),
            "≤ 64 MiB",
            Some(mib <= 64.0 && status.success()),
        );
        let _ = std::fs::remove_file(&file);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", state.display()));
        }
    }
    if let [small, large] = peaks[..] {
        let ratio = large / small.max(1e-9);
        report.row(
            "peak RSS, largest / smallest run",
            format!("{ratio:.2}x"),
            "≤ 1.2x",
            Some(ratio <= 1.2),
        );
    }
    Ok(())
}

/// Section 5: clean build of the facade with one provider and with all.
fn build_cost(report: &mut Report) -> Result<(), String> {
    report.section("5. build cost");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for (label, features) in [
        (
            "hyfin only",
            vec!["--no-default-features", "--features", "hyfin"],
        ),
        ("all providers (full)", vec!["--features", "full"]),
    ] {
        let target = out_dir().join(format!(
            "build-{}",
            label.split_whitespace().next().unwrap_or("x")
        ));
        let _ = std::fs::remove_dir_all(&target);
        let started = Instant::now();
        let status = Command::new(&cargo)
            .current_dir(root())
            .args(["build", "-q", "-p", "billsync"])
            .args(&features)
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .map_err(|e| e.to_string())?;
        let secs = started.elapsed().as_secs_f64();
        let tree = Command::new(&cargo)
            .current_dir(root())
            .args(["tree", "-p", "billsync", "-e", "normal", "--prefix", "none"])
            .args(&features)
            .output()
            .map_err(|e| e.to_string())?;
        let mut crates: Vec<String> = String::from_utf8_lossy(&tree.stdout)
            .lines()
            .filter_map(|l| {
                l.split(" (")
                    .next()
                    .map(|s| s.trim_end_matches(" (*)").to_owned())
            })
            .collect();
        crates.sort();
        crates.dedup();
        report.row(
            format!("clean `cargo build -p billsync` ({label})"),
            format!(
                "{secs:.0} s on 2 cores, {} crates{}",
                crates.len(),
                if status.success() { "" } else { " (FAILED)" }
            ),
            "",
            None,
        );
        let _ = std::fs::remove_dir_all(&target);
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--serve-sandbox") {
        let latency = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(0);
        if let Err(e) = serve_sandbox(latency) {
            println!("error {e}");
            std::process::exit(1);
        }
        return;
    }
    let skip_build = args.iter().any(|a| a == "--skip-build");
    let quick = args.iter().any(|a| a == "--quick");
    let _ = std::fs::create_dir_all(out_dir());
    let mut report = Report::default();
    mapping(&mut report);
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("no tokio runtime: {e}");
            std::process::exit(1);
        }
    };
    let n = if quick { 2_000 } else { 20_000 };
    if let Err(e) = rt.block_on(cpu_per_request(&mut report, n)) {
        report.note(format!("requests per CPU-second: not measured: {e}"));
    }
    if let Err(e) = rt.block_on(latency_hiding(&mut report, n)) {
        report.note(format!("latency hiding: not measured: {e}"));
    }
    let sizes: &[usize] = if quick {
        &[10_000, 20_000]
    } else {
        &[100_000, 1_000_000]
    };
    if let Err(e) = memory(&mut report, sizes) {
        report.note(format!("memory: not measured: {e}"));
    }
    if !skip_build && let Err(e) = build_cost(&mut report) {
        report.note(format!("build cost: not measured: {e}"));
    }
    let header = format!(
        "Measured on this machine ({} cores) by `cargo xtask bench`{}.",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        if quick { " --quick" } else { "" }
    );
    let md = report.markdown(&header);
    println!("{md}");
    let path = out_dir().join("report.md");
    if let Err(e) = std::fs::write(&path, md) {
        eprintln!("could not write {}: {e}", path.display());
        std::process::exit(1);
    }
    println!("written to {}", path.display());
}
