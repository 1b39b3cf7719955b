//! Payabli's answers: the envelope `{isSuccess, responseCode, responseText, responseData,
//! pageIdentifier}`, error envelopes with `responseData{explanation, todoAction}`, and the
//! plain-text 409 of a reused `idempotencyKey`.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::Store;
use super::validation::Problems;
use crate::config::Provider;
use crate::state::{Ctx, Shared};
use crate::stats::Count;
use crate::util::json;

pub(super) const P: Provider = Provider::Payabli;

/// `responseCode` of a success.
pub(super) const CODE_OK: i64 = 1;
/// `responseCode` Payabli's catalogue gives technical errors; used for the answers the
/// catalogue has no code for (auth, conflicts, not found, faults).
pub(super) const CODE_ERROR: i64 = 3;
/// `responseCode`: invalid entrypoint.
pub(super) const CODE_ENTRY: i64 = 3001;
/// `responseCode`: invalid parameter.
pub(super) const CODE_PARAM: i64 = 3003;
/// `responseCode`: invalid TimeZone.
pub(super) const CODE_TIMEZONE: i64 = 3004;

pub(super) fn envelope(
    status: StatusCode,
    ok: bool,
    code: i64,
    text: &str,
    data: Value,
) -> Response {
    json(
        status,
        &json!({
            "isSuccess": ok,
            "responseCode": code,
            "responseText": text,
            "responseData": data,
            "pageIdentifier": null,
        }),
    )
}

pub(super) fn failure(
    status: StatusCode,
    code: i64,
    text: &str,
    explanation: &str,
    todo: &str,
) -> Response {
    envelope(
        status,
        false,
        code,
        text,
        json!({ "explanation": explanation, "todoAction": todo }),
    )
}

pub(super) fn reject(
    sh: &Shared,
    status: StatusCode,
    code: i64,
    text: &str,
    explanation: &str,
    todo: &str,
) -> Response {
    sh.count(P, Count::Rejected);
    failure(status, code, text, explanation, todo)
}

pub(super) fn malformed(sh: &Shared, message: &str) -> Response {
    reject(
        sh,
        StatusCode::BAD_REQUEST,
        CODE_PARAM,
        "Invalid request body",
        message,
        "Send the customer as a JSON object.",
    )
}

pub(super) fn customer_not_found(sh: &Shared, id: &str) -> Response {
    reject(
        sh,
        StatusCode::NOT_FOUND,
        CODE_ERROR,
        "Customer not found",
        &format!("No customer with id {id} exists."),
        "Check the customerId.",
    )
}

pub(super) async fn not_found(State(cx): State<Ctx<Store>>) -> Response {
    reject(
        &cx.sh,
        StatusCode::NOT_FOUND,
        CODE_ERROR,
        "Not found",
        "No such endpoint.",
        "Check the URL.",
    )
}

/// 401 envelope.
pub(crate) fn unauthorized() -> Response {
    failure(
        StatusCode::UNAUTHORIZED,
        CODE_ERROR,
        "Unauthorized",
        "The requestToken header is missing or is not a valid API token.",
        "Send a valid API token in the requestToken header.",
    )
}

/// 500 envelope (injected fault, or a write the data file could not take).
pub(crate) fn server_error() -> Response {
    failure(
        StatusCode::INTERNAL_SERVER_ERROR,
        CODE_ERROR,
        "Internal server error",
        "An unexpected error occurred.",
        "Try again later.",
    )
}

/// 429 envelope with `Retry-After` in seconds.
pub(crate) fn too_many(retry_after_secs: u64) -> Response {
    let mut r = failure(
        StatusCode::TOO_MANY_REQUESTS,
        CODE_ERROR,
        "Too many requests",
        "The API token exceeded its request limit.",
        "Wait and send the request again.",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    r
}

/// 400 for field problems (`responseCode` of the first one).
pub(super) fn invalid(sh: &Shared, problems: Problems) -> Response {
    let code = problems.first().map_or(CODE_PARAM, |(c, _)| *c);
    let text = if code == CODE_TIMEZONE {
        "Invalid TimeZone"
    } else {
        "Invalid parameter"
    };
    let explanation = problems
        .iter()
        .map(|(_, m)| m.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    reject(
        sh,
        StatusCode::BAD_REQUEST,
        code,
        text,
        &explanation,
        "Correct the fields named in the explanation and send the request again.",
    )
}

/// 409 for a reused `idempotencyKey`: plain text, as Payabli documents it.
pub(super) fn duplicated_key(sh: &Shared, key: &str) -> Response {
    sh.count(P, Count::Deduplicated);
    let mut r = Response::new(Body::from(format!("Duplicated idempotencyKey: {key}")));
    *r.status_mut() = StatusCode::CONFLICT;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}
