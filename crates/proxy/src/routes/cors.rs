//! Cross-origin access for host pages that embed the console (docs/embedding.md).
//!
//! A host page on another origin of the same site (`https://admin.example.com` embedding
//! `https://kassa.example.com`) must fetch the app's files and call the API with the staff
//! session cookie. Browsers allow that only when the proxy names the host's origin and allows
//! credentials, so the list is exact: no wildcard, no patterns. With an empty list the proxy
//! sends no CORS headers at all and stays same-origin only.

use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::AppError;

/// The layer for the configured host origins, or `None` when there are none.
pub fn embed_layer(origins: &[String]) -> Result<Option<CorsLayer>, AppError> {
    let origins = origins
        .iter()
        .map(|o| o.trim())
        .filter(|o| !o.is_empty())
        .map(origin)
        .collect::<Result<Vec<_>, _>>()?;
    if origins.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_credentials(true)
            .allow_methods([Method::GET, Method::POST, Method::DELETE])
            .allow_headers([
                header::ACCEPT,
                header::CONTENT_TYPE,
                HeaderName::from_static("x-csrf-token"),
            ])
            // Preflights are cached for ten minutes instead of preceding every mutation.
            .max_age(Duration::from_secs(600)),
    ))
}

/// One origin as browsers send it in `Origin`: `scheme://host[:port]`, nothing after it.
fn origin(text: &str) -> Result<HeaderValue, AppError> {
    let refuse = |why: &str| {
        AppError::Internal(format!(
            "KASSA_EMBED_ORIGINS: {text:?} {why}; give origins like https://admin.example.com"
        ))
    };
    let url = reqwest::Url::parse(text).map_err(|_| refuse("is not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse("is not http or https"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("has a path, query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("carries credentials"));
    }
    let origin = url.origin().ascii_serialization();
    HeaderValue::from_str(&origin).map_err(|_| refuse("is not a valid header value"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_as_browsers_send_them() {
        assert_eq!(
            origin("https://Admin.Example.com/").unwrap(),
            "https://admin.example.com"
        );
        assert_eq!(
            origin("http://127.0.0.1:8081").unwrap(),
            "http://127.0.0.1:8081"
        );
        // The default port is not part of the origin.
        assert_eq!(
            origin("https://admin.example.com:443").unwrap(),
            "https://admin.example.com"
        );
    }

    #[test]
    fn anything_but_an_exact_origin_is_refused() {
        for bad in [
            "*",
            "admin.example.com",
            "https://admin.example.com/payments",
            "https://admin.example.com/?a=1",
            "ftp://admin.example.com",
            "https://user:pw@admin.example.com",
        ] {
            let error = origin(bad).unwrap_err().to_string();
            assert!(error.contains("KASSA_EMBED_ORIGINS"), "{bad}: {error}");
        }
    }

    #[test]
    fn no_origins_means_no_cors_at_all() {
        assert!(embed_layer(&[]).unwrap().is_none());
        assert!(embed_layer(&[" ".into()]).unwrap().is_none());
        assert!(embed_layer(&["https://a.example.com".into()])
            .unwrap()
            .is_some());
    }
}
