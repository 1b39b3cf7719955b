//! The conformance suite: every provider client against the sandbox, through `dyn Provider`.
//!
//! What every provider must do: create then update the same record without a duplicate, accept
//! or reject every canonical fixture exactly as its snapshot says (rejections send nothing),
//! come through injected 5xx and 429 answers with nothing duplicated, and report a wrong key as
//! an auth error.

use std::sync::Arc;
use std::time::Duration;

use billsync::hyfin::{HyfinClient, HyfinConfig};
use billsync::payabli::{PayabliClient, PayabliConfig};
use billsync::rebilly::{RebillyClient, RebillyConfig};
use billsync::secrecy::SecretString;
use billsync::{
    Address, Contact, Customer, ErrorKind, HttpSettings, MemoryIdMap, Outcome, Payment, Provider,
    RetryConfig,
};
use billsync_sandbox::{
    DEFAULT_HYFIN_TOKEN, DEFAULT_PAYABLI_TOKEN, DEFAULT_REBILLY_KEY, Faults, Sandbox,
};
use billsync_tests::{customers, payments};

const PROVIDERS: [&str; 3] = ["hyfin", "rebilly", "payabli"];

fn http() -> HttpSettings {
    HttpSettings {
        timeout: Duration::from_secs(5),
        retry: RetryConfig {
            max_retries: 6,
            initial_backoff: Duration::from_millis(2),
            max_backoff: Duration::from_millis(20),
            max_retry_wait: Duration::from_secs(3),
            ..RetryConfig::default()
        },
        ..HttpSettings::default()
    }
}

fn client(sandbox: &Sandbox, provider: &str, key: &str) -> Box<dyn Provider> {
    let ids = Arc::new(MemoryIdMap::new());
    match provider {
        "hyfin" => Box::new(
            HyfinClient::new(
                HyfinConfig::builder()
                    .base_url(sandbox.hyfin_base_url())
                    .site_id("site-conformance")
                    .api_token(SecretString::from(key.to_owned()))
                    .http(http())
                    .build()
                    .unwrap(),
            )
            .unwrap()
            .with_id_map(ids),
        ),
        "rebilly" => Box::new(
            RebillyClient::new(
                RebillyConfig::builder()
                    .base_url(sandbox.rebilly_base_url())
                    .organization_id("org-conformance")
                    .website_id("web-conformance")
                    .api_key(SecretString::from(key.to_owned()))
                    .http(http())
                    .build()
                    .unwrap(),
            )
            .unwrap()
            .with_id_map(ids),
        ),
        _ => Box::new(
            PayabliClient::new(
                PayabliConfig::builder()
                    .base_url(sandbox.payabli_base_url())
                    .entrypoint("entry-conformance")
                    .api_token(SecretString::from(key.to_owned()))
                    .http(http())
                    .build()
                    .unwrap(),
            )
            .unwrap()
            .with_id_map(ids),
        ),
    }
}

fn good_key(provider: &str) -> &'static str {
    match provider {
        "hyfin" => DEFAULT_HYFIN_TOKEN,
        "rebilly" => DEFAULT_REBILLY_KEY,
        _ => DEFAULT_PAYABLI_TOKEN,
    }
}

fn sandbox_provider(provider: &str) -> billsync_sandbox::Provider {
    match provider {
        "hyfin" => billsync_sandbox::Provider::Hyfin,
        "rebilly" => billsync_sandbox::Provider::Rebilly,
        _ => billsync_sandbox::Provider::Payabli,
    }
}

fn stats_of(sandbox: &Sandbox, provider: &str) -> billsync_sandbox::ProviderStats {
    let s = sandbox.stats();
    match provider {
        "hyfin" => s.hyfin,
        "rebilly" => s.rebilly,
        _ => s.payabli,
    }
}

fn customer(i: usize) -> Customer {
    Customer::new(format!("conf-cust-{i}"))
        .with_display_name(format!("Conformance {i}"))
        .with_primary_contact(
            Contact::new("Ada", format!("Tester{i}"))
                .with_email(format!("ada{i}@example.com"))
                .with_billing_address(Address::new("1 Main St", "Austin", "TX", "78701", "US")),
        )
}

#[tokio::test]
async fn create_then_update_makes_one_record() {
    let sandbox = Sandbox::start().await.unwrap();
    for provider in PROVIDERS {
        let client = client(&sandbox, provider, good_key(provider));
        let first = client.upsert_customer(&customer(1)).await.unwrap();
        assert_eq!(first.outcome, Outcome::Created, "{provider}");
        let mut edited = customer(1);
        edited.display_name = Some("Conformance 1 (edited)".into());
        let second = client.upsert_customer(&edited).await.unwrap();
        assert_eq!(second.outcome, Outcome::Updated, "{provider}");
        assert_eq!(first.provider_id, second.provider_id, "{provider}");
        let stats = stats_of(&sandbox, provider);
        assert_eq!(
            (stats.created, stats.updated),
            (1, 1),
            "{provider}: {stats:?}"
        );
    }
}

#[tokio::test]
async fn a_new_client_finds_what_another_created() {
    // Payabli and Rebilly need no memory of the first client: their keys are the caller's.
    let sandbox = Sandbox::start().await.unwrap();
    for provider in ["rebilly", "payabli"] {
        client(&sandbox, provider, good_key(provider))
            .upsert_customer(&customer(2))
            .await
            .unwrap();
        let again = client(&sandbox, provider, good_key(provider))
            .upsert_customer(&customer(2))
            .await
            .unwrap();
        assert_eq!(again.outcome, Outcome::Updated, "{provider}");
        assert_eq!(stats_of(&sandbox, provider).created, 1, "{provider}");
    }
}

/// Fixtures in an order where parents come before children.
fn ordered_customers() -> Vec<(String, Customer)> {
    let mut all = customers();
    all.sort_by_key(|(_, c)| c.parent.is_some());
    all
}

#[tokio::test]
async fn every_fixture_is_accepted_or_rejected_as_its_snapshot_says() {
    let sandbox = Sandbox::start().await.unwrap();
    for provider in PROVIDERS {
        let client = client(&sandbox, provider, good_key(provider));
        for (name, c) in ordered_customers() {
            let expected_ok = client.prepare_customer(&c).is_ok();
            let before = stats_of(&sandbox, provider).requests;
            let result = client.upsert_customer(&c).await;
            match result {
                Ok(done) => assert!(
                    expected_ok,
                    "{provider}/{name}: accepted but prepare refused it ({done:?})"
                ),
                Err(e) => {
                    assert!(
                        !expected_ok,
                        "{provider}/{name}: the sandbox refused it: {e}"
                    );
                    assert!(
                        matches!(e.kind(), ErrorKind::InvalidInput),
                        "{provider}/{name}: {e}"
                    );
                    assert_eq!(
                        stats_of(&sandbox, provider).requests,
                        before,
                        "{provider}/{name}: sent after a validation error"
                    );
                }
            }
        }
        for (name, p) in payments() {
            let expected = client.prepare_payment(&p);
            let result = client.upsert_payment(&p).await;
            match (expected, result) {
                (Ok(_), Ok(_)) => {}
                (Err(want), Err(got)) => {
                    assert_eq!(want.kind().name(), got.kind().name(), "{provider}/{name}")
                }
                (Ok(_), Err(e)) => panic!("{provider}/{name}: the sandbox refused it: {e}"),
                (Err(e), Ok(_)) => panic!("{provider}/{name}: accepted although prepare said {e}"),
            }
        }
    }
}

#[tokio::test]
async fn injected_server_errors_and_rate_limits_duplicate_nothing() {
    let sandbox = Sandbox::start().await.unwrap();
    let n = 30;
    for provider in PROVIDERS {
        let client = client(&sandbox, provider, good_key(provider));
        // 429 is retried for every write (the provider did not process it).
        sandbox.set_faults(Faults {
            rate_limit_burst: 3,
            ..Faults::default()
        });
        for i in 0..n {
            client
                .upsert_customer(&customer(100 + i))
                .await
                .unwrap_or_else(|e| panic!("{provider}: {e}"));
        }
        // 5xx is retried only where a repeat cannot duplicate: Rebilly's PUT, Payabli's keyed
        // create, Hyfin's payments (keyed by external id). Hyfin customer creates are not.
        sandbox.set_faults(Faults {
            server_error_rate: 0.3,
            ..Faults::default()
        });
        if provider == "hyfin" {
            for i in 0..n {
                let p = Payment::new(
                    format!("conf-pay-{i}"),
                    "x",
                    "10.00".parse().unwrap(),
                    "USD",
                    "2024-01-01T00:00:00Z".parse().unwrap(),
                )
                .with_gateway_transaction_id(format!("gw-{i}"))
                .with_method_display_name("VISA **** 1111");
                client
                    .upsert_payment(&p)
                    .await
                    .unwrap_or_else(|e| panic!("{provider}: {e}"));
            }
        } else {
            for i in 0..n {
                client
                    .upsert_customer(&customer(200 + i))
                    .await
                    .unwrap_or_else(|e| panic!("{provider}: {e}"));
            }
        }
        sandbox.set_faults(Faults::default());
        let stats = stats_of(&sandbox, provider);
        assert!(stats.faults > 0, "{provider}: no fault was injected");
        let kind = if provider == "hyfin" {
            "payment"
        } else {
            "customer"
        };
        let stored = sandbox.records(sandbox_provider(provider), kind).len();
        let expected = if provider == "hyfin" { n } else { 2 * n };
        assert_eq!(stored, expected, "{provider}: records stored");
    }
}

#[tokio::test]
async fn a_wrong_key_is_an_auth_error() {
    let sandbox = Sandbox::start().await.unwrap();
    for provider in PROVIDERS {
        let client = client(&sandbox, provider, "not-the-key");
        let err = client.upsert_customer(&customer(3)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Auth, "{provider}: {err}");
        assert_eq!(err.provider(), Some(provider));
        assert!(!err.to_string().contains("not-the-key"));
    }
}
