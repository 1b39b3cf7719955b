//! The bodies of Hyfin's external-id customer API, named as Hyfin's 3.0 and 3.1 documentation
//! names them (`en/3.0/addUpdateCustomer`, `en/3.1/getCustomer`).

use billsync_core::chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Body of `POST /api/v3/site/{site_id}/customer/addUpdate`: a customer keyed by
/// `external_id` (the same value updates the record, another adds one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HyfinV3CustomerRequest<'a> {
    /// The customer's id in the source system: the upsert key.
    pub external_id: &'a str,
    /// Given name (required by Hyfin).
    pub first_name: &'a str,
    /// Family name (required by Hyfin).
    pub last_name: &'a str,
    /// An extra identifier for a business customer (a company name or an address).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<&'a str>,
    /// Mobile phone, used to send payment requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<&'a str>,
    /// Email, used to send payment requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    /// Merchant-only notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<&'a str>,
    /// Whether the customer is active and available to be used (Hyfin's default is `true`);
    /// sent only when the record gives a status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Whether Hyfin texts and emails the customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification_options: Option<HyfinNotificationOptions>,
}

/// A customer's preferences for notifications by text message and email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HyfinNotificationOptions {
    /// Text messages to `mobile_phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_phone: Option<bool>,
    /// Emails to `email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_email: Option<bool>,
}

/// Answer of `GET /api/v3.1/site/{site_id}/customer/{external_id}`: the customer as Hyfin
/// stores it. Every field is optional so that a sparse answer still reads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct HyfinV3Customer {
    /// Hyfin's own id of the customer.
    #[serde(rename = "_id", default)]
    pub id: Option<String>,
    /// The customer's id in the source system.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Given name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Account name (`null` when none).
    #[serde(default)]
    pub account_name: Option<String>,
    /// Mobile phone as Hyfin stores it (Hyfin's sample shows it normalized to digits).
    #[serde(default)]
    pub mobile_phone: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Merchant-only notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Whether the customer is active (absent in Hyfin's sample answer: `true` by default).
    #[serde(default)]
    pub active: Option<bool>,
    /// Notification preferences.
    #[serde(default)]
    pub notification_options: Option<HyfinNotificationOptions>,
    /// When the customer was created at Hyfin.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When the customer was last updated at Hyfin.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hyfin's own sample answer of `en/3.1/getCustomer`.
    #[test]
    fn hyfin_sample_answer_reads() {
        let sample = r#"{
          "_id": "6839e415564d3cc2160d945e",
          "external_id": "39772634",
          "first_name": "John",
          "last_name": "Doe",
          "account_name": null,
          "mobile_phone": "12223334444",
          "email": "johndoe@abc.com",
          "notification_options": { "notify_phone": true, "notify_email": false },
          "created_at": "2025-05-30T19:19:44.143Z",
          "updated_at": "2025-05-30T19:19:44.143Z"
        }"#;
        let c: HyfinV3Customer = serde_json::from_str(sample).unwrap();
        assert_eq!(c.id.as_deref(), Some("6839e415564d3cc2160d945e"));
        assert_eq!(c.external_id.as_deref(), Some("39772634"));
        assert_eq!(c.account_name, None);
        assert_eq!(c.mobile_phone.as_deref(), Some("12223334444"));
        assert_eq!(
            c.notification_options,
            Some(HyfinNotificationOptions {
                notify_phone: Some(true),
                notify_email: Some(false)
            })
        );
        assert_eq!(
            c.created_at.map(|t| t.to_rfc3339()),
            Some("2025-05-30T19:19:44.143+00:00".to_owned())
        );
        assert_eq!(c.active, None);
    }
}
