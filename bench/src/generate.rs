//! Generated records for load and memory runs: realistic, distinct, valid for every provider.

use std::io::Write;
use std::path::Path;

use billsync::{Address, Contact, Customer, Payment, PaymentMethod, PaymentSubType};

/// Customer number `i`.
pub fn customer(i: usize) -> Customer {
    Customer::new(format!("bench-cust-{i:08}"))
        .with_display_name(format!("Bench Customer {i}"))
        .with_company(format!("Company {i} LLC"))
        .with_primary_contact(
            Contact::new("Alex", format!("Bench{i}"))
                .with_email(format!("alex.bench{i}@example.com"))
                .with_phone(format!("512-555-{:04}", i % 10_000))
                .with_billing_address(Address::new(
                    format!("{i} Main Street"),
                    "Austin",
                    "TX",
                    "78701",
                    "US",
                )),
        )
}

/// Payment number `i` (captured card payment in USD).
pub fn payment(i: usize) -> Payment {
    let paid_at = chrono_like_time(i);
    Payment::new(
        format!("bench-pay-{i:08}"),
        format!("bench-cust-{i:08}"),
        billsync::rust_decimal::Decimal::new(1000 + (i as i64 % 90_000), 2),
        "USD",
        paid_at,
    )
    .with_method(PaymentMethod::Card)
    .with_sub_type(PaymentSubType::Visa)
    .with_gateway_transaction_id(format!("gw-{i}"))
    .with_method_display_name(format!("VISA **** {:04}", i % 10_000))
}

fn chrono_like_time(i: usize) -> billsync::chrono::DateTime<billsync::chrono::Utc> {
    use billsync::chrono::{TimeZone, Utc};
    Utc.timestamp_opt(1_700_000_000 + i as i64, 0)
        .single()
        .unwrap_or_default()
}

/// Writes `n` customers as JSON Lines to `path` (streamed, constant memory).
pub fn customers_jsonl(path: &Path, n: usize) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for i in 0..n {
        serde_json::to_writer(&mut out, &customer(i))?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
