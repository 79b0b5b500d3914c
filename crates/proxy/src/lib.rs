//! Kassa's merchant proxy: the only holder of the provider key. It serves the built app,
//! answers the app's `/api/...`, receives provider webhooks and mirrors orders in its database
//! (SQLite, or PostgreSQL shared by several proxies: [`store`]).
#![cfg(not(target_arch = "wasm32"))]

mod actions;
pub mod catalog;
pub mod client_addr;
pub mod config;
mod error;
mod export;
mod ledger;
mod mirror;
mod orders;
mod pay;
pub mod provider;
pub mod rate_limit;
mod refetch;
mod routes;
pub mod schedule;
pub mod search;
pub mod staff;
pub mod store;
mod token;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use kassa_sandbox::{KlarnaCredentials, Sandbox, SandboxConfig};
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use error::AppError;
use mirror::Mirror;
pub use mirror::MirrorRow;
pub use orders::refresh_open_orders;
use provider::klarna::KlarnaClient;
use provider::mollie::MollieClient;
use provider::Providers;
pub use schedule::refresh_due_orders;

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<StateInner>,
}

pub struct StateInner {
    mirror: Mirror,
    providers: Providers,
    public_url: String,
    /// Whether the providers can reach our webhook URL (a sandbox on this machine can; real
    /// Mollie cannot reach a loopback address and would refuse the order).
    webhooks_reachable: bool,
    dist: PathBuf,
    /// Failed logins and public checkouts, per account and per client address.
    limits: rate_limit::Limits,
    /// Whose `X-Forwarded-For` names the client (see [`client_addr`]).
    trusted_proxies: client_addr::TrustedProxies,
    /// How often webhooks may make us fetch one order.
    refetches: refetch::Refetches,
    session_ttl: time::Duration,
    /// Recently checked sessions (see [`staff::session::SessionCache`]).
    sessions: staff::session::SessionCache,
    /// Cookies get `Secure` when customers and staff reach Kassa over HTTPS.
    secure_cookies: bool,
    /// The Content-Security-Policy for the app's pages.
    csp: String,
    /// CORS for embedding host pages on other origins; `None` for same-origin only.
    cors: Option<tower_http::cors::CorsLayer>,
    /// Staff actions in progress, so a double submit waits for the first.
    intents: ledger::IntentLocks,
    catalog: catalog::Catalog,
    /// Added to the real time where the day matters (expiries): tests move it with the
    /// sandbox's clock.
    clock_offset: time::Duration,
    /// `KASSA_REFRESH_MINUTES`: the longest wait of an order's refresh schedule.
    refresh_every: Option<Duration>,
    /// Klarna's JavaScript library (`Klarna.Payments`) for the shop's Klarna step and pay
    /// links; `None` without Klarna.
    klarna_library: Option<String>,
}

impl std::ops::Deref for AppState {
    type Target = StateInner;
    fn deref(&self) -> &StateInner {
        &self.inner
    }
}

/// What an [`AppState`] is made of.
pub struct StateConfig {
    pub database_url: String,
    /// Mollie's API base, ending in `/v2/`.
    pub mollie_base: String,
    pub mollie_key: String,
    /// Klarna's API base and credential; `None`: Klarna is not used.
    pub klarna: Option<KlarnaConfig>,
    /// Where browsers load Klarna's library from (the CSP allows exactly its origin).
    pub klarna_library: Option<String>,
    /// Where customers and providers reach the proxy, without a trailing slash.
    pub public_url: String,
    pub dist: PathBuf,
    pub session_ttl: time::Duration,
    /// CSP `frame-ancestors`: who may embed the console.
    pub frame_ancestors: String,
    /// Host pages on other origins that may load the app and call the API with the session
    /// cookie (CORS with credentials); empty for same-origin only.
    pub embed_origins: Vec<String>,
    /// What the public checkout sells.
    pub catalog: catalog::Catalog,
    /// Reverse proxies whose `X-Forwarded-For` is believed: addresses and CIDR blocks.
    pub trusted_proxies: Vec<String>,
    /// After fetching an order for a webhook, further webhooks for it within this time are
    /// gathered into one fetch at its end.
    pub webhook_cooldown: Duration,
    /// Added to the real time where the day matters (what an authorization extension would
    /// give, the expiry radar); zero but in tests that move a sandbox's clock.
    pub clock_offset: time::Duration,
    /// How often orders that are not final are refreshed at most after their backoff
    /// ([`schedule`]); `None`: the backoff's last wait. 15 minutes unless set.
    pub refresh_every: Option<Duration>,
    /// This proxy's name among several on one database (`KASSA_INSTANCE`): the ledger's leases
    /// are held under it, so a proxy restarted under its name resumes its own unfinished
    /// actions at once, not after the lease. `None`: a random name per start.
    pub instance: Option<String>,
}

/// Where Klarna is and how Kassa logs in there.
#[derive(Clone, Debug)]
pub struct KlarnaConfig {
    /// The regional base, ending in `/` (`https://api.klarna.com/`, or a sandbox's root).
    pub base: String,
    pub username: String,
    pub password: String,
}

impl StateConfig {
    /// A configuration with the defaults for sessions (12 h), framing (none), trusted proxies
    /// (none) and the webhook cooldown (2 s).
    pub fn new(
        database_url: &str,
        mollie_base: &str,
        mollie_key: &str,
        public_url: &str,
        dist: PathBuf,
    ) -> Self {
        Self {
            database_url: database_url.into(),
            mollie_base: mollie_base.into(),
            mollie_key: mollie_key.into(),
            klarna: None,
            klarna_library: None,
            public_url: public_url.into(),
            dist,
            session_ttl: time::Duration::hours(12),
            frame_ancestors: "'none'".into(),
            embed_origins: Vec::new(),
            catalog: catalog::Catalog::demo(),
            trusted_proxies: Vec::new(),
            webhook_cooldown: Duration::from_secs(2),
            clock_offset: time::Duration::ZERO,
            refresh_every: Some(Duration::from_secs(15 * 60)),
            instance: None,
        }
    }
}

impl AppState {
    pub async fn new(c: StateConfig) -> Result<Self, AppError> {
        let mirror = Mirror::open(&c.database_url).await?;
        let mollie = MollieClient::new(&c.mollie_base, c.mollie_key);
        let klarna = c
            .klarna
            .as_ref()
            .map(|k| KlarnaClient::new(&k.base, &k.username, &k.password));
        let providers = Providers::new(mollie, klarna);
        let klarna_library = c.klarna.as_ref().map(|k| {
            c.klarna_library.clone().unwrap_or_else(|| {
                let base = if k.base.ends_with('/') {
                    k.base.clone()
                } else {
                    format!("{}/", k.base)
                };
                if is_loopback_url(&base) {
                    // A sandbox on this machine serves the stand-in.
                    format!("{base}{KLARNA_STAND_IN}")
                } else {
                    KLARNA_LIBRARY.to_owned()
                }
            })
        });
        let public_is_loopback = is_loopback_url(&c.public_url);
        let csp = routes::headers::content_security_policy(
            &c.dist,
            &c.frame_ancestors,
            klarna_library.as_deref(),
        );
        let cors = routes::cors::embed_layer(&c.embed_origins)?;
        let trusted_proxies = client_addr::TrustedProxies::parse(&c.trusted_proxies)?;
        Ok(Self {
            inner: Arc::new(StateInner {
                webhooks_reachable: providers.all_local() || !public_is_loopback,
                mirror,
                providers,
                secure_cookies: c.public_url.starts_with("https://"),
                public_url: c.public_url.trim_end_matches('/').to_owned(),
                dist: c.dist,
                limits: Default::default(),
                trusted_proxies,
                refetches: refetch::Refetches::new(c.webhook_cooldown),
                session_ttl: c.session_ttl,
                sessions: Default::default(),
                csp,
                cors,
                intents: ledger::IntentLocks::new(
                    c.instance.unwrap_or_else(|| token::random_token(12)),
                ),
                catalog: c.catalog,
                clock_offset: c.clock_offset,
                refresh_every: c.refresh_every,
                klarna_library,
            }),
        })
    }

    /// Now, as Unix seconds, for what depends on the day (expiries).
    pub(crate) fn now_unix(&self) -> i64 {
        (time::OffsetDateTime::now_utc() + self.clock_offset).unix_timestamp()
    }

    /// Now and the longest wait, for an order's next due refresh ([`schedule`]).
    pub(crate) fn schedule_clock(&self) -> schedule::Clock {
        schedule::Clock {
            now_unix: self.now_unix(),
            every_seconds: self
                .refresh_every
                .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        }
    }

    /// Staff accounts and sessions live in the mirror's database.
    pub fn db(&self) -> &store::Db {
        self.mirror.db()
    }
}

/// The largest request body the proxy reads (bytes); a larger one is 413 `too_large`.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The proxy's router, bound to nothing: tests drive it with `oneshot`.
pub fn app(state: AppState) -> Router {
    let cors = state.cors.clone();
    let public_url = state.public_url.clone();
    let router = routes::router(state)
        .layer(routes::panics::layer())
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // The limit's own 413 is plain text: answer it in the error shape.
        .layer(axum::middleware::map_response(routes::too_large_in_shape))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http());
    // Before any route, guard or limit sees them, so preflights are answered at once.
    let router = match cors {
        Some(cors) => router.layer(cors),
        None => router,
    };
    // Outermost: every answer, errors included, gets these headers.
    let router = router.layer(axum::middleware::from_fn(routes::headers::no_store_for_api));
    with_strict_transport(router, &public_url)
}

/// Adds HSTS to every answer of `router` when Kassa is served over HTTPS.
fn with_strict_transport(router: Router, public_url: &str) -> Router {
    match routes::headers::strict_transport(public_url) {
        Some(hsts) => router.layer(hsts),
        None => router,
    }
}

/// Klarna's library on its CDN, for the playground and live alike (the client token says
/// which).
pub const KLARNA_LIBRARY: &str = "https://x.klarnacdn.net/kp/lib/v1/api.js";
/// Where a Kassa sandbox serves its stand-in of that library, relative to its root.
const KLARNA_STAND_IN: &str = "klarna/lib/v1/api.js";

/// A proxy that is listening.
pub struct Running {
    pub addr: SocketAddr,
    /// What to open in a browser.
    pub url: String,
    pub sandbox: Option<Sandbox>,
    /// The API key the embedded sandbox accepts (for tests and benches that call it directly).
    pub sandbox_key: Option<String>,
    /// The Klarna credential the embedded sandbox accepts (the same, for its Klarna side).
    pub sandbox_klarna: Option<KlarnaCredentials>,
    /// The staff account made on this first start, if any (its password when generated).
    pub first_account: Option<staff::FirstAccount>,
    /// The state the server runs with (its database, for tests and tools).
    pub state: AppState,
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds, opens the database, mounts the embedded sandbox unless a provider URL is given,
/// and serves in a background task.
pub async fn start(config: Config) -> Result<Running, AppError> {
    // Checked before anything starts: out of range, they would overflow time arithmetic later.
    let session_ttl = config.session_ttl()?;
    let refresh_every = config.refresh_every()?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| AppError::Internal(format!("cannot listen on {}: {e}", config.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let url = format!("http://{addr}");
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| url.clone())
        .trim_end_matches('/')
        .to_owned();
    // The embedded sandbox's Klarna side, like its Mollie side, answers only a credential made
    // for this start (or the one given).
    let embedded_klarna = match (&config.klarna_username, &config.klarna_password) {
        (Some(username), Some(password)) if config.klarna_api_url.is_none() => KlarnaCredentials {
            username: username.clone(),
            password: password.clone(),
        },
        _ => KlarnaCredentials {
            username: format!("K{}_kassa", token::random_token(6).to_uppercase()),
            password: token::random_token(30),
        },
    };
    let (mollie_base, mollie_key, sandbox): (String, String, Option<Sandbox>) =
        match &config.mollie_api_url {
            Some(base) => {
                let key = config.mollie_api_key.clone().ok_or_else(|| {
                    AppError::Internal("MOLLIE_API_KEY is required with MOLLIE_API_URL".into())
                })?;
                (base.clone(), key, None)
            }
            None => {
                // The embedded sandbox lets anyone who reaches it pay its orders: fine on this
                // machine, a mistake on a public address unless it is a demonstration.
                if !config.demo && !is_loopback_url(&public_url) {
                    return Err(AppError::Internal(format!(
                        "the embedded sandbox is a test provider, and {public_url} is not a \
                         loopback address: set MOLLIE_API_URL and MOLLIE_API_KEY (and \
                         KLARNA_API_URL, KLARNA_USERNAME and KLARNA_PASSWORD) for real \
                         providers, or pass --demo (KASSA_DEMO=true) for a demonstration"
                    )));
                }
                // A fresh key per start unless one is given: the embedded sandbox then answers
                // only the proxy, not whoever else can reach its address.
                let key = config
                    .mollie_api_key
                    .clone()
                    .unwrap_or_else(|| format!("test_{}", token::random_token(30)));
                let sandbox = Sandbox::new(SandboxConfig {
                    mount_path: "/sandbox".into(),
                    scheme: "http".into(),
                    api_key: Some(key.clone()),
                    klarna_credentials: Some(embedded_klarna.clone()),
                    test_controls: config.sandbox_test_controls,
                });
                (format!("{url}/sandbox/v2/"), key, Some(sandbox))
            }
        };
    // Klarna: its own URL, else the embedded sandbox when it runs, else not used (a real
    // Mollie alone).
    let klarna = match &config.klarna_api_url {
        Some(base) => {
            let missing = || {
                AppError::Internal(
                    "KLARNA_USERNAME and KLARNA_PASSWORD are required with KLARNA_API_URL".into(),
                )
            };
            Some(KlarnaConfig {
                base: base.clone(),
                username: config.klarna_username.clone().ok_or_else(missing)?,
                password: config.klarna_password.clone().ok_or_else(missing)?,
            })
        }
        None => sandbox.as_ref().map(|_| KlarnaConfig {
            base: format!("{url}/sandbox/"),
            username: embedded_klarna.username.clone(),
            password: embedded_klarna.password.clone(),
        }),
    };
    // The embedded sandbox's stand-in is on Kassa's own origin; other defaults follow the
    // API's base ([`AppState::new`]).
    let klarna_library = config.klarna_library_url.clone().or_else(|| {
        (klarna.is_some() && config.klarna_api_url.is_none())
            .then(|| format!("{public_url}/sandbox/{KLARNA_STAND_IN}"))
    });
    let mollie_key_for_running = mollie_key.clone();
    let state = AppState::new(StateConfig {
        database_url: config.database_url.clone(),
        mollie_base,
        mollie_key,
        klarna,
        klarna_library,
        public_url,
        dist: config.dist.clone(),
        session_ttl,
        frame_ancestors: config.frame_ancestors.clone(),
        embed_origins: config.embed_origins.clone(),
        catalog: catalog::Catalog::load(config.catalog.as_deref())?,
        trusted_proxies: config.trusted_proxies.clone(),
        webhook_cooldown: Duration::from_secs(2),
        clock_offset: config.clock_offset,
        refresh_every,
        instance: config.instance.clone(),
    })
    .await?;
    let first_account = staff::ensure_first_account(
        state.db(),
        config.admin_email.as_deref(),
        config.admin_password.as_deref(),
    )
    .await?;
    let mut router = app(state.clone());
    if let Some(sandbox) = &sandbox {
        router = Router::new()
            .nest("/sandbox", sandbox.router())
            .merge(router);
    }
    let router = with_strict_transport(router, &state.public_url);
    // Small answers go out at once instead of waiting on Nagle's algorithm (3× lower latency
    // on loopback in the sandbox's bench).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    // Orders that are not final, each on its own schedule (off with KASSA_REFRESH_MINUTES=0).
    if refresh_every.is_some() {
        tokio::spawn(schedule::run(state.clone()));
    }
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, service).await });
    Ok(Running {
        addr,
        url,
        sandbox_key: sandbox.as_ref().map(|_| mollie_key_for_running.clone()),
        sandbox_klarna: sandbox.as_ref().map(|_| embedded_klarna),
        sandbox,
        first_account,
        state,
        server,
    })
}

/// Whether `url` points at this machine (`localhost`, `127.0.0.0/8`, `[::1]`): nobody else can
/// reach it, and neither can a provider's webhooks.
pub fn is_loopback_url(url: &str) -> bool {
    // `http://127.0.0.1.evil.example` is a domain, not an address: parse, never match prefixes.
    let Ok(url) = reqwest::Url::parse(url) else {
        return false;
    };
    let host = url.host_str().unwrap_or_default();
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Now, as RFC 3339 in UTC, for the mirror's timestamps.
pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Opens (and migrates) the database alone, for one-off commands.
pub async fn open_database(url: &str) -> Result<store::Db, AppError> {
    store::Db::open(url).await
}

/// A password for a new account, shown once.
pub fn generate_password() -> String {
    token::random_token(20)
}
