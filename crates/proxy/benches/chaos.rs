//! The chaos suite's full run (`cargo xtask chaos`, or `cargo bench -p kassa-proxy --bench
//! chaos`): 1,000 intents (half Mollie shipments and refunds, half Klarna captures) from 32
//! staff clients through two proxy processes on one
//! PostgreSQL, ~30% of provider calls faulted (500, 503, 429, dropped, timed out, and acted
//! with the answer lost), proxy A killed with SIGKILL a third of the way and restarted, and a
//! webhook storm (duplicated, spoofed, unknown and other-provider ids) all along. Prints the
//! figures; exits non-zero on any duplicate, lost intent, pending ledger row or mirror that
//! differs from its provider. `CHAOS_INTENTS` and `CHAOS_CLIENTS` change the size.
//! The engine is the test's (`tests/chaos/engine.rs`, whose small run is in the test command).

#[path = "../tests/chaos"]
mod chaos {
    pub mod engine;
    pub mod proxies;
}
use chaos::engine;

fn number(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> std::process::ExitCode {
    let intents = number("CHAOS_INTENTS", 1_000);
    let clients = number("CHAOS_CLIENTS", 32);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let report = runtime.block_on(engine::run(engine::Plan {
        intents,
        clients,
        kill_after: Some(intents / 3),
        proxy_binary: env!("CARGO_BIN_EXE_kassa").into(),
    }));
    println!("{report}");
    let clean = report.duplicates == 0
        && report.lost == 0
        && report.pending == 0
        && report.mirror_mismatches == 0
        && report.timeline_mismatches == 0;
    if clean {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
