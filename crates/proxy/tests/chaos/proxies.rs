//! The proxy as a process of its own (the `kassa` binary), as the chaos suite and the load
//! bench run it: on a free loopback port, against a sandbox, on a given database.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kassa_proxy::config::SANDBOX_KEY;
use serde_json::{json, Value};

pub const ADMIN: &str = "chaos@shop.test";
pub const PASSWORD: &str = "a long enough chaos password";
/// What the proxies log in to the sandbox's Klarna with (a standalone sandbox takes any).
pub const KLARNA_USER: &str = "K123456_chaos";
pub const KLARNA_PASSWORD: &str = "chaos-shared-secret";

/// How to start one proxy.
pub struct ProxyOptions {
    /// Its `KASSA_INSTANCE`.
    pub name: &'static str,
    pub database_url: String,
    pub sandbox_url: String,
    /// `KASSA_TRUSTED_PROXIES` (a load balancer's address), so a bench can speak for many
    /// client addresses through `X-Forwarded-For`.
    pub trusted_proxies: Option<String>,
}

pub struct Proxy {
    pub port: u16,
    pub args: Vec<String>,
    pub child: Child,
}

impl Proxy {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub fn spawn(binary: &PathBuf, args: &[String]) -> Child {
    Command::new(binary)
        .args(args)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the kassa binary")
}

pub async fn healthy(client: &reqwest::Client, url: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{url}/api/health")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("proxy at {url} did not come up");
}

pub async fn start_proxy(
    client: &reqwest::Client,
    binary: &PathBuf,
    options: ProxyOptions,
) -> Proxy {
    let ProxyOptions {
        name,
        database_url,
        sandbox_url,
        trusted_proxies,
    } = options;
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let args: Vec<String> = [
        "--listen",
        &format!("127.0.0.1:{port}"),
        "--public-url",
        &url,
        "--database-url",
        &database_url,
        "--dist",
        "/nonexistent-dist",
        "--mollie-api-url",
        &format!("{sandbox_url}/v2/"),
        "--mollie-api-key",
        SANDBOX_KEY,
        "--klarna-api-url",
        &format!("{sandbox_url}/"),
        "--klarna-username",
        KLARNA_USER,
        "--klarna-password",
        KLARNA_PASSWORD,
        "--admin-email",
        ADMIN,
        "--admin-password",
        PASSWORD,
        "--refresh-minutes",
        "0",
        "--instance",
        name,
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(
        trusted_proxies
            .into_iter()
            .flat_map(|t| ["--trusted-proxies".to_owned(), t]),
    )
    .collect();
    let child = spawn(binary, &args);
    healthy(client, &url).await;
    Proxy { port, args, child }
}

/// The staff session (cookie, CSRF token), valid on both proxies.
pub async fn login(client: &reqwest::Client, url: &str) -> (String, String) {
    let resp = client
        .post(format!("{url}/api/session"))
        .json(&json!({"email": ADMIN, "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert!(resp.status().is_success(), "login: {}", resp.status());
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body: Value = resp.json().await.unwrap();
    (cookie, body["csrf_token"].as_str().unwrap().to_owned())
}
