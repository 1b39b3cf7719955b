//! A narrow entry point for fuzz targets (not a stable API): every decoder of Rebilly's answers.

use billsync_core::RetrySafety;
use billsync_core::provider_kit::{ProviderErrors, RawResponse};

use crate::client::{id_from_location, parse_object};
use crate::error::{RebillyProblem, request_id_reuse, retry_after};
use crate::wire::{CustomerResponse, TransactionResponse};

/// Decodes `resp` in every way the client may (a customer, a transaction, a list of
/// transactions, a problem, its `Location` and retry-after headers), and renders the outcome.
/// Must never panic, whatever the answer.
pub fn decode_answer(resp: &RawResponse) -> String {
    let mut seen = String::new();
    let customer = parse_object::<CustomerResponse>(resp, None, "a customer");
    seen.push_str(&format!("{customer:?}"));
    let transaction = parse_object::<TransactionResponse>(resp, None, "a transaction");
    seen.push_str(&format!("{transaction:?}"));
    let list = resp.json::<Vec<TransactionResponse>>(crate::PROVIDER);
    seen.push_str(&format!("{list:?}"));
    if let Some(problem) = RebillyProblem::parse(resp) {
        seen.push_str(&format!(
            "{:?} {}",
            problem.messages(),
            problem.is_duplicate_request_id()
        ));
    }
    let error = RebillyProblem::classify(resp, RetrySafety::Idempotent);
    seen.push_str(&format!("{error} {:?} {error:?}", error.all_messages()));
    let reuse = request_id_reuse(resp, error.detail::<RebillyProblem>());
    seen.push_str(&format!("{reuse:?}"));
    seen.push_str(&format!(
        "{:?} {:?}",
        id_from_location(&resp.headers),
        retry_after(&resp.headers)
    ));
    seen
}
