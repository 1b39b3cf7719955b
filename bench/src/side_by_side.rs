//! billsync and the hand-written loop side by side, path by path: alternating rounds of fresh
//! records against one sandbox, so that both see the same machine load.

use std::cell::Cell;

use billsync::reqwest;
use billsync_sandbox::Stats;

use crate::hand::HandBatch;
use crate::load::{self, Run};
use crate::paths::{Clients, Path, Records};
use crate::sandbox::SandboxProcess;

/// One path at one number of requests in flight, both sides.
#[derive(Debug, Clone)]
pub struct PathResult {
    /// The path.
    pub path: Path,
    /// Upserts in flight.
    pub in_flight: usize,
    /// billsync's runs, added up.
    pub billsync: Run,
    /// The hand-written loop's runs, added up.
    pub hand: Run,
    /// billsync / hand-written CPU per HTTP request, round by round.
    pub rounds: Vec<f64>,
}

impl PathResult {
    /// billsync / hand-written CPU per HTTP request over all rounds.
    pub fn ratio_per_request(&self) -> f64 {
        self.billsync.cpu_us_per_request() / self.hand.cpu_us_per_request().max(1e-9)
    }

    /// The median of the round ratios (the figure the CI guard checks: one disturbed round
    /// cannot move it).
    pub fn median_round_ratio(&self) -> f64 {
        let mut r = self.rounds.clone();
        r.sort_by(f64::total_cmp);
        match r.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => r[n / 2],
            n => (r[n / 2 - 1] + r[n / 2]) / 2.0,
        }
    }

    /// Whether every record of both sides was upserted, with the requests the path plans.
    pub fn all_succeeded(&self) -> bool {
        self.billsync.failed == 0 && self.hand.failed == 0
    }
}

/// Which sides a measurement runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sides {
    /// billsync against the hand-written loop.
    Both,
    /// The hand-written loop in both places (billsync's among them): the noise floor, what the
    /// ratio of two identical sides comes to on this machine.
    HandTwice,
}

/// Runs paths against one sandbox with billsync's clients and the hand-written loop's client.
pub struct Runner<'s> {
    sandbox: &'s SandboxProcess,
    clients: Clients,
    http: reqwest::Client,
    next_record: Cell<usize>,
}

fn received(path: Path, before: &Stats, after: &Stats) -> u64 {
    let pick = |s: &Stats| match path {
        Path::HyfinCustomer | Path::HyfinCustomerContacts | Path::HyfinPayment => s.hyfin.requests,
        Path::RebillyCustomer | Path::RebillyPayment => s.rebilly.requests,
        Path::PayabliCustomerNew | Path::PayabliCustomerKnown => s.payabli.requests,
    };
    pick(after).saturating_sub(pick(before))
}

impl<'s> Runner<'s> {
    /// A runner against `sandbox`.
    pub fn new(sandbox: &'s SandboxProcess) -> Result<Self, String> {
        Ok(Runner {
            sandbox,
            clients: Clients::new(sandbox)?,
            http: reqwest::Client::new(),
            next_record: Cell::new(0),
        })
    }

    /// `n` records never used before; created first (outside any measurement) where the path
    /// needs it: a known Payabli customer exists and billsync remembers its id, a Rebilly
    /// payment's customer exists.
    pub async fn batch(&self, path: Path, n: usize) -> Result<Records, String> {
        let first = self.next_record.get();
        self.next_record.set(first + n);
        let records = Records::generate(path, first, n);
        let setup = match path {
            Path::PayabliCustomerKnown => Some((Path::PayabliCustomerNew, None)),
            Path::RebillyPayment => Some((
                Path::RebillyCustomer,
                Some(Records::generate(Path::RebillyCustomer, first, n)),
            )),
            _ => None,
        };
        if let Some((create, others)) = setup {
            let target = others.as_ref().unwrap_or(&records);
            let done = load::run(n, 16, |i| self.clients.upsert(create, target, i)).await;
            if done.failed > 0 {
                return Err(format!(
                    "{}: {} of {n} records could not be set up first",
                    path.label(),
                    done.failed
                ));
            }
        }
        Ok(records)
    }

    async fn counted<F>(&self, path: Path, run: F) -> Result<Run, String>
    where
        F: Future<Output = Run>,
    {
        let before = self.sandbox.stats(&self.http).await?;
        let mut result = run.await;
        let after = self.sandbox.stats(&self.http).await?;
        result.received = Some(received(path, &before, &after));
        Ok(result)
    }

    /// billsync's run of `records` along `path`, `in_flight` at a time, the requests counted
    /// by the sandbox.
    pub async fn billsync(
        &self,
        path: Path,
        records: &Records,
        in_flight: usize,
    ) -> Result<Run, String> {
        let n = records.len();
        self.counted(
            path,
            load::run(n, in_flight, |i| self.clients.upsert(path, records, i)),
        )
        .await
    }

    /// The hand-written loop's run of `records` along `path`, `in_flight` at a time, the
    /// requests counted by the sandbox.
    pub async fn hand(
        &self,
        path: Path,
        records: &Records,
        in_flight: usize,
    ) -> Result<Run, String> {
        let batch = HandBatch::build(&self.http, path, &self.clients, records)?;
        self.counted(
            path,
            load::run(batch.len(), in_flight, |i| batch.send_record(i)),
        )
        .await
    }

    /// The run in billsync's place: billsync's, or with [`Sides::HandTwice`] the hand-written
    /// loop's.
    async fn ours(
        &self,
        sides: Sides,
        path: Path,
        records: &Records,
        in_flight: usize,
    ) -> Result<Run, String> {
        match sides {
            Sides::Both => self.billsync(path, records, in_flight).await,
            Sides::HandTwice => self.hand(path, records, in_flight).await,
        }
    }

    /// Measures `path` at `in_flight`: a warm-up of each side, then `rounds` rounds of
    /// `records / rounds` fresh records per side, alternating which side goes first. With
    /// [`Sides::HandTwice`], the hand-written loop stands in for billsync.
    pub async fn measure(
        &self,
        path: Path,
        in_flight: usize,
        records: usize,
        rounds: usize,
        sides: Sides,
    ) -> Result<PathResult, String> {
        let rounds = rounds.max(1);
        let per_round = (records / rounds).max(1);
        let warm = per_round.clamp(1, 200);
        let w = self.batch(path, warm).await?;
        self.ours(sides, path, &w, in_flight).await?;
        let w = self.batch(path, warm).await?;
        self.hand(path, &w, in_flight).await?;

        let mut result = PathResult {
            path,
            in_flight,
            billsync: Run::default(),
            hand: Run::default(),
            rounds: Vec::with_capacity(rounds),
        };
        result.billsync.received = Some(0);
        result.hand.received = Some(0);
        for round in 0..rounds {
            let mine = self.batch(path, per_round).await?;
            let theirs = self.batch(path, per_round).await?;
            let (b, h) = if round % 2 == 0 {
                let b = self.ours(sides, path, &mine, in_flight).await?;
                (b, self.hand(path, &theirs, in_flight).await?)
            } else {
                let h = self.hand(path, &theirs, in_flight).await?;
                (self.ours(sides, path, &mine, in_flight).await?, h)
            };
            result
                .rounds
                .push(b.cpu_us_per_request() / h.cpu_us_per_request().max(1e-9));
            result.billsync.add(&b);
            result.hand.add(&h);
        }
        Ok(result)
    }
}
