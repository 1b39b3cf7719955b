//! Holding any provider behind one dynamic type.

use std::fmt::Debug;

use async_trait::async_trait;

use crate::{
    Account, Capabilities, Customer, Error, Payment, PreparedRequest, RateLimit, Result, Upsert,
    Upserted,
};

/// A provider client seen dynamically: what it supports and its upserts, if it has them.
///
/// The facade builds `Box<dyn Provider>` from configuration; code that holds one calls
/// [`Provider::upsert_customer`] or [`Provider::upsert_payment`] and gets an
/// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) error naming the provider for a
/// kind it does not support.
#[async_trait]
pub trait Provider: Send + Sync + Debug {
    /// The provider's name.
    fn name(&self) -> &'static str;

    /// The account this client writes to (never a secret): what everything remembered about
    /// its records is keyed by.
    fn account(&self) -> &Account;

    /// The request limit this client keeps to (every HTTP attempt counts), if any.
    fn rate_limit(&self) -> Option<&RateLimit>;

    /// What the provider supports.
    fn capabilities(&self) -> Capabilities;

    /// Before a bulk sync of `kind`: loads what the provider can list in bulk (its ids by
    /// external id) into the client's id map, so that each upsert then needs fewer requests
    /// (Payabli: no lookup before each create). Returns the HTTP requests it made; providers
    /// with nothing to gain do nothing and return 0.
    async fn warm_up(&self, kind: crate::RecordKind) -> Result<u32> {
        let _ = kind;
        Ok(0)
    }

    /// The customer upsert, if the provider stores customers.
    fn customers(&self) -> Option<&dyn Upsert<Customer>>;

    /// The payment upsert, if the provider records payments.
    fn payments(&self) -> Option<&dyn Upsert<Payment>>;

    /// Upserts a customer, or fails with an unsupported error.
    async fn upsert_customer(&self, customer: &Customer) -> Result<Upserted> {
        match self.customers() {
            Some(u) => u.upsert(customer).await,
            None => Err(unsupported(self.name(), "customers")),
        }
    }

    /// Upserts a payment, or fails with an unsupported error.
    async fn upsert_payment(&self, payment: &Payment) -> Result<Upserted> {
        match self.payments() {
            Some(u) => u.upsert(payment).await,
            None => Err(unsupported(self.name(), "payments")),
        }
    }

    /// The requests a customer upsert would send now, or an unsupported error.
    fn prepare_customer(&self, customer: &Customer) -> Result<Vec<PreparedRequest>> {
        match self.customers() {
            Some(u) => u.prepare(customer),
            None => Err(unsupported(self.name(), "customers")),
        }
    }

    /// The requests a payment upsert would send now, or an unsupported error.
    fn prepare_payment(&self, payment: &Payment) -> Result<Vec<PreparedRequest>> {
        match self.payments() {
            Some(u) => u.prepare(payment),
            None => Err(unsupported(self.name(), "payments")),
        }
    }
}

/// The error for a kind of record a provider cannot store.
pub fn unsupported(provider: &'static str, what: &str) -> Error {
    Error::unsupported(format!("{provider} does not support syncing {what}"))
        .with_provider(provider)
}
