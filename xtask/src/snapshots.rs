//! insta snapshots without cargo-insta.
//!
//! insta appends the path of every file snapshot a test asserts (whether it matches or not) to
//! the file named by `INSTA_SNAPSHOT_REFERENCES_FILE` (`insta::env::memoize_snapshot_file`,
//! called from `assert_snapshot` before comparing; it is what `cargo insta test
//! --unreferenced=reject` uses). After a full test run, a `.snap` file in the tree whose path is
//! not in that list belongs to no test. Pending snapshots are the `.snap.new` files (file
//! snapshots) and `.<file>.rs.pending-snap` files (inline snapshots) insta leaves next to them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd::{self, root};

/// Suffixes of the files insta leaves when a snapshot does not match.
const PENDING: [&str; 2] = [".snap.new", ".pending-snap"];

/// Every file under the workspace root whose name ends with one of `suffixes`, skipping
/// `target` directories and hidden ones (`.git`).
pub fn files_ending(suffixes: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, suffixes: &[&str], out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    walk(&e.path(), suffixes, out);
                }
            } else if suffixes.iter().any(|s| name.ends_with(s)) {
                out.push(e.path());
            }
        }
    }
    let mut out = Vec::new();
    walk(&root(), suffixes, &mut out);
    out.sort();
    out
}

/// A temporary file for insta to list referenced snapshots in; removed when dropped.
pub struct References(PathBuf);

impl References {
    /// A fresh, empty (absent) references file in the system temp directory.
    pub fn new() -> Result<References, String> {
        let path = std::env::temp_dir().join(format!(
            "billsync-xtask-snapshot-references-{}.txt",
            std::process::id()
        ));
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("{}: {e}", path.display())),
        }
        Ok(References(path))
    }

    /// Sets up `c` (a `cargo test`) so that insta records every snapshot it asserts, and so that
    /// no setting from the caller's environment moves pending files elsewhere or overrides the
    /// update mode we choose.
    pub fn apply(&self, c: &mut Command) {
        c.env("INSTA_SNAPSHOT_REFERENCES_FILE", &self.0)
            .env_remove("INSTA_PENDING_DIR")
            .env_remove("INSTA_FORCE_UPDATE")
            .env_remove("INSTA_FORCE_UPDATE_SNAPSHOTS");
    }

    /// The `.snap` files in the tree that no test asserted during the run.
    pub fn unreferenced(&self) -> Vec<PathBuf> {
        let text = std::fs::read_to_string(&self.0).unwrap_or_default();
        let seen: BTreeSet<PathBuf> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| canonical(Path::new(l)))
            .collect();
        files_ending(&[".snap"])
            .into_iter()
            .filter(|p| !seen.contains(&canonical(p)))
            .collect()
    }
}

impl Drop for References {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The path relative to the workspace root, for messages.
pub fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap_or(p).display().to_string()
}

/// After a complete test run: an error listing every pending and every unreferenced snapshot.
pub fn check(references: &References) -> Result<(), String> {
    let mut problems = Vec::new();
    for p in files_ending(&PENDING) {
        problems.push(format!(
            "pending snapshot (review with `cargo xtask snapshots`): {}",
            rel(&p)
        ));
    }
    for p in references.unreferenced() {
        problems.push(format!(
            "unreferenced snapshot (no test asserts it; delete it or `cargo xtask snapshots --accept`): {}",
            rel(&p)
        ));
    }
    let total = files_ending(&[".snap"]).len();
    if problems.is_empty() {
        if total == 0 {
            println!("snapshots: none in the workspace");
        } else {
            println!("snapshots: all {total} referenced, none pending");
        }
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// `cargo xtask snapshots` (review) or `cargo xtask snapshots --accept`.
pub fn run(accept: bool) -> Result<(), String> {
    let references = References::new()?;
    let mut c = cmd::cargo();
    c.args(["test", "--workspace", "--all-features", "--no-fail-fast"])
        .env("INSTA_UPDATE", if accept { "always" } else { "new" })
        // A mismatching snapshot must not stop the run: we want every one of them.
        .env("INSTA_FORCE_PASS", "1");
    references.apply(&mut c);
    let (ok, _) = cmd::run_tee(c)?;
    if accept {
        return accept_all(ok, &references);
    }

    cmd::step("pending snapshots");
    let pending = files_ending(&[".snap.new"]);
    for new in &pending {
        show_diff(new);
    }
    let inline = files_ending(&[".pending-snap"]);
    for p in &inline {
        println!(
            "\npending inline snapshots (need cargo-insta to apply): {}",
            rel(p)
        );
    }
    if !ok {
        return Err(format!(
            "{} pending; some tests failed for reasons other than snapshots (see above), so \
             unreferenced snapshots were not looked for",
            pending.len() + inline.len()
        ));
    }
    let unreferenced = references.unreferenced();
    for p in &unreferenced {
        println!("unreferenced (no test asserts it): {}", rel(p));
    }
    if pending.is_empty() && inline.is_empty() && unreferenced.is_empty() {
        println!("all snapshots are up to date");
    } else {
        println!(
            "\n{} pending, {} unreferenced: `cargo xtask snapshots --accept` takes the pending ones \
             and deletes the unreferenced ones",
            pending.len() + inline.len(),
            unreferenced.len()
        );
    }
    Ok(())
}

/// After an `INSTA_UPDATE=always` run: mismatching file snapshots were rewritten in place, so the
/// `.snap.new` files left from an earlier review are stale; unreferenced `.snap` files go.
fn accept_all(tests_ok: bool, references: &References) -> Result<(), String> {
    if !tests_ok {
        return Err(
            "some tests failed for reasons other than snapshots (see above); nothing \
                    was deleted, fix them and run again"
                .into(),
        );
    }
    cmd::step("accepting");
    let remove = |p: &Path, why: &str| -> Result<(), String> {
        println!("removing {why} {}", rel(p));
        std::fs::remove_file(p).map_err(|e| format!("{}: {e}", p.display()))
    };
    for p in files_ending(&[".snap.new"]) {
        remove(&p, "stale")?;
    }
    for p in references.unreferenced() {
        remove(&p, "unreferenced")?;
    }
    let inline = files_ending(&[".pending-snap"]);
    if !inline.is_empty() {
        let list: Vec<String> = inline.iter().map(|p| rel(p)).collect();
        return Err(format!(
            "inline snapshots cannot be accepted without cargo-insta; update the `@\"...\"` \
             literals by hand, then delete:\n{}",
            list.join("\n")
        ));
    }
    println!("snapshots accepted; review them with `git diff` before committing");
    Ok(())
}

/// The snapshot itself: what follows insta's `---` metadata header.
fn body(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    if lines.first() == Some(&"---")
        && let Some(end) = lines.iter().skip(1).position(|l| *l == "---")
    {
        return lines[end + 2..].to_vec();
    }
    lines
}

/// Prints `new` (a `.snap.new`) against the `.snap` it would replace, as a line diff.
fn show_diff(new: &Path) {
    let old = PathBuf::from(new.to_string_lossy().trim_end_matches(".new"));
    let old_text = std::fs::read_to_string(&old).ok();
    let new_text = std::fs::read_to_string(new).unwrap_or_default();
    let new_lines = body(&new_text);
    match &old_text {
        None => {
            println!("\n+++ {} (new snapshot)", rel(&old));
            for l in &new_lines {
                println!("+ {l}");
            }
        }
        Some(old_text) => {
            println!("\n--- {}\n+++ {}", rel(&old), rel(new));
            for line in diff(&body(old_text), &new_lines) {
                println!("{line}");
            }
        }
    }
}

/// A line diff with two lines of context, by longest common subsequence. Very large inputs get
/// the whole old and new text instead.
fn diff(old: &[&str], new: &[&str]) -> Vec<String> {
    const CONTEXT: usize = 2;
    if old.len().saturating_mul(new.len()) > 4_000_000 {
        let mut out = vec!["old:".to_owned()];
        out.extend(old.iter().map(|l| format!("- {l}")));
        out.push("new:".to_owned());
        out.extend(new.iter().map(|l| format!("+ {l}")));
        return out;
    }
    // lcs[i][j]: length of the common subsequence of old[i..] and new[j..].
    let width = new.len() + 1;
    let mut lcs = vec![0u32; (old.len() + 1) * width];
    for i in (0..old.len()).rev() {
        for j in (0..new.len()).rev() {
            lcs[i * width + j] = if old[i] == new[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    // (marker, line): ' ' same, '-' only in old, '+' only in new.
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        if i < old.len() && j < new.len() && old[i] == new[j] {
            ops.push((' ', old[i]));
            i += 1;
            j += 1;
        } else if i < old.len()
            && (j == new.len() || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
        {
            ops.push(('-', old[i]));
            i += 1;
        } else {
            ops.push(('+', new[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        let lo = k.saturating_sub(CONTEXT);
        let hi = (k + CONTEXT + 1).min(ops.len());
        ops[lo..hi].iter().any(|(m, _)| *m != ' ')
    };
    let mut out = Vec::new();
    let mut skipped = false;
    for (k, (marker, line)) in ops.iter().enumerate() {
        if *marker == ' ' && !near_change(k) {
            skipped = true;
            continue;
        }
        if skipped {
            out.push("  ...".to_owned());
            skipped = false;
        }
        out.push(format!("{marker} {line}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{body, diff};

    #[test]
    fn body_drops_the_metadata_header() {
        let text = "---\nsource: tests/x.rs\nexpression: body\n---\n{\n  \"a\": 1\n}\n";
        assert_eq!(body(text), vec!["{", "  \"a\": 1", "}"]);
        assert_eq!(body("no header\n"), vec!["no header"]);
    }

    #[test]
    fn diff_marks_changed_lines_with_context() {
        let old = ["1", "2", "3", "4", "5", "6", "7", "8"];
        let new = ["1", "2", "3", "4", "five", "6", "7", "8", "9"];
        assert_eq!(
            diff(&old, &new),
            vec![
                "  ...", "  3", "  4", "- 5", "+ five", "  6", "  7", "  8", "+ 9"
            ]
        );
        assert!(diff(&old, &old).is_empty());
    }
}
