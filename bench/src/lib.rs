//! Benchmark support for billsync: the inputs every benchmark shares.
//!
//! `cargo xtask bench` runs the criterion benchmarks in `benches/` and the report binary, and
//! writes one table to `target/bench/report.md`.

pub mod cpu;
pub mod generate;
pub mod load;
pub mod table;

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
