//! Which of its two published environments a provider's client points at.

use crate::{Error, Result};

/// Which of a provider's published environments a client's preset base URL points at, for
/// providers that publish a sandbox and a production API (Rebilly, Payabli). A base URL given
/// in the configuration overrides the preset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Environment {
    /// The provider's sandbox, for tests (the default: nothing reaches production unless asked).
    #[default]
    Sandbox,
    /// The provider's production API (Rebilly calls it "live").
    Production,
}

impl Environment {
    /// `sandbox` for [`Environment::Sandbox`], `production` for [`Environment::Production`]:
    /// e.g. the provider's preset base URLs.
    pub fn pick<T>(self, sandbox: T, production: T) -> T {
        match self {
            Environment::Sandbox => sandbox,
            Environment::Production => production,
        }
    }

    /// Parses `sandbox` or `production` (case-insensitive, `live` accepted too), the value of
    /// `provider`'s `environment` key; anything else is a configuration error naming the key,
    /// its environment variable and the value.
    pub fn parse(value: &str, provider: &'static str) -> Result<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "sandbox" => Ok(Environment::Sandbox),
            "production" | "live" => Ok(Environment::Production),
            other => Err(Error::config(format!(
                "environment `{other}` ({}_ENVIRONMENT) is neither `sandbox` nor `production` (or `live`)",
                provider.to_ascii_uppercase()
            ))
            .with_provider(provider)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_names_of_production_and_names_the_variable_otherwise() {
        assert_eq!(
            Environment::parse(" LIVE ", "x").unwrap(),
            Environment::Production
        );
        assert_eq!(
            Environment::parse("production", "x").unwrap(),
            Environment::Production
        );
        assert_eq!(
            Environment::parse("Sandbox", "x").unwrap(),
            Environment::Sandbox
        );
        let err = Environment::parse("prod", "payabli").unwrap_err();
        assert!(
            err.to_string().contains("`prod` (PAYABLI_ENVIRONMENT)"),
            "{err}"
        );
        assert_eq!(Environment::Production.pick(1, 2), 2);
        assert_eq!(Environment::default().pick(1, 2), 1);
    }
}
