//! The machine a report was measured on, from `/proc` (Linux).

/// `model name` of the first CPU, the CPUs online, total memory and the kernel release, e.g.
/// `2 × Intel(R) Xeon(R) ..., 24 GiB, Linux 6.1.0`.
pub fn describe() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU", |(_, v)| v.trim())
        .to_owned();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "{} × {model}, {mem_gib:.0} GiB, Linux {}",
        crate::cpu::online_cpus(),
        kernel.trim()
    )
}

/// The 1-minute load average, if `/proc/loadavg` can be read.
pub fn load_1min() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Lets the machine settle before a measurement: writes out dirty pages (`sync`), then waits
/// until the 1-minute load average is below `below`, for at most `limit`. A build that has just
/// finished leaves gigabytes of writeback and a high load behind, which disturb the first
/// measurements taken after it. Returns the time waited.
pub fn settle(below: f64, limit: std::time::Duration) -> std::time::Duration {
    let started = std::time::Instant::now();
    // Not finding `sync` only loses the flush; the wait below still happens.
    let _ = std::process::Command::new("sync").status();
    while started.elapsed() < limit && load_1min().is_some_and(|l| l >= below) {
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    started.elapsed()
}
