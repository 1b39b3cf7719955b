//! Running commands: echoed, streamed, checked.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// `cargo` as the running toolchain names it.
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// Prints a step header.
pub fn step(title: &str) {
    println!("\n==> {title}");
    let _ = std::io::stdout().flush();
}

fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs `c`, output straight to the terminal; an error when it fails.
pub fn run(mut c: Command) -> Result<(), String> {
    let what = describe(&c);
    println!("$ {what}");
    let status = c
        .status()
        .map_err(|e| format!("could not run `{what}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed ({status})"))
    }
}

/// Runs `c`, streaming its stdout and stderr to ours and returning them merged, with success.
pub fn run_tee(mut c: Command) -> Result<(bool, String), String> {
    let what = describe(&c);
    println!("$ {what}");
    // Merge stderr into stdout through the shell-free way: read both on threads.
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run `{what}`: {e}"))?;
    let out = child.stdout.take();
    let err = child.stderr.take();
    let t_err = std::thread::spawn(move || {
        let mut seen = String::new();
        if let Some(err) = err {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                eprintln!("{line}");
                seen.push_str(&line);
                seen.push('\n');
            }
        }
        seen
    });
    let mut seen = String::new();
    if let Some(out) = out {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            seen.push_str(&line);
            seen.push('\n');
        }
    }
    seen.push_str(&t_err.join().unwrap_or_default());
    let status = child.wait().map_err(|e| format!("`{what}`: {e}"))?;
    Ok((status.success(), seen))
}

/// Runs `c` and returns its stdout; an error when it fails.
pub fn output(mut c: Command) -> Result<String, String> {
    let what = describe(&c);
    let out = c
        .output()
        .map_err(|e| format!("could not run `{what}`: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{what}` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
