//! `billsync render`: the requests each record would send, secrets redacted; nothing is sent.

use std::path::Path;

use billsync::{Customer, Payment, Provider};

use crate::args::Kind;
use crate::input::Records;
use crate::report::cap;
use crate::stdout::{self, say};

/// Prints every record's requests (or its validation error). Returns whether all were valid.
/// Stops early, quietly, when standard output is closed; a read error of the file is an error.
pub fn run(file: &Path, kind: Kind, provider: &dyn Provider) -> Result<bool, String> {
    let mut records = Records::open(file, kind)?;
    let mut all_valid = true;
    while !stdout::closed() {
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
                say!("# line {line}: {}\n", cap(&msg));
            }
            Ok((id, Err(e))) => {
                all_valid = false;
                say!("# line {line} ({}): {}\n", cap(&id), cap(&e.to_string()));
            }
            Ok((id, Ok(requests))) => {
                say!(
                    "# line {line} ({}): {} request(s)",
                    cap(&id),
                    requests.len()
                );
                for r in requests {
                    say!("{r}");
                }
            }
        }
    }
    match records.failure() {
        Some(why) => Err(format!("{}: {why}", file.display())),
        None => Ok(all_valid),
    }
}
