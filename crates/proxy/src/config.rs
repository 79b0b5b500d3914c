use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// The proxy's configuration: flags, or the environment variables named beside them.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "kassa",
    version,
    about = "Kassa: order management for Mollie merchants"
)]
pub struct Config {
    /// Address to listen on. Port 0 picks a free port.
    #[arg(long, env = "KASSA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// The URL customers and providers reach this proxy at (for return and webhook URLs).
    /// Defaults to `http://<listen address>`.
    #[arg(long, env = "KASSA_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// SQLite database for the order mirror (`sqlite:kassa.db`, `sqlite::memory:`).
    #[arg(long, env = "KASSA_DATABASE_URL", default_value = "sqlite:kassa.db")]
    pub database_url: String,

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
}

impl Config {
    /// A configuration for tests: free loopback port, in-memory database, embedded sandbox.
    pub fn for_tests(dist: PathBuf) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
            database_url: "sqlite::memory:".into(),
            dist,
            mollie_api_url: None,
            mollie_api_key: None,
        }
    }
}

/// The key the embedded sandbox accepts; any `test_` key would do.
pub const SANDBOX_KEY: &str = "test_kassaSandboxKey0000000000000000";
