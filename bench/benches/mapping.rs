//! Mapping and serialization: canonical record -> validated -> prepared request with the exact
//! wire bytes, against the floor of `serde_json::to_vec` of the already-built wire structs
//! (`billsync_bench::fixtures`). Each iteration handles every fixture of a kind the provider
//! accepts. `cargo xtask bench` measures the same cases by CPU time, side by side, for its
//! report; this gives criterion's statistics.

use billsync_bench::fixtures::mapping_cases;
use criterion::{Criterion, criterion_group, criterion_main};

fn mapping(c: &mut Criterion) {
    let cases = match mapping_cases() {
        Ok(cases) => cases,
        Err(e) => panic!("the mapping fixtures could not be built: {e}"),
    };
    let mut g = c.benchmark_group("mapping");
    for case in &cases {
        let name = format!("{}/{}", case.provider, case.kind);
        g.bench_function(format!("{name}/billsync"), |b| b.iter(&case.billsync));
        g.bench_function(format!("{name}/floor"), |b| b.iter(&case.floor));
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = mapping
}
criterion_main!(benches);
