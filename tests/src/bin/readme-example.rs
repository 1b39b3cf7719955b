//! The README's library example, for every provider: `readme-example <hyfin|rebilly|payabli>
//! <state file>`. Configured from the environment as the README says; prints the outcome and
//! the provider id. The `readme` test runs it twice, in two processes, against the sandbox.

use std::sync::Arc;

use billsync::hyfin::{HyfinClient, HyfinConfig};
use billsync::payabli::{PayabliClient, PayabliConfig};
use billsync::rebilly::{RebillyClient, RebillyConfig};
use billsync::state::SqliteState;
use billsync::{Address, Contact, Customer, IdMap, Provider};

fn client(provider: &str, state: Arc<dyn IdMap>) -> billsync::Result<Box<dyn Provider>> {
    Ok(match provider {
        "hyfin" => Box::new(HyfinClient::new(HyfinConfig::from_env()?)?.with_id_map(state)),
        "rebilly" => Box::new(RebillyClient::new(RebillyConfig::from_env()?)?.with_id_map(state)),
        _ => Box::new(PayabliClient::new(PayabliConfig::from_env()?)?.with_id_map(state)),
    })
}

#[tokio::main]
async fn main() -> billsync::Result<()> {
    let mut args = std::env::args().skip(1);
    let provider = args.next().unwrap_or_else(|| "hyfin".to_owned());
    let path = args
        .next()
        .unwrap_or_else(|| "billsync-state.sqlite".to_owned());
    let state = SqliteState::open(path)?;
    let client = client(&provider, state)?;
    let customer = Customer::new("cust-1001")
        .with_display_name("ABC Plumbing")
        .with_primary_contact(
            Contact::new("John", "Doe")
                .with_email("johndoe@abc.com")
                .with_billing_address(Address::new(
                    "123 Main Street",
                    "Naples",
                    "FL",
                    "34102",
                    "US",
                )),
        );
    let done = client.upsert_customer(&customer).await?;
    println!("{} {}", done.outcome.as_str(), done.provider_id);
    Ok(())
}
