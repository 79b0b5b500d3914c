//! `GET /api/openapi.json`: the proxy's API as an OpenAPI 3.1 document, generated from the
//! handlers' `#[utoipa::path]` annotations and the wire types' schemas (kassa-model's `openapi`
//! feature), so it cannot drift from the code.
//!
//! What every operation shares is added here, from the code that decides it rather than by
//! hand on each handler: who may call it (the guard's [`access`]) and the error answers the
//! guard and the JSON body reader give.

use std::sync::OnceLock;

use axum::http::{header, Method};
use axum::response::{IntoResponse, Response};
use kassa_model::api::ApiError;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, OpenApi as Document, Ref, RefOr, Response as Answer, ResponseBuilder,
};
use utoipa::{Modify, OpenApi};

use super::guard::{access, Access, CSRF_HEADER};
use crate::staff::session::COOKIE;

/// The security schemes' names in the document.
pub const SESSION: &str = "session";
pub const CSRF: &str = "csrf";
/// The role a change needs, as the session requirement's scope (OpenAPI 3.1 lets a scheme
/// that is not OAuth list the roles it requires).
pub const OPERATOR: &str = "operator";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kassa proxy API",
        description = "The merchant proxy's JSON API (`/api`) and the providers' webhooks. \
            Errors answer `{\"code\", \"message\", \"field\"}` (schema `ApiError`). Staff log in \
            with `POST /api/session`: the answer sets the session cookie and carries the CSRF \
            token, which every change (POST, PUT, PATCH, DELETE) sends back in the \
            `X-CSRF-Token` header. Operations with no `security` are public.",
        license(name = "MIT"),
    ),
    paths(
        super::health,
        serve,
        super::session::login,
        super::session::current,
        super::session::logout,
        super::orders::create,
        super::orders::list,
        super::orders::catalog,
        super::pay::public_checkout,
        super::pay::show,
        super::pay::place,
        super::pay::create_link,
        super::views::list,
        super::views::save,
        super::views::delete,
        super::orders::import,
        super::orders::expiring,
        super::orders::export,
        super::orders::get,
        super::orders::due_date_options,
        super::orders::act,
        super::orders::refresh,
        super::orders::add_note,
        super::orders::for_return,
        super::webhooks::mollie,
        super::webhooks::klarna,
    ),
    components(schemas(ApiError)),
    modifiers(&Guarded),
    tags(
        (name = "session", description = "Logging in and out"),
        (name = "orders", description = "Staff's orders: the mirror, actions, notes"),
        (name = "views", description = "Each staff member's saved views of the orders list"),
        (name = "public", description = "The storefront, pay links and return pages: no login"),
        (name = "webhooks", description = "The providers' notifications: no login, only hints"),
        (name = "meta", description = "Health and this document"),
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`: this API as OpenAPI 3.1 (built once, then served as is).
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "get_openapi",
    tag = "meta",
    responses((status = 200, description = "This document (OpenAPI 3.1)", content_type = "application/json")),
)]
pub async fn serve() -> Response {
    static JSON: OnceLock<String> = OnceLock::new();
    let json = JSON.get_or_init(|| {
        // Serialising a document of plain maps and strings cannot fail; were it to, an empty
        // object is still JSON and the test that reads this document fails loudly.
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|_| "{}".to_owned())
    });
    ([(header::CONTENT_TYPE, "application/json")], json.as_str()).into_response()
}

/// Adds the security schemes, each operation's requirement as the guard decides it, and the
/// error answers that follow from it and from reading a JSON body.
struct Guarded;

impl Modify for Guarded {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                COOKIE,
                "The staff session, set by `POST /api/session` (HttpOnly, SameSite=Strict). \
                 Scope `operator`: the staff member's role must be operator (viewers may read, \
                 log out and keep their own saved views).",
            ))),
        );
        components.add_security_scheme(
            CSRF,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                CSRF_HEADER,
                "The session's CSRF token (`csrf_token` in the login and `GET /api/session` \
                 answers); every change sends it.",
            ))),
        );
        for (name, description) in COMMON_ERRORS {
            components
                .responses
                .insert((*name).to_owned(), RefOr::T(error_answer(description)));
        }
        for (path, item) in doc.paths.paths.iter_mut() {
            let sample = sample_path(path);
            for (method, operation) in [
                (Method::GET, &mut item.get),
                (Method::POST, &mut item.post),
                (Method::PUT, &mut item.put),
                (Method::PATCH, &mut item.patch),
                (Method::DELETE, &mut item.delete),
            ] {
                let Some(operation) = operation else { continue };
                if !path.starts_with("/api/") {
                    continue;
                }
                guard(operation, access(&method, &sample));
                // Bodies are read by `ApiJson`, whose refusals are 400 in the error shape, after
                // the body limit (413 in the error shape too).
                if operation.request_body.is_some() {
                    add_answer(operation, "400", "BadRequest");
                    add_answer(operation, "413", "TooLarge");
                }
                // A database error or a panic (`routes::panics`) can end any of them.
                add_answer(operation, "500", "Internal");
            }
        }
    }
}

/// The error answers the guard, the body reader and any failure give, as named responses;
/// each operation's own (404, 409, 422, 502, …) are on its handler.
const COMMON_ERRORS: &[(&str, &str)] = &[
    (
        "BadRequest",
        "`bad_request`: the body is not JSON (or not sent as `application/json`), or does not \
         fit this request; `field` is where it went wrong (`lines.0.unitPrice`).",
    ),
    (
        "TooLarge",
        "`too_large`: the body is over 64 KiB (by its `Content-Length`, or as it was read).",
    ),
    ("Unauthorized", "`unauthorized`: no live session."),
    (
        "Forbidden",
        "`csrf`: the request did not carry the session's CSRF token; `forbidden`: the staff \
         member's role (viewer) may not do this.",
    ),
    (
        "Csrf",
        "`csrf`: the request did not carry the session's CSRF token.",
    ),
    (
        "Internal",
        "`internal`: something went wrong on Kassa's side; it is logged, the message says no \
         more.",
    ),
];

fn error_answer(description: &str) -> Answer {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ApiError")))
                .build(),
        )
        .build()
}

/// The operation's security requirement and the answers the guard gives instead of it.
fn guard(operation: &mut Operation, access: Access) {
    let requirement = match access {
        Access::Public => return,
        Access::Session => SecurityRequirement::new(SESSION, Vec::<String>::new()),
        Access::Change { operator } => {
            let scopes = if operator { vec![OPERATOR] } else { vec![] };
            SecurityRequirement::new(SESSION, scopes).add(CSRF, Vec::<String>::new())
        }
    };
    operation.security = Some(vec![requirement]);
    add_answer(operation, "401", "Unauthorized");
    match access {
        Access::Change { operator: true } => add_answer(operation, "403", "Forbidden"),
        Access::Change { operator: false } => add_answer(operation, "403", "Csrf"),
        _ => {}
    }
}

/// Adds the named shared answer for `status` unless the operation documents its own.
fn add_answer(operation: &mut Operation, status: &str, name: &str) {
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
}

/// A concrete path for a template (`/api/orders/{id}` → `/api/orders/x`), to ask the guard.
fn sample_path(template: &str) -> String {
    template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "x"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_become_paths_the_guard_reads() {
        assert_eq!(
            sample_path("/api/public/pay/{reference}"),
            "/api/public/pay/x"
        );
        assert_eq!(
            sample_path("/api/orders/{id}/shipments/{shipment_id}/due-date-options"),
            "/api/orders/x/shipments/x/due-date-options"
        );
    }
}
