//! Fuzzing the proxy's API against its own OpenAPI document (`GET /api/openapi.json`) with
//! Schemathesis: `contract/proxy/fuzz.py` (its docstring says what runs and what is checked).
//!
//! A proxy with the embedded sandbox (`kassa_proxy::start(Config::for_tests(..))`: in-memory
//! SQLite, everything on a free 127.0.0.1 port) is fuzzed twice, as a logged-in operator
//! (session cookie and `X-CSRF-Token`; `DELETE /api/session` left out, as it would log the
//! fuzzer out mid-run) and as anyone, checking: no 5xx, only documented statuses, media types
//! and bodies, and every 4xx in Kassa's error shape with `validation` naming its field.
//!
//! It needs Schemathesis (`contract/klarna/requirements.txt`), so it is `#[ignore]`d in a plain
//! `cargo test`; `cargo xtask test` runs it in its "contract tests" step (`--test proxy --
//! --ignored contract_fuzz::`). The interpreter is `$KASSA_CONTRACT_PYTHON`, else
//! `target/contract-venv/bin/python`. `KASSA_FUZZ_EXAMPLES` (default 5) raises the number
//! of random cases per operation for a longer run, `KASSA_FUZZ_SECONDS` (default 120) each
//! run's time limit (docs/testing.md).
// The sandbox's contract tests' runner: the venv's Python, streaming output, a time limit.
#[allow(dead_code)]
#[path = "../../sandbox/tests/common/scripts.rs"]
mod scripts;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use kassa_proxy::config::{Config, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD};
use scripts::{contract_python, run_script, workspace};

/// Each of the script's two runs is stopped by the script past its own limit
/// (`KASSA_FUZZ_SECONDS`); this is the backstop for the whole.
fn backstop() -> Duration {
    let per_run = std::env::var("KASSA_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(120);
    Duration::from_secs(per_run * 2 + 60)
}

#[tokio::test]
#[ignore = "needs schemathesis: cargo xtask test"]
async fn schemathesis_finds_nothing_against_the_proxys_openapi_document() {
    let python = contract_python();
    let running = kassa_proxy::start(Config::for_tests(PathBuf::from("/nonexistent-dist")))
        .await
        .expect("start the proxy");
    assert!(running.addr.ip().is_loopback(), "{}", running.addr);
    let script = workspace().join("contract/proxy/fuzz.py");
    let status = run_script(
        "proxy fuzz",
        Command::new(&python)
            .arg(&script)
            .arg(&running.url)
            .arg(TEST_ADMIN_EMAIL)
            .arg(TEST_ADMIN_PASSWORD),
        backstop(),
    )
    .await;
    running.server.abort();
    assert!(
        status.success(),
        "Schemathesis found failures ({status}); its report is above"
    );
}
