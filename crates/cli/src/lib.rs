//! The library side of the `billsync` binary: its command line, and the reader of JSON Lines and
//! CSV files of canonical records with what it needs (CSV columns, capped report rows).
//!
//! It is public so that fuzz targets and tests can reach the record decoder
//! ([`input::Records::from_reader`]); it is not a stable API. Use the `billsync` binary, or the
//! `billsync` crate from a program.
#![deny(missing_docs)]

pub mod args;
pub mod columns;
pub mod input;
pub mod report;
