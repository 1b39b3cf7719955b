//! Echo's request and answer bodies, as it names them.

use serde::{Deserialize, Serialize};

/// The body of `PUT /customers/{external_id}`.
#[derive(Debug, Serialize)]
pub(crate) struct EchoCustomer<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<&'a str>,
}

/// The body of `PUT /payments/{external_id}`: the amount as exact decimal text.
#[derive(Debug, Serialize)]
pub(crate) struct EchoPayment<'a> {
    pub customer: &'a str,
    pub amount: String,
    pub currency: &'a str,
    pub paid_at: String,
}

/// A success answer.
#[derive(Debug, Deserialize)]
pub(crate) struct EchoAnswer {
    pub id: String,
}
