//! Running commands: echoed, streamed, checked.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// `cargo` as the running toolchain names it (`$CARGO`), run from the workspace root.
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.current_dir(root());
    c
}

/// Prints a step header.
pub fn step(title: &str) {
    println!("\n==> {title}");
    flush();
}

/// Flushes stdout, so that what we print lands before what a child or stderr prints next.
pub fn flush() {
    let _ = std::io::stdout().flush();
}

/// The command line of `c`, with the environment variables we set in front.
fn describe(c: &Command) -> String {
    let mut parts: Vec<String> = c
        .get_envs()
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy())))
        .collect();
    let program = PathBuf::from(c.get_program());
    // `$CARGO` is a full path to the toolchain's cargo; `cargo` reads better.
    parts.push(match program.file_stem() {
        Some(stem) if stem == "cargo" => "cargo".to_owned(),
        _ => program.display().to_string(),
    });
    parts.extend(c.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

fn echo(c: &Command) -> String {
    let what = describe(c);
    println!("$ {what}");
    flush();
    what
}

/// Runs `c` with its output going straight to the terminal; an error when it fails.
pub fn run(mut c: Command) -> Result<(), String> {
    let what = echo(&c);
    let status = c
        .status()
        .map_err(|e| format!("could not run `{what}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed ({status})"))
    }
}

/// Runs `c`, streaming its stdout to ours as it comes and also returning it, with whether it
/// succeeded. Its stderr goes straight to the terminal (cargo keeps its colours and progress).
pub fn run_tee(mut c: Command) -> Result<(bool, String), String> {
    let what = echo(&c);
    let mut child = c
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run `{what}`: {e}"))?;
    let mut seen = Vec::new();
    if let Some(mut out) = child.stdout.take() {
        let mut stdout = std::io::stdout();
        let mut buf = [0u8; 8192];
        loop {
            match out.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let _ = stdout.write_all(&buf[..n]);
                    let _ = stdout.flush();
                    seen.extend_from_slice(&buf[..n]);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(format!("reading the output of `{what}`: {e}")),
            }
        }
    }
    let status = child.wait().map_err(|e| format!("`{what}`: {e}"))?;
    Ok((
        status.success(),
        String::from_utf8_lossy(&seen).into_owned(),
    ))
}

/// Runs `c` quietly and returns its stdout; an error with its stderr when it fails.
pub fn output(mut c: Command) -> Result<String, String> {
    let what = echo(&c);
    let out = c
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("could not run `{what}`: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{what}` failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
