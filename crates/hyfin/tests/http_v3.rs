//! Hyfin's external-id customer API (v3) over HTTP, against wiremock: creates retried safely,
//! what each answer becomes, and the read keyed by external id.

mod common;

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use billsync_core::{
    Contact, Customer, CustomerStatus, ErrorKind, Outcome, RecordKind, Support, Upsert,
};
use billsync_hyfin::{HyfinClient, HyfinCustomerApi, HyfinError};
use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "hyfin-v3-secret-token-51c0";
const ADD_UPDATE: &str = "/api/v3/site/site-1/customer/addUpdate";

fn client(server: &MockServer) -> HyfinClient {
    common::client(server, TOKEN, HyfinCustomerApi::V3)
}

fn customer() -> Customer {
    Customer::new("39772634")
        .with_company("Doe Plumbing")
        .with_primary_contact(
            Contact::new("John", "Doe")
                .with_phone("111-222-3333")
                .with_email("johndoe@abc.com"),
        )
        .with_notes("World's best customer")
}

/// Hyfin's v3 addUpdate as documented: keyed by `external_id`, `added` the first time and
/// `updated` after, the same `_id` each time. The first `slow` answers come after the client's
/// timeout, although the write is done: an answer lost on the way back.
struct HyfinV3 {
    ids: Mutex<HashMap<String, String>>,
    slow: AtomicU32,
}

impl HyfinV3 {
    fn new(slow: u32) -> Self {
        HyfinV3 {
            ids: Mutex::new(HashMap::new()),
            slow: AtomicU32::new(slow),
        }
    }
}

impl Respond for &'static HyfinV3 {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let external_id = body["external_id"].as_str().unwrap().to_owned();
        let mut ids = self.ids.lock().unwrap();
        let next = format!("hy-{}", ids.len() + 1);
        let (action, id) = match ids.get(&external_id) {
            Some(id) => ("updated", id.clone()),
            None => {
                ids.insert(external_id, next.clone());
                ("added", next)
            }
        };
        let answer = reply(200, json!({"success": true, "action": action, "_id": id}));
        let slow = self
            .slow
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if slow {
            answer.set_delay(Duration::from_secs(2))
        } else {
            answer
        }
    }
}

async fn hyfin_v3(server: &MockServer, slow: u32) -> &'static HyfinV3 {
    let emulator: &'static HyfinV3 = Box::leak(Box::new(HyfinV3::new(slow)));
    Mock::given(method("POST"))
        .and(path(ADD_UPDATE))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .respond_with(emulator)
        .mount(server)
        .await;
    emulator
}

async fn bodies(server: &MockServer) -> Vec<Vec<u8>> {
    let requests = server.received_requests().await.unwrap();
    requests.into_iter().map(|r| r.body).collect()
}

#[tokio::test]
async fn first_upsert_adds_then_updates_by_external_id_without_an_id_map() {
    let server = MockServer::start().await;
    let hyfin = hyfin_v3(&server, 0).await;
    let client = client(&server);

    let first = client.upsert(&customer()).await.unwrap();
    assert_eq!(
        (first.outcome, first.provider_id.as_str()),
        (Outcome::Created, "hy-1")
    );
    assert_eq!(first.requests, 1);
    let second = client.upsert(&customer()).await.unwrap();
    assert_eq!(
        (second.outcome, second.provider_id.as_str()),
        (Outcome::Updated, "hy-1")
    );

    let sent = bodies(&server).await;
    assert_eq!(sent[0], sent[1], "both upserts send the same bytes");
    let body: Value = serde_json::from_slice(&sent[0]).unwrap();
    assert_eq!(
        body,
        json!({
            "external_id": "39772634",
            "first_name": "John",
            "last_name": "Doe",
            "account_name": "Doe Plumbing",
            "mobile_phone": "111-222-3333",
            "email": "johndoe@abc.com",
            "notes": "World's best customer"
        })
    );
    assert_eq!(hyfin.ids.lock().unwrap().len(), 1);
    assert_eq!(
        client
            .id_map()
            .get(client.account(), RecordKind::Customer, "39772634")
            .unwrap(),
        None,
        "the v3 API needs no id map"
    );
}

#[tokio::test]
async fn a_lost_state_creates_no_duplicate() {
    let server = MockServer::start().await;
    let hyfin = hyfin_v3(&server, 0).await;
    client(&server).upsert(&customer()).await.unwrap();
    // A new process: nothing remembered.
    let again = client(&server).upsert(&customer()).await.unwrap();
    assert_eq!(
        (again.outcome, again.provider_id.as_str()),
        (Outcome::Updated, "hy-1")
    );
    assert_eq!(hyfin.ids.lock().unwrap().len(), 1, "one customer at Hyfin");
}

#[tokio::test]
async fn server_error_then_success_is_retried_with_the_same_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ADD_UPDATE))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    let hyfin = hyfin_v3(&server, 0).await;
    let done = client(&server).upsert(&customer()).await.unwrap();
    assert_eq!((done.outcome, done.requests), (Outcome::Created, 2));
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0], sent[1]);
    assert_eq!(hyfin.ids.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_timed_out_create_is_retried_and_finds_its_own_record() {
    let server = MockServer::start().await;
    // Hyfin adds the customer, but the answer comes too late.
    let hyfin = hyfin_v3(&server, 1).await;
    let done = client(&server).upsert(&customer()).await.unwrap();
    assert_eq!(done.requests, 2);
    // The retry finds the record the first attempt added: Hyfin says `updated`.
    assert_eq!(
        (done.outcome, done.provider_id.as_str()),
        (Outcome::Updated, "hy-1")
    );
    let sent = bodies(&server).await;
    assert_eq!(sent[0], sent[1]);
    assert_eq!(hyfin.ids.lock().unwrap().len(), 1, "no duplicate");
}

#[tokio::test]
async fn exhausted_retries_are_retryable_errors_never_outcome_unknown() {
    let server = MockServer::start().await;
    answer_exactly(&server, 3, "POST", ResponseTemplate::new(500)).await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    assert!(err.is_retryable());

    let server = MockServer::start().await;
    let hyfin = hyfin_v3(&server, 3).await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.is_retryable());
    assert_eq!(
        bodies(&server).await.len(),
        3,
        "first attempt and two retries"
    );
    assert_eq!(hyfin.ids.lock().unwrap().len(), 1);
    // Sending it again later is safe: the same customer is updated.
    let later = client(&server).upsert(&customer()).await.unwrap();
    assert_eq!(
        (later.outcome, later.provider_id.as_str()),
        (Outcome::Updated, "hy-1")
    );
}

#[tokio::test]
async fn rejected_and_refused_answers_carry_hyfin_s_messages_and_never_the_token() {
    let server = MockServer::start().await;
    let refused = reply(
        200,
        json!({"success": false, "errors": ["missing first_name", "invalid email"]}),
    );
    answer_exactly(&server, 1, "POST", refused).await;
    let err = client(&server).upsert(&customer()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert_eq!(err.messages(), ["missing first_name", "invalid email"]);
    assert_eq!(err.detail::<HyfinError>().unwrap().status, 200);
    let mut texts = vec![err.to_string(), format!("{err:?}")];

    for (status, kind) in [(401, ErrorKind::Auth), (422, ErrorKind::Rejected)] {
        let server = MockServer::start().await;
        answer_exactly(&server, 1, "POST", text(status, "<html>no</html>")).await;
        let err = client(&server).upsert(&customer()).await.unwrap_err();
        assert_eq!(err.kind(), kind);
        assert_eq!(err.status(), Some(status));
        texts.extend([err.to_string(), format!("{err:?}")]);
    }
    texts.push(format!("{:?}", client(&server)));
    for text in texts {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
    }
}

#[tokio::test]
async fn nothing_is_sent_for_a_customer_without_names() {
    let server = MockServer::start().await;
    let mut bad = customer();
    bad.primary_contact = None;
    let err = client(&server).upsert(&bad).await.unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["primary_contact"]);
    assert_eq!(err.provider(), Some("hyfin"));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn deleted_customers_are_sent_inactive() {
    let server = MockServer::start().await;
    hyfin_v3(&server, 0).await;
    client(&server)
        .upsert(&customer().with_status(CustomerStatus::Deleted))
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&bodies(&server).await[0]).unwrap();
    assert_eq!(body["active"], false);
}

#[tokio::test]
async fn capabilities_follow_the_configured_api() {
    let server = MockServer::start().await;
    let v3 = client(&server);
    assert_eq!(v3.capabilities().customers, Support::UpsertByExternalId);
    let v4 = common::client(&server, TOKEN, HyfinCustomerApi::V4);
    assert_eq!(v4.capabilities().customers, Support::UpsertByProviderId);
    assert_eq!(v4.config().customer_api(), HyfinCustomerApi::V4);
}

#[tokio::test]
async fn a_batch_whose_first_answers_are_all_lost_syncs_each_customer_once() {
    let server = MockServer::start().await;
    let n = 20;
    // Every first attempt is written at Hyfin but answered too late.
    let hyfin = hyfin_v3(&server, n).await;
    // Room for a late first attempt to land after another customer's retry on a busy machine.
    let http = billsync_core::testing::fast_retries(5);
    let client = common::client_with(&server, TOKEN, HyfinCustomerApi::V3, http);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let client = client.clone();
        let mut c = customer();
        c.external_id = format!("batch-{i}");
        tasks.spawn(async move { client.upsert(&c).await });
    }
    let mut done = 0;
    while let Some(result) = tasks.join_next().await {
        let upserted = result.unwrap().unwrap();
        assert!(upserted.requests >= 2, "{upserted:?}");
        done += 1;
    }
    assert_eq!(done, n);
    let ids = hyfin.ids.lock().unwrap();
    assert_eq!(ids.len(), n as usize, "one customer per external id");
    assert!((0..n).all(|i| ids.contains_key(&format!("batch-{i}"))));
}
