//! The chaos suite's small run (the full one is `cargo xtask chaos`): ~100 intents (Mollie
//! shipments and refunds, Klarna captures) from 12 clients through two proxy processes on one
//! PostgreSQL, ~30% of provider calls faulted,
//! proxy A killed with SIGKILL a third of the way and restarted, webhooks duplicated and
//! spoofed all along. Every intent is carried out exactly once, none is lost, nothing is left
//! pending, and every mirror equals its provider order after a refresh.
pub mod engine;
pub mod proxies;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_intent_is_carried_out_twice_or_lost_under_faults_and_a_killed_proxy() {
    let report = engine::run(engine::Plan {
        intents: 100,
        clients: 12,
        kill_after: Some(33),
        proxy_binary: env!("CARGO_BIN_EXE_kassa").into(),
    })
    .await;
    println!("{report}");
    assert!(report.faults_injected > 0, "the storm happened: {report}");
    assert!(report.killed_and_restarted);
    assert_eq!(report.duplicates, 0, "{report}");
    assert_eq!(report.lost, 0, "{report}");
    assert_eq!(report.refused, 0, "{report}");
    assert_eq!(report.pending, 0, "{report}");
    assert_eq!(report.mirror_mismatches, 0, "{report}");
    assert_eq!(report.timeline_mismatches, 0, "{report}");
}
