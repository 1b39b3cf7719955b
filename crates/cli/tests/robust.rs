//! The `billsync` binary given bad input, a closed pipe or a broken configuration: it stops at
//! once with a clear message and the right exit code, and never panics.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use billsync_sandbox::{Provider, Sandbox};
use tokio::io::{AsyncBufReadExt, BufReader};

const BIN: &str = env!("CARGO_BIN_EXE_billsync");

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("billsync-robust-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary, run in `dir` against an in-process sandbox.
fn billsync(dir: &Path) -> tokio::process::Command {
    let mut c = tokio::process::Command::new(BIN);
    c.current_dir(dir).arg("--sandbox").kill_on_drop(true);
    c
}

async fn run(dir: &Path, args: &[&str]) -> Output {
    let started = Instant::now();
    let out = tokio::time::timeout(Duration::from_secs(60), billsync(dir).args(args).output())
        .await
        .expect("billsync did not stop")
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `n` valid customers, `{prefix}-{i}`, one JSON object per line.
fn customers(path: &Path, prefix: &str, n: usize) {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "{{\"external_id\":\"{prefix}-{i}\",\"display_name\":\"Customer {i}\",\"primary_contact\":{{\"first_name\":\"F{i}\",\"last_name\":\"L{i}\"}}}}\n"
        ));
    }
    std::fs::write(path, text).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_directory_or_fifo_or_device_exits_2_at_once_for_every_command() {
    let dir = workdir("not-a-file");
    std::fs::create_dir_all(dir.join("folder.jsonl")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe.jsonl"))
        .status()
        .unwrap();
    assert!(made.success());
    for (path, says) in [
        ("folder.jsonl", "is a directory"),
        ("pipe.jsonl", "not a regular file"),
        ("/dev/zero", "not a regular file"),
    ] {
        for args in [
            vec!["sync", path, "--to", "hyfin", "--report", "r.jsonl"],
            vec!["render", path, "--to", "rebilly"],
            vec!["upsert", "customer", path, "--to", "payabli"],
        ] {
            let out = run(&dir, &args).await;
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(says), "{args:?}: {err}");
            assert_eq!(
                err.trim().lines().count(),
                1,
                "{args:?}: one sentence: {err}"
            );
            assert!(out.stdout.is_empty(), "{args:?}");
        }
    }
    assert!(!dir.join("r.jsonl").exists(), "no report row was written");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_csv_column_fails_once_at_the_header_naming_the_closest() {
    let dir = workdir("csv-column");
    let mut text = String::from("external_id,display_name,emial\n");
    for i in 0..50 {
        text.push_str(&format!("c-{i},Name {i},c{i}@example.com\n"));
    }
    std::fs::write(dir.join("c.csv"), text).unwrap();
    let out = run(
        &dir,
        &["sync", "c.csv", "--to", "rebilly", "--report", "r.jsonl"],
    )
    .await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown column `emial`"), "{err}");
    assert!(err.contains("did you mean `email`?"), "{err}");
    assert!(!dir.join("r.jsonl").exists(), "no row was reported");
}

#[tokio::test(flavor = "multi_thread")]
async fn render_into_a_pipe_closed_after_one_line_ends_quietly_with_exit_0() {
    let dir = workdir("render-pipe");
    // Far more output than a pipe buffers, so writes must fail once the reader is gone.
    customers(&dir.join("c.jsonl"), "r", 3_000);
    let mut child = billsync(&dir)
        .args(["render", "c.jsonl", "--to", "rebilly"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next_line().await.unwrap().unwrap();
    assert_eq!(first, "# line 1 (r-0): 1 request(s)");
    drop(lines);
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("render did not stop")
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "nothing on stderr: {err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_into_a_closed_pipe_lands_every_row_and_keeps_its_exit_code() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir("sync-pipe");
    customers(&dir.join("good.jsonl"), "good", 20);
    customers(&dir.join("bad.jsonl"), "bad", 20);
    let mut bad = std::fs::read_to_string(dir.join("bad.jsonl")).unwrap();
    bad.push_str("{\"external_id\": oops\n");
    std::fs::write(dir.join("bad.jsonl"), bad).unwrap();
    for (file, code) in [("good.jsonl", 0), ("bad.jsonl", 1)] {
        let mut child = tokio::process::Command::new(BIN)
            .current_dir(&dir)
            .env("REBILLY_BASE_URL", sandbox.rebilly_base_url())
            .env("REBILLY_API_KEY", billsync_sandbox::DEFAULT_REBILLY_KEY)
            .env("REBILLY_ORGANIZATION_ID", "org")
            .env("REBILLY_WEBSITE_ID", "web")
            .args(["sync", file, "--to", "rebilly"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        // `| head -c0`: the reader is gone before anything is printed.
        drop(child.stdout.take());
        let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
            .await
            .expect("sync did not stop")
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{file}: {err}");
        assert!(!err.contains("panicked"), "{file}: {err}");
        assert!(!err.contains("Broken pipe"), "{file}: {err}");
    }
    let stored = sandbox.records(Provider::Rebilly, "customer");
    assert_eq!(stored.len(), 40, "every valid row of both runs landed");
    for prefix in ["good", "bad"] {
        for i in 0..20 {
            let id = format!("{prefix}-{i}");
            let found = stored.iter().find(|r| r["id"] == id.as_str());
            let found = found.unwrap_or_else(|| panic!("{id} was not stored"));
            assert_eq!(found["firstName"], format!("F{i}"), "{id}");
            assert_eq!(found["lastName"], format!("L{i}"), "{id}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_billsync_toml_names_file_line_and_column_and_not_the_token() {
    let dir = workdir("toml");
    std::fs::write(
        dir.join("billsync.toml"),
        "[profiles.default]\nHYFIN_SITE_ID = \"s1\"\nHYFIN_API_TOKEN = \"hyf_live_Zq81secret\nHYFIN_BASE_URL = \"https://h.example\"\n",
    )
    .unwrap();
    let out = run(&dir, &["render", "x.jsonl", "--to", "hyfin"]).await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("billsync: billsync.toml:3:"), "{err}");
    assert!(!err.contains("Zq81secret"), "{err}");
    assert!(!err.contains("HYFIN_API_TOKEN ="), "{err}");
}
