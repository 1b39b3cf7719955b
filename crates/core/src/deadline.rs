//! Attempt timeouts kept by one watchdog thread rather than a runtime timer per attempt.
//!
//! A tokio timer per attempt (`tokio::time::timeout`) is registered in the runtime's timer wheel
//! when first polled and removed when dropped. With one request in flight, that registration was
//! measured at 2 to 3% of the client's CPU per request (section 1 of `cargo xtask bench`), more
//! than validation. An attempt's [`Deadline`] instead costs a short critical section when it
//! starts and another when it ends; one thread shared by every client of the process wakes every
//! [`TICK`] while any attempt is under way, and wakes the attempts whose deadline has passed.
//! With none under way for a second, it sleeps until the next attempt starts.
//!
//! The price is precision: an attempt times out between its timeout and its timeout plus one
//! tick. If the thread cannot be started, attempts fall back to a tokio timer each.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::task::Context;
use std::time::{Duration, Instant};

use atomic_waker::AtomicWaker;

/// How often the watchdog looks for attempts past their deadline while any is under way.
pub(crate) const TICK: Duration = Duration::from_millis(10);

/// How long the watchdog keeps ticking with no attempt under way before it sleeps.
const IDLE: Duration = Duration::from_secs(1);

/// What an attempt and the watchdog share.
#[derive(Default)]
struct Shared {
    passed: AtomicBool,
    waker: AtomicWaker,
}

#[derive(Default)]
struct State {
    /// The attempts under way, by deadline (and a sequence number, as two may share one).
    waiting: BTreeMap<(Instant, u64), Arc<Shared>>,
    next: u64,
    /// True while the watchdog sleeps until an attempt starts.
    asleep: bool,
}

struct Watchdog {
    state: Mutex<State>,
    wake: Condvar,
}

impl Watchdog {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent whatever panicked while holding it (each change is one
        // map operation), so a poisoned lock is taken as it is.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The watchdog's loop: wakes the attempts whose deadline has passed, every tick.
    fn run(&self) {
        let mut idle_since = None;
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            let mut passed = Vec::new();
            while let Some(entry) = state.waiting.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                passed.push(entry.remove());
            }
            if state.waiting.is_empty() {
                let since = *idle_since.get_or_insert(now);
                if now.duration_since(since) >= IDLE {
                    state.asleep = true;
                }
            } else {
                idle_since = None;
            }
            drop(state);
            for shared in passed {
                shared.passed.store(true, Ordering::Release);
                shared.waker.wake();
            }
            state = self.lock();
            state = if state.asleep {
                idle_since = None;
                self.wake
                    .wait_while(state, |s| s.asleep)
                    .unwrap_or_else(|p| p.into_inner())
            } else {
                self.wake
                    .wait_timeout(state, TICK)
                    .unwrap_or_else(|p| p.into_inner())
                    .0
            };
        }
    }
}

/// The process's watchdog, started on first use; `None` if its thread could not be started.
fn watchdog() -> Option<&'static Watchdog> {
    static WATCHDOG: OnceLock<Option<&'static Watchdog>> = OnceLock::new();
    *WATCHDOG.get_or_init(|| {
        let watchdog: &'static Watchdog = Box::leak(Box::new(Watchdog {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
        }));
        std::thread::Builder::new()
            .name("billsync-deadlines".into())
            .spawn(move || watchdog.run())
            .ok()
            .map(|_| watchdog)
    })
}

/// One attempt's deadline: [`Deadline::passed`] says whether it has passed, and wakes the
/// attempt's task when it does. Dropping it ends the attempt's watch.
pub(crate) struct Deadline {
    inner: Inner,
}

enum Inner {
    Watched {
        key: (Instant, u64),
        shared: Arc<Shared>,
    },
    /// No watchdog thread: a tokio timer.
    Timer(std::pin::Pin<Box<tokio::time::Sleep>>),
}

impl Deadline {
    /// A deadline `timeout` from now.
    pub(crate) fn after(timeout: Duration) -> Deadline {
        let Some(watchdog) = watchdog() else {
            return Deadline {
                inner: Inner::Timer(Box::pin(tokio::time::sleep(timeout))),
            };
        };
        // A timeout too long to represent never passes in practice: a century stands in.
        let at = Instant::now()
            .checked_add(timeout)
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(100 * 365 * 24 * 3600));
        let shared = Arc::new(Shared::default());
        let mut state = watchdog.lock();
        let key = (at, state.next);
        state.next += 1;
        state.waiting.insert(key, Arc::clone(&shared));
        if state.asleep {
            state.asleep = false;
            watchdog.wake.notify_one();
        }
        Deadline {
            inner: Inner::Watched { key, shared },
        }
    }

    /// Whether the deadline has passed; if not, `cx`'s task is woken when it does.
    pub(crate) fn passed(&mut self, cx: &mut Context<'_>) -> bool {
        match &mut self.inner {
            Inner::Watched { shared, .. } => {
                shared.waker.register(cx.waker());
                shared.passed.load(Ordering::Acquire)
            }
            Inner::Timer(sleep) => sleep.as_mut().poll(cx).is_ready(),
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Inner::Watched { key, shared } = &self.inner
            && !shared.passed.load(Ordering::Acquire)
            && let Some(watchdog) = watchdog()
        {
            watchdog.lock().waiting.remove(key);
        }
    }
}

/// The error of an attempt whose timeout passed before its answer was read in full.
#[derive(Debug)]
pub(crate) struct TimedOut(pub(crate) Duration);

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no full answer within the attempt timeout of {:?}",
            self.0
        )
    }
}

impl std::error::Error for TimedOut {}

#[cfg(test)]
mod tests {
    use std::future::poll_fn;
    use std::task::Poll;

    use super::*;

    /// Waits for `deadline` to pass.
    async fn passes(mut deadline: Deadline) {
        poll_fn(|cx| {
            if deadline.passed(cx) {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await
    }

    #[tokio::test]
    async fn a_deadline_passes_after_its_timeout_and_within_a_tick_or_so_of_it() {
        let started = Instant::now();
        passes(Deadline::after(Duration::from_millis(50))).await;
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(50), "{took:?}");
        assert!(took < Duration::from_millis(50) + 20 * TICK, "{took:?}");
    }

    #[tokio::test]
    async fn a_dropped_deadline_is_no_longer_watched_and_others_still_pass() {
        let watchdog = watchdog().expect("the watchdog thread starts");
        let long = Deadline::after(Duration::from_secs(3600));
        let Inner::Watched { key, .. } = &long.inner else {
            unreachable!("the watchdog runs")
        };
        let key = *key;
        assert!(watchdog.lock().waiting.contains_key(&key));
        drop(long);
        assert!(!watchdog.lock().waiting.contains_key(&key));
        passes(Deadline::after(Duration::from_millis(5))).await;
    }

    #[tokio::test]
    async fn the_watchdog_wakes_after_sleeping_through_an_idle_second() {
        passes(Deadline::after(Duration::from_millis(1))).await;
        // Nothing under way for longer than `IDLE`: the watchdog sleeps.
        std::thread::sleep(IDLE + 5 * TICK);
        let started = Instant::now();
        passes(Deadline::after(Duration::from_millis(30))).await;
        assert!(started.elapsed() < Duration::from_millis(30) + 20 * TICK);
    }
}
