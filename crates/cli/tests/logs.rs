//! The log on standard error: trace level during syncs that fail (faults injected by the sandbox,
//! refused credentials) shows the library's spans and never a secret.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use billsync_sandbox::{Faults, Sandbox, SandboxConfig};

const BIN: &str = env!("CARGO_BIN_EXE_billsync");
const HYFIN_TOKEN: &str = "hyf-tok-Q7x9s3cr3tA";
const REBILLY_KEY: &str = "reb-key-W2v8s3cr3tB";
const PAYABLI_TOKEN: &str = "pay-tok-K5m1s3cr3tC";
const WRONG_TOKEN: &str = "wrong-tok-J4n6s3cr3tD";
const PASSWORD: &str = "portal-pw-H3k9s3cr3tE";
const SECRETS: [&str; 5] = [
    HYFIN_TOKEN,
    REBILLY_KEY,
    PAYABLI_TOKEN,
    WRONG_TOKEN,
    PASSWORD,
];

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("billsync-logs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Customers with a portal login (Payabli sends the password, Rebilly refuses it).
fn customers(path: &Path) {
    let mut text = String::new();
    for i in 0..4 {
        text.push_str(&format!(
            "{{\"external_id\":\"log-{i}\",\"display_name\":\"Log {i}\",\"primary_contact\":{{\"first_name\":\"F\",\"last_name\":\"L\",\"emails\":[{{\"value\":\"l{i}@example.com\",\"primary\":true}}]}},\"portal_login\":{{\"username\":\"user{i}\",\"password\":\"{PASSWORD}\"}}}}\n"
        ));
    }
    std::fs::write(path, text).unwrap();
}

async fn sync(
    sandbox: &Sandbox,
    dir: &Path,
    provider: &str,
    token: Option<&str>,
    rust_log: Option<&str>,
    log: &[&str],
) -> Output {
    let mut c = tokio::process::Command::new(BIN);
    c.current_dir(dir)
        .env_remove("RUST_LOG")
        .env("HYFIN_BASE_URL", sandbox.hyfin_base_url())
        .env("HYFIN_SITE_ID", "site-logs")
        .env("HYFIN_API_TOKEN", token.unwrap_or(HYFIN_TOKEN))
        .env("REBILLY_BASE_URL", sandbox.rebilly_base_url())
        .env("REBILLY_API_KEY", token.unwrap_or(REBILLY_KEY))
        .env("REBILLY_ORGANIZATION_ID", "org-logs")
        .env("REBILLY_WEBSITE_ID", "web-logs")
        .env("PAYABLI_BASE_URL", sandbox.payabli_base_url())
        .env("PAYABLI_API_TOKEN", token.unwrap_or(PAYABLI_TOKEN))
        .env("PAYABLI_ENTRYPOINT", "entry-logs");
    if let Some(filter) = rust_log {
        c.env("RUST_LOG", filter);
    }
    c.args(log);
    let state = format!(
        "{provider}-{}-{}.sqlite",
        rust_log.unwrap_or("none"),
        log.join("_")
    );
    let run = c
        .args(["--state", &state, "sync", "c.jsonl", "--to", provider])
        .args(["--report", &format!("{state}.report.jsonl")])
        .kill_on_drop(true)
        .output();
    tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("the sync did not end")
        .unwrap()
}

fn assert_no_secret(out: &Output, what: &str) {
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        for secret in SECRETS {
            assert!(!text.contains(secret), "{what}: `{secret}` in the output");
        }
        // Not even a part of one (e.g. a token cut to a prefix).
        assert!(
            !text.contains("s3cr3t"),
            "{what}: part of a secret in the output"
        );
    }
}

/// A sandbox that takes the tokens above, with `faults`.
async fn sandbox(faults: Faults) -> Sandbox {
    let config = SandboxConfig {
        hyfin_token: HYFIN_TOKEN.into(),
        rebilly_key: REBILLY_KEY.into(),
        payabli_token: PAYABLI_TOKEN.into(),
        faults,
        ..SandboxConfig::default()
    };
    Sandbox::start_with(config).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn trace_logs_of_failing_syncs_show_spans_and_no_secret() {
    // Every request fails: a 500, else an HTML page.
    let sandbox = sandbox(Faults {
        server_error_rate: 0.6,
        non_json_rate: 1.0,
        ..Faults::none()
    })
    .await;
    let dir = workdir("trace");
    customers(&dir.join("c.jsonl"));
    for provider in ["hyfin", "rebilly", "payabli"] {
        for (rust_log, log) in [
            (Some("trace"), &[][..]),
            (None, &["-vvv", "--log-format", "json"][..]),
        ] {
            let what = format!("{provider} {rust_log:?} {log:?}");
            let out = sync(&sandbox, &dir, provider, None, rust_log, log).await;
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{what}: {err}");
            assert!(err.contains("billsync.upsert"), "{what}: no upsert span");
            assert!(err.contains("billsync.attempt"), "{what}: no attempt span");
            assert!(err.contains("TRACE"), "{what}: no trace events");
            if log.contains(&"json") {
                let events = err.lines().filter(|l| l.starts_with('{'));
                for line in events {
                    serde_json::from_str::<serde_json::Value>(line)
                        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {line}"));
                }
            }
            assert_no_secret(&out, &what);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn trace_logs_of_refused_credentials_do_not_show_the_token() {
    let sandbox = sandbox(Faults::none()).await;
    let dir = workdir("refused");
    customers(&dir.join("c.jsonl"));
    for provider in ["hyfin", "rebilly", "payabli"] {
        let out = sync(&sandbox, &dir, provider, Some(WRONG_TOKEN), None, &["-vvv"]).await;
        let said = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{provider}: {said}");
        let report = said
            .lines()
            .find_map(|l| l.strip_prefix("rejected and failed rows: "))
            .map(|path| std::fs::read_to_string(dir.join(path)).unwrap())
            .unwrap_or_default();
        assert!(report.contains("\"kind\":\"auth\""), "{provider}: {report}");
        for secret in SECRETS {
            assert!(
                !report.contains(secret),
                "{provider}: `{secret}` in the report"
            );
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("billsync.attempt"), "{provider}: {err}");
        assert_no_secret(&out, provider);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_keeps_the_log_to_errors() {
    let sandbox = sandbox(Faults::none()).await;
    let dir = workdir("quiet");
    customers(&dir.join("c.jsonl"));
    let out = sync(&sandbox, &dir, "hyfin", None, Some("trace"), &["-q"]).await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("TRACE") && !err.contains("DEBUG"), "{err}");
    assert!(!err.contains("INFO"), "{err}");
}
