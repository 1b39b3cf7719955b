//! Hyfin: v4 customers and contacts keyed by Hyfin's `_id`, the external-id customer API
//! (v3 / v3.1 `customer/addUpdate` keyed by `external_id`, and the v3.1 `GET` by
//! `external_id`), and v3 payments upserted by `external_id`.
//!
//! Answers: `{"success":true,"action":"added"|"updated","_id":"<24 hex>"}` (200) or
//! `{"success":false,"errors":[...]}` with 400 (validation, unknown `_id`), 401 (auth),
//! 404 (GET of an unknown id, unknown path), 429 and 500.
//!
//! The "4.0s" docs give the external-id body the same path as v4
//! (`/api/v4/site/{site_id}/customer/addUpdate`), so a v4 `customer/addUpdate` whose body has
//! an `external_id` is taken as the 4.0s external-id upsert.

mod answers;
mod external;
mod handlers;
mod query;
mod store;
mod validation;

use axum::Router;
use axum::routing::{get, post};

pub(crate) use answers::{server_error, too_many, unauthorized};
pub(crate) use store::Store;

use crate::state::Ctx;

/// Hyfin's routes (mounted under `/hyfin`).
pub(crate) fn router(ctx: Ctx<Store>) -> Router {
    Router::new()
        .route(
            "/api/v4/site/{site}/customer/addUpdate",
            post(handlers::customer_add_update),
        )
        .route(
            "/api/v3/site/{site}/customer/addUpdate",
            post(external::add_update),
        )
        .route(
            "/api/v3.1/site/{site}/customer/addUpdate",
            post(external::add_update),
        )
        .route(
            "/api/v3.1/site/{site}/customer/{external_id}",
            get(query::get_external_customer),
        )
        .route(
            "/api/v4/site/{site}/contact/addUpdate",
            post(handlers::contact_add_update),
        )
        .route(
            "/api/v3/site/{site}/payment/addUpdate",
            post(handlers::payment_add_update),
        )
        .route(
            "/api/v4/site/{site}/customer/{id}",
            get(query::get_customer),
        )
        .route("/api/v4/site/{site}/contact/{id}", get(query::get_contact))
        .route("/api/v3/site/{site}/payment/{id}", get(query::get_payment))
        .fallback(answers::not_found)
        .with_state(ctx)
}
