//! The order of rows within a run: repeated external ids, and children put off until after
//! their parents.

use std::sync::Arc;

use billsync::RecordKind;
use tokio::sync::{Semaphore, mpsc};

use super::record::AnyRecord;
use super::registry::{SlotGuard, SlotState};
use super::task::{Ctx, RowResult};
use super::{Done, interrupted, send, start};
use crate::stop::Stop;

/// A customer whose parent this run has not read yet (and that did not land in an earlier
/// run), or whose parent was itself put off, goes to the end of the input.
pub(super) fn must_wait_for_later_parent(ctx: &Ctx, record: &AnyRecord) -> Result<bool, String> {
    let Some(parent) = record.parent() else {
        return Ok(false);
    };
    match ctx.registry.state(parent)? {
        Some(SlotState::Deferred) => Ok(true),
        Some(_) => Ok(false),
        None => {
            let key = billsync_state::RecordKey::new(&ctx.account, RecordKind::Customer, parent);
            let landed = ctx
                .store
                .entry(key)
                .map_err(|e| e.to_string())?
                .is_some_and(|e| e.status == billsync_state::RecordStatus::Done);
            Ok(!landed)
        }
    }
}

/// A row whose external id an earlier row of this run has: identical rows end as the first
/// did, differing ones are refused naming both lines.
pub(super) async fn repeat(
    ctx: &Arc<Ctx>,
    tx: &mpsc::Sender<Done>,
    permits: &Arc<Semaphore>,
    line: u64,
    external_id: String,
    first: u64,
    same: bool,
) {
    if !same {
        let message = format!(
            "external_id `{external_id}` is also on line {first}, with different content; this later row was not sent (keep one row per record)"
        );
        let result = RowResult::problem(true, "duplicate_external_id", message);
        send(tx, line, Some(external_id), result).await;
        return;
    }
    let ended = move |state: Option<(u64, SlotState)>| match state {
        Some((_, SlotState::NotLanded { rejected, reason })) => RowResult::problem(
            rejected,
            "duplicate_of_row_not_landed",
            format!("this row repeats line {first}, which did not land: {reason}"),
        ),
        _ => RowResult::Unchanged,
    };
    let state = match ctx.registry.state(&external_id) {
        Ok(state) => state,
        Err(why) => {
            let result = RowResult::problem(false, "state", why);
            send(tx, line, Some(external_id), result).await;
            return;
        }
    };
    match state {
        Some(SlotState::InFlight) => {}
        Some(SlotState::Deferred) => {
            // The first row waits for the end of the input: so does this one, without a
            // permit (the first row will need one).
            let (ctx, tx) = (ctx.clone(), tx.clone());
            tokio::spawn(async move {
                let result = ended(ctx.registry.wait(&external_id).await);
                send(&tx, line, Some(external_id), result).await;
            });
            return;
        }
        state => {
            let result = ended(state.map(|s| (first, s)));
            send(tx, line, Some(external_id), result).await;
            return;
        }
    }
    // The first row is in flight (it holds a permit): wait with a permit, so that a file of
    // repeats cannot pile up tasks.
    let permit = permits.clone().acquire_owned().await;
    let (ctx, tx) = (ctx.clone(), tx.clone());
    tokio::spawn(async move {
        let result = ended(ctx.registry.wait(&external_id).await);
        drop(permit);
        send(&tx, line, Some(external_id), result).await;
    });
}

/// The rows put off until the end of the input, each after its parent. A chain of parents that
/// loops back on itself is sent without waiting (the provider's own rules then decide).
pub(super) async fn run_deferred(
    ctx: &Arc<Ctx>,
    tx: &mpsc::Sender<Done>,
    permits: &Arc<Semaphore>,
    stop: &Arc<Stop>,
    deferred: Vec<(u64, AnyRecord)>,
) {
    let parents: std::collections::HashMap<String, String> = deferred
        .iter()
        .filter_map(|(_, r)| Some((r.external_id().to_owned(), r.parent()?.to_owned())))
        .collect();
    for (_, record) in &deferred {
        ctx.registry
            .set_state(record.external_id(), SlotState::InFlight);
    }
    for (line, record) in deferred {
        let in_loop = start::parent_chain_loops(&parents, record.external_id());
        let (ctx, tx, permits, stop) = (ctx.clone(), tx.clone(), permits.clone(), stop.clone());
        tokio::spawn(async move {
            let external_id = record.external_id().to_owned();
            let mut guard = SlotGuard::new(ctx.registry.clone(), &external_id, line);
            // Waits without a permit: its parent may still need one.
            let problem = match in_loop {
                true => None,
                false => ctx.parent_problem(&record).await,
            };
            let result = match problem {
                Some(problem) => problem,
                None => {
                    // The semaphore is never closed: the permit always comes.
                    let permit = permits.acquire_owned().await;
                    if stop.requested().is_some() {
                        interrupted()
                    } else {
                        stop.started(&external_id);
                        let result = ctx.process(&record).await;
                        stop.ended(&external_id);
                        drop(permit);
                        result
                    }
                }
            };
            guard.set(result.slot_state());
            drop(guard);
            send(&tx, line, Some(external_id), result).await;
        });
    }
}
