//! A narrow entry point for fuzz targets (not a stable API): every decoder of Hyfin's answers.

use billsync_core::RetrySafety;
use billsync_core::provider_kit::RawResponse;

use crate::wire::HyfinResponse;

/// Decodes `resp` as the client would an addUpdate answer (customer, contact or payment), for
/// both retry safeties, and renders the outcome. Must never panic, whatever the answer.
pub fn decode_answer(resp: &RawResponse) -> String {
    let mut seen = String::new();
    for safety in [RetrySafety::Idempotent, RetrySafety::NotAfterSend] {
        match crate::error::read_answer(resp, safety) {
            Ok(accepted) => seen.push_str(&format!("{accepted:?}")),
            Err(e) => seen.push_str(&format!("{e} {:?} {e:?}", e.all_messages())),
        }
    }
    if let Ok(body) = serde_json::from_slice::<HyfinResponse>(&resp.body) {
        seen.push_str(&format!("{body:?}"));
    }
    seen
}
