//! Fuzzing the sandbox's Mollie side against Mollie's own OpenAPI file with Schemathesis:
//! `contract/mollie/fuzz.py` (its docstring says what runs and what is checked) over the
//! operations the sandbox implements of Mollie's `specs.yaml` at fc86f89, the last version
//! with the Orders API. The file is not vendored (it is licensed CC BY-NC-SA 4.0, which Kassa's
//! MIT repository should not redistribute): it is read from the shared material
//! at `../shared/specs/mollie-openapi-fc86f89-orders.yaml` beside the repository, or from
//! `$KASSA_MOLLIE_SPEC`.
//!
//! It needs Schemathesis (`contract/klarna/requirements.txt`), so it is `#[ignore]`d in a plain
//! `cargo test`; `cargo xtask test` runs it in its "contract tests" step (`--test
//! sandbox -- --ignored contract_mollie::`). The interpreter is `$KASSA_CONTRACT_PYTHON`, else
//! `target/contract-venv/bin/python`; `KASSA_FUZZ_EXAMPLES` and `KASSA_FUZZ_SECONDS` as for
//! the proxy's fuzzing (docs/testing.md).
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::common::scripts::{contract_python, run_script, serve, workspace};
use kassa_sandbox::SandboxConfig;

/// Mollie's OpenAPI file with the Orders API: `$KASSA_MOLLIE_SPEC`, else the shared copy.
fn mollie_spec() -> PathBuf {
    let spec = std::env::var_os("KASSA_MOLLIE_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/specs/mollie-openapi-fc86f89-orders.yaml"));
    assert!(
        spec.is_file(),
        "no Mollie OpenAPI file at {} (KASSA_MOLLIE_SPEC): the shared specs belong beside the \
         repository (../shared/specs)",
        spec.display()
    );
    spec
}

#[tokio::test]
#[ignore = "needs schemathesis: cargo xtask test"]
async fn schemathesis_finds_nothing_against_mollies_openapi_file() {
    let python = contract_python();
    let spec = mollie_spec();
    let (base, server) = serve(SandboxConfig::default()).await;
    let script = workspace().join("contract/mollie/fuzz.py");
    let per_run = std::env::var("KASSA_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(120);
    let status = run_script(
        "mollie fuzz",
        Command::new(&python).arg(&script).arg(&base).arg(&spec),
        Duration::from_secs(per_run + 60),
    )
    .await;
    server.abort();
    assert!(
        status.success(),
        "Schemathesis found failures ({status}); its report is above"
    );
}
