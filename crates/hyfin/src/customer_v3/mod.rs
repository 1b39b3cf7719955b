//! Hyfin's external-id customer API ([`HyfinCustomerApi::V3`](crate::HyfinCustomerApi::V3)):
//! `POST {base_url}/api/v3/site/{site_id}/customer/addUpdate` keyed by `external_id`, and
//! `GET {base_url}/api/v3.1/site/{site_id}/customer/{external_id}`.

mod client;
pub mod mapping;
pub mod wire;
