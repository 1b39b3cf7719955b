//! A local emulator of the Hyfin, Rebilly and Payabli APIs, for tests, the CLI and
//! benchmarks.
//!
//! One axum server on 127.0.0.1 serves the three providers under path prefixes, each with its
//! own authentication, answers and error bodies, written from the providers' documentation
//! (independently of billsync's client crates, so that a misreading on one side shows up on
//! the other):
//!
//! | provider | base URL | auth header (default) |
//! |---|---|---|
//! | Hyfin | `http://127.0.0.1:PORT/hyfin` | `Authorization: Bearer sandbox-hyfin-token` |
//! | Rebilly | `http://127.0.0.1:PORT/rebilly` | `REB-APIKEY: sandbox-rebilly-key` (or `Authorization: Bearer`) |
//! | Payabli | `http://127.0.0.1:PORT/payabli/api` | `requestToken: sandbox-payabli-token` |
//!
//! Endpoints:
//! - Hyfin: `POST /api/v4/site/{site}/customer/addUpdate`, `POST .../contact/addUpdate`,
//!   `POST /api/v3/site/{site}/payment/addUpdate` (upsert by `external_id`), and `GET` of
//!   each by `_id` (`/api/v4/site/{site}/customer/{_id}`, `.../contact/{_id}`,
//!   `/api/v3/site/{site}/payment/{_id}`). The external-id customer API:
//!   `POST /api/v3/site/{site}/customer/addUpdate` and `/api/v3.1/...` (upsert by
//!   `external_id`; the 4.0s docs give its body the v4 path, so a v4 `customer/addUpdate`
//!   with an `external_id` is the same upsert) and `GET /api/v3.1/site/{site}/customer/{external_id}`.
//! - Rebilly, under `/organizations/{org}` and also without it (the default organization,
//!   [`SandboxConfig::rebilly_default_organization`]): `PUT`/`GET /customers/{id}`,
//!   `POST /customers` (also `/customers/`), `GET /customers?limit=&offset=&filter=&sort=&q=`,
//!   `POST /transactions`, `GET /transactions?filter=requestId:<id>&limit=1`,
//!   `GET /transactions/{id}`.
//! - Payabli: `POST /Customer/single/{entry}?forceCustomerCreation=&replaceExisting=`,
//!   `PUT`/`GET`/`DELETE /Customer/{customerId}`,
//!   `GET /Query/customers/{entry}` and `GET /Query/customers/org/{orgId}` with
//!   `field(op)=value` filters, `fromRecord`, `limitRecord` and `sortBy=asc(f)|desc(f)`.
//! - Admin (no auth, never faulted): `GET /_sandbox/stats`, `POST /_sandbox/faults` (a
//!   [`Faults`] as JSON), `GET /_sandbox/faults`, `POST /_sandbox/reset`,
//!   `GET /_sandbox/records/{provider}/{kind}`.
//! - The [inspector]: a web page at `/_sandbox/` showing every request received and every
//!   record's history, and its JSON endpoints (`/_sandbox/requests`, ...).
//!
//! Choices where the documentation is silent:
//! - **Hyfin** answers 400 for validation and unknown `_id`s in `addUpdate`, 404 for a `GET`
//!   of an unknown id, 401 for auth, all with `{"success":false,"errors":[...]}`. An update
//!   merges the sent top-level fields into the stored record. `amount`, `tip`, `tax`, `fee`
//!   must be numbers ≥ 0 with at most two decimals. `GET customer` embeds the referenced
//!   contact records into `contacts[]`. External-id customers need `external_id`,
//!   `first_name` and `last_name` (required in the 3.0 table), and `mobile_phone` / `email`
//!   when `notification_options` asks for text / email notifications.
//! - **Rebilly** `PUT` replaces the customer's writable fields: one left out is cleared
//!   (revision + 1, `createdTime` kept). Lists are newest first unless `sort` says
//!   otherwise. A transaction repeating a `requestId` seen within 24 hours is answered
//!   **200 with the original transaction** (Rebilly documents only that duplicates are
//!   "ignored") and counted as deduplicated. Malformed JSON is a 400 problem. A configured
//!   Rebilly rate limit counts writes only (Rebilly's sandbox limits non-GET requests);
//!   their answers carry `X-RateLimit-Limit` and `X-RateLimit-Remaining`, and a 429 carries
//!   `X-RateLimit-Retry-After` as UTC epoch seconds.
//! - **Payabli** matches an existing customer on create by exact `customerNumber` within the
//!   entrypoint: with `replaceExisting=1` the record is replaced (same `customerId`, counted
//!   as updated); otherwise the answer is **HTTP 409** with `responseText` "Customer already
//!   exists" and `responseData.customerId`. `PUT` changes only the fields sent, and a JSON
//!   `null` clears one. `DELETE` answers the envelope with the deleted `customerId` in
//!   `responseData`. The sandbox is one organization holding every entrypoint, so the org
//!   query lists all of them for any numeric `orgId`. Typed fields are checked as the API
//!   types them (`createdAt` must be a date-time, `balance` a number, `timeZone` -12..12,
//!   `customerStatus` -99/0/1/85). A reused `idempotencyKey` (on `POST` or `PUT`,
//!   remembered only for writes that succeeded) within the window is a 409 with the plain
//!   text body `Duplicated idempotencyKey: <key>`. Validation failures are 400 with
//!   `responseCode` 3003 (3004 when the first problem is `timeZone`, as in Payabli's code
//!   catalogue); auth, not-found, conflict and fault envelopes use `responseCode` 3. Query
//!   string comparisons ignore ASCII case. Hyfin and Payabli 429s carry `Retry-After`
//!   (seconds).
//!
//! Faults ([`Faults`], per sandbox, or per request with the `x-sandbox-fault` header:
//! `500`, `429`, `drop`, `truncate`, `html`, `html200`, `slow=<ms>`) are described on
//! [`Faults`]. Random faults are reproducible from [`SandboxConfig::seed`].
//!
//! With [`SandboxConfig::data`] set, records live in a SQLite file as well as in memory:
//! they are loaded at start, and every write is committed to the file **before** it is
//! answered, so an acknowledged write survives a restart and a crash of the process
//! (`kill -9`). In memory, each record is kept as compact JSON text (about 1.2 KB for a
//! full Rebilly customer).
//!
//! ```
//! use billsync_sandbox::{Provider, Sandbox, DEFAULT_REBILLY_KEY};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await?;
//! let url = format!("{}/organizations/org-1/customers/cus-1", sandbox.rebilly_base_url());
//! let answer = reqwest::Client::new()
//!     .put(url)
//!     .header("REB-APIKEY", DEFAULT_REBILLY_KEY)
//!     .header("content-type", "application/json")
//!     .body(r#"{"websiteId":"web-1","primaryAddress":{"firstName":"Ada","lastName":"Lovelace"}}"#)
//!     .send()
//!     .await?;
//! assert_eq!(answer.status(), 201);
//! assert_eq!(sandbox.stats().rebilly.created, 1);
//! assert_eq!(sandbox.records(Provider::Rebilly, "customer")[0]["firstName"], "Ada");
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod admin;
mod config;
mod faults;
mod fields;
mod gate;
mod hyfin;
pub mod inspector;
mod payabli;
mod persist;
mod rebilly;
mod record;
mod server;
mod state;
mod stats;
mod util;

pub use config::{
    DEFAULT_HYFIN_TOKEN, DEFAULT_PAYABLI_IDEMPOTENCY_WINDOW, DEFAULT_PAYABLI_TOKEN,
    DEFAULT_REBILLY_KEY, DEFAULT_REBILLY_ORGANIZATION, DEFAULT_REBILLY_REQUEST_ID_WINDOW, Provider,
    RateLimit, SandboxConfig,
};
pub use faults::{FAULT_HEADER, Faults};
pub use server::{Sandbox, serve};
pub use stats::{ProviderStats, Stats};
