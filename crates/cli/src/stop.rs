//! Graceful stop: the first SIGINT or SIGTERM stops reading and lets the upserts in flight
//! finish (within a grace period); a second one ends the process at once, listing the records
//! left pending.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

/// Which signal asked to stop, and what the sync has in flight.
#[derive(Debug, Default)]
pub struct Stop {
    // 0: running; otherwise the exit code the signal asks for (130 SIGINT, 143 SIGTERM).
    code: AtomicU8,
    requested: Notify,
    in_flight: Mutex<BTreeSet<String>>,
}

impl Stop {
    /// The exit code of the signal that asked to stop, if one did.
    pub fn requested(&self) -> Option<u8> {
        match self.code.load(Ordering::SeqCst) {
            0 => None,
            code => Some(code),
        }
    }

    /// Asks to stop with `code` (the first request wins).
    pub fn request(&self, code: u8) {
        if self
            .code
            .compare_exchange(0, code, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            self.requested.notify_waiters();
        }
    }

    /// Completes once a stop is requested.
    pub async fn wait(&self) {
        loop {
            let notified = self.requested.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.requested().is_some() {
                return;
            }
            notified.await;
        }
    }

    /// A record's request is about to go out.
    pub fn started(&self, external_id: &str) {
        self.lock().insert(external_id.to_owned());
    }

    /// A record's request has ended.
    pub fn ended(&self, external_id: &str) {
        self.lock().remove(external_id);
    }

    /// The records whose request is in flight.
    pub fn in_flight(&self) -> Vec<String> {
        self.lock().iter().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        self.in_flight.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Listens for SIGINT and SIGTERM for the rest of the process: the first asks `stop` to stop,
/// the second ends the process at once (its state is committed row by row), naming the records
/// left pending.
pub fn listen(stop: std::sync::Arc<Stop>) {
    tokio::spawn(async move {
        let Some(mut signals) = Signals::new() else {
            return;
        };
        let mut count = 0u8;
        while let Some(code) = signals.next().await {
            count += 1;
            if count == 1 {
                eprintln!(
                    "billsync: stopping: no new record is read; the ones in flight finish (press Ctrl-C again to quit at once)"
                );
                stop.request(code);
                continue;
            }
            let pending = stop.in_flight();
            eprintln!(
                "billsync: quit at once; {} records left pending (the next run resolves them):",
                pending.len()
            );
            for id in pending {
                eprintln!("  {id}");
            }
            std::process::exit(i32::from(code));
        }
    });
}

/// SIGINT and SIGTERM, registered once.
#[cfg(unix)]
struct Signals {
    int: tokio::signal::unix::Signal,
    term: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    /// `None` when signals cannot be registered: no graceful stop then, never a crash.
    fn new() -> Option<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Some(Signals {
            int: signal(SignalKind::interrupt()).ok()?,
            term: signal(SignalKind::terminate()).ok()?,
        })
    }

    /// The exit code of the next signal (130 SIGINT, 143 SIGTERM).
    async fn next(&mut self) -> Option<u8> {
        tokio::select! {
            s = self.int.recv() => s.map(|()| 130),
            s = self.term.recv() => s.map(|()| 143),
        }
    }
}

#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn new() -> Option<Self> {
        Some(Signals)
    }

    async fn next(&mut self) -> Option<u8> {
        tokio::signal::ctrl_c().await.ok().map(|()| 130)
    }
}

/// How long in-flight upserts may take to finish after a stop is asked for, by default.
#[cfg_attr(not(feature = "sandbox"), allow(dead_code))]
pub const DEFAULT_GRACE: Duration = Duration::from_secs(30);

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_first_request_wins_and_wakes_waiters() {
        let stop = std::sync::Arc::new(Stop::default());
        let waiter = {
            let stop = stop.clone();
            tokio::spawn(async move { stop.wait().await })
        };
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        stop.request(143);
        stop.request(130);
        waiter.await.unwrap();
        assert_eq!(stop.requested(), Some(143));
        stop.started("a");
        stop.started("b");
        stop.ended("a");
        assert_eq!(stop.in_flight(), ["b"]);
    }
}
