#![allow(dead_code)]
//! What the OpenAPI and security tests share: the routes a router's source registers, and the
//! proxy's own OpenAPI document with its operations.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::Value;

use crate::common::{call_as, get};

/// The HTTP methods a route can be registered with, as axum's routing functions name them.
const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "options", "any"];

/// Every `(METHOD, path)` that `.route("path", get(…).post(…))` calls in `source` register,
/// read from the source itself so that a route added there is seen here without anyone
/// remembering to list it. `any` routes come back as `ANY`.
pub fn routes_in(source: &str) -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    let mut rest = source;
    while let Some(at) = rest.find(".route(") {
        let call = &rest[at + ".route(".len()..];
        let inner = &call[..closing_paren(call)];
        let path = inner
            .split('"')
            .nth(1)
            .unwrap_or_else(|| panic!("a route without a literal path: {inner}"));
        for method in methods_in(inner) {
            routes.insert((method.to_uppercase(), path.to_owned()));
        }
        rest = &call[inner.len()..];
    }
    routes
}

/// Where the call whose arguments start at `text` closes (its parentheses balanced).
fn closing_paren(text: &str) -> usize {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses in the router source");
}

/// The method routing calls in one `.route(…)`'s arguments: `get(`, `.post(`,
/// `axum::routing::delete(`, but not a handler that happens to be called `get`
/// (`orders::get)`), which no `(` follows.
fn methods_in(args: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    for method in METHODS {
        let call = format!("{method}(");
        let mut from = 0;
        while let Some(at) = args[from..].find(&call) {
            let start = from + at;
            let before = args[..start].chars().last().unwrap_or(' ');
            // A word of its own: not the tail of `from_fn(` or `for_get(`.
            if !(before.is_alphanumeric() || before == '_') {
                found.push(method);
            }
            from = start + call.len();
        }
    }
    found
}

/// The proxy's OpenAPI document, fetched as anyone may (no session).
pub async fn document(app: &axum::Router) -> Value {
    let (status, doc, text) = call_as(app, get("/api/openapi.json")).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert!(doc.is_object(), "not JSON: {text}");
    doc
}

/// One operation of the document.
pub struct Operation {
    pub method: String,
    pub path: String,
    pub spec: Value,
}

impl Operation {
    /// Public: the document states no security requirement.
    pub fn is_public(&self) -> bool {
        self.spec["security"]
            .as_array()
            .is_none_or(|requirements| requirements.is_empty())
    }

    /// Every requirement names the CSRF header (a change).
    pub fn needs_csrf(&self) -> bool {
        self.requirements().any(|r| r.get("csrf").is_some())
    }

    /// The session requirement asks for the operator role.
    pub fn needs_operator(&self) -> bool {
        self.requirements().any(|r| {
            r["session"]
                .as_array()
                .is_some_and(|scopes| scopes.iter().any(|s| s == "operator"))
        })
    }

    fn requirements(&self) -> impl Iterator<Item = &Value> {
        self.spec["security"].as_array().into_iter().flatten()
    }

    pub fn is_mutation(&self) -> bool {
        matches!(self.method.as_str(), "POST" | "PUT" | "PATCH" | "DELETE")
    }

    /// The path with each `{parameter}` replaced by `value`.
    pub fn uri(&self, value: &str) -> String {
        self.path
            .split('/')
            .map(|s| if s.starts_with('{') { value } else { s })
            .collect::<Vec<_>>()
            .join("/")
    }

    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// The document lists `status` (`"401"`, or a `StatusCode`'s `as_str()`) among the
    /// operation's answers.
    pub fn documents(&self, status: &str) -> bool {
        self.spec["responses"].get(status).is_some()
    }
}

/// Every operation in the document, in path order.
pub fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, spec) in item.as_object().into_iter().flatten() {
            if [
                "get", "post", "put", "patch", "delete", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                out.push(Operation {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    spec: spec.clone(),
                });
            }
        }
    }
    out
}

/// Kassa's one error shape: `code` and `message` strings, `field` a string when present, and
/// nothing else.
pub fn assert_error_shape(body: &Value, code: &str, context: &str) {
    let object = body
        .as_object()
        .unwrap_or_else(|| panic!("{context}: not a JSON object: {body}"));
    assert_eq!(body["code"], code, "{context}: {body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{context}: {body}"
    );
    assert!(
        object
            .keys()
            .all(|k| ["code", "message", "field"].contains(&k.as_str())),
        "{context}: {body}"
    );
    if let Some(field) = object.get("field") {
        assert!(field.is_string(), "{context}: {body}");
    }
}

#[test]
fn the_source_reader_finds_methods_not_handlers_named_like_them() {
    let source = r#"
        Router::new()
            .route("/a", get(|| async { "ok" }))
            .route("/b", post(x::create).get(x::get).delete(x::delete))
            .route("/c/{id}", axum::routing::delete(views::delete))
            .route("/d/{*rest}", any(x::unknown))
            .route_layer(middleware::from_fn_with_state(s, g))
    "#;
    let found: Vec<(String, String)> = routes_in(source).into_iter().collect();
    let pairs: Vec<(&str, &str)> = found
        .iter()
        .map(|(m, p)| (m.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("ANY", "/d/{*rest}"),
            ("DELETE", "/b"),
            ("DELETE", "/c/{id}"),
            ("GET", "/a"),
            ("GET", "/b"),
            ("POST", "/b"),
        ]
    );
}
