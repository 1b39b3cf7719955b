//! What an HTTP status means, the same for every provider unless the provider documents
//! otherwise (the table is on [`StatusTable`]).

use crate::{ErrorKind, RetrySafety};

/// A provider's status table: the default one below, plus the statuses whose meaning the
/// provider documents differently, given as data.
///
/// | status | kind |
/// |---|---|
/// | 400, 422 | [`InvalidInput`](ErrorKind::InvalidInput) when the body lists field problems, else [`Rejected`](ErrorKind::Rejected) |
/// | 401, 403 | [`Auth`](ErrorKind::Auth) |
/// | 404 | [`NotFound`](ErrorKind::NotFound) |
/// | 409 | [`Conflict`](ErrorKind::Conflict) |
/// | 408 | [`Unavailable`](ErrorKind::Unavailable) |
/// | 429 | [`RateLimited`](ErrorKind::RateLimited) |
/// | other 4xx | [`Rejected`](ErrorKind::Rejected) |
/// | 5xx | [`Unavailable`](ErrorKind::Unavailable); [`OutcomeUnknown`](ErrorKind::OutcomeUnknown) for a request that is [`RetrySafety::NotAfterSend`] |
/// | anything else (1xx, 2xx, 3xx) | [`Decode`](ErrorKind::Decode): not an error status, yet not the answer expected |
///
/// These answers come after the HTTP core's retries, so a 408 or a 5xx is what was left once
/// they were spent. A 408 is the provider saying it gave up waiting for the request, not that it
/// refused it: a later retry may succeed, so it is `Unavailable` (retryable) for every provider,
/// like a 5xx. A 5xx to a create the provider cannot de-duplicate was not retried, and the record
/// may or may not exist: `OutcomeUnknown`, never a retryable kind that would invite a duplicate.
///
/// ```
/// use billsync_core::provider_kit::StatusTable;
/// use billsync_core::{ErrorKind, RetrySafety};
///
/// // A provider that documents 402 as its answer to a suspended account's credentials.
/// const STATUSES: StatusTable = StatusTable::with_overrides(&[(402, ErrorKind::Auth)]);
/// assert_eq!(STATUSES.kind(402, false, RetrySafety::Idempotent), ErrorKind::Auth);
/// assert_eq!(STATUSES.kind(404, false, RetrySafety::Idempotent), ErrorKind::NotFound);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusTable {
    overrides: &'static [(u16, ErrorKind)],
}

impl StatusTable {
    /// The default table, with no override.
    pub const DEFAULT: StatusTable = StatusTable { overrides: &[] };

    /// The default table, except for the statuses listed (the first entry for a status wins).
    pub const fn with_overrides(overrides: &'static [(u16, ErrorKind)]) -> Self {
        StatusTable { overrides }
    }

    /// The statuses whose meaning differs from the default.
    pub fn overrides(&self) -> &'static [(u16, ErrorKind)] {
        self.overrides
    }

    /// The kind of an error answer with `status`. `has_field_errors` says whether the provider's
    /// body listed field problems; `safety` is the request's.
    pub fn kind(&self, status: u16, has_field_errors: bool, safety: RetrySafety) -> ErrorKind {
        self.overrides
            .iter()
            .find(|(s, _)| *s == status)
            .map(|(_, kind)| *kind)
            .unwrap_or_else(|| default_kind(status, has_field_errors, safety))
    }
}

impl Default for StatusTable {
    fn default() -> Self {
        StatusTable::DEFAULT
    }
}

/// The default meaning of `status` (the table of [`StatusTable`]).
pub fn default_kind(status: u16, has_field_errors: bool, safety: RetrySafety) -> ErrorKind {
    match status {
        400 | 422 if has_field_errors => ErrorKind::InvalidInput,
        401 | 403 => ErrorKind::Auth,
        404 => ErrorKind::NotFound,
        409 => ErrorKind::Conflict,
        408 => ErrorKind::Unavailable,
        429 => ErrorKind::RateLimited,
        400..=499 => ErrorKind::Rejected,
        500..=599 => match safety {
            RetrySafety::Idempotent => ErrorKind::Unavailable,
            RetrySafety::NotAfterSend => ErrorKind::OutcomeUnknown,
        },
        _ => ErrorKind::Decode,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAFE: RetrySafety = RetrySafety::Idempotent;

    #[test]
    fn each_status_of_the_default_table() {
        let table = StatusTable::DEFAULT;
        let cases = [
            (400, ErrorKind::Rejected),
            (422, ErrorKind::Rejected),
            (401, ErrorKind::Auth),
            (403, ErrorKind::Auth),
            (404, ErrorKind::NotFound),
            (409, ErrorKind::Conflict),
            (408, ErrorKind::Unavailable),
            (429, ErrorKind::RateLimited),
            (402, ErrorKind::Rejected),
            (405, ErrorKind::Rejected),
            (410, ErrorKind::Rejected),
            (451, ErrorKind::Rejected),
            (500, ErrorKind::Unavailable),
            (502, ErrorKind::Unavailable),
            (503, ErrorKind::Unavailable),
            (599, ErrorKind::Unavailable),
            (200, ErrorKind::Decode),
            (204, ErrorKind::Decode),
            (302, ErrorKind::Decode),
            (100, ErrorKind::Decode),
        ];
        for (status, kind) in cases {
            assert_eq!(table.kind(status, false, SAFE), kind, "{status}");
        }
    }

    #[test]
    fn field_problems_make_a_validation_status_invalid_input_and_nothing_else() {
        let table = StatusTable::DEFAULT;
        assert_eq!(table.kind(400, true, SAFE), ErrorKind::InvalidInput);
        assert_eq!(table.kind(422, true, SAFE), ErrorKind::InvalidInput);
        // Field problems in a body of another status do not change its meaning.
        assert_eq!(table.kind(409, true, SAFE), ErrorKind::Conflict);
        assert_eq!(table.kind(403, true, SAFE), ErrorKind::Auth);
        assert_eq!(table.kind(500, true, SAFE), ErrorKind::Unavailable);
    }

    #[test]
    fn a_server_error_to_a_create_that_cannot_be_repeated_has_an_unknown_outcome() {
        let table = StatusTable::DEFAULT;
        let once = RetrySafety::NotAfterSend;
        for status in [500, 502, 503, 504] {
            assert_eq!(table.kind(status, false, once), ErrorKind::OutcomeUnknown);
        }
        // The provider said it did not process these: retryable whatever the safety.
        assert_eq!(table.kind(429, false, once), ErrorKind::RateLimited);
        assert_eq!(table.kind(408, false, once), ErrorKind::Unavailable);
        assert_eq!(table.kind(401, false, once), ErrorKind::Auth);
    }

    #[test]
    fn overrides_replace_only_their_status() {
        const TABLE: StatusTable = StatusTable::with_overrides(&[
            (402, ErrorKind::Auth),
            (404, ErrorKind::Rejected),
            (503, ErrorKind::RateLimited),
            (404, ErrorKind::Conflict),
        ]);
        assert_eq!(TABLE.kind(402, false, SAFE), ErrorKind::Auth);
        assert_eq!(
            TABLE.kind(404, false, SAFE),
            ErrorKind::Rejected,
            "first wins"
        );
        // An override is the provider's word: it holds whatever the body or the safety.
        assert_eq!(
            TABLE.kind(503, true, RetrySafety::NotAfterSend),
            ErrorKind::RateLimited
        );
        assert_eq!(TABLE.kind(502, false, SAFE), ErrorKind::Unavailable);
        assert_eq!(TABLE.kind(400, true, SAFE), ErrorKind::InvalidInput);
        assert_eq!(TABLE.overrides().len(), 4);
        assert_eq!(StatusTable::default(), StatusTable::DEFAULT);
    }
}
