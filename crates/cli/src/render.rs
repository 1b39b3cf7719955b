//! `billsync render`: the requests each record would send, secrets redacted; nothing is sent.

use std::path::Path;

use billsync::{Customer, Payment, Provider};

use crate::args::Kind;
use crate::input::Records;

/// Prints every record's requests (or its validation error). Returns whether all were valid.
pub fn run(file: &Path, kind: Kind, provider: &dyn Provider) -> Result<bool, String> {
    let mut records = Records::open(file, kind)?;
    let mut all_valid = true;
    loop {
        let (line, prepared) = match kind {
            Kind::Customers => match records.next::<Customer>() {
                None => break,
                Some(i) => (
                    i.line,
                    i.record
                        .map(|c| (c.external_id.clone(), provider.prepare_customer(&c))),
                ),
            },
            Kind::Payments => match records.next::<Payment>() {
                None => break,
                Some(i) => (
                    i.line,
                    i.record
                        .map(|p| (p.external_id.clone(), provider.prepare_payment(&p))),
                ),
            },
        };
        match prepared {
            Err(msg) => {
                all_valid = false;
                println!("# line {line}: {msg}\n");
            }
            Ok((id, Err(e))) => {
                all_valid = false;
                println!("# line {line} ({id}): {e}\n");
            }
            Ok((id, Ok(requests))) => {
                println!("# line {line} ({id}): {} request(s)", requests.len());
                for r in requests {
                    println!("{r}");
                }
            }
        }
    }
    Ok(all_valid)
}
