//! The sandbox in a child process (the bench binary started with `--serve-sandbox`), so that
//! the CPU time and memory measured for the client are the client's alone, and the sandbox's
//! own memory can be read from `/proc`.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use billsync_sandbox::{Sandbox, SandboxConfig, Stats};

/// The argument that turns the bench binary into a sandbox server.
pub const SERVE_FLAG: &str = "--serve-sandbox";

/// A sandbox in a child process; killed on drop.
pub struct SandboxProcess {
    child: Child,
    /// `http://127.0.0.1:PORT` (admin endpoints).
    pub base: String,
    /// Hyfin's base URL.
    pub hyfin: String,
    /// Rebilly's base URL.
    pub rebilly: String,
    /// Payabli's base URL.
    pub payabli: String,
}

impl SandboxProcess {
    /// Starts a sandbox adding `latency_ms` to every answer, pinned to CPU `cpu` when given.
    pub fn start(latency_ms: u64, cpu: Option<usize>) -> Result<Self, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let cpu = cpu.map_or_else(|| "-".to_owned(), |c| c.to_string());
        let mut child = Command::new(exe)
            .args([SERVE_FLAG, &latency_ms.to_string(), &cpu])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start the sandbox process: {e}"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or("no stdout from the sandbox process")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|p| p.strip_prefix(name))
                .map(str::to_owned)
        };
        match (
            field("base="),
            field("hyfin="),
            field("rebilly="),
            field("payabli="),
        ) {
            (Some(base), Some(hyfin), Some(rebilly), Some(payabli)) => Ok(SandboxProcess {
                child,
                base,
                hyfin,
                rebilly,
                payabli,
            }),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!("the sandbox process said `{}`", line.trim()))
            }
        }
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The sandbox's counters (`GET /_sandbox/stats`).
    pub async fn stats(&self, http: &billsync::reqwest::Client) -> Result<Stats, String> {
        let url = format!("{}/_sandbox/stats", self.base);
        let resp = http.get(url).send().await.map_err(|e| e.to_string())?;
        let bytes = resp.bytes().await.map_err(|e| e.to_string())?;
        serde_json::from_slice(&bytes).map_err(|e| format!("sandbox stats: {e}"))
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The child's side: serves a sandbox until the parent closes its stdin. `args` are what
/// follows [`SERVE_FLAG`]: the latency in milliseconds and the CPU to pin to (or `-`).
pub fn serve(args: &[String]) -> Result<(), String> {
    let latency_ms: u64 = args.first().and_then(|v| v.parse().ok()).unwrap_or(0);
    let pinned = args
        .get(1)
        .and_then(|v| v.parse().ok())
        .is_some_and(crate::cpu::pin_to_cpu);
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if pinned {
        // One core: one worker, no thread contending with another on it.
        rt.worker_threads(1);
    }
    let rt = rt.enable_all().build().map_err(|e| e.to_string())?;
    rt.block_on(async {
        let config = SandboxConfig::default().with_latency(Duration::from_millis(latency_ms));
        let sandbox = Sandbox::start_with(config)
            .await
            .map_err(|e| e.to_string())?;
        println!(
            "base={} hyfin={} rebilly={} payabli={}",
            sandbox.base_url(),
            sandbox.hyfin_base_url(),
            sandbox.rebilly_base_url(),
            sandbox.payabli_base_url()
        );
        // Serve until the parent closes our stdin (or kills us).
        tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        })
        .await
        .map_err(|e| e.to_string())?;
        sandbox.shutdown().await;
        Ok(())
    })
}
