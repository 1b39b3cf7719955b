//! Standard output that a closed reader cannot crash: `billsync render ... | head -1` stops
//! writing quietly instead of panicking, and the run's own exit code stands.

use std::fmt;
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes one line to standard output. Returns `false`, and writes nothing from then on, once
/// standard output is closed (a broken pipe) or failed; a failure other than a closed pipe is
/// reported once on standard error.
pub fn line(args: fmt::Arguments<'_>) -> bool {
    if CLOSED.load(Ordering::Relaxed) {
        return false;
    }
    let mut out = std::io::stdout().lock();
    let written = out
        .write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => true,
        Err(e) => {
            if !CLOSED.swap(true, Ordering::Relaxed) && e.kind() != ErrorKind::BrokenPipe {
                let _ = writeln!(
                    std::io::stderr(),
                    "billsync: cannot write to standard output: {e}"
                );
            }
            false
        }
    }
}

/// Whether standard output was found closed: whoever prints a long listing stops.
pub fn closed() -> bool {
    CLOSED.load(Ordering::Relaxed)
}

/// `println!` that ends quietly when standard output is closed (see [`line()`]).
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::stdout::line(format_args!($($arg)*))
    };
}
pub(crate) use say;
