//! The mapping cases: for each provider and kind, billsync's `prepare` over every fixture the
//! provider accepts, and the serde floor: `serde_json::to_vec` of the already-built wire bodies
//! of the same fixtures and, where a request's URL carries the record (Rebilly's and Payabli's
//! `PUT` to an id, Payabli's lookup by customer number), that URL made from a prebuilt base the
//! cheapest way the `url` crate allows (a clone, then the segment or query pair appended).
//! Shared by the criterion benchmark and the report.

use std::hint::black_box;
use std::sync::Arc;

use billsync::hyfin::{HyfinClient, HyfinConfig};
use billsync::payabli::{PayabliClient, PayabliConfig};
use billsync::rebilly::{RebillyClient, RebillyConfig};
use billsync::secrecy::SecretString;
use billsync::url::Url;
use billsync::{Customer, IdMap, MemoryIdMap, Payment, RecordKind, Upsert};
use serde::Serialize;

use crate::{accepted_customers, accepted_payments};

/// One provider and kind: two closures over the same fixtures, each returning the bytes made
/// (so that nothing is optimized away).
pub struct MappingCase {
    /// The provider (`hyfin`).
    pub provider: &'static str,
    /// The kind (`customer`, `payment`, `customer_known`).
    pub kind: &'static str,
    /// Fixtures per batch.
    pub fixtures: usize,
    /// billsync's `prepare` of every fixture.
    pub billsync: Box<dyn Fn() -> usize>,
    /// The floor: `serde_json::to_vec` of every fixture's wire bodies, then the URLs that carry
    /// the record.
    pub floor: Box<dyn Fn() -> usize>,
    /// The part of the floor that makes the URLs carrying the record, alone (`None` when every
    /// URL of the case is constant), so the report can show both parts.
    pub urls: Option<Box<dyn Fn() -> usize>>,
}

/// Per-fixture closures of a floor part, each returning the bytes made.
type Parts = Vec<Box<dyn Fn() -> usize>>;

impl MappingCase {
    /// Adds the URLs carrying the record (one maker per fixture, in any order) to the floor.
    fn with_urls(mut self, urls: Parts) -> Self {
        let urls: &'static [Box<dyn Fn() -> usize>] = Box::leak(urls.into_boxed_slice());
        let bodies = std::mem::replace(&mut self.floor, Box::new(|| 0));
        self.floor = Box::new(move || bodies() + urls.iter().map(|u| u()).sum::<usize>());
        self.urls = Some(Box::new(move || urls.iter().map(|u| u()).sum()));
        self
    }
}

fn leak<T>(v: T) -> &'static T {
    Box::leak(Box::new(v))
}

fn to_vec<T: Serialize>(body: &T) -> usize {
    serde_json::to_vec(black_box(body)).map_or(0, |b| b.len())
}

/// A query of 64 bytes that a base URL carries only to give its clones room for their own.
const PLACEHOLDER_QUERY: &str = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

/// A URL that carries the record, as the floor makes it: `base` cloned, then `segment` appended
/// as one path segment, then `query` (replacing the base's placeholder query, which gives the
/// clone room for it) appended form-encoded.
fn record_url(base: &Url, segment: Option<&str>, query: &[(String, String)]) -> Url {
    let mut url = black_box(base).clone();
    if let Some(segment) = segment
        && let Ok(mut path) = url.path_segments_mut()
    {
        path.push(segment);
    }
    if !query.is_empty() {
        url.query_pairs_mut().clear().extend_pairs(query);
    }
    url
}

/// The floor's maker of the URL of request `index` that `prepare` plans for `record`, whose
/// last path segment (`segment`, if given) and query carry the record: the base is that URL
/// without them, and the maker is checked to remake it exactly.
fn url_floor<R: billsync::Record>(
    client: &dyn Upsert<R>,
    record: &R,
    index: usize,
    segment: Option<String>,
) -> Result<impl Fn() -> usize + 'static, billsync::Error> {
    let planned = client.prepare(record)?.swap_remove(index).url;
    let query: Vec<(String, String)> = planned.query_pairs().into_owned().collect();
    let mut base = planned.clone();
    base.set_query((!query.is_empty()).then_some(PLACEHOLDER_QUERY));
    if segment.is_some()
        && let Ok(mut path) = base.path_segments_mut()
    {
        path.pop();
    }
    let remake = move || record_url(&base, segment.as_deref(), &query);
    if remake() != planned {
        return Err(billsync::Error::internal(format!(
            "the floor's URL {} is not the planned {planned}",
            remake()
        )));
    }
    Ok(move || remake().as_str().len())
}

fn case<R, W>(
    provider: &'static str,
    kind: &'static str,
    client: &'static dyn Upsert<R>,
    records: &'static [R],
    wire: Vec<W>,
) -> MappingCase
where
    R: billsync::Record,
    W: Fn() -> usize + 'static,
{
    let wire: &'static [W] = Box::leak(wire.into_boxed_slice());
    MappingCase {
        provider,
        kind,
        fixtures: records.len(),
        billsync: Box::new(move || {
            records
                .iter()
                .map(|r| {
                    client.prepare(black_box(r)).map_or(0, |reqs| {
                        reqs.iter()
                            .map(|q| q.body.as_ref().map_or(0, |b| b.len()))
                            .sum()
                    })
                })
                .sum()
        }),
        floor: Box::new(move || wire.iter().map(|w| w()).sum()),
        urls: None,
    }
}

/// The fixtures `client` accepts as customers, leaked.
fn customers(client: &dyn Upsert<Customer>) -> &'static [Customer] {
    Box::leak(accepted_customers(|x| client.prepare(x).is_ok()).into_boxed_slice())
}

/// The fixtures `client` accepts as payments, leaked.
fn payments(client: &dyn Upsert<Payment>) -> &'static [Payment] {
    Box::leak(accepted_payments(|x| client.prepare(x).is_ok()).into_boxed_slice())
}

/// Hyfin's customer and payment cases; one customer's Hyfin id is known.
fn hyfin_cases() -> Result<[MappingCase; 2], billsync::Error> {
    let hyfin_config = HyfinConfig::builder()
        .base_url("https://partner.hyfin.test")
        .site_id("site-123")
        .api_token(SecretString::from("token"))
        .build()?;
    let hyfin_ids = MemoryIdMap::new();
    hyfin_ids.put(
        &hyfin_config.account(),
        RecordKind::Customer,
        "cust-abc-plumbing",
        "60f720d248f143332af022e0",
    )?;
    let hyfin: &'static HyfinClient =
        leak(HyfinClient::new(hyfin_config)?.with_id_map(Arc::new(hyfin_ids)));
    let hy_c = customers(hyfin);
    let hy_p = payments(hyfin);
    let ids: &'static dyn IdMap = hyfin.id_map().as_ref();
    let account = hyfin.account();
    let mut hy_c_wire = Vec::new();
    for x in hy_c {
        // Every body prepare serializes: a multi-contact customer's contacts, then the customer.
        let contacts = billsync::hyfin::mapping::contact_requests(x, ids, account)?;
        let customer = billsync::hyfin::mapping::customer_request(x, ids, account)?;
        hy_c_wire.push(move || contacts.iter().map(to_vec).sum::<usize>() + to_vec(&customer));
    }
    let mut hy_p_wire = Vec::new();
    for x in hy_p {
        let body = billsync::hyfin::mapping::payment_request(x, hyfin.config())?;
        hy_p_wire.push(move || to_vec(&body));
    }
    Ok([
        case("hyfin", "customer", hyfin, hy_c, hy_c_wire),
        case("hyfin", "payment", hyfin, hy_p, hy_p_wire),
    ])
}

/// Rebilly's customer and payment cases.
fn rebilly_cases() -> Result<[MappingCase; 2], billsync::Error> {
    let rebilly: &'static RebillyClient = leak(RebillyClient::new(
        RebillyConfig::builder()
            .organization_id("org-test")
            .website_id("web-test")
            .api_key(SecretString::from("key"))
            .build()?,
    )?);
    let rb_c = customers(rebilly);
    let rb_p = payments(rebilly);
    let (mut rb_c_wire, mut rb_c_urls): (_, Parts) = (Vec::new(), Vec::new());
    for x in rb_c {
        // `PUT /customers/{id}`: the body and the URL carry the record.
        let (id, body) = billsync::rebilly::mapping::customer_request(x, rebilly.config())?;
        rb_c_urls.push(Box::new(url_floor(rebilly, x, 0, Some(id.into_owned()))?) as _);
        rb_c_wire.push(move || to_vec(&body));
    }
    let mut rb_p_wire = Vec::new();
    for x in rb_p {
        let body = billsync::rebilly::mapping::transaction_request(x, rebilly.config())?;
        rb_p_wire.push(move || to_vec(&body));
    }
    Ok([
        case("rebilly", "customer", rebilly, rb_c, rb_c_wire).with_urls(rb_c_urls),
        case("rebilly", "payment", rebilly, rb_p, rb_p_wire),
    ])
}

/// A Payabli client that knows the Payabli ids of `known` (4000, 4001, ...).
fn payabli_client(known: &[Customer]) -> Result<&'static PayabliClient, billsync::Error> {
    let config = PayabliConfig::builder()
        .entrypoint("entry-test")
        .api_token(SecretString::from("token"))
        .build()?;
    let ids = MemoryIdMap::new();
    for (i, c) in known.iter().enumerate() {
        ids.put(
            &config.account(),
            RecordKind::Customer,
            &c.external_id,
            &(4000 + i).to_string(),
        )?;
    }
    Ok(leak(PayabliClient::new(config)?.with_id_map(Arc::new(ids))))
}

/// Payabli's customer cases: every customer new, then every customer known.
fn payabli_cases() -> Result<[MappingCase; 2], billsync::Error> {
    let payabli_new = payabli_client(&[])?;
    let pb_c = customers(payabli_new);
    let payabli_known = payabli_client(pb_c)?;
    let (mut pb_wire, mut pb_urls): (_, Parts) = (Vec::new(), Vec::new());
    let (mut pb_wire_known, mut pb_urls_known): (_, Parts) = (Vec::new(), Vec::new());
    for (i, x) in pb_c.iter().enumerate() {
        // A new customer is looked up by its number (the URL's query carries it), then created
        // with the body as mapped; a known one is updated at `PUT /Customer/{id}` with the
        // update's body (`null` for what the record does not have), which prepare sends.
        let body = billsync::payabli::mapping::customer_data(x, payabli_new.config())?;
        let update = body.for_update();
        pb_urls.push(Box::new(url_floor(payabli_new, x, 0, None)?) as _);
        let put = url_floor(payabli_known, x, 0, Some((4000 + i).to_string()))?;
        pb_urls_known.push(Box::new(put) as _);
        pb_wire.push(move || to_vec(&body));
        pb_wire_known.push(move || to_vec(&update));
    }
    Ok([
        case("payabli", "customer", payabli_new, pb_c, pb_wire).with_urls(pb_urls),
        case(
            "payabli",
            "customer_known",
            payabli_known,
            pb_c,
            pb_wire_known,
        )
        .with_urls(pb_urls_known),
    ])
}

fn build() -> Result<Vec<MappingCase>, billsync::Error> {
    let mut cases = Vec::with_capacity(6);
    cases.extend(hyfin_cases()?);
    cases.extend(rebilly_cases()?);
    cases.extend(payabli_cases()?);
    Ok(cases)
}

/// Every mapping case. The clients and fixtures are leaked: they live as long as the
/// benchmark process.
pub fn mapping_cases() -> Result<Vec<MappingCase>, String> {
    build().map_err(|e| e.to_string())
}
