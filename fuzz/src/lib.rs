//! Fuzzing billsync's decoders on the stable toolchain.
//!
//! No coverage instrumentation is available on stable Rust, so this is a mutation loop guided by
//! outcomes: each target decodes an input and renders what it made of it; an input whose outcome
//! was not seen before joins the corpus and is mutated further. Mutations are byte-level (flips,
//! inserts, deletions, splices, dictionary tokens taken from the seeds) and, for JSON, structural
//! (a value replaced by another type, an edge number, a long or odd string, a key removed or
//! added). Every execution runs under `catch_unwind`: a panic is counted, and its input saved.
#![deny(missing_docs)]

pub mod mutate;
pub mod runner;
pub mod seeds;
pub mod targets;
