//! The harness finds a planted bug, saves the input that trips it, and runs the real targets
//! without a panic on their seeds.

use std::time::Duration;

use billsync_fuzz::runner::{Budget, fuzz};
use billsync_fuzz::targets::{TARGETS, Target};

/// Panics when a JSON object's `amount` is negative: a bug a fuzzer must find from the seed.
fn planted(data: &[u8]) -> String {
    let value: serde_json::Value = serde_json::from_slice(data).unwrap_or_default();
    if let Some(n) = value.get("amount").and_then(|a| a.as_f64()) {
        assert!(n >= 0.0, "negative amount {n}");
    }
    value.to_string()
}

#[test]
fn a_planted_panic_is_found_counted_and_its_input_saved() {
    let target = Target {
        name: "planted",
        seeds: || vec![br#"{"amount": 12.5, "currency": "USD"}"#.to_vec()],
        body_start: |_| 0,
        run: planted,
    };
    let crashes = std::env::temp_dir().join(format!("billsync-fuzz-{}", std::process::id()));
    let report = fuzz(
        &target,
        Budget {
            execs: 20_000,
            time: Duration::from_secs(60),
        },
        7,
        &crashes,
    );
    assert!(report.panics > 0, "{report:?}");
    let (path, message) = &report.crashes[0];
    assert!(message.contains("negative amount"), "{message}");
    let input = std::fs::read(path).unwrap();
    let replay = std::panic::catch_unwind(|| planted(&input));
    assert!(replay.is_err(), "the saved input trips the bug again");
    let _ = std::fs::remove_dir_all(&crashes);
}

#[test]
fn every_target_runs_its_seeds_without_a_panic() {
    assert_eq!(TARGETS.len(), 4);
    for target in TARGETS {
        let seeds = (target.seeds)();
        assert!(!seeds.is_empty(), "{}", target.name);
        for seed in &seeds {
            let outcome = (target.run)(seed);
            assert!(!outcome.is_empty(), "{}: nothing rendered", target.name);
        }
    }
}

#[test]
fn seeds_decode_as_the_providers_mean_them() {
    // The first seed of each provider is a success the client accepts, so the fuzzer starts
    // from answers that reach deep into the decoders.
    let hyfin = (TARGETS[0].run)(&(TARGETS[0].seeds)()[0]);
    assert!(
        hyfin.contains("Accepted") && hyfin.contains("5f1a2b3c4d5e6f7a8b9c0d1e"),
        "{hyfin}"
    );
    let rebilly = (TARGETS[1].run)(&(TARGETS[1].seeds)()[0]);
    assert!(rebilly.starts_with("Ok(CustomerResponse"), "{rebilly}");
    let payabli = (TARGETS[2].run)(&(TARGETS[2].seeds)()[2]);
    assert!(payabli.contains("Some(\"4440\")"), "{payabli}");
    let records = (TARGETS[3].run)(&(TARGETS[3].seeds)()[0]);
    assert!(records.starts_with("1 ok"), "{records}");
}
