//! What Kassa's end-to-end tests (`tests/`) and the first-load bench (`benches/first_load.rs`)
//! share: the real proxy on a free loopback port, Chromium through chromedriver, WebDriver and
//! DevTools commands chromedriver adds, and small helpers that act on `data-testid`s the way
//! a person would.
//!
//! The tests need the built app (`cargo xtask build`, split by route; all but `code_split` also
//! pass against a plain `trunk build`) and Chromium with chromedriver, so they are `#[ignore]`d
//! in a plain `cargo test`; `cargo xtask test` builds the app and runs them with `--ignored`.
#![cfg(not(target_arch = "wasm32"))]

pub mod klarna;
pub mod shop;
pub mod staff;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::Value;

pub struct Browser {
    pub client: Client,
    _driver: tokio::process::Child,
    /// Chromium's profile directory, unique to this browser.
    profile: PathBuf,
}

impl Drop for Browser {
    /// Killing chromedriver (`kill_on_drop`) leaves its Chromium running when a test ended
    /// without closing the session (a failed assertion, say): stop that Chromium too, found
    /// by its profile directory, and remove the profile.
    fn drop(&mut self) {
        let _ = std::process::Command::new("pkill")
            .args(["-f", "--"])
            .arg(format!("--user-data-dir={}", self.profile.display()))
            .status();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Headless Chromium with a fresh profile (so an empty HTTP cache), driven by its own
/// chromedriver (`CHROMEDRIVER`, default on `PATH`) on a free loopback port. Chromium is
/// `CHROME_BIN` (default `/usr/bin/chromium`) when that exists, else chromedriver's choice.
/// Its console is kept for [`console_errors`].
pub async fn browser() -> Browser {
    start_browser(false).await
}

/// [`browser`], also keeping the DevTools Network domain's events (chromedriver's
/// `performance` log), for [`network_log`].
pub async fn browser_with_network_log() -> Browser {
    start_browser(true).await
}

async fn start_browser(network_log: bool) -> Browser {
    let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = tokio::process::Command::new(&driver_bin)
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {driver_bin}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile =
        std::env::temp_dir().join(format!("kassa-e2e-manage-{}-{port}", std::process::id()));
    let mut options = serde_json::json!({"args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--window-size=1280,1000", format!("--user-data-dir={}", profile.display()),
        // Staff amounts follow the browser's language: the tests read them the en-US way
        // ("€1,027.99") whatever the machine's locale.
        "--lang=en-US",
    ]});
    let chrome = std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if std::path::Path::new(&chrome).exists() {
        options["binary"] = chrome.into();
    }
    let mut logs = serde_json::json!({"browser": "ALL"});
    if network_log {
        logs["performance"] = "ALL".into();
        options["perfLoggingPrefs"] =
            serde_json::json!({"enableNetwork": true, "enablePage": false});
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    // The page's console, for [`console_errors`]; with `network_log`, the Network events.
    caps.insert("goog:loggingPrefs".into(), logs);
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session");
    Browser {
        client,
        _driver: driver,
        profile,
    }
}

/// The proxy with the embedded sandbox and the test admin, on a free loopback port.
pub async fn kassa() -> kassa_proxy::Running {
    kassa_with(|_| {}).await
}

/// [`kassa`], configured by `tune` first (the sandbox's test controls, the proxy's clock).
pub async fn kassa_with(tune: impl FnOnce(&mut kassa_proxy::Config)) -> kassa_proxy::Running {
    let mut config = kassa_proxy::Config::for_tests(dist());
    tune(&mut config);
    kassa_proxy::start(config).await.expect("proxy starts")
}

/// The built app: `KASSA_E2E_DIST`, default `dist/` at the workspace root.
pub fn dist() -> PathBuf {
    let dist = std::env::var("KASSA_E2E_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist"));
    assert!(
        dist.join("index.html").exists(),
        "{} has no built app",
        dist.display()
    );
    dist
}

pub fn testid(id: &str) -> String {
    format!(r#"[data-testid="{id}"]"#)
}

/// A command chromedriver has beside WebDriver's own: `POST /session/{id}/{path}` with a JSON
/// `body`; its answer's `value`.
pub async fn chromedriver_command(c: &Client, path: &str, body: Value) -> Value {
    #[derive(Debug)]
    struct Command {
        path: String,
        body: String,
    }
    impl fantoccini::wd::WebDriverCompatibleCommand for Command {
        fn endpoint(
            &self,
            base: &url::Url,
            session: Option<&str>,
        ) -> Result<url::Url, url::ParseError> {
            base.join(&format!(
                "session/{}/{}",
                session.unwrap_or_default(),
                self.path
            ))
        }
        fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
            (http::Method::POST, Some(self.body.clone()))
        }
    }
    c.issue_cmd(Command {
        path: path.to_owned(),
        body: body.to_string(),
    })
    .await
    .unwrap_or_else(|e| panic!("chromedriver's {path}: {e}"))
}

/// A DevTools protocol command (`Page.addScriptToEvaluateOnNewDocument`,
/// `Network.clearBrowserCache`, ...) on the page's target, through chromedriver; its result.
pub async fn cdp(c: &Client, cmd: &str, params: Value) -> Value {
    chromedriver_command(
        c,
        "goog/cdp/execute",
        serde_json::json!({"cmd": cmd, "params": params}),
    )
    .await
}

/// The DevTools events chromedriver logged since the last call (a [`browser_with_network_log`]
/// keeps the Network domain's): each entry's `message.method` and `message.params`.
pub async fn network_log(c: &Client) -> Vec<Value> {
    let entries =
        chromedriver_command(c, "se/log", serde_json::json!({"type": "performance"})).await;
    entries
        .as_array()
        .expect("log entries")
        .iter()
        .filter_map(|e| serde_json::from_str::<Value>(e["message"].as_str()?).ok())
        .map(|m| m["message"].clone())
        .collect()
}

/// What Chromium logged as errors (level SEVERE) for the pages since the last call: the
/// console's errors, uncaught exceptions, failed loads and CSP refusals. Chromedriver's
/// log endpoint, which WebDriver itself does not have.
pub async fn console_errors(c: &Client) -> Vec<String> {
    let entries = chromedriver_command(c, "se/log", serde_json::json!({"type": "browser"})).await;
    entries
        .as_array()
        .expect("log entries")
        .iter()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

pub async fn fill(c: &Client, id: &str, text: &str) {
    let el = c
        .wait()
        .for_element(Locator::Css(&testid(id)))
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

pub async fn click(c: &Client, id: &str) {
    c.wait()
        .for_element(Locator::Css(&testid(id)))
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"))
        .click()
        .await
        .unwrap();
}

pub async fn wait_text(c: &Client, css: &str, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            last = el.text().await.unwrap_or_default();
            if last.trim() == expected {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css}: expected {expected:?}, saw {last:?}");
}

pub async fn wait_url(c: &Client, part: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let url = c.current_url().await.unwrap().to_string();
        if url.contains(part) {
            return;
        }
        assert!(Instant::now() < deadline, "expected {part}, at {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn texts(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for el in c.find_all(Locator::Css(css)).await.unwrap() {
        out.push(el.text().await.unwrap().trim().to_owned());
    }
    out
}

/// Logs in from the login page and waits to be let in.
pub async fn log_in(c: &Client, url: &str, email: &str, password: &str) {
    c.goto(&format!("{url}/login")).await.unwrap();
    log_in_here(c, email, password).await;
}

/// Fills the login page the browser is on and waits to be let in.
pub async fn log_in_here(c: &Client, email: &str, password: &str) {
    wait_url(c, "/login").await;
    fill(c, "login-email", email).await;
    fill(c, "login-password", password).await;
    click(c, "login-submit").await;
    c.wait()
        .for_element(Locator::Css(&testid("staff-name")))
        .await
        .expect("logged in");
}

pub async fn choose(c: &Client, id: &str, value: &str) {
    let el = c
        .wait()
        .for_element(Locator::Css(&testid(id)))
        .await
        .unwrap();
    el.select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("{id}={value}: {e}"));
}

/// Waits until the return page tells the customer `outcome` (its heading's `data-outcome`:
/// `paid`, `checking`, `failed`, `canceled` or `expired`), in whatever language the order's.
pub async fn wait_outcome(c: &Client, outcome: &str) {
    let css = format!(r#"[data-testid="return-heading"][data-outcome="{outcome}"]"#);
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(&css))
        .await
        .unwrap_or_else(|e| panic!("the return page never said {outcome:?}: {e}"));
}

/// On the return page: the order's id, from the link it shows the shop's staff (customers see
/// no order id).
pub async fn returned_order_id(c: &Client) -> String {
    let link = c
        .wait()
        .for_element(Locator::Css(&testid("order-link")))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("the staff link has an href");
    link.strip_prefix("/orders/")
        .unwrap_or_else(|| panic!("the staff link: {link}"))
        .to_owned()
}
