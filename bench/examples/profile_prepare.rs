//! Loops billsync's `prepare` over one mapping case's fixtures (`billsync_bench::fixtures`), for
//! profiling with callgrind:
//! `valgrind --tool=callgrind target/release/examples/profile_prepare payabli/customer [floor]`.

use std::hint::black_box;

use billsync_bench::fixtures::mapping_cases;

fn main() -> Result<(), String> {
    let which = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "hyfin/customer".into());
    let floor = std::env::args().nth(2).as_deref() == Some("floor");
    let cases = mapping_cases()?;
    let case = cases
        .iter()
        .find(|c| format!("{}/{}", c.provider, c.kind) == which)
        .ok_or_else(|| format!("no case `{which}`"))?;
    let run = if floor { &case.floor } else { &case.billsync };
    for _ in 0..2000 {
        black_box(run());
    }
    Ok(())
}
