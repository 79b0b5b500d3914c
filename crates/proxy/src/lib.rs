//! Kassa's merchant proxy: the only holder of the provider key. It serves the built app,
//! answers the app's `/api/...`, receives provider webhooks and mirrors orders in SQLite.

pub mod config;
mod convert;
mod error;
mod mirror;
pub mod mollie;
mod orders;
mod routes;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use kassa_sandbox::{Sandbox, SandboxConfig};
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use error::AppError;
use mirror::Mirror;
use mollie::MollieClient;

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<StateInner>,
}

pub struct StateInner {
    mirror: Mirror,
    mollie: MollieClient,
    public_url: String,
    /// Whether the provider can reach our webhook URL (a sandbox on this machine can; real
    /// Mollie cannot reach a loopback address and would refuse the order).
    webhooks_reachable: bool,
    dist: PathBuf,
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
    /// Where customers and providers reach the proxy, without a trailing slash.
    pub public_url: String,
    pub dist: PathBuf,
}

impl AppState {
    pub async fn new(c: StateConfig) -> Result<Self, AppError> {
        let mirror = Mirror::open(&c.database_url).await?;
        let mollie = MollieClient::new(&c.mollie_base, c.mollie_key);
        let public_is_loopback = ["http://127.", "http://localhost", "http://[::1]"]
            .iter()
            .any(|p| c.public_url.starts_with(p));
        Ok(Self {
            inner: Arc::new(StateInner {
                webhooks_reachable: mollie.is_local() || !public_is_loopback,
                mirror,
                mollie,
                public_url: c.public_url.trim_end_matches('/').to_owned(),
                dist: c.dist,
            }),
        })
    }
}

/// The proxy's router, bound to nothing: tests drive it with `oneshot`.
pub fn app(state: AppState) -> Router {
    routes::router(state)
        .layer(RequestBodyLimitLayer::new(64 * 1024))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http())
}

/// A proxy that is listening.
pub struct Running {
    pub addr: SocketAddr,
    /// What to open in a browser.
    pub url: String,
    pub sandbox: Option<Sandbox>,
    pub server: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds, opens the database, mounts the embedded sandbox unless a provider URL is given,
/// and serves in a background task.
pub async fn start(config: Config) -> Result<Running, AppError> {
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
    let (mollie_base, mollie_key, sandbox) = match &config.mollie_api_url {
        Some(base) => {
            let key = config.mollie_api_key.clone().ok_or_else(|| {
                AppError::Internal("MOLLIE_API_KEY is required with MOLLIE_API_URL".into())
            })?;
            (base.clone(), key, None)
        }
        None => {
            let sandbox = Sandbox::new(SandboxConfig {
                mount_path: "/sandbox".into(),
                scheme: "http".into(),
            });
            let key = config
                .mollie_api_key
                .clone()
                .unwrap_or_else(|| config::SANDBOX_KEY.into());
            (format!("{url}/sandbox/v2/"), key, Some(sandbox))
        }
    };
    let state = AppState::new(StateConfig {
        database_url: config.database_url.clone(),
        mollie_base,
        mollie_key,
        public_url,
        dist: config.dist.clone(),
    })
    .await?;
    let mut router = app(state);
    if let Some(sandbox) = &sandbox {
        router = Router::new()
            .nest("/sandbox", sandbox.router())
            .merge(router);
    }
    // Small answers go out at once instead of waiting on Nagle's algorithm (3× lower latency
    // on loopback in the sandbox's bench).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(Running {
        addr,
        url,
        sandbox,
        server,
    })
}

/// Now, as RFC 3339 in UTC, for the mirror's timestamps.
pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
