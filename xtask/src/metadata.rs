//! What `cargo metadata` says about the workspace, read with `serde_json`.

use std::path::PathBuf;

use serde_json::Value;

use crate::cmd;

/// One workspace member.
pub struct Member {
    /// The package name (`billsync-core`).
    pub name: String,
    /// The resolved version (`0.1.0`).
    pub version: String,
    /// False when its manifest says `publish = false`.
    pub publishable: bool,
    /// True when `[package.metadata.docs.rs]` has `all-features = true`: docs.rs then builds
    /// its documentation with every feature, else with the default ones.
    pub docs_rs_all_features: bool,
}

/// The workspace as cargo resolves it.
pub struct Workspace {
    /// Every member package.
    pub members: Vec<Member>,
    /// Where cargo writes build output (honours `CARGO_TARGET_DIR` and config).
    pub target_directory: PathBuf,
}

/// Runs `cargo metadata --no-deps` and reads the members and the target directory.
pub fn workspace() -> Result<Workspace, String> {
    let mut c = cmd::cargo();
    c.args(["metadata", "--no-deps", "--format-version", "1"]);
    parse(&cmd::output(c)?)
}

/// Reads the members and the target directory out of `cargo metadata`'s JSON.
fn parse(text: &str) -> Result<Workspace, String> {
    let json: Value = serde_json::from_str(text).map_err(|e| format!("cargo metadata: {e}"))?;
    let target_directory = json
        .get("target_directory")
        .and_then(Value::as_str)
        .ok_or("cargo metadata: no target_directory")?
        .into();
    let packages = json
        .get("packages")
        .and_then(Value::as_array)
        .ok_or("cargo metadata: no packages")?;
    let members = packages.iter().map(member).collect::<Result<_, _>>()?;
    Ok(Workspace {
        members,
        target_directory,
    })
}

/// One entry of `packages`.
fn member(p: &Value) -> Result<Member, String> {
    let field = |key: &str| {
        p.get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("cargo metadata: a package without `{key}`"))
    };
    // `publish` is null when publishable anywhere, a list of registries otherwise; `[]` is how
    // `publish = false` shows.
    let publishable = match p.get("publish") {
        Some(Value::Array(registries)) => !registries.is_empty(),
        _ => true,
    };
    let docs_rs_all_features = p
        .pointer("/metadata/docs/rs/all-features")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(Member {
        name: field("name")?,
        version: field("version")?,
        publishable,
        docs_rs_all_features,
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_what_cargo_metadata_writes() {
        let ws = parse(
            r#"{"packages":[{"name":"a\u00e9\"","version":"0.1.0","publish":[],"n":-1.5e3},
                            {"name":"b","version":"2.0.0","publish":null,
                             "metadata":{"docs":{"rs":{"all-features":true}}}},
                            {"name":"c","version":"0.0.1","publish":["crates-io"]}],
               "target_directory":"/t/x","ok":true}"#,
        )
        .unwrap();
        let got: Vec<(&str, &str, bool, bool)> = ws
            .members
            .iter()
            .map(|m| {
                let docs = m.docs_rs_all_features;
                (m.name.as_str(), m.version.as_str(), m.publishable, docs)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a\u{e9}\"", "0.1.0", false, false),
                ("b", "2.0.0", true, true),
                ("c", "0.0.1", true, false)
            ]
        );
        assert_eq!(ws.target_directory, std::path::Path::new("/t/x"));
    }

    #[test]
    fn rejects_broken_or_incomplete_documents() {
        let err = |text: &str| parse(text).err().unwrap_or_default();
        assert!(err(r#"{"packages":[]"#).starts_with("cargo metadata: "));
        assert!(
            err(r#"{"packages":[],"target_directory":"/t"} x"#).starts_with("cargo metadata: ")
        );
        assert_eq!(
            err(r#"{"packages":[]}"#),
            "cargo metadata: no target_directory"
        );
        assert_eq!(
            err(r#"{"target_directory":"/t"}"#),
            "cargo metadata: no packages"
        );
        assert_eq!(
            err(r#"{"packages":[{"name":"a"}],"target_directory":"/t"}"#),
            "cargo metadata: a package without `version`"
        );
    }
}
