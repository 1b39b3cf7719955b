//! One attempt of a request: sending it and reading its whole answer.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::send_failure::SendFailure;
use crate::{PreparedRequest, RawResponse};

/// The largest response body read; a larger one is a decode error (protects memory).
pub(crate) const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Sends `req` once through `client` and reads the whole answer.
pub(crate) async fn exchange(
    client: &reqwest::Client,
    req: &PreparedRequest,
) -> Result<Answer, SendFailure> {
    // The request is built by a plain function and moved straight into reqwest: as a local
    // of this `async fn` it would keep its 264 bytes in the future across every await.
    let sent = client.execute(reqwest_request(req));
    let mut resp = sent.await.map_err(SendFailure::from_reqwest)?;
    let status = resp.status();
    let headers = std::mem::take(resp.headers_mut());
    // Most answers come in one chunk: keep it as it is, and copy only when a second comes.
    let mut first: Option<Bytes> = None;
    let mut joined: Option<Vec<u8>> = None;
    let mut len = 0;
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                len += chunk.len();
                if len > MAX_BODY_BYTES {
                    return Err(SendFailure {
                        never_sent: false,
                        too_large: true,
                        source: None,
                        elapsed: None,
                    });
                }
                match (&mut joined, &first) {
                    (Some(all), _) => all.extend_from_slice(&chunk),
                    (None, None) => first = Some(chunk),
                    (None, Some(head)) => {
                        let mut all = Vec::with_capacity(head.len() + chunk.len());
                        all.extend_from_slice(head);
                        all.extend_from_slice(&chunk);
                        joined = Some(all);
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                return Err(SendFailure {
                    never_sent: false,
                    too_large: false,
                    source: Some(e),
                    elapsed: None,
                });
            }
        }
    }
    let body = match joined {
        Some(all) => Bytes::from(all),
        None => first.unwrap_or_default(),
    };
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// `req` as reqwest sends it. Built directly rather than through `RequestBuilder`, which would
/// insert the headers one by one into an empty map: a clone of the shared map is the same map.
fn reqwest_request(req: &PreparedRequest) -> reqwest::Request {
    let mut request = reqwest::Request::new(req.method.clone(), req.url.clone());
    *request.headers_mut() = req.header_map();
    *request.body_mut() = req.body.clone().map(reqwest::Body::from);
    request
}

/// One attempt's answer, read in full.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Answer {
    pub(crate) fn into_response(self, attempts: u32) -> RawResponse {
        RawResponse {
            status: self.status,
            headers: self.headers,
            body: self.body,
            attempts,
        }
    }
}
