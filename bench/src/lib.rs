//! Benchmark support for billsync: the inputs every benchmark shares, the sandbox in a child
//! process, billsync and a hand-written loop side by side, and the report's sections.
//!
//! `cargo xtask bench` runs the criterion benchmarks in `benches/` and the `bench-report`
//! binary, which writes one table to `<target>/bench/report.md` and `docs/benchmarks.md`.

pub mod cpu;
pub mod fixtures;
pub mod generate;
pub mod hand;
pub mod load;
pub mod machine;
pub mod paths;
pub mod sandbox;
pub mod sections;
pub mod side_by_side;
pub mod table;
pub mod target;

use billsync::{Customer, Payment};

/// The customer fixtures a provider accepts (those it must reject are left out: a benchmark of
/// the happy path).
pub fn accepted_customers(accepts: impl Fn(&Customer) -> bool) -> Vec<Customer> {
    billsync_tests::customers()
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| accepts(c))
        .collect()
}

/// The payment fixtures a provider accepts.
pub fn accepted_payments(accepts: impl Fn(&Payment) -> bool) -> Vec<Payment> {
    billsync_tests::payments()
        .into_iter()
        .map(|(_, p)| p)
        .filter(|p| accepts(p))
        .collect()
}
