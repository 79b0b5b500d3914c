//! Contract tests: the sandbox driven by Mollie's official client libraries, each running the
//! documented Orders flow (`contract/python/scenario.py`, `contract/node/scenario.mjs`).
//!
//! They need the clients installed, so they are `#[ignore]`d in a plain `cargo test`;
//! `cargo xtask test` installs them (a venv at `target/contract-venv`, `npm ci` in
//! `contract/node`) and runs `cargo test -p kassa-sandbox --test contract_clients -- --ignored`.
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

use std::future::IntoFuture;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use kassa_sandbox::{Sandbox, SandboxConfig};
use tokio::net::TcpListener;

/// A scenario that takes longer than this has hung: it is killed and the test fails.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

#[tokio::test]
#[ignore = "needs the official clients: cargo xtask test"]
async fn python_client_runs_the_order_scenario() {
    let python = std::env::var_os("KASSA_CONTRACT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/contract-venv/bin/python"));
    assert!(
        python.is_file() || python.components().count() == 1,
        "no Python at {} (KASSA_CONTRACT_PYTHON): `cargo xtask setup` makes the venv",
        python.display()
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let sandbox = Sandbox::new(SandboxConfig::default());
    let server = tokio::spawn(axum::serve(listener, sandbox.router()).into_future());

    let script = workspace().join("contract/python/scenario.py");
    let status = run_script("python", Command::new(&python).arg(&script).arg(&base)).await;
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
    )
    .await;
    server.abort();
    assert!(
        status.success(),
        "the Node scenario failed ({status}); its output is above"
    );
}

/// The workspace root (this crate is `crates/sandbox`).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the crate lives two levels below the workspace root")
        .to_path_buf()
}

/// Runs `cmd` on a blocking thread (the sandbox keeps serving on the runtime meanwhile),
/// echoing its stdout and stderr line by line as `[label] ...`, and returns its exit status.
/// The output goes straight to the process's stdout/stderr, not through the test harness's
/// capture, so a long scenario shows its progress as it runs.
async fn run_script(label: &'static str, cmd: &mut Command) -> ExitStatus {
    let described = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {described}: {e}"));
    let stdout = child.stdout.take().expect("piped stdout");
    let stderr = child.stderr.take().expect("piped stderr");
    tokio::task::spawn_blocking(move || {
        let echo_out = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = writeln!(std::io::stdout().lock(), "[{label}] {line}");
            }
        });
        let echo_err = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = writeln!(std::io::stderr().lock(), "[{label} stderr] {line}");
            }
        });
        let deadline = Instant::now() + SCRIPT_TIMEOUT;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("{described} ran longer than {SCRIPT_TIMEOUT:?} and was killed");
                }
                Err(e) => panic!("waiting for {described}: {e}"),
            }
        };
        let _ = echo_out.join();
        let _ = echo_err.join();
        status
    })
    .await
    .expect("the script runner thread")
}
