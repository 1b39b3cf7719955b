//! A narrow entry point for fuzz targets (not a stable API): every decoder of Payabli's answers.

use billsync_core::provider_kit::RawResponse;

use crate::error::{PayabliError, failure};
use crate::wire::{PayabliQueryResponse, PayabliResponse, id_text};

/// Decodes `resp` in every way the client may (a response envelope, a customer query result and
/// the ids in its records, an error with Payabli's detail), and renders the outcome. Must never
/// panic, whatever the answer.
pub fn decode_answer(resp: &RawResponse) -> String {
    let mut seen = String::new();
    if let Ok(env) = serde_json::from_slice::<PayabliResponse>(&resp.body) {
        seen.push_str(&format!("{env:?}"));
    }
    if let Ok(found) = serde_json::from_slice::<PayabliQueryResponse>(&resp.body) {
        for record in &found.records {
            for key in [
                "customerNumber",
                "CustomerNumber",
                "customerId",
                "CustomerId",
            ] {
                seen.push_str(&format!("{:?}", record.get(key).and_then(id_text)));
            }
        }
    }
    let detail = PayabliError::from_response(resp);
    seen.push_str(&format!(
        "{:?} {} {}",
        detail.messages(),
        detail.says_exists(),
        detail.is_duplicate_key()
    ));
    let error = failure(resp);
    seen.push_str(&format!("{error} {:?} {error:?}", error.all_messages()));
    seen
}
