//! Payabli's own request and response bodies, named and cased as Payabli names them. The
//! request borrows from the canonical record it was mapped from.

use std::collections::BTreeMap;

use billsync_core::money::WireAmount;
use serde::{Deserialize, Serialize, Serializer};

/// A `CustomerData` field that an update can clear: left out, `null`, or a value.
///
/// Payabli's update changes only the fields sent, and a `null` clears one (its SDKs send
/// `"company": null` to clear the company). A create leaves out what the record does not have;
/// an update ([`PayabliCustomerData::for_update`]) sends `null` for it instead, so the record
/// stays the whole truth.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Nullable<T> {
    /// Not sent.
    #[default]
    Omitted,
    /// Sent as `null`: Payabli clears its value.
    Null,
    /// Sent as this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// True when the field is not sent.
    pub fn is_omitted(&self) -> bool {
        matches!(self, Nullable::Omitted)
    }

    /// The value, if any.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// `null` where the field was left out: what an update sends.
    pub fn or_null(self) -> Self {
        match self {
            Nullable::Omitted => Nullable::Null,
            other => other,
        }
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Nullable::Omitted, Nullable::Value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(s),
            Nullable::Omitted | Nullable::Null => s.serialize_none(),
        }
    }
}

/// Body of `POST /Customer/single/{entry}` and `PUT /Customer/{customerId}` (`CustomerData`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PayabliCustomerData<'a> {
    /// The caller's own id of the customer (≤ 250).
    pub customer_number: &'a str,
    /// Portal user name.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub customer_username: Nullable<&'a str>,
    /// Portal password (a secret: redacted when a request is rendered).
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub customer_psw: Nullable<&'a str>,
    /// -99 deleted, 0 inactive, 1 active, 85 locked; sent only when the record has a status
    /// (never cleared: without one, Payabli keeps its own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_status: Option<i32>,
    /// Company name.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub company: Nullable<&'a str>,
    /// First name.
    #[serde(rename = "firstname", skip_serializing_if = "Nullable::is_omitted")]
    pub first_name: Nullable<&'a str>,
    /// Last name.
    #[serde(rename = "lastname", skip_serializing_if = "Nullable::is_omitted")]
    pub last_name: Nullable<&'a str>,
    /// Phone.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub phone: Nullable<&'a str>,
    /// Email (≤ 320).
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub email: Nullable<&'a str>,
    /// Address line.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub address: Nullable<&'a str>,
    /// Additional address line.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub address1: Nullable<&'a str>,
    /// City.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub city: Nullable<&'a str>,
    /// State.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub state: Nullable<&'a str>,
    /// ZIP code.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub zip: Nullable<&'a str>,
    /// ISO 3166-1 alpha-2 country.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub country: Nullable<&'a str>,
    /// Shipping address (≤ 250).
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub shipping_address: Nullable<&'a str>,
    /// Shipping address second line (≤ 100).
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub shipping_address1: Nullable<&'a str>,
    /// Shipping city (≤ 250).
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub shipping_city: Nullable<&'a str>,
    /// Shipping state.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub shipping_state: Nullable<&'a str>,
    /// Shipping ZIP (≤ 50).
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub shipping_zip: Nullable<&'a str>,
    /// Shipping country.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub shipping_country: Nullable<&'a str>,
    /// Balance.
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub balance: Nullable<WireAmount>,
    /// UTC offset in hours (-12..=12).
    #[serde(skip_serializing_if = "Nullable::is_omitted")]
    pub time_zone: Nullable<i8>,
    /// Custom fields; Payabli merges them into the stored ones, and a `null` value removes one.
    /// (The record's own map, borrowed: written as it is, in the order of its names.)
    #[serde(skip_serializing_if = "no_fields")]
    pub additional_fields: &'a BTreeMap<String, Option<String>>,
    /// Fields acting as identifiers.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub identifier_fields: &'a [String],
    /// When the record was created, `YYYY-MM-DD HH:mm:ss` UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

/// True when there are no custom fields to send.
fn no_fields(fields: &&BTreeMap<String, Option<String>>) -> bool {
    fields.is_empty()
}

impl<'a> PayabliCustomerData<'a> {
    /// The body of an update (`PUT /Customer/{customerId}`): every field the record does not
    /// have is sent as `null`, so Payabli clears what it held. Not cleared: `customerStatus`
    /// (sent only when the record has a status), `createdAt` (Payabli keeps its creation time),
    /// custom fields the record does not list (give them as `null` to remove them), and
    /// `identifierFields` (configuration).
    pub fn for_update(&self) -> PayabliCustomerData<'a> {
        PayabliCustomerData {
            customer_username: self.customer_username.or_null(),
            customer_psw: self.customer_psw.or_null(),
            company: self.company.or_null(),
            first_name: self.first_name.or_null(),
            last_name: self.last_name.or_null(),
            phone: self.phone.or_null(),
            email: self.email.or_null(),
            address: self.address.or_null(),
            address1: self.address1.or_null(),
            city: self.city.or_null(),
            state: self.state.or_null(),
            zip: self.zip.or_null(),
            country: self.country.or_null(),
            shipping_address: self.shipping_address.or_null(),
            shipping_address1: self.shipping_address1.or_null(),
            shipping_city: self.shipping_city.or_null(),
            shipping_state: self.shipping_state.or_null(),
            shipping_zip: self.shipping_zip.or_null(),
            shipping_country: self.shipping_country.or_null(),
            balance: self.balance.or_null(),
            time_zone: self.time_zone.or_null(),
            ..self.clone()
        }
    }
}

/// Payabli's response envelope.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PayabliResponse {
    /// Whether the operation succeeded.
    #[serde(rename = "isSuccess", default)]
    pub is_success: Option<bool>,
    /// 1 on success; an error code otherwise.
    #[serde(rename = "responseCode", default)]
    pub response_code: Option<i64>,
    /// `Success`, `Declined` or a message.
    #[serde(rename = "responseText", default)]
    pub response_text: Option<String>,
    /// The record, a bare id, or error detail (`explanation`, `todoAction`).
    #[serde(rename = "responseData", default)]
    pub response_data: Option<serde_json::Value>,
}

impl PayabliResponse {
    /// The customer id in `responseData`: a record's `customerId`, or a bare number or string.
    #[cfg_attr(not(feature = "unstable"), allow(dead_code))] // for the bench
    pub fn customer_id(&self) -> Option<String> {
        match self.response_data.as_ref()? {
            serde_json::Value::Object(record) => record
                .get("customerId")
                .or_else(|| record.get("CustomerId"))
                .and_then(id_text),
            other => id_text(other),
        }
    }
}

/// The parts of a write's answer the client reads, borrowed from the body: the success flag and
/// `responseData` left as raw JSON (it echoes the whole record, which is not needed).
#[derive(Debug, Deserialize)]
pub(crate) struct PayabliWriteAnswer<'a> {
    #[serde(rename = "isSuccess", default)]
    pub is_success: Option<bool>,
    #[serde(rename = "responseData", default, borrow)]
    pub response_data: Option<&'a serde_json::value::RawValue>,
}

/// The ids of a record in `responseData`.
#[derive(Deserialize)]
struct RecordIds {
    #[serde(rename = "customerId", default)]
    lower: Option<serde_json::Value>,
    #[serde(rename = "CustomerId", default)]
    upper: Option<serde_json::Value>,
}

impl PayabliWriteAnswer<'_> {
    /// As [`PayabliResponse::customer_id`]: a record's `customerId`, or a bare number or string.
    pub fn customer_id(&self) -> Option<String> {
        let raw = self.response_data?.get();
        if raw.starts_with('{') {
            let ids: RecordIds = serde_json::from_str(raw).ok()?;
            match ids.lower {
                Some(id) => id_text(&id),
                None => ids.upper.as_ref().and_then(id_text),
            }
        } else {
            id_text(&serde_json::from_str(raw).ok()?)
        }
    }
}

/// An id that may come as a number or a string.
pub(crate) fn id_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// Answer of `GET /Query/customers/{entry}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PayabliQueryResponse {
    /// The customers found.
    #[serde(rename = "Records", default)]
    pub records: Vec<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_of(body: &str) -> Option<String> {
        serde_json::from_str::<PayabliWriteAnswer<'_>>(body)
            .unwrap()
            .customer_id()
    }

    #[test]
    fn write_answers_name_the_customer_as_the_full_envelope_does() {
        for body in [
            r#"{"isSuccess":true,"responseData":{"customerId":4012,"firstname":"Ada","customerNumber":"c-1"}}"#,
            r#"{"isSuccess":true,"responseData":{"CustomerId":"4012"}}"#,
            r#"{"isSuccess":true,"responseData":4012}"#,
            r#"{"isSuccess":true,"responseData":" 4012 "}"#,
            r#"{"isSuccess":true,"responseData":null}"#,
            r#"{"isSuccess":true}"#,
            r#"{"isSuccess":true,"responseData":{"customerId":null}}"#,
        ] {
            let full: PayabliResponse = serde_json::from_str(body).unwrap();
            assert_eq!(id_of(body), full.customer_id(), "{body}");
        }
        assert_eq!(
            id_of(r#"{"isSuccess":true,"responseData":{"customerId":4012}}"#).as_deref(),
            Some("4012")
        );
    }
}
