//! Seed inputs of each target: answers as the providers document them (and as the sandbox
//! sends them), and files of records as the examples hold them.

/// An answer input: `[status choice, content-type choice, header flags, header length]`, the
/// header text, then the body (see [`crate::targets::answer`]).
pub fn answer(status: u8, content_type: u8, flags: u8, header: &str, body: &str) -> Vec<u8> {
    let header = &header.as_bytes()[..header.len().min(255)];
    let mut out = vec![status, content_type, flags, header.len() as u8];
    out.extend_from_slice(header);
    out.extend_from_slice(body.as_bytes());
    out
}

/// Hyfin addUpdate answers.
pub fn hyfin() -> Vec<Vec<u8>> {
    vec![
        answer(
            0,
            1,
            0,
            "",
            r#"{"success":true,"action":"added","_id":"5f1a2b3c4d5e6f7a8b9c0d1e"}"#,
        ),
        answer(
            0,
            1,
            0,
            "",
            r#"{"success":true,"action":"updated","_id":"5f1a2b3c4d5e6f7a8b9c0d1e","errors":[]}"#,
        ),
        answer(
            3,
            1,
            0,
            "",
            r#"{"success":false,"errors":["display_name is required","email is invalid"]}"#,
        ),
        answer(
            4,
            1,
            0,
            "",
            r#"{"success":false,"errors":["Unauthorized: missing or invalid API access token"]}"#,
        ),
        answer(
            9,
            1,
            2,
            "3",
            r#"{"success":false,"errors":["Too many requests"]}"#,
        ),
        answer(10, 3, 0, "", "<html><body>Bad gateway</body></html>"),
        answer(0, 1, 0, "", r#"{"success":true,"action":"weird","_id":12}"#),
    ]
}

/// Rebilly customer, transaction and problem answers.
pub fn rebilly() -> Vec<Vec<u8>> {
    vec![
        answer(
            1,
            1,
            1,
            "https://api-sandbox.rebilly.com/organizations/org-1/customers/cus-1",
            r#"{"id":"cus-1","websiteId":"web-1","primaryAddress":{"firstName":"Ann","lastName":"Lee","emails":[{"label":"main","value":"ann@example.com","primary":true}]},"createdTime":"2024-01-01T00:00:00Z"}"#,
        ),
        answer(
            0,
            1,
            0,
            "",
            r#"{"id":"cus-1","websiteId":"web-1","customFields":{"tier":"gold"}}"#,
        ),
        answer(
            1,
            1,
            1,
            "/organizations/org-1/transactions/txn%201",
            r#"{"id":"txn-1","type":"sale","result":"approved","status":"completed","amount":12.5,"currency":"USD","requestId":"billsync-p1","customerId":"cus-1"}"#,
        ),
        answer(
            0,
            1,
            0,
            "",
            r#"[{"id":"txn-1","requestId":"billsync-p1","result":"declined"}]"#,
        ),
        answer(
            8,
            2,
            0,
            "",
            r#"{"type":"https://api-reference.rebilly.com/#section/Problems/ValidationError","title":"Validation error","status":422,"detail":"requestId already exists","invalidFields":[{"field":"primaryAddress.postalCode","message":"too long"}],"transactionId":"txn-1"}"#,
        ),
        answer(
            9,
            2,
            4,
            "1713187500",
            r#"{"title":"Rate Limit Exceeded","status":429}"#,
        ),
        answer(
            4,
            2,
            0,
            "",
            r#"{"title":"Unauthorized","status":401,"detail":"Invalid API key"}"#,
        ),
        answer(
            7,
            1,
            0,
            "",
            r#"{"title":"Conflict","detail":"Transaction with this requestId already exists","id":"txn-9"}"#,
        ),
    ]
}

/// Payabli envelopes, query results and errors.
pub fn payabli() -> Vec<Vec<u8>> {
    vec![
        answer(
            0,
            1,
            0,
            "",
            r#"{"isSuccess":true,"responseCode":1,"responseText":"Success","responseData":{"customerId":4440,"customerNumber":"c-1","customerStatus":1}}"#,
        ),
        answer(
            0,
            1,
            0,
            "",
            r#"{"isSuccess":false,"responseCode":5003,"responseText":"Customer already exists","responseData":{"explanation":"Identifiers matched","todoAction":"Update instead"}}"#,
        ),
        answer(
            0,
            1,
            0,
            "",
            r#"{"Records":[{"customerId":4440,"customerNumber":"c-1"},{"CustomerId":"17","CustomerNumber":"C-1"}],"Summary":{"totalRecords":2}}"#,
        ),
        answer(3, 4, 0, "", "Duplicated idempotencyKey: 3f1c"),
        answer(
            4,
            1,
            0,
            "",
            r#"{"isSuccess":false,"responseText":"Unauthorized"}"#,
        ),
        answer(
            9,
            1,
            2,
            "Wed, 21 Oct 2015 07:28:00 GMT",
            r#"{"isSuccess":false,"responseText":"Too many requests"}"#,
        ),
        answer(11, 3, 0, "", "<!DOCTYPE html><html><body>503</body></html>"),
    ]
}

const CUSTOMERS: &str = include_str!("../../examples/customers.jsonl");
const PAYMENTS: &str = include_str!("../../examples/payments.jsonl");

/// Files of records: `[mode]` then the file's bytes (see [`crate::targets::records`]).
pub fn records() -> Vec<Vec<u8>> {
    let file = |mode: u8, text: &str| {
        let mut out = vec![mode];
        out.extend_from_slice(text.as_bytes());
        out
    };
    let mut seeds = Vec::new();
    for line in CUSTOMERS.lines().take(12) {
        seeds.push(file(0, &format!("{line}\n")));
    }
    for line in PAYMENTS.lines().take(8) {
        seeds.push(file(2, &format!("{line}\n")));
    }
    seeds.push(file(
        0,
        &CUSTOMERS.lines().take(3).collect::<Vec<_>>().join("\n"),
    ));
    seeds.push(file(
        1,
        "\u{feff}external_id,display_name,company,first_name,last_name,email,phone,line1,city,region,postal_code,country,shipping_city,notes,status,locale,parent_external_id,bill_to_parent,utc_offset_hours,balance,created_at,custom.tier\n\
         c1,Ann Lee,Lee Co,Ann,Lee,ann@x.co,+15125550100,1 Main St,Austin,TX,78701,US,Dallas,\"said \"\"hi\"\"\",active,en-US,p1,true,-6,12.50,2024-01-01T00:00:00Z,gold\n\
         c2,,,,,,,,,,,,,,,,,no,,,,\n",
    ));
    seeds.push(file(
        3,
        "external_id,customer_external_id,gateway_transaction_id,method_display_name,amount,currency,tip,tax,fee,paid_at,invoice_external_id,method,sub_type,status,active\n\
         p1,c1,gw-1,Visa 4242,12.50,USD,1.00,0.80,0.30,2024-01-01T00:00:00Z,inv-1,card,visa,approved,true\n",
    ));
    seeds
}
