//! One writer per (state file, account): an OS file lock per account beside the state file.
//!
//! The lock is an advisory `flock` on `<state file>.locks/<account digest>.lock`, held for as
//! long as the [`AccountLock`] lives. The operating system releases it when the holding process
//! ends, however it ends (a `kill -9` included), so a crashed run never leaves a stale lock. The
//! file's text names the holder (process id, start time, command) so that a refused run can say
//! who holds it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use billsync_core::{Account, Error, ErrorKind, Result};
use sha2::{Digest, Sha256};

/// The lock of one account in one store; released on drop (or when the process ends).
#[derive(Debug)]
pub struct AccountLock {
    _file: File,
    path: PathBuf,
}

impl AccountLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The lock file of `account` for the state file at `state`.
pub fn lock_path(state: &Path, account: &Account) -> PathBuf {
    let digest = Sha256::digest(account.key().as_bytes());
    let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let mut dir = state.as_os_str().to_owned();
    dir.push(".locks");
    PathBuf::from(dir).join(format!("{name}.lock"))
}

/// Takes the lock of `account` beside `state`, at once or (with `wait`) when it is free.
pub fn acquire(state: &Path, account: &Account, wait: bool) -> Result<AccountLock> {
    let path = lock_path(state, account);
    let fail = |what: &str, e: std::io::Error| {
        Error::internal(format!(
            "cannot {what} the lock file {}: {e}",
            path.display()
        ))
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| fail("create the folder of", e))?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| fail("open", e))?;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) if wait => std::thread::sleep(Duration::from_millis(100)),
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let who = if holder.is_empty() {
                    "another run".to_owned()
                } else {
                    format!("another run ({holder})")
                };
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "{who} is syncing {account} with this state file; wait for it to finish, or run again with --wait-for-lock"
                    ),
                ));
            }
            Err(TryLockError::Error(e)) => return Err(fail("lock", e)),
        }
    }
    let holder = format!(
        "pid {}, started {}, {}",
        std::process::id(),
        billsync_core::chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
        command_line()
    );
    // Best effort: the text only names the holder; the lock itself is what excludes.
    let _ = file.set_len(0);
    let _ = file.seek(SeekFrom::Start(0));
    let _ = file.write_all(holder.as_bytes());
    let _ = file.flush();
    Ok(AccountLock { _file: file, path })
}

/// The program and its subcommand (never its other arguments, which could hold values).
fn command_line() -> String {
    let mut args = std::env::args();
    let program = args
        .next()
        .map(|p| {
            Path::new(&p)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(p)
        })
        .unwrap_or_default();
    match args.next() {
        Some(sub) if !sub.starts_with('-') && sub.len() <= 32 => format!("{program} {sub}"),
        _ => program,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use billsync_core::url::Url;

    #[test]
    fn one_holder_per_account() {
        let dir = std::env::temp_dir().join(format!("billsync-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let state = dir.join("s.sqlite");
        let base = Url::parse("https://h.example").unwrap();
        let a = Account::new("hyfin", &base).with_scope("site", "a");
        let b = Account::new("hyfin", &base).with_scope("site", "b");
        let held = acquire(&state, &a, false).unwrap();
        let refused = acquire(&state, &a, false).unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::Conflict);
        let text = refused.to_string();
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "{text}"
        );
        assert!(text.contains("site=a"), "{text}");
        // Another account of the same state file is free.
        let other = acquire(&state, &b, false).unwrap();
        drop(held);
        let again = acquire(&state, &a, false).unwrap();
        drop((again, other));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
