//! Payabli's own request and response bodies, named and cased as Payabli names them. The
//! request borrows from the canonical record it was mapped from.

use std::collections::BTreeMap;

use billsync_core::money::WireAmount;
use serde::{Deserialize, Serialize};

/// Body of `POST /Customer/single/{entry}` and `PUT /Customer/{customerId}` (`CustomerData`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PayabliCustomerData<'a> {
    /// The caller's own id of the customer (≤ 250).
    pub customer_number: &'a str,
    /// Portal user name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_username: Option<&'a str>,
    /// Portal password (a secret: redacted when a request is rendered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_psw: Option<&'a str>,
    /// -99 deleted, 0 inactive, 1 active, 85 locked.
    pub customer_status: i32,
    /// Company name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<&'a str>,
    /// First name.
    #[serde(rename = "firstname", skip_serializing_if = "Option::is_none")]
    pub first_name: Option<&'a str>,
    /// Last name.
    #[serde(rename = "lastname", skip_serializing_if = "Option::is_none")]
    pub last_name: Option<&'a str>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<&'a str>,
    /// Email (≤ 320).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    /// Address line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<&'a str>,
    /// Additional address line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address1: Option<&'a str>,
    /// City.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<&'a str>,
    /// State.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<&'a str>,
    /// ZIP code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip: Option<&'a str>,
    /// ISO 3166-1 alpha-2 country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<&'a str>,
    /// Shipping address (≤ 250).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<&'a str>,
    /// Shipping address second line (≤ 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_address1: Option<&'a str>,
    /// Shipping city (≤ 250).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_city: Option<&'a str>,
    /// Shipping state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_state: Option<&'a str>,
    /// Shipping ZIP (≤ 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_zip: Option<&'a str>,
    /// Shipping country.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_country: Option<&'a str>,
    /// Balance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance: Option<WireAmount>,
    /// UTC offset in hours (-12..=12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<i8>,
    /// Custom fields.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub additional_fields: BTreeMap<&'a str, &'a str>,
    /// Fields acting as identifiers.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub identifier_fields: &'a [String],
    /// When the record was created, `YYYY-MM-DD HH:mm:ss` UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
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
