//! The app's files as the proxy serves them hold no provider credential: every file of the
//! built app (`KASSA_E2E_DIST`), the page a deep link gets and the shop, fetched through a
//! proxy whose embedded sandbox has a Mollie key and a Klarna credential of its own, contain
//! neither, nor Klarna's Basic authorization made of them (issue 14's security checks; the
//! proxy's answers and logs are checked in crates/proxy/tests/hardening.rs).
use std::path::{Path, PathBuf};

use base64::Engine;

use crate::common::*;

/// Every file under `dir`, as a path relative to it.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![PathBuf::new()];
    while let Some(rel) = todo.pop() {
        for entry in std::fs::read_dir(dir.join(&rel)).unwrap() {
            let entry = entry.unwrap();
            let path = rel.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[tokio::test]
#[ignore = "needs the built app: cargo xtask test"]
async fn no_app_file_holds_a_provider_credential() {
    let running = kassa().await;
    let key = running
        .sandbox_key
        .clone()
        .expect("the embedded sandbox's key");
    let klarna = running
        .sandbox_klarna
        .clone()
        .expect("its Klarna credential");
    let basic = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", klarna.username, klarna.password));
    let secrets = [key.as_str(), klarna.password.as_str(), basic.as_str()];
    let client = reqwest::Client::new();
    let mut paths: Vec<String> = files(&dist())
        .iter()
        .map(|p| format!("/{}", p.display()))
        .collect();
    paths.extend(["/".into(), "/orders/ord_deep_link".into(), "/shop".into()]);
    for path in &paths {
        // As stored and as the proxy sends them compressed: the plain bytes are what matter,
        // and reqwest here asks for none.
        let resp = client
            .get(format!("{}{path}", running.url))
            // As a browser asks: pages fall back to the app only for HTML.
            .header("accept", "text/html,*/*")
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
        let body = resp.bytes().await.unwrap();
        let text = String::from_utf8_lossy(&body);
        for secret in secrets {
            assert!(!text.contains(secret), "{path} holds a provider credential");
        }
    }
    assert!(paths.len() > 5, "the app's files were walked: {paths:?}");
}
