use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::AppError;

/// The proxy's configuration: flags, or the environment variables named beside them.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "kassa",
    version,
    about = "Kassa: order management for Mollie and Klarna merchants"
)]
pub struct Config {
    /// Address to listen on. Port 0 picks a free port.
    #[arg(long, env = "KASSA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// The URL customers and providers reach this proxy at (for return and webhook URLs).
    /// Defaults to `http://<listen address>`.
    #[arg(long, env = "KASSA_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// The database for the order mirror, staff, sessions and the action ledger: SQLite
    /// (`sqlite:kassa.db`, `sqlite::memory:`) for one proxy, or PostgreSQL
    /// (`postgres://user:password@host/kassa`) shared by several.
    #[arg(long, env = "KASSA_DATABASE_URL", default_value = "sqlite:kassa.db")]
    pub database_url: String,

    /// This proxy's name among several on one PostgreSQL database, e.g. its host name. A
    /// proxy restarted under the same name resumes the actions it left unfinished at once;
    /// under a new name (the default: random per start) another proxy or it resumes them
    /// once their lease ran out (45 s).
    #[arg(long, env = "KASSA_INSTANCE")]
    pub instance: Option<String>,

    /// The built app (Trunk's `dist/`).
    #[arg(long, env = "KASSA_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Mollie's API base, e.g. `https://api.mollie.com/v2/`. Without it Kassa runs the
    /// sandbox in-process under `/sandbox` and talks to that.
    #[arg(long, env = "MOLLIE_API_URL")]
    pub mollie_api_url: Option<String>,

    /// The Mollie API key (`test_...` or `live_...`). Never sent to the browser.
    #[arg(long, env = "MOLLIE_API_KEY", hide_env_values = true)]
    pub mollie_api_key: Option<String>,

    /// Klarna's API base: `https://api.klarna.com/` (Europe), `https://api-na.klarna.com/`
    /// (North America), `https://api-oc.klarna.com/` (Oceania), or the playground's
    /// `https://api.playground.klarna.com/` (`api-na.playground…`, `api-oc.playground…`).
    /// Without it Klarna is the embedded sandbox's (when Mollie's is), or not used.
    #[arg(long, env = "KLARNA_API_URL")]
    pub klarna_api_url: Option<String>,

    /// Klarna's API username (the merchant's credential id, `PK…` or a UUID).
    #[arg(long, env = "KLARNA_USERNAME")]
    pub klarna_username: Option<String>,

    /// Klarna's API password (shared secret or API key). Never sent to the browser.
    #[arg(long, env = "KLARNA_PASSWORD", hide_env_values = true)]
    pub klarna_password: Option<String>,

    /// Where browsers load Klarna's JavaScript library for the shop's Klarna step and pay
    /// links. Default: the sandbox's stand-in while Klarna is a sandbox (embedded, or on
    /// this machine), Klarna's CDN (`https://x.klarnacdn.net/kp/lib/v1/api.js`) otherwise.
    /// The app's Content-Security-Policy allows exactly this origin.
    #[arg(long, env = "KLARNA_LIBRARY_URL")]
    pub klarna_library_url: Option<String>,

    /// Serve the embedded sandbox's test controls (`/sandbox/_sandbox/…`: clock, faults,
    /// request log, webhook deliveries) through the proxy. They need no login, so they are off
    /// unless asked for; turn them on only where nobody else can reach the proxy.
    #[arg(long, env = "KASSA_SANDBOX_TEST_CONTROLS")]
    pub sandbox_test_controls: bool,

    /// Run with the embedded sandbox although the public URL is not a loopback address: a
    /// demonstration, where anyone who reaches Kassa may pay its test orders. Without it Kassa
    /// refuses to start that way (a real shop must use a real provider).
    #[arg(long, env = "KASSA_DEMO")]
    pub demo: bool,

    /// Email of the first staff account, created when there is none yet.
    #[arg(long, env = "KASSA_ADMIN_EMAIL")]
    pub admin_email: Option<String>,

    /// Password of that first account; without it one is generated and printed once.
    #[arg(long, env = "KASSA_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    /// How long a login lasts, in hours (1 to 8760, a year).
    #[arg(long, env = "KASSA_SESSION_HOURS", default_value_t = 12,
          value_parser = clap::value_parser!(i64).range(1..=MAX_SESSION_HOURS))]
    pub session_hours: i64,

    /// Who may embed the console in a frame: a CSP `frame-ancestors` value, e.g.
    /// `'self' https://admin.example.com`.
    #[arg(long, env = "KASSA_FRAME_ANCESTORS", default_value = "'none'")]
    pub frame_ancestors: String,

    /// Host pages on other origins of the same site that embed the console, e.g.
    /// `https://admin.example.com` (comma-separated, exact origins). They may load the app's
    /// files and call the API with the staff session cookie (CORS with credentials).
    #[arg(long, env = "KASSA_EMBED_ORIGINS", value_delimiter = ',')]
    pub embed_origins: Vec<String>,

    /// The products the public checkout sells: a JSON list like `catalog.example.json`.
    /// Without it, a small demo catalog.
    #[arg(long, env = "KASSA_CATALOG")]
    pub catalog: Option<PathBuf>,

    /// Every so many minutes, re-fetch orders that are not final from the provider, in case a
    /// webhook was missed. 0 turns it off.
    #[arg(long, env = "KASSA_REFRESH_MINUTES", default_value_t = 15,
          value_parser = clap::value_parser!(u64).range(0..=MAX_REFRESH_MINUTES))]
    pub refresh_minutes: u64,

    /// Reverse proxies in front of Kassa whose `X-Forwarded-For` names the client (for the
    /// per-address limits): IP addresses and CIDR blocks, comma-separated, e.g.
    /// `127.0.0.1,10.0.0.0/8`. Without it the header is ignored.
    #[arg(long, env = "KASSA_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Not a flag: how far ahead of the real clock the proxy's clock runs, for tests that move
    /// the embedded sandbox's clock with its test control (an authorization's extension, the
    /// expiry radar) and need the proxy to see the same day. Zero everywhere else.
    #[arg(skip)]
    pub clock_offset: time::Duration,
}

/// One-off commands instead of serving.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Add a staff account. The password comes from `KASSA_STAFF_PASSWORD`, or is generated
    /// and printed.
    AddStaff {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// `operator` (may change orders) or `viewer` (read only).
        #[arg(long, default_value = "viewer")]
        role: kassa_model::api::Role,
        #[arg(long, env = "KASSA_STAFF_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

impl Config {
    /// A configuration for tests: free loopback port, in-memory database, embedded sandbox.
    pub fn for_tests(dist: PathBuf) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
            database_url: "sqlite::memory:".into(),
            instance: None,
            dist,
            mollie_api_url: None,
            mollie_api_key: None,
            klarna_api_url: None,
            klarna_username: None,
            klarna_password: None,
            klarna_library_url: None,
            sandbox_test_controls: false,
            demo: false,
            admin_email: Some(TEST_ADMIN_EMAIL.into()),
            admin_password: Some(TEST_ADMIN_PASSWORD.into()),
            session_hours: 12,
            frame_ancestors: "'none'".into(),
            embed_origins: Vec::new(),
            refresh_minutes: 0,
            catalog: None,
            trusted_proxies: Vec::new(),
            command: None,
            clock_offset: time::Duration::ZERO,
        }
    }

    /// The session length, if `session_hours` is within 1..=[`MAX_SESSION_HOURS`] (the flag's
    /// parser checks that too; a `Config` built in code is checked here).
    pub fn session_ttl(&self) -> Result<time::Duration, AppError> {
        if (1..=MAX_SESSION_HOURS).contains(&self.session_hours) {
            Ok(time::Duration::hours(self.session_hours))
        } else {
            Err(AppError::Internal(format!(
                "KASSA_SESSION_HOURS: {} is not between 1 and {MAX_SESSION_HOURS}",
                self.session_hours
            )))
        }
    }

    /// How often to re-fetch open orders (`None`: never), if `refresh_minutes` is within
    /// 0..=[`MAX_REFRESH_MINUTES`].
    pub fn refresh_every(&self) -> Result<Option<std::time::Duration>, AppError> {
        match self.refresh_minutes {
            0 => Ok(None),
            m if m <= MAX_REFRESH_MINUTES => Ok(Some(std::time::Duration::from_secs(m * 60))),
            m => Err(AppError::Internal(format!(
                "KASSA_REFRESH_MINUTES: {m} is not between 0 and {MAX_REFRESH_MINUTES}"
            ))),
        }
    }
}

/// The longest session: a year.
pub const MAX_SESSION_HOURS: i64 = 24 * 365;
/// The longest pause between refreshes of open orders: a week.
pub const MAX_REFRESH_MINUTES: u64 = 60 * 24 * 7;

/// The first account [`Config::for_tests`] creates.
pub const TEST_ADMIN_EMAIL: &str = "admin@kassa.test";
pub const TEST_ADMIN_PASSWORD: &str = "correct horse battery";

/// A test key for standalone sandboxes in tests (they accept any `test_` key; the embedded
/// one accepts only the key it is started with, see `Running::sandbox_key`).
pub const SANDBOX_KEY: &str = "test_kassaSandboxKey0000000000000000";
