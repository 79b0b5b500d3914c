//! Contract tests: the sandbox driven by Mollie's official client libraries, each running the
//! documented Orders flow (`contract/python/scenario.py`, `contract/node/scenario.mjs`).
//!
//! They need the clients installed, so they are `#[ignore]`d in a plain `cargo test`;
//! `cargo xtask test` installs them (a venv at `target/contract-venv`, `npm ci` in
//! `contract/node`) and runs them with the Klarna ones:
//! `cargo test -p kassa-sandbox --test sandbox -- --ignored contract_clients:: contract_klarna::`.
//!
//! - Python (`mollie-api-python` 4.0.0) talks plain HTTP to the sandbox root URL. The
//!   interpreter is `$KASSA_CONTRACT_PYTHON`, else `target/contract-venv/bin/python`.
//! - Node (`@mollie/api-client` 4.6.0) only speaks HTTPS and trusts only its bundled CAs, so
//!   the sandbox serves a self-signed certificate and that one node process runs with
//!   `NODE_TLS_REJECT_UNAUTHORIZED=0`. The program is `$KASSA_CONTRACT_NODE`, else `node`.
//!
//! Each test starts its own sandbox in-process on a free 127.0.0.1 port, runs the script with
//! the base URL as its argument, streams the script's output (prefixed with the client's name)
//! and asserts that it exits with status 0.
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::common::scripts::{contract_python, run_script, serve, workspace};
use kassa_sandbox::{Sandbox, SandboxConfig};
use tokio::net::TcpListener;

/// A scenario that takes longer than this has hung: it is killed and the test fails.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

#[tokio::test]
#[ignore = "needs the official clients: cargo xtask test"]
async fn python_client_runs_the_order_scenario() {
    let python = contract_python();
    let (base, server) = serve(SandboxConfig::default()).await;
    let script = workspace().join("contract/python/scenario.py");
    let status = run_script(
        "python",
        Command::new(&python).arg(&script).arg(&base),
        SCRIPT_TIMEOUT,
    )
    .await;
    server.abort();
    assert!(
        status.success(),
        "the Python scenario failed ({status}); its output is above"
    );
}

#[tokio::test]
#[ignore = "needs the official clients: cargo xtask test"]
async fn node_client_runs_the_order_scenario() {
    let node = std::env::var_os("KASSA_CONTRACT_NODE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("node"));
    let dir = workspace().join("contract/node");
    assert!(
        dir.join("node_modules/@mollie/api-client/package.json")
            .is_file(),
        "@mollie/api-client is not installed in {}: `cargo xtask setup` runs npm ci",
        dir.display()
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let endpoint = format!("https://{}/v2/", listener.local_addr().expect("address"));
    // The links the sandbox hands out (`_links.checkout`, `next`) must be https too.
    let sandbox = Sandbox::new(SandboxConfig {
        scheme: "https".into(),
        ..SandboxConfig::default()
    });
    let server = tokio::spawn(kassa_sandbox::serve_tls(listener, sandbox.router()));

    let status = run_script(
        "node",
        Command::new(&node)
            .arg(dir.join("scenario.mjs"))
            .arg(&endpoint)
            .current_dir(&dir)
            // The client trusts only its bundled CA list (NODE_EXTRA_CA_CERTS is ignored), so
            // this process, and only this one, accepts the sandbox's self-signed certificate.
            .env("NODE_TLS_REJECT_UNAUTHORIZED", "0")
            .env("NODE_NO_WARNINGS", "1"),
        SCRIPT_TIMEOUT,
    )
    .await;
    server.abort();
    assert!(
        status.success(),
        "the Node scenario failed ({status}); its output is above"
    );
}
