//! The reading loop: each row read is registered, then handed on: a repeat to
//! [`repeat`], a child whose parent comes later put off to the end of the input, any other to a
//! task of its own under a permit.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};

use super::order::{must_wait_for_later_parent, repeat, run_deferred};
use super::record::{self, AnyRecord};
use super::registry::{Seen, SlotGuard, SlotState};
use super::task::{Ctx, RowResult};
use super::{Done, SyncOptions, interrupted, send};
use crate::input::Records;
use crate::stop::Stop;

/// Rows put off until the end of the input (their parent had not been read yet), with their
/// lines.
pub(super) type PutOff = Vec<(u64, AnyRecord)>;

/// Where the rows read go.
pub(super) struct Pipeline {
    /// What every record's task shares.
    pub ctx: Arc<Ctx>,
    /// To the collector.
    pub tx: mpsc::Sender<Done>,
    /// One per upsert in flight.
    pub permits: Arc<Semaphore>,
    /// Asked to stop.
    pub stop: Arc<Stop>,
}

/// What became of a row read.
enum Taken {
    /// Sent on (to a task, or answered at once).
    Handed,
    /// Put off until the end of the input.
    PutOff(AnyRecord),
    /// A stop came while it waited for a permit: reported interrupted, stop reading.
    Stopped,
}

impl Pipeline {
    /// Reads every row of `records` and hands it on, until the input ends, a stop is asked
    /// for, or the provider refuses the credentials (then why, as the second value). The
    /// rows put off are returned, not sent.
    pub async fn read_all(
        &self,
        opts: &SyncOptions,
        records: &mut Records,
        bytes: &AtomicU64,
    ) -> Result<(PutOff, Option<String>), String> {
        let mut deferred = PutOff::new();
        loop {
            if self.stop.requested().is_some() {
                break;
            }
            if self.ctx.abort.load(Ordering::Relaxed) {
                let name = self.ctx.provider.name();
                let why = format!("stopped: {name} refused the credentials");
                return Ok((deferred, Some(why)));
            }
            let item = record::next(records, opts.kind);
            bytes.store(records.bytes, Ordering::Relaxed);
            let Some((line, record)) = item else { break };
            let record = match record {
                Ok(r) => r,
                Err(msg) => {
                    let message = format!("{}:{line}: {msg}", opts.file.display());
                    let result = RowResult::problem(true, "malformed", message);
                    send(&self.tx, line, None, result).await;
                    continue;
                }
            };
            match self.take(line, record).await? {
                Taken::Handed => {}
                Taken::PutOff(record) => deferred.push((line, record)),
                Taken::Stopped => break,
            }
        }
        Ok((deferred, None))
    }

    /// Registers the row at `line` and hands it on.
    async fn take(&self, line: u64, record: AnyRecord) -> Result<Taken, String> {
        let ctx = &self.ctx;
        let external_id = record.external_id().to_owned();
        let seen = ctx.registry.register(&external_id, line, record.digest())?;
        if let Seen::Again { line: first, same } = seen {
            repeat(ctx, &self.tx, &self.permits, line, external_id, first, same).await;
            return Ok(Taken::Handed);
        }
        if must_wait_for_later_parent(ctx, &record)? {
            ctx.registry.set_state(&external_id, SlotState::Deferred);
            return Ok(Taken::PutOff(record));
        }
        let permit = tokio::select! {
            permit = self.permits.clone().acquire_owned() => permit.map_err(|e| e.to_string())?,
            () = self.stop.wait() => {
                send(&self.tx, line, Some(external_id), interrupted()).await;
                return Ok(Taken::Stopped);
            }
        };
        self.spawn(line, external_id, record, permit);
        Ok(Taken::Handed)
    }

    /// Sends the row at `line` in a task of its own, once its parent (if this run has it) ended.
    fn spawn(&self, line: u64, external_id: String, record: AnyRecord, p: OwnedSemaphorePermit) {
        let (ctx, tx, stop) = (self.ctx.clone(), self.tx.clone(), self.stop.clone());
        tokio::spawn(async move {
            let mut guard = SlotGuard::new(ctx.registry.clone(), &external_id, line);
            stop.started(&external_id);
            let result = match ctx.parent_problem(&record).await {
                Some(problem) => problem,
                None => ctx.process(&record).await,
            };
            stop.ended(&external_id);
            drop(p);
            guard.set(result.slot_state());
            drop(guard);
            send(&tx, line, Some(external_id), result).await;
        });
    }

    /// The rows put off, once the input is read: each sent after its parent, or, when the run
    /// was aborted, reported interrupted.
    pub async fn put_off(&self, deferred: PutOff, aborted: bool) {
        if !aborted {
            run_deferred(&self.ctx, &self.tx, &self.permits, &self.stop, deferred).await;
            return;
        }
        for (line, record) in deferred {
            let external_id = Some(record.external_id().to_owned());
            send(&self.tx, line, external_id, interrupted()).await;
        }
    }
}
