//! Times one batch of a mapping case's `prepare` (and of its serde floor) with cold caches, the
//! way section 1 meets them one request at a time (the core sleeps between requests): before
//! each batch 64 MiB are written, which evicts the code and data the batch uses from L1 and L2.
//! Each cold batch is followed by the same batch again, warm. Cases as in `profile_prepare`:
//! `taskset -c 0 target/release/examples/cold_prepare payabli/customer 300`.

use std::hint::black_box;

use billsync_bench::cpu::thread_cpu;
use billsync_bench::fixtures::mapping_cases;

fn main() -> Result<(), String> {
    let which = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "payabli/customer".into());
    let n: usize = std::env::args()
        .nth(2)
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let cases = mapping_cases()?;
    let case = cases
        .iter()
        .find(|c| format!("{}/{}", c.provider, c.kind) == which)
        .ok_or_else(|| format!("no case `{which}`"))?;
    let mut junk = vec![0u8; 64 << 20];
    let mut evict = |k: u8| {
        for chunk in junk.chunks_mut(64) {
            chunk[0] = chunk[0].wrapping_add(k);
        }
        black_box(&junk);
    };
    let (mut ours, mut floor, mut ours_warm, mut floor_warm) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..n {
        for side in [i % 2 == 0, i % 2 == 1] {
            evict(1);
            let run = if side { &case.billsync } else { &case.floor };
            let t0 = thread_cpu();
            black_box(run());
            let cold = thread_cpu().saturating_sub(t0).as_secs_f64();
            let t0 = thread_cpu();
            black_box(run());
            let warm = thread_cpu().saturating_sub(t0).as_secs_f64();
            if side {
                ours += cold;
                ours_warm += warm;
            } else {
                floor += cold;
                floor_warm += warm;
            }
        }
    }
    let us = |t: f64| t * 1e6 / n as f64;
    println!(
        "{which}: cold: prepare {:.1} µs vs floor {:.1} µs per batch ({:.2}x); warm: {:.1} vs {:.1} ({:.2}x)",
        us(ours),
        us(floor),
        ours / floor,
        us(ours_warm),
        us(floor_warm),
        ours_warm / floor_warm
    );
    Ok(())
}
