//! Security headers. The app's pages get a Content-Security-Policy that allows the app and
//! nothing else: its own scripts (plus the one inline bootstrap script Trunk writes, by hash),
//! WebAssembly compilation, same-origin requests, and framing only by the configured hosts.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy for the built app in `dist`. Trunk's inline `<script type="module">` that
/// loads the wasm is allowed by its SHA-256, computed from the file actually served.
/// With Klarna, its library's origin (`klarna_library`) may load scripts, be called, show
/// images and frames, and nothing else is added.
pub fn content_security_policy(
    dist: &Path,
    frame_ancestors: &str,
    klarna_library: Option<&str>,
) -> String {
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let hashes: String = inline_scripts(&index)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let klarna = klarna_library
        .and_then(origin)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}{klarna}; \
         style-src 'self'; img-src 'self' data:{klarna}; connect-src 'self'{klarna}; \
         frame-src 'self'{klarna}; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors {frame_ancestors}"
    )
}

/// `https://x.klarnacdn.net` of `https://x.klarnacdn.net/kp/lib/v1/api.js`; nothing for a
/// URL that is not http(s) or whose origin would break the policy's syntax.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?;
    let clean = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    clean.then(|| format!("{scheme}://{host}"))
}

/// The bodies of `<script>` elements that have no `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attrs, after) = rest.split_once('>')?;
        if attrs.contains("src=") {
            return None;
        }
        after.split_once("</script>").map(|(body, _)| body)
    })
}

/// Headers every answer carries.
pub fn common() -> [SetResponseHeaderLayer<HeaderValue>; 2] {
    [
        SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
    ]
}

/// Every `/api` answer is `Cache-Control: no-store`: orders, customer data, the session and its
/// CSRF token must not stay in a browser's or a shared cache. Set on the way out of the whole
/// stack, so errors, 401s and 404s from guards and fallbacks carry it as well.
pub async fn no_store_for_api(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let api = path == "/api" || path.starts_with("/api/");
    let mut response = next.run(req).await;
    if api {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// HSTS for a Kassa served over HTTPS: two years, this host only. `includeSubDomains` is left
/// out because Kassa usually runs on one name of a shop's domain and cannot know that every
/// other name there speaks HTTPS; `preload` likewise is the domain owner's decision.
pub fn strict_transport(public_url: &str) -> Option<SetResponseHeaderLayer<HeaderValue>> {
    public_url.starts_with("https://").then(|| {
        SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        )
    })
}

pub const HSTS: &str = "max-age=63072000";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn klarnas_library_origin_is_allowed_and_nothing_else() {
        let dir = std::env::temp_dir();
        let csp = content_security_policy(
            &dir,
            "'none'",
            Some("https://x.klarnacdn.net/kp/lib/v1/api.js"),
        );
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' https://x.klarnacdn.net;"));
        assert!(csp.contains("connect-src 'self' https://x.klarnacdn.net;"));
        assert!(!csp.contains("/kp/"));
        let plain = content_security_policy(&dir, "'none'", None);
        assert!(plain.contains("connect-src 'self';"));
        assert_eq!(origin("javascript:alert(1)"), None);
        assert_eq!(origin("https://a b/"), None);
        assert_eq!(
            origin("http://127.0.0.1:9090/klarna/lib/v1/api.js").as_deref(),
            Some("http://127.0.0.1:9090")
        );
    }

    #[test]
    fn finds_inline_scripts_only() {
        let html = r#"<script type="module">boot()</script><script src="/a.js"></script>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), ["boot()"]);
    }
}
