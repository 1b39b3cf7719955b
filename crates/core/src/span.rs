//! Running a provider's work inside a `tracing` span without paying for a span nobody records.

use std::future::Future;

use tracing::instrument::Instrumented;
use tracing::{Instrument, Span};

/// `work` instrumented with `span` when a subscriber records the span, and with
/// [`Span::none`] when none does (the span is disabled): what a subscriber sees is unchanged.
///
/// An instrumented future enters and leaves its span on every poll. A disabled span still
/// carries its metadata, and with `tracing`'s `log` feature (which `tower` turns on in the
/// dependency tree) each enter and exit then asks the `log` crate whether it listens; on a
/// request that is polled ten times that is some 400 instructions and their code, for nothing.
/// [`Span::none`] has no metadata, so its enter and exit return at once. The one thing not sent
/// is the disabled span's enter and exit lines to `log` (target `tracing::span::active`, at
/// trace level), which only a program logging through `log` without a `tracing` subscriber
/// would see.
pub fn in_span<F: Future>(span: Span, work: F) -> Instrumented<F> {
    let span = if span.is_disabled() {
        Span::none()
    } else {
        span
    };
    work.instrument(span)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    use super::*;

    /// Records the names of the spans entered.
    #[derive(Default, Clone)]
    struct Entered(Arc<Mutex<Vec<&'static str>>>);

    impl Subscriber for Entered {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut names = self.0.lock().unwrap();
            names.push(span.metadata().name());
            Id::from_u64(names.len() as u64)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, _: &Event<'_>) {}
        fn enter(&self, span: &Id) {
            let mut names = self.0.lock().unwrap();
            let name = names[span.into_u64() as usize - 1];
            names.push(name);
        }
        fn exit(&self, _: &Id) {}
    }

    #[tokio::test]
    async fn a_recorded_span_is_entered_and_a_disabled_one_is_dropped() {
        let entered = Entered::default();
        let dispatch = tracing::Dispatch::new(entered.clone());
        let answer = {
            let _guard = tracing::dispatcher::set_default(&dispatch);
            let span = tracing::info_span!("billsync.test");
            in_span(span, async { 42 }).await
        };
        assert_eq!(answer, 42);
        // Created once, entered for the one poll the future took, and entered again to drop it
        // (an instrumented future drops its inner future inside the span).
        assert_eq!(
            *entered.0.lock().unwrap(),
            ["billsync.test", "billsync.test", "billsync.test"]
        );

        // No subscriber: the span is disabled, and the future runs under no span at all.
        let span = tracing::info_span!("billsync.test");
        assert!(span.is_disabled());
        let work = in_span(span, async { 7 });
        assert!(work.span().is_none());
        assert_eq!(work.await, 7);
    }
}
