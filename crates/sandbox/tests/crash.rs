//! Acknowledged writes survive `kill -9` of a sandbox serving with a data file (issue 14
//! item 7): a child process runs [`serve`] with `data` (what `billsync sandbox --data` runs),
//! the test writes to all three providers concurrently, kills the child with SIGKILL while
//! writes are in flight (each commit made slow, so that answering before the commit would
//! lose writes), starts a sandbox on the same file, and reads back every write that
//! had been answered 2xx.
//!
//! This file has its own `main` (`harness = false`) so that the same binary can be the child.

mod common;

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use billsync_sandbox::serve;
use common::*;
use reqwest::Method;
use serde_json::json;

const CHILD: &str = "BILLSYNC_SANDBOX_CRASH_CHILD";
const WRITES: usize = 900;
const KILL_AFTER: usize = 250;

fn main() {
    if let Ok(path) = std::env::var(CHILD) {
        serve_child(&path);
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(acknowledged_writes_survive_kill_9());
    println!("test acknowledged_writes_survive_kill_9 ... ok");
}

/// The child: serves on a free port with the data file until it is killed.
fn serve_child(path: &str) {
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!("http://127.0.0.1:{port}");
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    // A slow disk: with answers sent before their commit, writes answered during the last
    // commits would be lost.
    let mut config = SandboxConfig::default().with_data(path);
    config.data_commit_latency = Duration::from_millis(25);
    let result = rt.block_on(serve(addr, config, std::future::pending()));
    eprintln!("child sandbox stopped: {result:?}");
}

/// One acknowledged write and what reading it back must show.
#[derive(Debug)]
enum Acked {
    Rebilly { id: String, first: String },
    Hyfin { id: String, external_id: String },
    Payabli { id: i64, number: String },
}

async fn write(base: &str, i: usize) -> Option<Acked> {
    let (url, headers, body) = match i % 3 {
        0 => (
            format!("{base}/rebilly/organizations/o/customers/cus-{i}"),
            ("REB-APIKEY", DEFAULT_REBILLY_KEY),
            json!({"websiteId": "w", "primaryAddress": {"firstName": format!("F{i}")}}),
        ),
        1 => (
            format!("{base}/hyfin/api/v3/site/s/payment/addUpdate"),
            ("authorization", HYFIN_AUTH),
            json!({"external_id": format!("p-{i}"), "gateway_transaction_id": format!("g-{i}"),
                "display_name": "Cash", "amount": 10, "paid_on": "2021-01-01T14:32:18Z"}),
        ),
        _ => (
            format!("{base}/payabli/api/Customer/single/e"),
            ("requestToken", DEFAULT_PAYABLI_TOKEN),
            json!({"customerNumber": format!("n-{i}"), "email": format!("c{i}@example.com")}),
        ),
    };
    let method = if i.is_multiple_of(3) {
        Method::PUT
    } else {
        Method::POST
    };
    let answer = client()
        .request(method, &url)
        .header(headers.0, headers.1)
        .header("content-type", "application/json")
        .timeout(Duration::from_secs(20))
        .body(body.to_string())
        .send()
        .await
        .ok()?;
    if !answer.status().is_success() {
        return None;
    }
    let v: serde_json::Value = answer.json().await.ok()?;
    Some(match i % 3 {
        0 => Acked::Rebilly {
            id: format!("cus-{i}"),
            first: format!("F{i}"),
        },
        1 => Acked::Hyfin {
            id: v["_id"].as_str()?.to_owned(),
            external_id: format!("p-{i}"),
        },
        _ => Acked::Payabli {
            id: v["responseData"]["customerId"].as_i64()?,
            number: format!("n-{i}"),
        },
    })
}

/// Starts the child on `path`; the child and the base URL it serves.
fn spawn_child(path: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(std::env::current_exe().expect("own path"))
        .env(CHILD, path)
        .stdout(Stdio::piped())
        .spawn()
        .expect("child sandbox");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("child stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("child address");
    (child, line.trim().to_owned())
}

/// Whether the sandbox at `base` answers within five seconds.
async fn comes_up(base: &str) -> bool {
    for _ in 0..500 {
        let stats = client().get(format!("{base}/_sandbox/stats")).send().await;
        if stats.is_ok() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

/// Sends `WRITES` writes, 24 at a time, kills the child once `KILL_AFTER` are acknowledged,
/// and returns every write answered 2xx.
async fn write_until_killed(mut child: Child, base: &str) -> Vec<Acked> {
    let acked = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(tokio::sync::Semaphore::new(24));
    let mut tasks = Vec::new();
    for i in 0..WRITES {
        let (base, acked, count, gate) =
            (base.to_owned(), acked.clone(), count.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.ok()?;
            let a = write(&base, i).await?;
            acked.lock().ok()?.push(a);
            count.fetch_add(1, Ordering::SeqCst);
            Some(())
        }));
    }
    while count.load(Ordering::SeqCst) < KILL_AFTER {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    child.kill().expect("SIGKILL the child"); // SIGKILL on Unix: kill -9
    child.wait().expect("child reaped");
    for t in tasks {
        let _ = t.await;
    }
    std::mem::take(&mut *acked.lock().expect("acked"))
}

/// Whether the sandbox reads `a` back as it was written.
async fn kept(sb: &Sandbox, a: &Acked) -> bool {
    match a {
        Acked::Rebilly { id, first } => {
            let path = format!("/organizations/o/customers/{id}");
            let got = rebilly(sb, Method::GET, &path, None).await;
            got.status == 200 && got.json["firstName"] == first.as_str()
        }
        Acked::Hyfin { id, external_id } => {
            let path = format!("/api/v3/site/s/payment/{id}");
            let got = hyfin(sb, Method::GET, &path, None).await;
            got.status == 200 && got.json["external_id"] == external_id.as_str()
        }
        Acked::Payabli { id, number } => {
            let got = payabli(sb, Method::GET, &format!("/Customer/{id}"), None).await;
            got.status == 200 && got.json["customerNumber"] == number.as_str()
        }
    }
}

async fn acknowledged_writes_survive_kill_9() {
    let dir = std::env::temp_dir().join(format!("billsync-sandbox-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("sandbox.sqlite");
    let _ = std::fs::remove_file(&path);
    let (child, base) = spawn_child(&path);
    assert!(
        comes_up(&base).await,
        "the child sandbox did not start at {base}"
    );
    let acked = write_until_killed(child, &base).await;
    assert!(acked.len() >= KILL_AFTER, "{}", acked.len());
    assert!(
        acked.len() < WRITES,
        "the kill came after every write: nothing was in flight"
    );

    let sb = Sandbox::start_with(SandboxConfig::default().with_data(&path))
        .await
        .expect("sandbox on the same file");
    let mut lost = Vec::new();
    for a in &acked {
        if !kept(&sb, a).await {
            lost.push(a);
        }
    }
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged writes lost: {lost:?}",
        lost.len(),
        acked.len()
    );
    println!(
        "{} acknowledged writes before kill -9, all read back",
        acked.len()
    );
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
