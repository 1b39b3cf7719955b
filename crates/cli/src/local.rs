//! The local sandbox, when the `sandbox` feature (on by default) is compiled in; without it,
//! `--sandbox`, `billsync sandbox` and `billsync demo` say so and exit 2.

#[cfg(feature = "sandbox")]
pub use billsync_sandbox::Sandbox;

/// Without the `sandbox` feature no sandbox can exist.
#[cfg(not(feature = "sandbox"))]
pub enum Sandbox {}

#[cfg(not(feature = "sandbox"))]
impl Sandbox {
    /// Never called: no value of this type exists.
    pub fn provider_base_url(&self, _name: &str) -> Option<String> {
        match *self {}
    }
}

#[cfg(not(feature = "sandbox"))]
const MISSING: &str = "this billsync was built without the `sandbox` feature";

/// Starts an in-process sandbox on a free port.
pub async fn start() -> Result<Sandbox, String> {
    #[cfg(feature = "sandbox")]
    return Sandbox::start()
        .await
        .map_err(|e| format!("cannot start the sandbox: {e}"));
    #[cfg(not(feature = "sandbox"))]
    Err(MISSING.to_owned())
}

/// Serves the sandbox on 127.0.0.1:`port` until Ctrl-C, keeping records in `data` if given.
pub async fn serve(port: u16, data: Option<std::path::PathBuf>) -> Result<(), String> {
    #[cfg(feature = "sandbox")]
    {
        use std::net::SocketAddr;
        let config = billsync_sandbox::SandboxConfig {
            data,
            ..billsync_sandbox::SandboxConfig::default()
        };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let paths: Vec<&str> = billsync_sandbox::Provider::ALL
            .iter()
            .map(|p| p.path())
            .collect();
        crate::stdout::say!(
            "billsync sandbox on http://{addr}: {}; stats at /_sandbox/stats (Ctrl-C stops)",
            paths.join(", ")
        );
        crate::stdout::say!("inspector: http://{addr}/_sandbox/ (every request and record, live)");
        billsync_sandbox::serve(addr, config, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| format!("the sandbox stopped: {e}"))
    }
    #[cfg(not(feature = "sandbox"))]
    {
        let _ = (port, data);
        Err(MISSING.to_owned())
    }
}

/// Runs `billsync demo`.
pub async fn demo(profile: &crate::config::Profile) -> Result<(), String> {
    #[cfg(feature = "sandbox")]
    return crate::demo::run(profile).await;
    #[cfg(not(feature = "sandbox"))]
    {
        let _ = profile;
        Err(MISSING.to_owned())
    }
}
