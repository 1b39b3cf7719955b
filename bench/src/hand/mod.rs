//! The hand-written integration billsync is held against: a plain `reqwest::Client` that sends
//! the same requests billsync sends (same method, URL, auth header and body bytes), serializing
//! each provider's wire struct itself on every request and reading each answer into a minimal
//! struct of the fields it needs, with no validation, mapping, retries, timeouts or tracing.

use std::cell::Cell;

use billsync::hyfin::wire::{HyfinContactRequest, HyfinCustomerRequest};
use billsync::payabli::wire::PayabliCustomerData;
use billsync::reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use billsync::reqwest::{self, Method};
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::paths::{Clients, HYFIN_TOKEN, PAYABLI_TOKEN, Path, REBILLY_KEY, Records};

mod build;

use build::{build_customer, build_payment};

/// A wire struct, serialized on demand.
trait Body {
    fn to_vec(&self) -> Option<Vec<u8>>;
}

impl<T: Serialize> Body for T {
    fn to_vec(&self) -> Option<Vec<u8>> {
        serde_json::to_vec(self).ok()
    }
}

/// Which provider's answer a request gets.
#[derive(Clone, Copy)]
enum Answer {
    Hyfin,
    Rebilly,
    Payabli,
}

/// What the hand-written loop sends for one record.
enum HandRecord<'a> {
    /// One request with a body.
    Single {
        method: Method,
        url: String,
        body: Box<dyn Body + 'a>,
    },
    /// Hyfin: each contact, then the customer referencing the contacts' new ids.
    HyfinContacts {
        contact_url: String,
        customer_url: String,
        contacts: Vec<HyfinContactRequest<'a>>,
        customer: Box<HyfinCustomerRequest<'a>>,
    },
    /// Payabli: the lookup, then the create with its idempotency key.
    PayabliNew {
        lookup_url: String,
        create_url: String,
        key: String,
        body: Box<PayabliCustomerData<'a>>,
    },
}

/// One batch of records as the hand-written loop sends them.
pub struct HandBatch<'a> {
    http: reqwest::Client,
    auth: (HeaderName, HeaderValue),
    answer: Answer,
    records: Vec<Cell<Option<HandRecord<'a>>>>,
}

#[derive(Deserialize)]
struct HyfinAnswer {
    success: bool,
    #[serde(rename = "_id")]
    id: String,
}

#[derive(Deserialize)]
struct RebillyAnswer {
    id: String,
}

#[derive(Deserialize)]
struct PayabliAnswer {
    #[serde(rename = "isSuccess")]
    is_success: bool,
}

#[derive(Deserialize)]
struct PayabliQuery {
    #[serde(rename = "Records")]
    records: Vec<serde::de::IgnoredAny>,
}

impl<'a> HandBatch<'a> {
    /// The hand-written loop's requests for `records` along `path`, built before anything is
    /// measured; the first record's bodies are checked to be billsync's bytes. `http` is the
    /// loop's one client (its connections outlive the batch, as billsync's do).
    pub fn build(
        http: &reqwest::Client,
        path: Path,
        clients: &'a Clients,
        records: &'a Records,
    ) -> Result<HandBatch<'a>, String> {
        let hand = match records {
            Records::Customers(c) => c
                .iter()
                .enumerate()
                .map(|(k, x)| build_customer(path, clients, x, k == 0))
                .collect::<Result<Vec<_>, _>>()?,
            Records::Payments(p) => p
                .iter()
                .enumerate()
                .map(|(k, x)| build_payment(path, clients, x, k == 0))
                .collect::<Result<Vec<_>, _>>()?,
        };
        let (name, value, answer) = match path {
            Path::HyfinCustomer | Path::HyfinCustomerContacts | Path::HyfinPayment => (
                "authorization",
                format!("Bearer {HYFIN_TOKEN}"),
                Answer::Hyfin,
            ),
            Path::RebillyCustomer | Path::RebillyPayment => {
                ("reb-apikey", REBILLY_KEY.to_owned(), Answer::Rebilly)
            }
            Path::PayabliCustomerNew | Path::PayabliCustomerKnown => {
                ("requesttoken", PAYABLI_TOKEN.to_owned(), Answer::Payabli)
            }
        };
        let value = HeaderValue::from_str(&value).map_err(|e| e.to_string())?;
        Ok(HandBatch {
            http: http.clone(),
            auth: (HeaderName::from_static(name), value),
            answer,
            records: hand.into_iter().map(|r| Cell::new(Some(r))).collect(),
        })
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        key: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Option<Bytes> {
        let mut req = self
            .http
            .request(method, url)
            .header(self.auth.0.clone(), self.auth.1.clone());
        if let Some(key) = key {
            req = req.header("idempotencykey", key);
        }
        if let Some(body) = body {
            req = req.header(CONTENT_TYPE, "application/json").body(body);
        }
        let resp = req.send().await.ok()?;
        if !resp.status().is_success() {
            return None;
        }
        resp.bytes().await.ok()
    }

    /// Sends a write and reads the provider's answer: the record's id (Hyfin, Rebilly) or an
    /// empty string (Payabli, whose id the loop does not need).
    async fn write(
        &self,
        method: Method,
        url: &str,
        key: Option<&str>,
        body: &dyn Body,
    ) -> Option<String> {
        let bytes = self.send(method, url, key, Some(body.to_vec()?)).await?;
        match self.answer {
            Answer::Hyfin => serde_json::from_slice::<HyfinAnswer>(&bytes)
                .ok()
                .filter(|a| a.success && !a.id.is_empty())
                .map(|a| a.id),
            Answer::Rebilly => serde_json::from_slice::<RebillyAnswer>(&bytes)
                .ok()
                .filter(|a| !a.id.is_empty())
                .map(|a| a.id),
            Answer::Payabli => serde_json::from_slice::<PayabliAnswer>(&bytes)
                .ok()
                .filter(|a| a.is_success)
                .map(|_| String::new()),
        }
    }

    /// Sends record `i`'s requests: how many, or `None` when one failed. Each record is sent
    /// once.
    pub async fn send_record(&self, i: usize) -> Option<u32> {
        match self.records.get(i)?.take()? {
            HandRecord::Single { method, url, body } => self
                .write(method, &url, None, body.as_ref())
                .await
                .map(|_| 1),
            HandRecord::HyfinContacts {
                contact_url,
                customer_url,
                contacts,
                mut customer,
            } => {
                for (contact, reference) in contacts.iter().zip(customer.contacts.iter_mut()) {
                    reference.id = self
                        .write(Method::POST, &contact_url, None, contact)
                        .await?;
                }
                self.write(Method::POST, &customer_url, None, &customer)
                    .await
                    .map(|_| contacts.len() as u32 + 1)
            }
            HandRecord::PayabliNew {
                lookup_url,
                create_url,
                key,
                body,
            } => {
                let found = self.send(Method::GET, &lookup_url, None, None).await?;
                let query: PayabliQuery = serde_json::from_slice(&found).ok()?;
                if !query.records.is_empty() {
                    return None;
                }
                self.write(Method::POST, &create_url, Some(&key), &*body)
                    .await
                    .map(|_| 2)
            }
        }
    }
}
