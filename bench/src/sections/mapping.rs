//! Section 2: mapping and serialization against the serde floor, read from criterion's results
//! (`<target>/criterion/mapping/*/new/estimates.json`, written by `benches/mapping.rs`).

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::table::Report;

/// The provider and kind pairs `benches/mapping.rs` measures; every one must have results.
pub const PAIRS: [(&str, &str); 6] = [
    ("hyfin", "customer"),
    ("hyfin", "payment"),
    ("rebilly", "customer"),
    ("rebilly", "payment"),
    ("payabli", "customer"),
    ("payabli", "customer_known"),
];

/// The target: prepare at most this many times the floor.
pub const TARGET: f64 = 2.0;

fn median_ns(dir: &Path, name: &str, since: Option<SystemTime>) -> Result<f64, String> {
    let file = dir.join(name).join("new/estimates.json");
    let meta = std::fs::metadata(&file).map_err(|_| format!("no {}", file.display()))?;
    if let (Some(since), Ok(modified)) = (since, meta.modified())
        && modified < since
    {
        return Err(format!("{} is older than this run", file.display()));
    }
    let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    v["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("no median in {}", file.display()))
}

/// Adds a row per pair; a pair without (fresh) results is a row marked not measured.
/// `since`: results older than this are stale.
pub fn section(report: &mut Report, target: &Path, since: Option<SystemTime>) {
    report.section("2. mapping vs serde floor");
    let dir = target.join("criterion").join("mapping");
    for (provider, kind) in PAIRS {
        let what = format!(
            "{provider} {kind}: prepare (validate, map, serialize, URL, headers) vs serde_json::to_vec of the built wire bodies, per fixture batch"
        );
        let ours = median_ns(&dir, &format!("{provider}_{kind}_billsync"), since);
        let floor = median_ns(&dir, &format!("{provider}_{kind}_floor"), since);
        match (ours, floor) {
            (Ok(ours), Ok(floor)) => {
                let ratio = ours / floor.max(1e-9);
                report.row(
                    what,
                    format!(
                        "{:.2} µs vs {:.2} µs = {ratio:.2}x",
                        ours / 1000.0,
                        floor / 1000.0
                    ),
                    format!("≤ {TARGET:.1}x"),
                    Some(ratio <= TARGET),
                );
            }
            (Err(e), _) | (_, Err(e)) => report.not_measured(
                what,
                format!("{e}; run `cargo bench -p billsync-bench --bench mapping` first"),
            ),
        }
    }
}

/// A moment a little before now: criterion results written after it are this run's.
pub fn run_start() -> SystemTime {
    SystemTime::now() - Duration::from_secs(1)
}
