//! `cargo xtask test`: everything CI runs, in order, stopping at the first failure.
//!
//! a. rustfmt, b. clippy, c. the facade's feature matrix, d. the tests with the snapshot check,
//! e. a short fuzz run, f. rustdoc, g. packaging, h. the bench guard (billsync's CPU per
//! request against a hand-written loop, side by side). `--fast` skips c, g and h. The last line
//! printed is the test count (`tests: N passed, M failed[, K skipped]`), which CI reads.

use std::collections::BTreeSet;

use crate::cmd::{self, root, step};
use crate::counts::Counts;
use crate::metadata;
use crate::snapshots::{self, References};

/// The facade crate whose features are checked one by one.
const FACADE: &str = "billsync";
const FACADE_MANIFEST: &str = "crates/billsync/Cargo.toml";
/// Crates that must never be in the tree: TLS is rustls only.
const BANNED: [&str; 2] = ["openssl-sys", "native-tls"];

/// `cargo xtask test [--fast]`.
pub fn run(fast: bool) -> Result<(), String> {
    let mut counts = None;
    let result = steps(fast, &mut counts);
    match counts {
        // Keep the count the very last line, even when a later step failed.
        Some(counts) => {
            if let Err(e) = &result {
                cmd::flush();
                eprintln!("\nxtask: {e}");
            }
            println!("\n{counts}");
            result.map_err(|_| String::new())
        }
        None => result,
    }
}

fn steps(fast: bool, counts: &mut Option<Counts>) -> Result<(), String> {
    step("a. format (cargo fmt --check)");
    let mut fmt = cmd::cargo();
    fmt.args(["fmt", "--all", "--check"]);
    cmd::run(fmt)?;

    step("b. clippy (-D warnings)");
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

    if fast {
        step("c. feature matrix: skipped (--fast)");
    } else {
        step("c. feature matrix of the facade");
        feature_matrix()?;
    }

    step("d. tests (pending or unreferenced snapshots fail)");
    tests(counts)?;

    step("e. fuzz: a short run of every target (`cargo xtask fuzz` for the long one)");
    crate::fuzz::short()?;

    step("f. docs (rustdoc -D warnings), with every feature and as docs.rs builds them");
    docs()?;

    if fast {
        step("g. packaging: skipped (--fast)");
    } else {
        step("g. packaging of the publishable crates");
        package()?;
    }

    if fast {
        step("h. bench guard: skipped (--fast)");
    } else {
        step("h. bench guard (CPU per request vs a hand-written loop, side by side, ≤ 1.5x)");
        crate::bench::guard()?;
    }
    Ok(())
}

/// The keys of the `[features]` table of a manifest, in order.
fn features(manifest: &str) -> Vec<String> {
    let mut in_features = false;
    let mut out = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') && !line.starts_with("[\"") {
            in_features = line.split('#').next().map(str::trim) == Some("[features]");
            continue;
        }
        if !in_features {
            continue;
        }
        // `name = ...` or `"name" = ...` starts a feature; the lines of a multi-line array
        // (`"dep:x",`, `]`) do not.
        let (key, rest) = match line.strip_prefix('"') {
            Some(quoted) => match quoted.split_once('"') {
                Some(split) => split,
                None => continue,
            },
            None => {
                let end = line
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .unwrap_or(line.len());
                line.split_at(end)
            }
        };
        if !key.is_empty() && rest.trim_start().starts_with('=') {
            out.push(key.to_owned());
        }
    }
    out
}

/// Provider features: every feature but `default`, `full` and `_private` ones.
fn providers(features: &[String]) -> Vec<&str> {
    features
        .iter()
        .map(String::as_str)
        .filter(|f| *f != "default" && *f != "full" && !f.starts_with('_'))
        .collect()
}

/// The crate names of `cargo tree --prefix none` output (`name vX.Y.Z (path) (*)`).
fn tree(args: &[&str]) -> Result<BTreeSet<String>, String> {
    let mut c = cmd::cargo();
    c.arg("tree")
        .args(args)
        .args(["-e", "normal", "--prefix", "none"]);
    let out = cmd::output(c)?;
    Ok(out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect())
}

fn feature_matrix() -> Result<(), String> {
    let path = root().join(FACADE_MANIFEST);
    let manifest =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let all = features(&manifest);
    let providers = providers(&all);
    if providers.is_empty() {
        return Err(format!("{FACADE_MANIFEST} declares no provider feature"));
    }
    println!("provider features: {}", providers.join(", "));

    let mut none = cmd::cargo();
    none.args(["check", "-p", FACADE, "--no-default-features"]);
    cmd::run(none)?;

    for p in &providers {
        let alone = ["-p", FACADE, "--no-default-features", "--features", p];
        let mut check = cmd::cargo();
        check.arg("check").args(alone);
        cmd::run(check)?;
        let deps = tree(&alone)?;
        let own = format!("billsync-{p}");
        if !deps.contains(&own) {
            return Err(format!(
                "with only `{p}` on, `{own}` is not in the facade's tree: is the feature wired?"
            ));
        }
        let others: Vec<String> = providers
            .iter()
            .filter(|o| *o != p)
            .map(|o| format!("billsync-{o}"))
            .filter(|o| deps.contains(o))
            .collect();
        if !others.is_empty() {
            return Err(format!(
                "with only `{p}` on, the facade pulls in {}",
                others.join(", ")
            ));
        }
        println!("ok: `{p}` alone brings {own} and no other provider crate");
    }

    if all.iter().any(|f| f == "full") {
        let mut full = cmd::cargo();
        full.args([
            "check",
            "-p",
            FACADE,
            "--no-default-features",
            "--features",
            "full",
        ]);
        cmd::run(full)?;
    }

    let deps = tree(&["--workspace", "--all-features"])?;
    let banned: Vec<&str> = BANNED
        .iter()
        .copied()
        .filter(|b| deps.contains(*b))
        .collect();
    if !banned.is_empty() {
        return Err(format!(
            "{} in the dependency tree (`cargo tree --workspace --all-features -e normal -i {}` \
             shows who pulls it): TLS must be rustls only",
            banned.join(" and "),
            banned[0]
        ));
    }
    println!("ok: no {} in the workspace's tree", BANNED.join(" or "));
    Ok(())
}

/// Step d, also `cargo xtask snapshots --check`: every test, snapshots as committed
/// (`INSTA_UPDATE=no`, `CI=true`), then no pending and no unreferenced snapshot. Sets `counts`
/// once the tests have run.
fn tests(counts: &mut Option<Counts>) -> Result<(), String> {
    let references = References::new()?;
    let mut c = cmd::cargo();
    c.args(["test", "--workspace", "--all-features", "--no-fail-fast"])
        .env("INSTA_UPDATE", "no")
        // An `insta.yaml` could say `force_pass: true`; the environment wins.
        .env("INSTA_FORCE_PASS", "0")
        .env("CI", "true");
    references.apply(&mut c);
    let (ok, output) = cmd::run_tee(c)?;
    let found = Counts::parse(&output);
    let failed = found.failed;
    *counts = Some(found);
    if !ok || failed > 0 {
        return Err(if failed > 0 {
            format!("tests failed: {failed}")
        } else {
            "cargo test failed (see above)".to_owned()
        });
    }
    snapshots::check(&references)
}

/// `cargo xtask snapshots --check`: step d alone, ending with the test count.
pub fn snapshot_check() -> Result<(), String> {
    let mut counts = None;
    let result = tests(&mut counts);
    if let Some(counts) = counts {
        if let Err(e) = &result {
            cmd::flush();
            eprintln!("\nxtask: {e}");
        }
        println!("\n{counts}");
        return result.map_err(|_| String::new());
    }
    result
}

/// rustdoc with `-D warnings`: the workspace with every feature, then each publishable crate as
/// docs.rs builds it (default features unless its `[package.metadata.docs.rs]` says
/// `all-features`), so that no public page links to an item a feature hides.
fn docs() -> Result<(), String> {
    let mut all = cmd::cargo();
    all.args(["doc", "--workspace", "--no-deps", "--all-features"])
        .env("RUSTDOCFLAGS", "-D warnings");
    cmd::run(all)?;
    let ws = metadata::workspace()?;
    let mut default = cmd::cargo();
    default
        .args(["doc", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings");
    for m in ws
        .members
        .iter()
        .filter(|m| m.publishable && !m.docs_rs_all_features)
    {
        default.args(["-p", &m.name]);
    }
    cmd::run(default)
}

/// `cargo package` of every member without `publish = false`, in one invocation: with
/// `--workspace`, cargo packages in dependency order and resolves the members' path + version
/// dependencies on each other against a local overlay of the crates it just packaged, so
/// crates not yet on crates.io package fine.
fn package() -> Result<(), String> {
    let ws = metadata::workspace()?;
    let publishable: Vec<&metadata::Member> = ws.members.iter().filter(|m| m.publishable).collect();
    if publishable.is_empty() {
        println!("no publishable crate");
        return Ok(());
    }
    let out_dir = ws.target_directory.join("package");
    let crate_file = |m: &metadata::Member| out_dir.join(format!("{}-{}.crate", m.name, m.version));
    for m in &publishable {
        // So that the check below sees this run's files, not an earlier run's.
        let _ = std::fs::remove_file(crate_file(m));
    }
    let mut c = cmd::cargo();
    c.args(["package", "--workspace", "--no-verify", "--allow-dirty"]);
    for m in ws.members.iter().filter(|m| !m.publishable) {
        c.args(["--exclude", &m.name]);
    }
    cmd::run(c)?;
    let mut missing = Vec::new();
    for m in &publishable {
        let file = crate_file(m);
        if file.is_file() {
            println!("ok: {}", snapshots::rel(&file));
        } else {
            missing.push(file.display().to_string());
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("cargo package made no {}", missing.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::{features, providers};

    #[test]
    fn provider_features_come_from_the_features_table() {
        let manifest = r#"
[package]
name = "billsync"

[features]
default = []
hyfin = ["dep:billsync-hyfin"]
"rebilly" = ["dep:billsync-rebilly"]
_internal = []
payabli = [
    "dep:billsync-payabli",
    "billsync-core/x",
]
full = ["hyfin", "rebilly", "payabli"]

[dependencies]
serde = { version = "1" }
"#;
        let all = features(manifest);
        assert_eq!(
            all,
            [
                "default",
                "hyfin",
                "rebilly",
                "_internal",
                "payabli",
                "full"
            ]
        );
        assert_eq!(providers(&all), ["hyfin", "rebilly", "payabli"]);
    }
}
