//! At library level: clients of one provider for different accounts can share one `IdMap` and
//! never see each other's ids.

use std::sync::Arc;

use billsync::hyfin::{HyfinClient, HyfinConfig};
use billsync::payabli::{PayabliClient, PayabliConfig};
use billsync::secrecy::SecretString;
use billsync::{Contact, Customer, IdMap, MemoryIdMap, Outcome, Provider, RecordKind};
use billsync_sandbox::{
    DEFAULT_HYFIN_TOKEN, DEFAULT_PAYABLI_TOKEN, Provider as Sandboxed, Sandbox,
};

fn hyfin(sandbox: &Sandbox, site: &str, ids: Arc<dyn IdMap>) -> Box<dyn Provider> {
    let config = HyfinConfig::builder()
        .base_url(sandbox.hyfin_base_url())
        .site_id(site)
        .api_token(SecretString::from(DEFAULT_HYFIN_TOKEN))
        .build()
        .unwrap();
    Box::new(HyfinClient::new(config).unwrap().with_id_map(ids))
}

fn payabli(sandbox: &Sandbox, entry: &str, ids: Arc<dyn IdMap>) -> Box<dyn Provider> {
    let config = PayabliConfig::builder()
        .base_url(sandbox.payabli_base_url())
        .entrypoint(entry)
        .api_token(SecretString::from(DEFAULT_PAYABLI_TOKEN))
        .build()
        .unwrap();
    Box::new(PayabliClient::new(config).unwrap().with_id_map(ids))
}

fn customer(last_name: &str) -> Customer {
    Customer::new("cust-1")
        .with_display_name("ABC Plumbing")
        .with_primary_contact(Contact::new("Ann", last_name).with_email("ann@example.com"))
}

#[tokio::test]
async fn accounts_sharing_one_id_map_never_see_each_others_ids() {
    let sandbox = Sandbox::start().await.unwrap();
    let ids: Arc<MemoryIdMap> = Arc::new(MemoryIdMap::new());
    for (provider, a, b) in [
        (
            Sandboxed::Hyfin,
            hyfin(&sandbox, "site-a", ids.clone()),
            hyfin(&sandbox, "site-b", ids.clone()),
        ),
        (
            Sandboxed::Payabli,
            payabli(&sandbox, "entry-a", ids.clone()),
            payabli(&sandbox, "entry-b", ids.clone()),
        ),
    ] {
        assert_ne!(a.account(), b.account());
        let in_a = a.upsert_customer(&customer("One")).await.unwrap();
        let in_b = b.upsert_customer(&customer("Two")).await.unwrap();
        assert_eq!(
            (in_a.outcome, in_b.outcome),
            (Outcome::Created, Outcome::Created)
        );
        assert_ne!(in_a.provider_id, in_b.provider_id, "{provider:?}");
        let a_id = ids
            .get(a.account(), RecordKind::Customer, "cust-1")
            .unwrap();
        assert_eq!(a_id.as_deref(), Some(in_a.provider_id.as_str()));
        let again = a.upsert_customer(&customer("Three")).await.unwrap();
        assert_eq!(
            (again.outcome, &again.provider_id),
            (Outcome::Updated, &in_a.provider_id)
        );
        let stored = sandbox.records(provider, "customer");
        assert_eq!(stored.len(), 2, "{provider:?}: one customer per account");
        let last_names: Vec<String> = stored.iter().map(|r| r.to_string()).collect();
        assert!(
            last_names.iter().any(|r| r.contains("Three")),
            "{provider:?}: {last_names:?}"
        );
        assert!(
            last_names.iter().any(|r| r.contains("Two")),
            "{provider:?}: B untouched"
        );
    }
}
