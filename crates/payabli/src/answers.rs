//! Reading Payabli's answers to writes: the envelope's success flag and, for a create, the
//! customer id, read in the send loop's one pass over the body.

use billsync_core::Result;
use billsync_core::provider_kit::{ParsedBody, RawResponse};

use crate::error::{decode_error, failure};
use crate::wire::PayabliWriteAnswer;

/// What billsync needs of a write's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WriteAnswer {
    /// The envelope's `isSuccess`.
    pub is_success: Option<bool>,
    /// The id in `responseData` (read for creates only).
    pub customer_id: Option<String>,
}

/// The reader of an update's answer: the success flag only (the body echoes the whole record).
pub(crate) fn read_update(body: &[u8]) -> serde_json::Result<WriteAnswer> {
    let env: PayabliWriteAnswer<'_> = serde_json::from_slice(body)?;
    Ok(WriteAnswer {
        is_success: env.is_success,
        customer_id: None,
    })
}

/// The reader of a create's answer: the success flag and the new customer's id.
pub(crate) fn read_create(body: &[u8]) -> serde_json::Result<WriteAnswer> {
    let env: PayabliWriteAnswer<'_> = serde_json::from_slice(body)?;
    Ok(WriteAnswer {
        is_success: env.is_success,
        customer_id: env.customer_id(),
    })
}

/// The answer of a write when Payabli accepted it; an error otherwise (an error status, an
/// envelope saying it failed, or a body that is not Payabli's envelope). `parsed` is what the
/// send loop's reader made of the body ([`read_update`], [`read_create`]).
pub(crate) fn accepted(resp: &RawResponse, parsed: ParsedBody<WriteAnswer>) -> Result<WriteAnswer> {
    if !resp.status.is_success() {
        return Err(failure(resp));
    }
    let envelope = || decode_error(resp, "a Payabli response envelope");
    let answer = parsed
        .ok_or_else(envelope)?
        .map_err(|e| envelope().with_source(e))?;
    match answer.is_success {
        Some(true) => Ok(answer),
        Some(false) => Err(failure(resp)),
        None => Err(envelope()),
    }
}

#[cfg(test)]
mod tests {
    use billsync_core::ErrorKind;
    use billsync_core::reqwest::StatusCode;
    use billsync_core::reqwest::header::HeaderMap;

    use super::*;

    fn answer(status: u16, body: &str) -> (RawResponse, ParsedBody<WriteAnswer>) {
        let resp = RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec().into(),
            attempts: 1,
        };
        let parsed = resp
            .status
            .is_success()
            .then(|| read_create(body.as_bytes()));
        (resp, parsed)
    }

    #[test]
    fn a_create_answer_gives_its_id_and_an_update_answer_only_its_flag() {
        let body = r#"{"isSuccess": true, "responseData": {"customerId": 4440, "firstname": "A"}}"#;
        let (resp, parsed) = answer(200, body);
        let done = accepted(&resp, parsed).unwrap();
        assert_eq!(done.customer_id.as_deref(), Some("4440"));
        let update = read_update(body.as_bytes()).unwrap();
        assert_eq!((update.is_success, update.customer_id), (Some(true), None));
    }

    #[test]
    fn refusals_and_other_bodies_are_errors_of_their_kind() {
        for (status, body, kind) in [
            (
                200,
                r#"{"isSuccess": false, "responseText": "Declined"}"#,
                ErrorKind::Rejected,
            ),
            (200, r#"{"responseText": "no flag"}"#, ErrorKind::Decode),
            (200, "[1]", ErrorKind::Decode),
            (200, "<html>gateway</html>", ErrorKind::Decode),
            (
                400,
                r#"{"isSuccess": false, "responseText": "bad"}"#,
                ErrorKind::Rejected,
            ),
        ] {
            let (resp, parsed) = answer(status, body);
            let err = accepted(&resp, parsed).unwrap_err();
            assert_eq!(err.kind(), kind, "{status} {body}");
            assert_eq!(err.provider(), Some("payabli"), "{body}");
        }
    }
}
