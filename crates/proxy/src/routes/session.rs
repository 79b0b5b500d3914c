use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Extension;
use kassa_model::api::{ApiError, Credentials, SessionView};

use super::ApiJson;
use crate::client_addr::{limit_key, ClientIp};
use crate::error::{AppError, Limited};
use crate::staff::{self, session, Session};
use crate::token::sha256_hex;
use crate::AppState;

/// `POST /api/session`: logs in; sets the session cookie and returns the CSRF token.
///
/// Two limits apply, each on its own: failures per account (someone guessing one staff
/// member's password from many addresses) and failures per client address (one address
/// trying many accounts). A right password from an address that mistyped other emails still
/// gets in, until that address reaches its own, higher limit.
#[utoipa::path(
    post,
    path = "/api/session",
    operation_id = "login",
    tag = "session",
    request_body = Credentials,
    responses(
        (status = 200, description = "Logged in: `Set-Cookie` carries the session cookie; the body the CSRF token", body = SessionView,
            headers(("Set-Cookie" = String, description = "The session cookie (HttpOnly, SameSite=Strict)"))),
        (status = 401, description = "`unauthorized`: the email or password is not right", body = ApiError),
        (status = 429, description = "`rate_limited`: too many failed logins for this account or from this address; `Retry-After` says when to try again", body = ApiError,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
)]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(credentials): ApiJson<Credentials>,
) -> Result<Response, AppError> {
    // Hashed: the key's size does not depend on what was typed.
    let account = sha256_hex(&credentials.email.trim().to_lowercase());
    let address = client.map(limit_key);
    let limits = &state.limits;
    let wait = [
        limits.login_account.wait(&account),
        address
            .as_deref()
            .and_then(|a| limits.login_address.wait(a)),
    ]
    .into_iter()
    .flatten()
    .max();
    if let Some(retry_after) = wait {
        return Err(AppError::RateLimited {
            limit: Limited::Login,
            retry_after,
        });
    }
    let Some(member) =
        staff::authenticate(state.db(), &credentials.email, &credentials.password).await?
    else {
        limits.login_account.record(&account);
        if let Some(address) = &address {
            limits.login_address.record(address);
        }
        return Err(AppError::BadCredentials);
    };
    // The account's failures are forgotten; the address's stay, or a known password would
    // let one address guess others' without limit.
    limits.login_account.clear(&account);
    let (token, session) = session::open(state.db(), member, state.session_ttl).await?;
    let cookie = session::set_cookie(&token, state.session_ttl, state.secure_cookies);
    Ok((
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        ApiJson(session.view()),
    )
        .into_response())
}

/// `GET /api/session`: who is logged in, and the CSRF token for this session.
#[utoipa::path(
    get,
    path = "/api/session",
    operation_id = "get_session",
    tag = "session",
    responses((status = 200, description = "The staff member and the session's CSRF token", body = SessionView)),
)]
pub async fn current(Extension(session): Extension<Session>) -> ApiJson<SessionView> {
    ApiJson(session.view())
}

/// `DELETE /api/session`: logs out.
#[utoipa::path(
    delete,
    path = "/api/session",
    operation_id = "logout",
    tag = "session",
    responses((status = 204, description = "Logged out: the session is closed and `Set-Cookie` clears the cookie")),
)]
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
