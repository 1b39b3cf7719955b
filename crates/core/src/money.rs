//! Exact money: reading amounts without floating point, and writing them to the wire as JSON
//! numbers whose text is the exact decimal.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserializer, Serialize, Serializer, de};

/// A decimal amount as it goes on the wire: a JSON *number* whose digits are exactly the
/// decimal's, with a fixed number of decimal places (`35.10`, never `35.099999`).
///
/// Providers document amounts as JSON numbers; serializing through `f64` would be inexact for
/// large amounts and would drop trailing zeros. This type writes the digits verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireAmount(Decimal);

impl WireAmount {
    /// The amount with exactly `scale` decimal places (`35.1` at scale 2 is `35.10`).
    ///
    /// The canonical validation has already refused amounts with more places than the
    /// currency's minor unit, so this only ever adds zeros.
    pub fn with_scale(amount: Decimal, scale: u32) -> Self {
        let mut d = amount;
        d.rescale(scale);
        WireAmount(d)
    }

    /// The decimal value.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl Serialize for WireAmount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let raw = serde_json::value::RawValue::from_string(self.0.to_string())
            .map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }
}

struct DecimalVisitor;

impl de::Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal amount as a number or a string, e.g. 35.15 or \"35.15\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        let v = v.trim();
        v.parse::<Decimal>()
            .or_else(|_| Decimal::from_scientific(v))
            .map_err(|_| E::custom(format!("`{v}` is not a decimal amount")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        // A JSON number reaches us as the shortest f64 that reads back to the same text, so its
        // `Display` is the digits that were written (up to 15-17 significant digits; write
        // longer amounts as strings).
        if !v.is_finite() {
            return Err(E::custom("an amount must be a finite number"));
        }
        self.visit_str(&v.to_string())
    }
}

/// `serde(with)` module for a `Decimal` read exactly from a number or string and written as a
/// string (`"35.15"`), so files of records round-trip without loss.
pub mod decimal {
    use super::*;

    /// Writes the decimal as a string.
    pub fn serialize<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    /// Reads the decimal from a number or a string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }
}

/// `serde(with)` module for an optional `Decimal`, like [`decimal`].
pub mod opt_decimal {
    use super::*;

    /// Writes the decimal as a string, or null.
    pub fn serialize<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    /// Reads the decimal from a number, a string or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        struct OptVisitor;
        impl<'de> de::Visitor<'de> for OptVisitor {
            type Value = Option<Decimal>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal amount or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(DecimalVisitor).map(Some)
            }
        }
        d.deserialize_option(OptVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Amount {
        #[serde(with = "decimal")]
        v: Decimal,
    }

    #[test]
    fn reads_numbers_and_strings_exactly() {
        for (json, want) in [
            (r#"{"v": 35.15}"#, "35.15"),
            (r#"{"v": "35.15"}"#, "35.15"),
            (r#"{"v": 0.1}"#, "0.1"),
            (r#"{"v": 12}"#, "12"),
            (r#"{"v": "123456789012345678.99"}"#, "123456789012345678.99"),
        ] {
            let a: Amount = serde_json::from_str(json).unwrap();
            assert_eq!(a.v.to_string(), want, "{json}");
        }
        assert!(serde_json::from_str::<Amount>(r#"{"v": "12,50"}"#).is_err());
    }

    #[test]
    fn wire_amount_is_an_exact_json_number() {
        let bytes = serde_json::to_vec(&WireAmount::with_scale(Decimal::new(351, 1), 2)).unwrap();
        assert_eq!(bytes, b"35.10");
        let big = WireAmount::with_scale("123456789012345678.99".parse().unwrap(), 2);
        assert_eq!(
            serde_json::to_string(&big).unwrap(),
            "123456789012345678.99"
        );
    }
}
