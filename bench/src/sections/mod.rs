//! The sections of the report, each measuring one thing and adding its rows.

pub mod build;
pub mod crash;
pub mod http;
pub mod mapping;
pub mod memory;
