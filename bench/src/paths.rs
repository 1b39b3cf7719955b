//! The upsert paths the bench measures, one per provider and kind, and billsync's side of each:
//! the clients (against a sandbox) and the records, fresh for every batch.

use billsync::hyfin::{HyfinClient, HyfinConfig};
use billsync::payabli::{PayabliClient, PayabliConfig};
use billsync::rebilly::{RebillyClient, RebillyConfig};
use billsync::secrecy::SecretString;
use billsync::{Contact, Customer, HttpSettings, Payment, RetryConfig, Upsert};

use crate::generate;
use crate::sandbox::SandboxProcess;

/// Hyfin's token in the sandbox.
pub const HYFIN_TOKEN: &str = "sandbox-hyfin-token";
/// Rebilly's key in the sandbox.
pub const REBILLY_KEY: &str = "sandbox-rebilly-key";
/// Payabli's token in the sandbox.
pub const PAYABLI_TOKEN: &str = "sandbox-payabli-token";
/// The Hyfin site of the bench.
pub const HYFIN_SITE: &str = "bench-site";
/// The Rebilly organization of the bench.
pub const REBILLY_ORG: &str = "bench-org";
/// The Payabli entrypoint of the bench.
pub const PAYABLI_ENTRY: &str = "bench-entry";

/// One upsert path: a provider, a kind of record, and the state the record is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// A Hyfin customer whose one contact goes inline: one `customer/addUpdate`.
    HyfinCustomer,
    /// A Hyfin customer with two contacts: two `contact/addUpdate`s, then the customer's.
    HyfinCustomerContacts,
    /// A Hyfin payment: one `payment/addUpdate`.
    HyfinPayment,
    /// A Rebilly customer: one `PUT /customers/{id}`.
    RebillyCustomer,
    /// A Rebilly payment: one `POST /transactions`.
    RebillyPayment,
    /// A Payabli customer not yet known: the lookup `GET`, then the create `POST`.
    PayabliCustomerNew,
    /// A Payabli customer whose id billsync remembers: one `PUT`.
    PayabliCustomerKnown,
}

impl Path {
    /// Every path, in report order.
    pub const ALL: [Path; 7] = [
        Path::HyfinCustomer,
        Path::HyfinCustomerContacts,
        Path::HyfinPayment,
        Path::RebillyCustomer,
        Path::RebillyPayment,
        Path::PayabliCustomerNew,
        Path::PayabliCustomerKnown,
    ];

    /// How the report names it.
    pub fn label(self) -> &'static str {
        match self {
            Path::HyfinCustomer => "Hyfin customer, one contact (inline)",
            Path::HyfinCustomerContacts => "Hyfin customer, two contacts",
            Path::HyfinPayment => "Hyfin payment",
            Path::RebillyCustomer => "Rebilly customer",
            Path::RebillyPayment => "Rebilly payment",
            Path::PayabliCustomerNew => "Payabli customer, new",
            Path::PayabliCustomerKnown => "Payabli customer, id known",
        }
    }

    /// The HTTP requests one upsert of this path makes when nothing fails.
    pub fn requests_per_record(self) -> u32 {
        match self {
            Path::HyfinCustomerContacts => 3,
            Path::PayabliCustomerNew => 2,
            _ => 1,
        }
    }
}

/// The records of one batch.
pub enum Records {
    /// Customers.
    Customers(Vec<Customer>),
    /// Payments.
    Payments(Vec<Payment>),
}

impl Records {
    /// Records number `first..first + n` for `path`, every external id new to the sandbox as
    /// long as callers never reuse a range.
    pub fn generate(path: Path, first: usize, n: usize) -> Records {
        let range = first..first + n;
        match path {
            Path::HyfinPayment | Path::RebillyPayment => {
                Records::Payments(range.map(generate::payment).collect())
            }
            Path::HyfinCustomerContacts => Records::Customers(
                range
                    .map(|i| {
                        generate::customer(i).with_contact(
                            Contact::new("Sam", format!("Second{i}"))
                                .with_email(format!("sam.second{i}@example.com"))
                                .with_phone(format!("512-555-{:04}", (i + 1) % 10_000)),
                        )
                    })
                    .collect(),
            ),
            _ => Records::Customers(range.map(generate::customer).collect()),
        }
    }

    /// How many records.
    pub fn len(&self) -> usize {
        match self {
            Records::Customers(c) => c.len(),
            Records::Payments(p) => p.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn http() -> HttpSettings {
    HttpSettings {
        retry: RetryConfig {
            max_retries: 2,
            ..RetryConfig::default()
        },
        ..HttpSettings::default()
    }
}

/// billsync's three clients, pointed at one sandbox.
pub struct Clients {
    /// Hyfin.
    pub hyfin: HyfinClient,
    /// Rebilly.
    pub rebilly: RebillyClient,
    /// Payabli.
    pub payabli: PayabliClient,
}

impl Clients {
    /// Clients of `sandbox` with the bench's credentials and ids.
    pub fn new(sandbox: &SandboxProcess) -> Result<Clients, String> {
        let e = |e: billsync::Error| e.to_string();
        let hyfin = HyfinClient::new(
            HyfinConfig::builder()
                .base_url(&sandbox.hyfin)
                .site_id(HYFIN_SITE)
                .api_token(SecretString::from(HYFIN_TOKEN))
                .http(http())
                .build()
                .map_err(e)?,
        )
        .map_err(e)?;
        let rebilly = RebillyClient::new(
            RebillyConfig::builder()
                .base_url(&sandbox.rebilly)
                .organization_id(REBILLY_ORG)
                .website_id("bench-web")
                .api_key(SecretString::from(REBILLY_KEY))
                .http(http())
                .build()
                .map_err(e)?,
        )
        .map_err(e)?;
        let payabli = PayabliClient::new(
            PayabliConfig::builder()
                .base_url(&sandbox.payabli)
                .entrypoint(PAYABLI_ENTRY)
                .api_token(SecretString::from(PAYABLI_TOKEN))
                .http(http())
                .build()
                .map_err(e)?,
        )
        .map_err(e)?;
        Ok(Clients {
            hyfin,
            rebilly,
            payabli,
        })
    }

    /// Upserts record `i` of `records` along `path`: the HTTP requests it made, or `None` when
    /// it failed.
    pub async fn upsert(&self, path: Path, records: &Records, i: usize) -> Option<u32> {
        let done = match (path, records) {
            (Path::HyfinCustomer | Path::HyfinCustomerContacts, Records::Customers(c)) => {
                Upsert::<Customer>::upsert(&self.hyfin, c.get(i)?).await
            }
            (Path::HyfinPayment, Records::Payments(p)) => {
                Upsert::<Payment>::upsert(&self.hyfin, p.get(i)?).await
            }
            (Path::RebillyCustomer, Records::Customers(c)) => {
                Upsert::<Customer>::upsert(&self.rebilly, c.get(i)?).await
            }
            (Path::RebillyPayment, Records::Payments(p)) => {
                Upsert::<Payment>::upsert(&self.rebilly, p.get(i)?).await
            }
            (Path::PayabliCustomerNew | Path::PayabliCustomerKnown, Records::Customers(c)) => {
                Upsert::<Customer>::upsert(&self.payabli, c.get(i)?).await
            }
            _ => return None,
        };
        done.ok().map(|u| u.requests)
    }
}
