//! The README's promise, kept: its example run twice, in two processes, against the sandbox,
//! leaves exactly one customer at every provider.

use billsync_sandbox::{Provider, Sandbox};

const EXAMPLE: &str = env!("CARGO_BIN_EXE_readme-example");

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_example_run_twice_creates_one_customer_per_provider() {
    let sandbox = Sandbox::start().await.unwrap();
    let dir = std::env::temp_dir().join(format!("billsync-readme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, provider, id_field) in [
        ("hyfin", Provider::Hyfin, "_id"),
        ("rebilly", Provider::Rebilly, "id"),
        ("payabli", Provider::Payabli, "customerId"),
    ] {
        let mut outcomes = Vec::new();
        for _ in 0..2 {
            let out = tokio::process::Command::new(EXAMPLE)
                .args([name, "state.sqlite"])
                .current_dir(&dir)
                .env("HYFIN_BASE_URL", sandbox.hyfin_base_url())
                .env("HYFIN_SITE_ID", "site-readme")
                .env("HYFIN_API_TOKEN", billsync_sandbox::DEFAULT_HYFIN_TOKEN)
                .env("REBILLY_BASE_URL", sandbox.rebilly_base_url())
                .env("REBILLY_API_KEY", billsync_sandbox::DEFAULT_REBILLY_KEY)
                .env("REBILLY_ORGANIZATION_ID", "org-readme")
                .env("PAYABLI_BASE_URL", sandbox.payabli_base_url())
                .env("PAYABLI_API_TOKEN", billsync_sandbox::DEFAULT_PAYABLI_TOKEN)
                .env("PAYABLI_ENTRYPOINT", "entry-readme")
                .output()
                .await
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            assert!(
                out.status.success(),
                "{name}: {stdout} {}",
                String::from_utf8_lossy(&out.stderr)
            );
            outcomes.push(stdout);
        }
        let stored = sandbox.records(provider, "customer");
        assert_eq!(
            stored.len(),
            1,
            "{name}: exactly one customer: {outcomes:?}"
        );
        let id = stored[0][id_field].to_string();
        assert_eq!(
            outcomes[0],
            format!("created {}", id.trim_matches('"')),
            "{name}"
        );
        assert_eq!(
            outcomes[1],
            format!("updated {}", id.trim_matches('"')),
            "{name}"
        );
        assert!(
            stored[0].to_string().contains("Doe"),
            "{name}: {}",
            stored[0]
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
