//! insta snapshots without cargo-insta: pending and unreferenced snapshots are found with
//! insta's own `INSTA_SNAPSHOT_REFERENCES_FILE` (every snapshot a test asserts is appended to it).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::cmd::{self, root};

/// Every file under the workspace (not `target/`) whose name ends with one of `suffixes`.
pub fn files_ending(suffixes: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, suffixes: &[&str], out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    walk(&p, suffixes, out);
                }
            } else if suffixes.iter().any(|s| name.ends_with(s)) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root(), suffixes, &mut out);
    out.sort();
    out
}

/// A fresh references file in `target/`.
pub fn references_file() -> Result<PathBuf, String> {
    let dir = root().join("target").join("xtask");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = dir.join("snapshot-references.txt");
    let _ = std::fs::remove_file(&file);
    Ok(file)
}

/// The `.snap` files no test referenced during the run that wrote `references`.
pub fn unreferenced(references: &Path) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(references).unwrap_or_default();
    let seen: BTreeSet<PathBuf> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| std::fs::canonicalize(l).unwrap_or_else(|_| PathBuf::from(l)))
        .collect();
    files_ending(&[".snap"])
        .into_iter()
        .filter(|p| !seen.contains(&std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())))
        .collect()
}

/// Fails when a snapshot is pending or unreferenced.
pub fn check(references: &Path) -> Result<(), String> {
    let pending = files_ending(&[".snap.new", ".pending-snap"]);
    let unref = unreferenced(references);
    let mut problems = Vec::new();
    for p in &pending {
        problems.push(format!(
            "pending snapshot (review with `cargo xtask snapshots`): {}",
            rel(p)
        ));
    }
    for p in &unref {
        problems.push(format!(
            "unreferenced snapshot (no test asserts it; delete it): {}",
            rel(p)
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

/// `cargo xtask snapshots [--accept]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let accept = args.iter().any(|a| a == "--accept");
    let references = references_file()?;
    let mut c = cmd::cargo();
    c.args(["test", "--workspace", "--all-features"])
        .env("INSTA_UPDATE", if accept { "always" } else { "new" })
        .env("INSTA_FORCE_PASS", "1")
        .env("INSTA_SNAPSHOT_REFERENCES_FILE", &references);
    let (ok, _) = cmd::run_tee(c)?;
    if !ok {
        return Err("tests failed for reasons other than snapshots".into());
    }
    if accept {
        for p in unreferenced(&references) {
            println!("removing unreferenced {}", rel(&p));
            std::fs::remove_file(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        }
        println!("snapshots accepted");
        return Ok(());
    }
    let pending = files_ending(&[".snap.new"]);
    for new in &pending {
        let old = PathBuf::from(new.to_string_lossy().trim_end_matches(".new"));
        println!("\n--- {}", rel(&old));
        let old_text = std::fs::read_to_string(&old).unwrap_or_default();
        let new_text = std::fs::read_to_string(new).unwrap_or_default();
        let old_lines: BTreeSet<&str> = old_text.lines().collect();
        let new_lines: BTreeSet<&str> = new_text.lines().collect();
        for l in old_text.lines().filter(|l| !new_lines.contains(l)) {
            println!("- {l}");
        }
        for l in new_text.lines().filter(|l| !old_lines.contains(l)) {
            println!("+ {l}");
        }
    }
    let unref = unreferenced(&references);
    for p in &unref {
        println!("unreferenced: {}", rel(p));
    }
    if pending.is_empty() && unref.is_empty() {
        println!("all snapshots are up to date");
    } else {
        println!(
            "\n{} pending, {} unreferenced; `cargo xtask snapshots --accept` takes them",
            pending.len(),
            unref.len()
        );
    }
    Ok(())
}
