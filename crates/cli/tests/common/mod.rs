//! What the binary's end-to-end tests share: a work folder, the binary with a sandbox's
//! credentials, and readers of its output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use billsync_sandbox::Sandbox;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_billsync");

/// A fresh folder for one test.
pub fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("billsync-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary with the sandbox's credentials for every provider, account `tenant` (the Hyfin
/// site, the Rebilly organization and website, the Payabli entrypoint).
pub fn command(sandbox: &Sandbox, dir: &Path, tenant: &str) -> tokio::process::Command {
    let mut c = tokio::process::Command::new(BIN);
    c.current_dir(dir)
        .env("HYFIN_BASE_URL", sandbox.hyfin_base_url())
        .env("HYFIN_SITE_ID", tenant)
        .env("HYFIN_API_TOKEN", billsync_sandbox::DEFAULT_HYFIN_TOKEN)
        .env("REBILLY_BASE_URL", sandbox.rebilly_base_url())
        .env("REBILLY_API_KEY", billsync_sandbox::DEFAULT_REBILLY_KEY)
        .env("REBILLY_ORGANIZATION_ID", tenant)
        .env("REBILLY_WEBSITE_ID", "web-1")
        .env("PAYABLI_BASE_URL", sandbox.payabli_base_url())
        .env("PAYABLI_API_TOKEN", billsync_sandbox::DEFAULT_PAYABLI_TOKEN)
        .env("PAYABLI_ENTRYPOINT", tenant);
    c
}

/// Runs `billsync sync ARGS` for account `tenant` and waits for it.
pub async fn sync(sandbox: &Sandbox, dir: &Path, tenant: &str, args: &[&str]) -> Output {
    command(sandbox, dir, tenant)
        .arg("sync")
        .args(args)
        .output()
        .await
        .unwrap()
}

/// Standard output then standard error.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The rows of a JSON Lines report (none when it was not written).
pub fn report_rows(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A customer every provider accepts, as one JSON line.
pub fn customer_line(id: &str, last_name: &str) -> String {
    format!(
        "{{\"external_id\":\"{id}\",\"display_name\":\"Shop {id}\",\"company\":\"Shop {id} LLC\",\"primary_contact\":{{\"first_name\":\"Ann\",\"last_name\":\"{last_name}\",\"emails\":[{{\"value\":\"{id}@example.com\"}}]}}}}\n"
    )
}

/// `n` customers `{prefix}-00000`... in a JSON Lines file.
pub fn generated(path: &Path, n: usize, prefix: &str) {
    let text: String = (0..n)
        .map(|i| customer_line(&format!("{prefix}-{i:05}"), &format!("N{i}")))
        .collect();
    std::fs::write(path, text).unwrap();
}

/// The `--json` summary of a sync.
pub fn summary(out: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}
