//! Counts heap allocations per batch of one mapping case (`billsync_bench::fixtures`), billsync's
//! `prepare` against the serde floor:
//! `cargo run --release -p billsync-bench --example count_allocs [provider/kind ...]`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

use billsync_bench::fixtures::mapping_cases;

/// The system allocator, counting allocations and bytes.
struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and bytes of one call of `f` (after a warm-up call).
fn count(f: &dyn Fn() -> usize) -> (u64, u64) {
    black_box(f());
    let (a, b) = (
        ALLOCS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    );
    black_box(f());
    (
        ALLOCS.load(Ordering::Relaxed) - a,
        BYTES.load(Ordering::Relaxed) - b,
    )
}

fn main() -> Result<(), String> {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    for case in mapping_cases()? {
        let name = format!("{}/{}", case.provider, case.kind);
        if !wanted.is_empty() && !wanted.contains(&name) {
            continue;
        }
        let (oa, ob) = count(case.billsync.as_ref());
        let (fa, fb) = count(case.floor.as_ref());
        let n = case.fixtures as f64;
        println!(
            "{name:24} prepare {:5.1} allocs {:6.0} B per record | floor {:5.1} allocs {:6.0} B",
            oa as f64 / n,
            ob as f64 / n,
            fa as f64 / n,
            fb as f64 / n
        );
    }
    Ok(())
}
