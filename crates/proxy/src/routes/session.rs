use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Extension;
use kassa_model::api::{Credentials, SessionView};

use super::ApiJson;
use crate::error::AppError;
use crate::staff::{self, session, Session};
use crate::AppState;

/// `POST /api/session`: logs in; sets the session cookie and returns the CSRF token.
pub async fn login(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    ApiJson(credentials): ApiJson<Credentials>,
) -> Result<Response, AppError> {
    let mut keys = vec![format!("email:{}", credentials.email.trim().to_lowercase())];
    if let Some(ip) = super::client_ip(&parts.extensions) {
        keys.push(format!("ip:{ip}"));
    }
    if state.limiter.is_blocked(&keys) {
        return Err(AppError::RateLimited);
    }
    let Some(member) =
        staff::authenticate(state.db(), &credentials.email, &credentials.password).await?
    else {
        state.limiter.record_failure(&keys);
        return Err(AppError::BadCredentials);
    };
    state.limiter.clear(&keys[..1]);
    let (token, session) = session::open(state.db(), member, state.session_ttl).await?;
    let cookie = session::set_cookie(&token, state.session_ttl, state.secure_cookies);
    Ok((
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        ApiJson(session.view()),
    )
        .into_response())
}

/// `GET /api/session`: who is logged in, and the CSRF token for this session.
pub async fn current(Extension(session): Extension<Session>) -> ApiJson<SessionView> {
    ApiJson(session.view())
}

/// `DELETE /api/session`: logs out.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(session::token_from_cookies)
    {
        session::close(state.db(), &state.sessions, token).await?;
    }
    let cookie = session::clear_cookie(state.secure_cookies);
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(header::SET_COOKIE, cookie)]),
    )
        .into_response())
}
