//! `kassa-sandbox`: the Mollie Orders API emulator on its own.
//!
//! ```text
//! kassa-sandbox --listen 127.0.0.1:9090
//! curl -H 'Authorization: Bearer test_x' http://127.0.0.1:9090/v2/orders/ord_...
//! ```

use clap::Parser;
use kassa_sandbox::{Sandbox, SandboxConfig};

#[derive(Parser)]
#[command(version, about = "A local emulator of Mollie's Orders API")]
struct Args {
    /// Address to listen on (loopback by default).
    #[arg(long, env = "KASSA_SANDBOX_LISTEN", default_value = "127.0.0.1:9090")]
    listen: std::net::SocketAddr,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "kassa_sandbox=info".into()),
        )
        .init();
    let args = Args::parse();
    let sandbox = Sandbox::new(SandboxConfig::default());
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    println!(
        "Kassa sandbox listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, sandbox.router()).await
}
