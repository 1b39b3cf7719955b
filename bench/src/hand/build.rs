//! Building the hand-written loop's requests from billsync's own mapping, checked to be the
//! bytes billsync prepares.

use billsync::reqwest::Method;
use billsync::{Customer, MemoryIdMap, Payment, PreparedRequest, Provider};

use super::{Body, HandRecord};
use crate::paths::{Clients, Path};

fn err(e: billsync::Error) -> String {
    e.to_string()
}

/// The URLs billsync would use for `record` now (so the hand-written loop sends to the same).
fn urls(reqs: &[PreparedRequest]) -> Vec<String> {
    reqs.iter().map(|r| r.url.to_string()).collect()
}

/// Checks that the hand-written loop's body is byte for byte the one billsync prepared.
fn same_bytes(body: &dyn Body, req: Option<&PreparedRequest>, what: &str) -> Result<(), String> {
    let ours = req.and_then(|r| r.body.as_deref());
    if body.to_vec().as_deref() == ours {
        Ok(())
    } else {
        Err(format!(
            "{what}: the hand-written body differs from billsync's"
        ))
    }
}

/// One request to `url` with `body`, checked (when `check`) against billsync's first
/// prepared request.
fn single<'a>(
    method: Method,
    url: String,
    body: impl Body + 'a,
    reqs: &[PreparedRequest],
    check: bool,
    what: &str,
) -> Result<HandRecord<'a>, String> {
    if check {
        same_bytes(&body, reqs.first(), what)?;
    }
    Ok(HandRecord::Single {
        method,
        url,
        body: Box::new(body),
    })
}

/// Hyfin's multi-contact customer: each contact, then the customer.
fn hyfin_contacts<'a>(
    clients: &'a Clients,
    customer: &'a Customer,
    reqs: &[PreparedRequest],
    check: bool,
) -> Result<HandRecord<'a>, String> {
    let url = urls(reqs);
    let ids = MemoryIdMap::new();
    let contacts =
        billsync::hyfin::mapping::contact_requests(customer, &ids, clients.hyfin.account())
            .map_err(err)?;
    if check {
        for (k, c) in contacts.iter().enumerate() {
            same_bytes(c, reqs.get(k), "hyfin contact")?;
        }
    }
    let customer =
        billsync::hyfin::mapping::customer_request(customer, &ids, clients.hyfin.account())
            .map_err(err)?;
    Ok(HandRecord::HyfinContacts {
        contact_url: url.first().cloned().ok_or("fewer requests than planned")?,
        customer_url: url.last().cloned().ok_or("no customer request")?,
        customer: Box::new(customer),
        contacts,
    })
}

/// Payabli's new customer: the lookup, then the create with billsync's idempotency key.
fn payabli_new<'a>(
    clients: &'a Clients,
    customer: &'a Customer,
    reqs: &[PreparedRequest],
    check: bool,
) -> Result<HandRecord<'a>, String> {
    let url = urls(reqs);
    let body = billsync::payabli::mapping::customer_data(customer, clients.payabli.config())
        .map_err(err)?;
    if check {
        same_bytes(&body, reqs.get(1), "payabli customer")?;
    }
    let key = reqs
        .get(1)
        .and_then(|r| r.header("idempotencykey"))
        .and_then(|v| v.to_str().ok())
        .ok_or("no idempotency key")?
        .to_owned();
    let planned = |k: usize| url.get(k).cloned().ok_or("fewer requests than planned");
    Ok(HandRecord::PayabliNew {
        lookup_url: planned(0)?,
        create_url: planned(1)?,
        key,
        body: Box::new(body),
    })
}

/// The hand-written loop's requests for one customer along `path`.
pub(super) fn build_customer<'a>(
    path: Path,
    clients: &'a Clients,
    customer: &'a Customer,
    check: bool,
) -> Result<HandRecord<'a>, String> {
    let (provider, what): (&dyn Provider, _) = match path {
        Path::HyfinCustomer | Path::HyfinCustomerContacts => (&clients.hyfin, "hyfin customer"),
        Path::RebillyCustomer => (&clients.rebilly, "rebilly customer"),
        _ => (&clients.payabli, "payabli customer"),
    };
    let reqs = provider.prepare_customer(customer).map_err(err)?;
    let url = urls(&reqs);
    let first = |k: usize| url.get(k).cloned().ok_or("fewer requests than planned");
    Ok(match path {
        Path::HyfinCustomer => {
            let body = billsync::hyfin::mapping::customer_request(
                customer,
                &MemoryIdMap::new(),
                clients.hyfin.account(),
            )
            .map_err(err)?;
            single(Method::POST, first(0)?, body, &reqs, check, what)?
        }
        Path::HyfinCustomerContacts => hyfin_contacts(clients, customer, &reqs, check)?,
        Path::RebillyCustomer => {
            let (_, body) =
                billsync::rebilly::mapping::customer_request(customer, clients.rebilly.config())
                    .map_err(err)?;
            single(Method::PUT, first(0)?, body, &reqs, check, what)?
        }
        Path::PayabliCustomerKnown => {
            // An update sends `null` for every field the record lacks, as billsync does.
            let body =
                billsync::payabli::mapping::customer_data(customer, clients.payabli.config())
                    .map_err(err)?
                    .for_update();
            single(Method::PUT, first(0)?, body, &reqs, check, what)?
        }
        _ => payabli_new(clients, customer, &reqs, check)?,
    })
}

/// The hand-written loop's request for one payment along `path`.
pub(super) fn build_payment<'a>(
    path: Path,
    clients: &'a Clients,
    payment: &'a Payment,
    check: bool,
) -> Result<HandRecord<'a>, String> {
    let (provider, body): (&dyn Provider, Box<dyn Body + 'a>) = if path == Path::HyfinPayment {
        let body = billsync::hyfin::mapping::payment_request(payment, clients.hyfin.config())
            .map_err(err)?;
        (&clients.hyfin, Box::new(body))
    } else {
        let body =
            billsync::rebilly::mapping::transaction_request(payment, clients.rebilly.config())
                .map_err(err)?;
        (&clients.rebilly, Box::new(body))
    };
    let reqs = provider.prepare_payment(payment).map_err(err)?;
    if check {
        same_bytes(body.as_ref(), reqs.first(), "payment")?;
    }
    Ok(HandRecord::Single {
        method: Method::POST,
        url: urls(&reqs).into_iter().next().ok_or("no payment request")?,
        body,
    })
}
