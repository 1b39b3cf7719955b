use serde::{Deserialize, Serialize};

use crate::Validator;

/// A postal address. `country` is an ISO 3166-1 alpha-2 code (`US`, `GB`, `FR`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// First street line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line1: Option<String>,
    /// Second street line (suite, floor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    /// City or locality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State, province or region; a state code (`FL`) where the country has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Postal or ZIP code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code, upper case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Address {
    /// An address from its street line, city, region, postal code and country.
    pub fn new(
        line1: impl Into<String>,
        city: impl Into<String>,
        region: impl Into<String>,
        postal_code: impl Into<String>,
        country: impl Into<String>,
    ) -> Self {
        Address {
            line1: Some(line1.into()),
            line2: None,
            city: Some(city.into()),
            region: Some(region.into()),
            postal_code: Some(postal_code.into()),
            country: Some(country.into()),
        }
    }

    /// Sets the second street line.
    pub fn with_line2(mut self, line2: impl Into<String>) -> Self {
        self.line2 = Some(line2.into());
        self
    }

    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        self == &Address::default()
    }

    /// Checks the address; problems are reported under `prefix.0.prefix.1.<field>` (empty parts
    /// left out), a path only rendered when there is a problem.
    pub(crate) fn validate_into(&self, v: &mut Validator, prefix: (&str, &str)) {
        let (path, within) = prefix;
        if let Some(country) = &self.country
            && !super::is_iso3166_alpha2(country)
        {
            v.push(
                (path, within, "country"),
                format!("`{country}` is not an ISO 3166-1 alpha-2 country code (e.g. `US`)"),
            );
        }
        // Field by field rather than over an array of them: this runs for every address.
        let mut not_blank = |name: &str, value: &Option<String>| {
            v.not_blank((path, within, name), value.as_deref())
        };
        not_blank("line1", &self.line1);
        not_blank("line2", &self.line2);
        not_blank("city", &self.city);
        not_blank("region", &self.region);
        not_blank("postal_code", &self.postal_code);
    }
}
