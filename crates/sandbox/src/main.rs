//! `kassa-sandbox`: the Mollie and Klarna emulator on its own (a test tool: its `/_sandbox/…`
//! controls are always on).
//!
//! ```text
//! kassa-sandbox --listen 127.0.0.1:9090
//! curl -H 'Authorization: Bearer test_x' http://127.0.0.1:9090/v2/orders/ord_...
//! curl -u merchant:secret http://127.0.0.1:9090/ordermanagement/v1/orders/<uuid>
//! kassa-sandbox --klarna-credentials K12345_abc:s3cret   # only this Klarna credential
//! kassa-sandbox --tls --tls-cert-out /tmp/sandbox.pem --fault 'POST /v2/orders status=503 once'
//! kassa-sandbox --data-file sandbox.json   # orders and clock survive a restart
//! ```
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

/// mimalloc: the request path allocates many small strings; it measured ~30% less server
/// time per request than the system allocator (see the sandbox's create_get bench).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;

use clap::Parser;
use kassa_sandbox::{FaultSpec, Sandbox, SandboxConfig, TlsIdentity};

const FAULT_HELP: &str = "\
Inject a fault into matching API requests; repeatable. Format: `[METHOD] PATH WORD...`

METHOD is optional (`*` or none: any). PATH is matched without the query: `*` is one segment,
a final `**` any rest, e.g. /v2/orders/*/shipments or /v2/**.
Words:
  status=N        answer N (400-599) in Mollie's error shape; 429 adds `Retry-After: 1`
  latency_ms=N    wait N ms first (combines with one of status / drop / timeout_ms)
  drop            close the connection without an answer
  timeout_ms=N    hold the request N ms, then answer 504
  once | times=N  only the first N matching requests (default: all)
  probability=P   fault each match with chance P, 0.0-1.0 (alias rate=P)
  after           run the handler first (the order is created), then fault the answer
Examples:
  --fault 'POST /v2/orders status=503 once'
  --fault 'POST /v2/orders/*/refunds drop after once'
  --fault '/v2/** latency_ms=300 probability=0.2'
Rules can also be managed at /_sandbox/faults.";

#[derive(Parser)]
#[command(
    version,
    about = "A local emulator of Mollie's Orders API and Klarna's Payments and Order Management APIs"
)]
struct Args {
    /// Address to listen on (loopback by default).
    #[arg(long, env = "KASSA_SANDBOX_LISTEN", default_value = "127.0.0.1:9090")]
    listen: std::net::SocketAddr,
    /// Serve HTTPS with a self-signed certificate for localhost and 127.0.0.1, made at start.
    #[arg(long, env = "KASSA_SANDBOX_TLS")]
    tls: bool,
    /// With --tls: write the certificate (PEM) here, for clients to trust
    /// (e.g. NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE).
    #[arg(long, requires = "tls")]
    tls_cert_out: Option<PathBuf>,
    #[arg(long = "fault", value_name = "RULE", value_parser = parse_fault, long_help = FAULT_HELP,
          help = "Inject a fault, e.g. 'POST /v2/orders status=503 once' (repeatable; see --help)")]
    faults: Vec<FaultSpec>,
    /// Accept only this Klarna credential (HTTP Basic `USER:PASS`); without it any non-empty
    /// one is accepted, and each username sees its own sessions and orders.
    #[arg(long, env = "KASSA_SANDBOX_KLARNA_CREDENTIALS", hide_env_values = true)]
    klarna_credentials: Option<kassa_sandbox::KlarnaCredentials>,
    /// Keep orders and the clock in this JSON file, so they survive a restart.
    #[arg(long, env = "KASSA_SANDBOX_DATA_FILE")]
    data_file: Option<PathBuf>,
}

fn parse_fault(line: &str) -> Result<FaultSpec, String> {
    line.parse::<FaultSpec>().map_err(|e| e.detail)
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
    let scheme = if args.tls { "https" } else { "http" };
    let config = SandboxConfig {
        scheme: scheme.into(),
        klarna_credentials: args.klarna_credentials.clone(),
        ..SandboxConfig::default()
    };
    let sandbox = match &args.data_file {
        Some(path) => Sandbox::with_data_file(config, path)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?,
        None => Sandbox::new(config),
    };
    for spec in args.faults {
        let rule = sandbox
            .add_fault(spec)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.detail))?;
        println!("Fault rule {}: {}", rule.id, serde_json::json!(rule.spec));
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let origin = format!("{scheme}://{}", listener.local_addr()?);
    // Node's Mollie client wants the API base with its trailing `/v2/`; Klarna clients take
    // the root.
    println!("Kassa sandbox listening on {origin}");
    println!("  Mollie API base: {origin}/v2/");
    println!("  Klarna API base: {origin}/ (Payments /payments/v1/, Order Management /ordermanagement/v1/)");
    println!("  Klarna's JavaScript library (stand-in): {origin}/klarna/lib/v1/api.js");
    if !args.tls {
        // Small answers go out at once instead of waiting on Nagle's algorithm.
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        return axum::serve(listener, sandbox.router()).await;
    }
    let identity = TlsIdentity::self_signed()?;
    match &args.tls_cert_out {
        Some(path) => {
            std::fs::write(path, identity.cert_pem())?;
            println!("Certificate (PEM) written to {}", path.display());
        }
        None => println!("Self-signed certificate:\n{}", identity.cert_pem()),
    }
    kassa_sandbox::serve_tls_with(listener, sandbox.router(), identity).await
}
