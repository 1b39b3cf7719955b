//! CPU time, memory and CPU pinning of processes (Linux).

use std::time::Duration;

fn clock(id: libc::clockid_t) -> Duration {
    // SAFETY: `clock_gettime` only writes into the zeroed struct we own.
    let mut t: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: a valid clock id and a valid pointer.
    if unsafe { libc::clock_gettime(id, &mut t) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(
        t.tv_sec.max(0) as u64,
        t.tv_nsec.clamp(0, 999_999_999) as u32,
    )
}

/// CPU time (user + system, every thread) this process has used so far, to the nanosecond
/// (`CLOCK_PROCESS_CPUTIME_ID`; `getrusage` and `/proc/self/stat` are tick-grained here).
pub fn process_cpu() -> Duration {
    clock(libc::CLOCK_PROCESS_CPUTIME_ID)
}

/// Pins the calling thread (and the threads it starts afterwards) to CPU `cpu`; false when the
/// machine has no such CPU or the call failed. The bench pins its client to one core and the
/// sandbox to another, so that each one's CPU time is its own.
pub fn pin_to_cpu(cpu: usize) -> bool {
    if cpu >= online_cpus() {
        return false;
    }
    // SAFETY: a zeroed `cpu_set_t` is the empty set; CPU_SET writes inside it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}

fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

/// The peak resident set (VmHWM) of process `pid`, in KiB, while it is alive.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmHWM:")
}

/// The current resident set (VmRSS) of process `pid`, in KiB.
pub fn rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmRSS:")
}

/// Lets the calling thread run on every CPU again (after [`pin_to_cpu`]), so that processes it
/// starts are not confined to one core.
pub fn unpin() {
    let cores = online_cpus();
    // SAFETY: as in `pin_to_cpu`.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        for cpu in 0..cores.min(libc::CPU_SETSIZE as usize) {
            libc::CPU_SET(cpu, &mut set);
        }
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

/// The CPUs online (whatever this thread is pinned to, unlike `available_parallelism`).
pub fn online_cpus() -> usize {
    // SAFETY: sysconf reads a system value.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    usize::try_from(n).unwrap_or(1).max(1)
}

/// CPU time the calling thread has used so far, to the nanosecond (`CLOCK_THREAD_CPUTIME_ID`).
pub fn thread_cpu() -> Duration {
    clock(libc::CLOCK_THREAD_CPUTIME_ID)
}
