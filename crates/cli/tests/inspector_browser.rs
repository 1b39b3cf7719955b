//! The sandbox inspector in a real browser: headless Chromium loads `/_sandbox/` after a
//! sync of the examples (and an edit of one customer) through the `billsync` binary, and
//! what it renders is checked. Skipped, with a note, when Chromium is not installed
//! (`.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::time::Duration;

use billsync_sandbox::{DEFAULT_REBILLY_KEY, Sandbox};

const BIN: &str = env!("CARGO_BIN_EXE_billsync");

/// The Chromium binary on `PATH`, if any.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

fn workdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("billsync-inspector-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn sync(sandbox: &Sandbox, dir: &Path, file: &Path) {
    let out = tokio::process::Command::new(BIN)
        .current_dir(dir)
        .env("REBILLY_BASE_URL", sandbox.rebilly_base_url())
        .env("REBILLY_API_KEY", DEFAULT_REBILLY_KEY)
        .env("REBILLY_ORGANIZATION_ID", "org-ui")
        .env("REBILLY_WEBSITE_ID", "web-ui")
        .args(["sync", file.to_str().unwrap(), "--to", "rebilly"])
        .output()
        .await
        .unwrap();
    // The examples hold a few invalid records on purpose: exit code 1, not 2.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs headless Chromium on `url` with `args` (after the common ones) and returns stdout.
async fn browse(chromium: &Path, profile: &Path, args: &[&str], url: &str) -> String {
    let mut command = tokio::process::Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .kill_on_drop(true);
    let out = tokio::time::timeout(Duration::from_secs(90), command.output())
        .await
        .expect("chromium took more than 90 seconds")
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Syncs examples/customers.jsonl, then the same with one last name edited, into `sandbox`;
/// the id of the request that sent the edit.
async fn sync_then_edit(sandbox: &Sandbox, dir: &Path) -> u64 {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let customers = std::fs::read_to_string(examples.join("customers.jsonl")).unwrap();
    let edited = customers.replacen(
        r#""last_name": "Garcia""#,
        r#""last_name": "Garcia-Renamed""#,
        1,
    );
    assert_ne!(edited, customers);
    std::fs::write(dir.join("edited.jsonl"), edited).unwrap();
    sync(sandbox, dir, &examples.join("customers.jsonl")).await;
    // As the page would between the two syncs: reading the histories takes the versions
    // written so far (writes within one ~100 ms batch would otherwise show as one version).
    let history = format!(
        "{}/_sandbox/records/rebilly/customer/history",
        sandbox.base_url()
    );
    let created: serde_json::Value = reqwest::get(history).await.unwrap().json().await.unwrap();
    assert!(created["total"].as_u64().unwrap_or(0) >= 20, "{created}");
    sync(sandbox, dir, &dir.join("edited.jsonl")).await;

    let url = format!(
        "{}/_sandbox/requests?external_id=Garcia-Renamed&limit=1",
        sandbox.base_url()
    );
    let list: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    list["items"][0]["id"].as_u64().expect("the update request")
}

/// The list and one request's detail, as the page renders them.
fn assert_request_page(dom: &str, update_id: u64) {
    let rows = dom
        .matches("/rebilly/organizations/org-ui/customers/")
        .count();
    assert!(
        rows >= 20,
        "expected the sync's requests, found {rows} rows:\n{dom}"
    );
    assert!(
        dom.contains(&format!("Request {update_id}: PUT rebilly")),
        "{dom}"
    );
    assert!(dom.contains("Request headers") && dom.contains("Response body"));
    assert!(
        dom.contains("[masked]"),
        "the API key header is shown masked"
    );
    assert!(
        !dom.contains(DEFAULT_REBILLY_KEY),
        "the API key never reaches the page"
    );
    // The request body is pretty-printed JSON.
    assert!(dom.contains("\"lastName\": \"Garcia-Renamed\""), "{dom}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_inspector_shows_requests_a_request_and_record_histories_in_chromium() {
    let Some(chromium) = chromium() else {
        eprintln!("note: chromium is not installed; the inspector's browser test is skipped");
        return;
    };
    let sandbox = Sandbox::start().await.unwrap();
    let dir = workdir();
    let update_id = sync_then_edit(&sandbox, &dir).await;
    let base = format!("{}/_sandbox/", sandbox.base_url());
    let profile = dir.join("profile");

    // The list and one request's detail, opened from the URL.
    let request_url = format!("{base}#request={update_id}");
    let dom = browse(&chromium, &profile, &["--dump-dom"], &request_url).await;
    assert_request_page(&dom, update_id);

    // The records view: the edited customer has two versions and the change is shown.
    let dom = browse(
        &chromium,
        &profile,
        &["--dump-dom"],
        &format!("{base}#records/rebilly/customer"),
    )
    .await;
    assert!(dom.contains("rebilly customer: records 1–"), "{dom}");
    assert!(dom.contains("v2 updated"), "{dom}");
    assert!(
        dom.contains("lastName") && dom.contains("Garcia-Renamed"),
        "{dom}"
    );

    // A screenshot of a request's detail, kept in the target directory.
    let png = Path::new(env!("CARGO_TARGET_TMPDIR")).join("inspector.png");
    let _ = std::fs::remove_file(&png);
    let screenshot = format!("--screenshot={}", png.display());
    let args = [screenshot.as_str(), "--window-size=1400,900"];
    browse(&chromium, &profile, &args, &request_url).await;
    let bytes = std::fs::read(&png).expect("a screenshot was written");
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000);
    eprintln!("inspector screenshot: {}", png.display());
    let _ = std::fs::remove_dir_all(&dir);
}
