//! Which of Hyfin's customer APIs a client writes customers through.

use std::fmt;
use std::str::FromStr;

use billsync_core::Error;
use serde::{Deserialize, Serialize};

/// API version of the external-id customer upsert (Hyfin's 3.0 `customer/addUpdate`).
pub const CUSTOMER_V3_API_VERSION: &str = "v3";
/// API version of the customer read keyed by `external_id` (Hyfin's 3.1 `GET customer/{external_id}`).
pub const CUSTOMER_LOOKUP_API_VERSION: &str = "v3.1";

/// One of Hyfin's customer APIs, named by the version that Hyfin's documentation gives it.
///
/// The trade-off is field coverage against crash safety:
///
/// - [`HyfinCustomerApi::V4`] (the default, as in the seed documents) carries the most of a
///   canonical customer: display name, inline billing address, several contacts, a parent
///   customer, `deleted`. Hyfin keys it by its own `_id` only, so billsync must remember that id
///   (an [`IdMap`](billsync_core::IdMap)); a create whose answer is lost cannot be retried
///   without risking a duplicate and ends as `outcome_unknown`.
/// - [`HyfinCustomerApi::V3`] is keyed by the caller's `external_id`: sending the same customer
///   twice updates it. Every create is retried safely on 5xx answers and timeouts, no id map is
///   needed, and a lost state file creates no duplicate. It carries fewer fields: first and last
///   name, account name, one email, one mobile phone, notes and `active`; no address, no
///   further contacts, no parent.
///
/// The crate documentation lists which canonical field each carries or drops. In configuration
/// files and JSON it is written `"v4"` or `"v3"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HyfinCustomerApi {
    /// Hyfin's 4.0 customer API: `POST {base_url}/api/v4/site/{site_id}/customer/addUpdate`,
    /// keyed by Hyfin's `_id`.
    #[default]
    V4,
    /// Hyfin's 3.0 customer API: `POST {base_url}/api/v3/site/{site_id}/customer/addUpdate`,
    /// keyed by `external_id`; read back with 3.1's
    /// `GET {base_url}/api/v3.1/site/{site_id}/customer/{external_id}`.
    V3,
}

impl HyfinCustomerApi {
    /// Every API, in the order they are listed in messages.
    pub const ALL: [HyfinCustomerApi; 2] = [HyfinCustomerApi::V4, HyfinCustomerApi::V3];

    /// The name used in configuration (`HYFIN_CUSTOMER_API`) and in Hyfin's paths: `v4`, `v3`.
    pub fn as_str(self) -> &'static str {
        match self {
            HyfinCustomerApi::V4 => crate::CUSTOMER_API_VERSION,
            HyfinCustomerApi::V3 => CUSTOMER_V3_API_VERSION,
        }
    }

    /// Whether Hyfin keys customers of this API by the caller's `external_id` (so that a create
    /// may be repeated without creating a second customer).
    pub fn is_keyed_by_external_id(self) -> bool {
        self == HyfinCustomerApi::V3
    }
}

impl fmt::Display for HyfinCustomerApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for HyfinCustomerApi {
    type Err = Error;

    /// Parses `v4` or `v3` (any case, surrounding spaces ignored); anything else is a config
    /// error naming the accepted values.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        HyfinCustomerApi::ALL
            .into_iter()
            .find(|api| api.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                Error::config(format!(
                    "`{wanted}` is not a Hyfin customer API; use `v4` or `v3`"
                ))
                .with_provider(crate::PROVIDER)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for api in HyfinCustomerApi::ALL {
            assert_eq!(api.to_string().parse::<HyfinCustomerApi>().unwrap(), api);
        }
        assert_eq!(
            " V3 ".parse::<HyfinCustomerApi>().unwrap(),
            HyfinCustomerApi::V3
        );
        let err = "v3.1".parse::<HyfinCustomerApi>().unwrap_err();
        assert_eq!(err.kind(), billsync_core::ErrorKind::Config);
        assert!(err.to_string().contains("use `v4` or `v3`"), "{err}");
        assert_eq!(HyfinCustomerApi::default(), HyfinCustomerApi::V4);
        for api in HyfinCustomerApi::ALL {
            let json = serde_json::to_string(&api).unwrap();
            assert_eq!(json, format!("\"{api}\""));
            assert_eq!(
                serde_json::from_str::<HyfinCustomerApi>(&json).unwrap(),
                api
            );
        }
    }
}
