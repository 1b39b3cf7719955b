//! Rebilly: customers upserted by id (`PUT /customers/{id}`), created without one
//! (`POST /customers`), read and listed; transactions created with a `requestId` that
//! de-duplicates for 24 hours, read and listed.
//!
//! Every path is served both under `/organizations/{org}` and without it (the SDKs' default:
//! "the default organization will be used"), the latter in
//! [`SandboxConfig::rebilly_default_organization`](crate::SandboxConfig).

mod answers;
mod handlers;
mod query;
mod resource;
mod store;
mod transactions;
mod validation;

use std::collections::HashMap;

use axum::Router;
use axum::routing::{get, put};

pub(crate) use answers::{server_error, too_many, unauthorized};
pub(crate) use store::Store;

use crate::state::{Ctx, Shared};

/// The organization of a request: the path's `{org}`, else the default one.
pub(super) fn org_of(sh: &Shared, params: &HashMap<String, String>) -> String {
    params
        .get("org")
        .cloned()
        .unwrap_or_else(|| sh.config.rebilly_default_organization.clone())
}

/// One path parameter (empty when absent, which the routes rule out).
pub(super) fn param(params: &HashMap<String, String>, name: &str) -> String {
    params.get(name).cloned().unwrap_or_default()
}

/// The routes of one path prefix (`/organizations/{org}` or none).
fn routes(prefix: &str) -> Router<Ctx<Store>> {
    Router::new()
        .route(
            &format!("{prefix}/customers"),
            get(query::list_customers).post(handlers::post_customer),
        )
        .route(
            &format!("{prefix}/customers/"),
            get(query::list_customers).post(handlers::post_customer),
        )
        .route(
            &format!("{prefix}/customers/{{id}}"),
            put(handlers::put_customer).get(query::get_customer),
        )
        .route(
            &format!("{prefix}/transactions"),
            get(query::list_transactions).post(transactions::post_transaction),
        )
        .route(
            &format!("{prefix}/transactions/{{id}}"),
            get(query::get_transaction),
        )
}

/// Rebilly's routes (mounted under `/rebilly`).
pub(crate) fn router(ctx: Ctx<Store>) -> Router {
    routes("/organizations/{org}")
        .merge(routes(""))
        .fallback(answers::not_found)
        .with_state(ctx)
}
