//! The fuzz targets: each decodes one input and renders what it made of it.

use std::io::Cursor;

use billsync_cli::args::Kind;
use billsync_cli::input::{Format, Records};
use billsync_core::provider_kit::RawResponse;
use billsync_core::reqwest::StatusCode;
use billsync_core::reqwest::header::{
    CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, LOCATION, RETRY_AFTER,
};
use billsync_core::{Customer, Payment};

use crate::seeds;

/// A fuzz target.
pub struct Target {
    /// Its name (`billsync-fuzz --target <name>`).
    pub name: &'static str,
    /// Seed inputs.
    pub seeds: fn() -> Vec<Vec<u8>>,
    /// Bytes at the start of an input that are choices, not the decoded text.
    pub body_start: fn(&[u8]) -> usize,
    /// Decodes one input; the rendering tells outcomes apart.
    pub run: fn(&[u8]) -> String,
}

/// Every target.
pub const TARGETS: &[Target] = &[
    Target {
        name: "hyfin-answer",
        seeds: seeds::hyfin,
        body_start: answer_body_start,
        run: |data| billsync_hyfin::fuzzing::decode_answer(&answer(data)),
    },
    Target {
        name: "rebilly-answer",
        seeds: seeds::rebilly,
        body_start: answer_body_start,
        run: |data| billsync_rebilly::fuzzing::decode_answer(&answer(data)),
    },
    Target {
        name: "payabli-answer",
        seeds: seeds::payabli,
        body_start: answer_body_start,
        run: |data| billsync_payabli::fuzzing::decode_answer(&answer(data)),
    },
    Target {
        name: "records",
        seeds: seeds::records,
        body_start: |data| data.len().min(1),
        run: records,
    },
];

const STATUSES: &[u16] = &[
    200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 202, 302, 599,
];
const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some("application/json"),
    Some("application/problem+json"),
    Some("text/html"),
    Some("text/plain"),
    Some("application/json; charset=utf-8"),
    Some("APPLICATION/JSON"),
    Some(";;"),
];

fn answer_body_start(data: &[u8]) -> usize {
    (4 + data.get(3).map_or(0, |n| usize::from(*n))).min(data.len())
}

/// An answer from an input: `[status, content type, header flags, header length]`, the header
/// text (used for `Location` with flag 1, `Retry-After` with 2, `X-RateLimit-Retry-After` with
/// 4), then the body.
pub fn answer(data: &[u8]) -> RawResponse {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let status = STATUSES[usize::from(byte(0)) % STATUSES.len()];
    let mut headers = HeaderMap::new();
    if let Some(ct) = CONTENT_TYPES[usize::from(byte(1)) % CONTENT_TYPES.len()] {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    let start = answer_body_start(data);
    let text = data.get(4..start).unwrap_or_default();
    let flags = byte(2);
    if let Ok(value) = HeaderValue::from_bytes(text) {
        let names = [
            (1, LOCATION),
            (2, RETRY_AFTER),
            (4, HeaderName::from_static("x-ratelimit-retry-after")),
        ];
        for (bit, name) in names {
            if flags & bit != 0 {
                headers.insert(name, value.clone());
            }
        }
    }
    RawResponse {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        headers,
        body: bytes::Bytes::copy_from_slice(data.get(start..).unwrap_or_default()),
        attempts: 1,
    }
}

/// Reads a file of records: the first byte chooses CSV (bit 0) and payments (bit 1).
pub fn records(data: &[u8]) -> String {
    let mode = data.first().copied().unwrap_or(0);
    let format = if mode & 1 == 1 {
        Format::Csv
    } else {
        Format::JsonLines
    };
    let kind = if mode & 2 == 2 {
        Kind::Payments
    } else {
        Kind::Customers
    };
    let file = data.get(1..).unwrap_or_default().to_vec();
    let mut records = match Records::from_reader(Box::new(Cursor::new(file)), format, kind) {
        Ok(r) => r,
        Err(e) => return format!("refused: {e}"),
    };
    let mut seen = String::new();
    loop {
        let item = match kind {
            Kind::Customers => records
                .next::<Customer>()
                .map(|i| (i.line, i.record.map(|c| c.external_id.len()))),
            Kind::Payments => records
                .next::<Payment>()
                .map(|i| (i.line, i.record.map(|p| p.amount.scale() as usize))),
        };
        let Some((line, record)) = item else { break };
        match record {
            Ok(n) => seen.push_str(&format!("{line} ok {n}\n")),
            Err(e) => seen.push_str(&format!("{line} {e}\n")),
        }
    }
    if let Some(why) = records.failure() {
        seen.push_str(why);
    }
    seen
}
