//! The log: a `tracing` subscriber on standard error, so the library's spans (one per upsert,
//! one per HTTP attempt) reach the operator. Spans and events carry no body and no secret.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::args::LogFormat;

/// The filter: `-q` errors only, `-v` info, `-vv` debug, `-vvv` trace; without either, `RUST_LOG`
/// when set (an invalid one is reported and ignored); warnings otherwise.
fn filter(verbose: u8, quiet: bool) -> (EnvFilter, Option<String>) {
    let level = match (quiet, verbose) {
        (true, _) => Some("error"),
        (false, 0) => None,
        (false, 1) => Some("info"),
        (false, 2) => Some("debug"),
        (false, _) => Some("trace"),
    };
    if let Some(level) = level {
        return (EnvFilter::new(level), None);
    }
    match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => match EnvFilter::try_new(&spec) {
            Ok(f) => (f, None),
            Err(e) => (
                EnvFilter::new("warn"),
                Some(format!(
                    "RUST_LOG is not a valid filter ({e}); logging warnings"
                )),
            ),
        },
        _ => (EnvFilter::new("warn"), None),
    }
}

/// Installs the subscriber for the whole process.
pub fn install(verbose: u8, quiet: bool, format: LogFormat) {
    let (filter, problem) = filter(verbose, quiet);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true);
    let installed = match format {
        LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
        LogFormat::Json => builder.json().with_ansi(false).try_init(),
    };
    if installed.is_ok()
        && let Some(problem) = problem
    {
        tracing::warn!("{problem}");
    }
}
