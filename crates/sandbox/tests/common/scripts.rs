//! Running the contract tests' scripts (`contract/…`) against a sandbox served in-process on a
//! free 127.0.0.1 port: where the workspace and the venv's Python are, serving, and a runner
//! that streams a script's output and kills it when it hangs.

use std::future::IntoFuture;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use kassa_sandbox::{Sandbox, SandboxConfig};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The workspace root (this crate is `crates/sandbox`).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the crate lives two levels below the workspace root")
        .to_path_buf()
}

/// The contract venv's interpreter: `$KASSA_CONTRACT_PYTHON`, else
/// `target/contract-venv/bin/python` (`cargo xtask setup` makes it).
pub fn contract_python() -> PathBuf {
    let python = std::env::var_os("KASSA_CONTRACT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/contract-venv/bin/python"));
    assert!(
        python.is_file() || python.components().count() == 1,
        "no Python at {} (KASSA_CONTRACT_PYTHON): `cargo xtask setup` makes the venv",
        python.display()
    );
    python
}

/// A sandbox with `config`, served over plain HTTP on a free loopback port: its base URL
/// (`http://127.0.0.1:PORT`) and the server task, to abort when done.
pub async fn serve(config: SandboxConfig) -> (String, JoinHandle<std::io::Result<()>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let sandbox = Sandbox::new(config);
    let server = tokio::spawn(axum::serve(listener, sandbox.router()).into_future());
    (base, server)
}

/// Runs `cmd` on a blocking thread (the sandbox keeps serving on the runtime meanwhile),
/// echoing its stdout and stderr line by line as `[label] ...`, and returns its exit status;
/// past `timeout` it has hung: it is killed and the test fails. The output goes straight to
/// the process's stdout/stderr, not through the test harness's capture, so a long script
/// shows its progress as it runs.
pub async fn run_script(label: &'static str, cmd: &mut Command, timeout: Duration) -> ExitStatus {
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
        let deadline = Instant::now() + timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("{described} ran longer than {timeout:?} and was killed");
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
