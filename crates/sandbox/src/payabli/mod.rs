//! Payabli: customers created in an entrypoint (`POST /Customer/single/{entry}`), read,
//! updated and deleted by their numeric id, and listed per entrypoint or organization with
//! `field(op)=value` filters.
//!
//! Answers use Payabli's envelope `{isSuccess, responseCode, responseText, responseData,
//! pageIdentifier}`; `GET /Customer/{id}` answers the bare record and the queries answer
//! `{Summary, Records}`.

mod answers;
mod customer;
mod filter;
mod handlers;
mod query;
mod store;
mod validation;

use axum::Router;
use axum::routing::{get, post};

pub(crate) use answers::{server_error, too_many, unauthorized};
pub(crate) use store::Store;

use crate::state::Ctx;

/// Payabli's routes (mounted under `/payabli/api`).
pub(crate) fn router(ctx: Ctx<Store>) -> Router {
    Router::new()
        .route("/Customer/single/{entry}", post(handlers::create_customer))
        .route(
            "/Customer/{id}",
            get(query::get_customer)
                .put(handlers::update_customer)
                .delete(handlers::delete_customer),
        )
        .route("/Query/customers/org/{org}", get(query::query_org))
        .route("/Query/customers/{entry}", get(query::query_entry))
        .fallback(answers::not_found)
        .with_state(ctx)
}
