//! Exact money: reading amounts from their decimal text, never through floating point, and
//! writing them to the wire as JSON numbers whose text is the exact decimal.
//!
//! # Reading
//! [`decimal`] and [`opt_decimal`] read an amount written as a JSON number (`35.15`) or a string
//! (`"35.15"`, the form CSV cells take). From JSON, the number is read from its own text through
//! serde_json's raw-value protocol (the `raw_value` feature, which billsync enables), so
//! `123456789012345.67` stays exactly that: no `f64` is on the path, and no global serde_json
//! feature (`arbitrary_precision`) is imposed on the programs that use billsync. An amount with
//! more digits than a [`Decimal`] holds (28 significant digits) is an error, never rounded.
//! Formats other than JSON that hand over binary floats are refused: write amounts there as
//! strings.
//!
//! # Writing
//! [`WireAmount`] writes the digits verbatim. It never rounds: a provider crate checks first, with
//! [`check_places`], that an amount has no more decimal places than the provider holds, and
//! refuses the record naming the field otherwise.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Unexpected};
use serde::{Serialize, Serializer};

use crate::validate::{FieldPath, Validator};

/// serde_json's name for a raw value: a deserializer from serde_json asked for a newtype struct
/// of this name hands over the exact JSON text of the value (feature `raw_value`). The
/// `json_numbers_are_read_from_their_text` test fails if serde_json ever changes it.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// The most decimal places a [`Decimal`] holds.
const MAX_SCALE: u32 = 28;

/// A decimal amount as it goes on the wire: a JSON *number* whose digits are exactly the
/// decimal's, with at least a fixed number of decimal places (`35.10`, never `35.099999`).
///
/// Providers document amounts as JSON numbers; serializing through `f64` would be inexact for
/// large amounts and would drop trailing zeros. This type writes the digits verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireAmount(Decimal);

impl WireAmount {
    /// The amount with at least `scale` decimal places: `35.1` at scale 2 is `35.10`, `35.100` is
    /// `35.10` too (trailing zeros are not digits of the value).
    ///
    /// Never rounds: an amount with more significant places than `scale` keeps them all, so a
    /// provider crate refuses such an amount first ([`check_places`]). Zero is written unsigned.
    pub fn with_scale(amount: Decimal, scale: u32) -> Self {
        let mut d = amount.normalize();
        if d.scale() < scale {
            d.rescale(scale);
        }
        if d.is_zero() {
            d.set_sign_positive(true);
        }
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

/// The decimal places that carry value: `10.125` has 3, `10.50` has 1, `10` has 0.
pub fn decimal_places(amount: Decimal) -> u32 {
    amount.normalize().scale()
}

/// Records a problem at `path` when `amount` has more decimal places than `holder` (a provider,
/// or a currency) can hold: the record is refused, nothing is rounded.
pub fn check_places(
    v: &mut Validator,
    path: impl FieldPath,
    amount: Decimal,
    max_places: u32,
    holder: &str,
) {
    let places = decimal_places(amount);
    if places > max_places {
        v.push(
            path,
            format!(
                "{amount} has {places} decimal places and {holder} holds {max_places}; \
                 billsync does not round amounts"
            ),
        );
    }
}

/// Reads a decimal from its text exactly: `35.15`, `-0.5`, `007`, `1.5e3`, `12E-2`. Spaces
/// around it are ignored; thousands separators, `_`, a decimal comma, `NaN` and infinities are
/// refused, and so is a value a [`Decimal`] cannot hold exactly.
pub fn parse_exact(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let bad = || format!("`{text}` is not a decimal amount (e.g. 35.15)");
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => {
            let exp = &unsigned[at + 1..];
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            // Longer exponents cannot give a value a Decimal holds; the cap keeps the sums small.
            let exp: i64 = if digits.len() > 4 {
                return Err(too_large(text));
            } else {
                exp.parse().map_err(|_| bad())?
            };
            (&unsigned[..at], exp)
        }
        None => (unsigned, 0),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) if !f.is_empty() => (i, f),
        Some(_) => return Err(bad()),
        None => (mantissa, ""),
    };
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits_only(int) || !digits_only(frac) {
        return Err(bad());
    }
    let mut digits: String = format!("{int}{frac}").trim_start_matches('0').to_owned();
    let mut scale = frac.len() as i64 - exponent;
    if digits.is_empty() {
        // Zero, however it is written.
        scale = scale.clamp(0, i64::from(MAX_SCALE));
    } else if scale < 0 {
        digits.extend(std::iter::repeat_n('0', scale.unsigned_abs() as usize));
        scale = 0;
    }
    // Trailing zeros past the places a Decimal holds carry no value: drop them.
    while scale > i64::from(MAX_SCALE) && digits.ends_with('0') {
        digits.pop();
        scale -= 1;
    }
    if scale > i64::from(MAX_SCALE) {
        return Err(format!(
            "`{text}` has more than {MAX_SCALE} decimal places; billsync does not round amounts"
        ));
    }
    let mantissa: i128 = if digits.is_empty() {
        0
    } else if digits.len() > 29 {
        return Err(too_large(text));
    } else {
        digits.parse().map_err(|_| too_large(text))?
    };
    let signed = if negative { -mantissa } else { mantissa };
    // `scale` is within 0..=28 here.
    Decimal::try_from_i128_with_scale(signed, scale as u32).map_err(|_| too_large(text))
}

fn too_large(text: &str) -> String {
    format!("`{text}` has more significant digits than an exact decimal holds (28)")
}

/// Reads an amount (or `null`, when `optional`) from any serde format, exactly.
struct AmountVisitor {
    optional: bool,
}

impl AmountVisitor {
    /// The value from its JSON text (serde_json's raw-value protocol).
    fn read_json_text<E: de::Error>(&self, raw: &str) -> Result<Option<Decimal>, E> {
        let raw = raw.trim();
        match raw.as_bytes().first() {
            Some(b'"') => {
                let text: String = serde_json::from_str(raw).map_err(E::custom)?;
                parse_exact(&text).map(Some).map_err(E::custom)
            }
            Some(b'-' | b'0'..=b'9') => parse_exact(raw).map(Some).map_err(E::custom),
            _ if raw == "null" => self.null(),
            _ => Err(E::custom(format!(
                "expected {}, found `{}`",
                &Expecting(self.optional) as &dyn de::Expected,
                raw.chars().take(40).collect::<String>()
            ))),
        }
    }

    fn null<E: de::Error>(&self) -> Result<Option<Decimal>, E> {
        if self.optional {
            Ok(None)
        } else {
            Err(E::invalid_type(Unexpected::Unit, &Expecting(false)))
        }
    }
}

struct Expecting(bool);

impl de::Expected for Expecting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal amount as a number or a string, e.g. 35.15 or \"35.15\"")?;
        if self.0 {
            f.write_str(", or null")
        } else {
            Ok(())
        }
    }
}

impl<'de> de::Visitor<'de> for AmountVisitor {
    type Value = Option<Decimal>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        de::Expected::fmt(&Expecting(self.optional), f)
    }

    /// serde_json hands a raw value over as a one-entry map: the token, then the JSON text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == RAW_VALUE_TOKEN => {
                let raw: String = map.next_value()?;
                self.read_json_text(&raw)
            }
            _ => Err(de::Error::invalid_type(Unexpected::Map, &self)),
        }
    }

    /// Other formats: whatever value they have.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        parse_exact(v).map(Some).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(E::custom(
            "this format gave the amount as a binary floating-point number, which cannot be \
             read exactly; write it as a string (\"35.15\")",
        ))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.null()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.null()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_newtype_struct(RAW_VALUE_TOKEN, self)
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

    /// Reads the decimal from a number or a string, from its text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_newtype_struct(RAW_VALUE_TOKEN, AmountVisitor { optional: false })?
            .ok_or_else(|| de::Error::invalid_type(Unexpected::Unit, &Expecting(false)))
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

    /// Reads the decimal from a number, a string or null, from its text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_option(AmountVisitor { optional: true })
    }
}

#[cfg(test)]
mod tests;
