//! `billsync providers`: the enabled providers, as each describes itself.

use billsync::{KeyRole, RATE_LIMIT_KEY};

use crate::args::ProviderName;

/// Prints every enabled provider with its configuration keys (environment variable, whether
/// required or secret, what it means) and its documented request limits.
pub fn print() {
    for name in ProviderName::all() {
        let factory = name.factory();
        crate::stdout::say!("{}", factory.name());
        crate::stdout::say!("  request limits: {}", factory.documented_limits());
        for key in factory.keys().iter().chain([&RATE_LIMIT_KEY]) {
            let mut notes = Vec::new();
            if key.required {
                notes.push("required");
            }
            if key.role == KeyRole::Secret {
                notes.push("secret");
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join(", "))
            };
            crate::stdout::say!("  {:<34} {}{notes}: {}", key.env, key.name, key.help);
        }
        crate::stdout::say!("");
    }
}
