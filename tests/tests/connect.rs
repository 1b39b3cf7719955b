//! `billsync::connect`: every enabled provider built from a key/value map, its sandbox settings
//! accepted by the sandbox, and what it stores read back.

use billsync::{Contact, Customer, Options, Outcome};
use billsync_sandbox::{Provider as Sandboxed, Sandbox};

fn customer() -> Customer {
    Customer::new("conn-1")
        .with_display_name("Connect Plumbing")
        .with_company("Connect Plumbing LLC")
        .with_primary_contact(Contact::new("Cora", "Nect").with_email("cora@example.com"))
}

#[test]
fn every_provider_describes_its_keys_with_unique_names_and_variables() {
    let providers = billsync::providers();
    let names: Vec<&str> = providers.iter().map(|p| p.name()).collect();
    // `echo` (tests/echo, the worked example of docs/new-provider.md) is on in workspace runs
    // with every feature.
    assert_eq!(names[..3], ["hyfin", "rebilly", "payabli"]);
    assert!(names[3..].iter().all(|n| *n == "echo"), "{names:?}");
    for p in providers {
        let prefix = format!("{}_", p.name().to_ascii_uppercase());
        let keys = p.keys();
        assert!(keys.iter().any(|k| k.required), "{}", p.name());
        for (i, k) in keys.iter().enumerate() {
            assert!(k.env.starts_with(&prefix), "{}: {}", p.name(), k.env);
            assert!(!k.help.is_empty());
            assert!(
                keys[i + 1..]
                    .iter()
                    .all(|o| o.name != k.name && o.env != k.env)
            );
        }
        assert!(!p.documented_limits().is_empty());
    }
}

#[test]
fn connect_builds_the_account_from_the_options_and_names_bad_keys() {
    let hyfin = billsync::connect(
        "HYFIN",
        &Options::new()
            .set("base_url", "https://Partner.Hyfin.test/")
            .set("site_id", "site-7")
            .set("api_token", "tok_5ecret")
            .set("rate_limit", "10/s"),
    )
    .unwrap();
    assert_eq!(
        hyfin.account().key(),
        "hyfin https://partner.hyfin.test site=site-7"
    );
    assert_eq!(hyfin.rate_limit().map(|l| l.windows[0].requests), Some(10));
    assert!(!format!("{hyfin:?}").contains("5ecret"));

    let rebilly = billsync::connect(
        "rebilly",
        &Options::new()
            .set("organization_id", "org-1")
            .set("website_id", "web-1")
            .set("jwt", "jwt-5ecret")
            .set("environment", "live"),
    )
    .unwrap();
    assert_eq!(
        rebilly.account().key(),
        "rebilly https://api.rebilly.com organization=org-1 website=web-1"
    );

    let typo = billsync::connect(
        "payabli",
        &Options::new()
            .set("entry_point", "e")
            .set("api_token", "tok_5ecret"),
    )
    .unwrap_err();
    assert_eq!(typo.kind().name(), "config");
    let text = typo.to_string();
    assert!(
        text.contains("unknown option entry_point") && text.contains("entrypoint"),
        "{text}"
    );
    assert!(!text.contains("5ecret"));

    let missing = billsync::connect("payabli", &Options::new().set("entrypoint", "e")).unwrap_err();
    assert!(
        missing.to_string().contains("PAYABLI_API_TOKEN"),
        "{missing}"
    );
    let bad_rate =
        billsync::connect("hyfin", &Options::new().set("rate_limit", "fast")).unwrap_err();
    assert!(bad_rate.to_string().contains("N/s"), "{bad_rate}");
    let unknown = billsync::connect("acme", &Options::new()).unwrap_err();
    assert!(
        unknown
            .to_string()
            .starts_with("no provider `acme`: the enabled ones are hyfin, rebilly, payabli"),
        "{unknown}"
    );
    assert_eq!(unknown.kind().name(), "config");
}

#[tokio::test]
async fn each_providers_sandbox_settings_work_against_the_sandbox_and_the_record_reads_back() {
    let sandbox = Sandbox::start().await.unwrap();
    for factory in billsync::providers() {
        let Some(base) = sandbox.provider_base_url(factory.name()) else {
            assert_eq!(factory.name(), "echo", "only echo has no sandbox");
            continue;
        };
        let options = factory.sandbox_options(&base).unwrap();
        let client = factory.connect(&options, None).unwrap();
        let done = client.upsert_customer(&customer()).await.unwrap();
        assert_eq!(done.outcome, Outcome::Created, "{}", factory.name());
        let which: Sandboxed = factory.name().parse().unwrap();
        let stored = sandbox.records(which, "customer");
        assert_eq!(stored.len(), 1, "{}", factory.name());
        let text = stored[0].to_string();
        for value in ["Connect Plumbing LLC", "Cora", "Nect", "cora@example.com"] {
            assert!(
                text.contains(value),
                "{}: {value} not in {text}",
                factory.name()
            );
        }
        let again = client.upsert_customer(&customer()).await.unwrap();
        assert_eq!(again.provider_id, done.provider_id, "{}", factory.name());
        assert_eq!(sandbox.records(which, "customer").len(), 1);
    }
}
