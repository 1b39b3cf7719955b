//! `cargo xtask test`: everything CI runs, stopping at the first failure.

use crate::cmd::{self, root, step};
use crate::snapshots;

/// The features of the facade that name a provider (all but `default`, `full` and `_private`).
fn provider_features() -> Result<Vec<String>, String> {
    let path = root().join("crates/billsync/Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut in_features = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        if !in_features || line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((name, _)) = line.split_once('=') {
            let name = name.trim();
            if name != "default" && name != "full" && !name.starts_with('_') {
                out.push(name.to_owned());
            }
        }
    }
    Ok(out)
}

/// Package names of the workspace members marked `publish = false`.
fn unpublished_members() -> Result<Vec<String>, String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml"))
        .map_err(|e| format!("Cargo.toml: {e}"))?;
    let members = manifest
        .split_once("members = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
        .ok_or("no `members = [...]` in Cargo.toml")?;
    let mut out = Vec::new();
    for member in members
        .split(',')
        .map(|m| m.trim().trim_matches('"'))
        .filter(|m| !m.is_empty())
    {
        let path = root().join(member).join("Cargo.toml");
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let publish_false = text.lines().any(|l| l.replace(' ', "") == "publish=false");
        let name = text.lines().find_map(|l| {
            l.trim()
                .strip_prefix("name = ")
                .map(|n| n.trim_matches('"').to_owned())
        });
        if let (true, Some(name)) = (publish_false, name) {
            out.push(name);
        }
    }
    Ok(out)
}

fn feature_matrix() -> Result<(), String> {
    let providers = provider_features()?;
    let mut check = cmd::cargo();
    check.args(["check", "-p", "billsync", "--no-default-features"]);
    cmd::run(check)?;
    for p in &providers {
        let mut check = cmd::cargo();
        check.args([
            "check",
            "-p",
            "billsync",
            "--no-default-features",
            "--features",
            p,
        ]);
        cmd::run(check)?;
        let mut tree = cmd::cargo();
        tree.args([
            "tree",
            "-p",
            "billsync",
            "--no-default-features",
            "--features",
            p,
            "-e",
            "normal",
            "--prefix",
            "none",
        ]);
        let deps = cmd::output(tree)?;
        for other in providers.iter().filter(|o| *o != p) {
            let name = format!("billsync-{other} ");
            if deps.lines().any(|l| l.starts_with(&name)) {
                return Err(format!(
                    "with only `{p}` on, the facade compiles billsync-{other}"
                ));
            }
        }
        println!("    `{p}` alone compiles no other provider crate");
    }
    let mut full = cmd::cargo();
    full.args(["check", "-p", "billsync", "--features", "full"]);
    cmd::run(full)?;
    let mut tree = cmd::cargo();
    tree.args([
        "tree",
        "--workspace",
        "--all-features",
        "-e",
        "normal",
        "--prefix",
        "none",
    ]);
    let deps = cmd::output(tree)?;
    for banned in ["openssl-sys ", "native-tls "] {
        if deps.lines().any(|l| l.starts_with(banned)) {
            return Err(format!(
                "{} is in the dependency tree: TLS must be rustls only",
                banned.trim()
            ));
        }
    }
    println!("    no OpenSSL or native-tls in the tree");
    Ok(())
}

/// Sums the `test result:` lines of cargo test's output: (passed, failed, ignored).
fn count(output: &str) -> (u64, u64, u64) {
    let mut totals = (0, 0, 0);
    for line in output
        .lines()
        .filter(|l| l.trim_start().starts_with("test result:"))
    {
        let number = |word: &str| -> u64 {
            line.split(';')
                .find(|part| part.trim_end().ends_with(word))
                .and_then(|part| part.split_whitespace().rev().nth(1))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        totals.0 += number("passed");
        totals.1 += number("failed");
        totals.2 += number("ignored");
    }
    totals
}

fn tests() -> Result<(), String> {
    let references = snapshots::references_file()?;
    let mut c = cmd::cargo();
    c.args(["test", "--workspace", "--all-features", "--no-fail-fast"])
        .env("INSTA_UPDATE", "no")
        .env("CI", "true")
        .env("INSTA_SNAPSHOT_REFERENCES_FILE", &references);
    let (ok, output) = cmd::run_tee(c)?;
    let (passed, failed, ignored) = count(&output);
    let snapshot_check = snapshots::check(&references);
    if let Err(problems) = &snapshot_check {
        eprintln!("\n{problems}");
    }
    println!();
    if ignored > 0 {
        println!("tests: {passed} passed, {failed} failed, {ignored} skipped");
    } else {
        println!("tests: {passed} passed, {failed} failed");
    }
    if !ok || failed > 0 {
        return Err("tests failed".into());
    }
    if passed == 0 {
        return Err("no test ran".into());
    }
    snapshot_check
}

/// `cargo xtask test [--fast]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let fast = args.iter().any(|a| a == "--fast");

    step("format");
    let mut fmt = cmd::cargo();
    fmt.args(["fmt", "--all", "--check"]);
    cmd::run(fmt)?;

    step("clippy");
    let mut clippy = cmd::cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]);
    cmd::run(clippy)?;

    if !fast {
        step("feature matrix of the facade");
        feature_matrix()?;
    }

    step("docs");
    let mut doc = cmd::cargo();
    doc.args(["doc", "--workspace", "--no-deps", "--all-features"])
        .env("RUSTDOCFLAGS", "-D warnings");
    cmd::run(doc)?;

    if !fast {
        step("packaging of the publishable crates");
        let mut package = cmd::cargo();
        package.args([
            "package",
            "--workspace",
            "--no-verify",
            "--allow-dirty",
            "--quiet",
        ]);
        for name in unpublished_members()? {
            package.args(["--exclude", &name]);
        }
        cmd::run(package)?;
        println!("    packaged into target/package/");
    }

    // Last, so that the closing line of the run is the test count CI reads.
    step("tests (snapshots must match; pending or unreferenced ones fail)");
    tests()
}
