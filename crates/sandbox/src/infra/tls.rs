//! HTTPS for clients that insist on it (Mollie's own SDKs assume `https://`), with a
//! self-signed certificate made at start for `localhost` and `127.0.0.1`. rustls runs on the
//! ring provider: aws-lc-rs would need cmake and a long C build for a test tool.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// A client that stalls in the handshake must not hold a task forever.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A freshly made self-signed certificate and the server configuration that presents it.
#[derive(Clone)]
pub struct TlsIdentity {
    cert_pem: String,
    config: Arc<rustls::ServerConfig>,
}

impl TlsIdentity {
    /// Makes a certificate for `localhost` and `127.0.0.1` (an IP SAN, so clients that connect
    /// to the address can verify it too).
    pub fn self_signed() -> io::Result<Self> {
        let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
        let made = rcgen::generate_simple_self_signed(names).map_err(io::Error::other)?;
        let cert: CertificateDer<'static> = made.cert.der().clone();
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(io::Error::other)?
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .map_err(io::Error::other)?;
        // The router speaks HTTP/1.1 only (axum's default features).
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            cert_pem: made.cert.pem(),
            config: Arc::new(config),
        })
    }

    /// The certificate in PEM, for a client to trust (`reqwest::Certificate::from_pem`,
    /// Node's `NODE_EXTRA_CA_CERTS`, Python's `REQUESTS_CA_BUNDLE`).
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }
}

/// Serves `router` over HTTPS with a new self-signed certificate until the process ends.
pub async fn serve_tls(listener: TcpListener, router: Router) -> io::Result<()> {
    serve_tls_with(listener, router, TlsIdentity::self_signed()?).await
}

/// Serves `router` over HTTPS with the given identity, so the caller can hand out its PEM.
pub async fn serve_tls_with(
    listener: TcpListener,
    router: Router,
    identity: TlsIdentity,
) -> io::Result<()> {
    let acceptor = TlsAcceptor::from(identity.config);
    loop {
        let tcp = match listener.accept().await {
            Ok((tcp, _peer)) => tcp,
            Err(e) => {
                // Like axum::serve: errors such as "too many open files" pass; keep accepting.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let acceptor = acceptor.clone();
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => tls,
                Ok(Err(e)) => return tracing::debug!(error = %e, "TLS handshake failed"),
                Err(_) => return tracing::debug!("TLS handshake timed out"),
            };
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), service)
                .with_upgrades();
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
}
