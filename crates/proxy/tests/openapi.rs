//! `GET /api/openapi.json` (issue 14): public, OpenAPI 3.x, and a description of every route
//! the router registers, so a route added without documentation fails here.
use std::collections::BTreeSet;

use crate::common::*;
use crate::support::*;
use axum::http::{header, StatusCode};
use serde_json::Value;

/// The router's source: what it registers is read from here.
const ROUTER_SOURCE: &str = include_str!("../src/routes/mod.rs");

/// Registered but deliberately not documented: the catch-all that answers unknown `/api`
/// paths with 404 in Kassa's error shape. It is no endpoint of its own.
const UNDOCUMENTED: [(&str, &str); 1] = [("ANY", "/api/{*rest}")];

/// How many operations the document describes today. The comparison with the router below
/// is what catches a missing route; this catches the walk (or the source reader) silently
/// finding nothing.
const OPERATIONS: usize = 26;

#[tokio::test]
async fn the_document_is_public_openapi_3_json() {
    let w = world().await;
    // No cookie, no token.
    let (status, doc, headers) = send(&w.app, get("/api/openapi.json")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"),
        "{headers:?}"
    );
    let version = doc["openapi"].as_str().unwrap_or_default();
    assert!(version.starts_with("3."), "openapi: {version:?}");
    assert!(doc["info"]["title"].is_string(), "{}", doc["info"]);
    assert!(doc["info"]["version"].is_string(), "{}", doc["info"]);
    assert!(doc["paths"].as_object().is_some_and(|p| !p.is_empty()));
    // The security schemes are the guard's real cookie and header.
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["type"], "apiKey");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "kassa_session");
    assert_eq!(schemes["csrf"]["in"], "header");
    assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");
}

#[tokio::test]
async fn every_registered_route_is_documented_and_nothing_else() {
    let w = world().await;
    let doc = document(&w.app).await;
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|op| (op.method, op.path))
        .collect();
    let undocumented: BTreeSet<(String, String)> = UNDOCUMENTED
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let registered = routes_in(ROUTER_SOURCE);
    assert!(
        undocumented.is_subset(&registered),
        "an exemption that is no longer a route: {undocumented:?}"
    );
    let registered: BTreeSet<_> = registered.difference(&undocumented).cloned().collect();
    let missing: Vec<_> = registered.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "registered but not documented: {missing:?}"
    );
    let stale: Vec<_> = documented.difference(&registered).collect();
    assert!(stale.is_empty(), "documented but not registered: {stale:?}");
    assert_eq!(documented.len(), OPERATIONS, "{documented:?}");
}

#[tokio::test]
async fn every_operation_says_what_it_answers_and_every_reference_resolves() {
    let w = world().await;
    let doc = document(&w.app).await;
    for op in operations(&doc) {
        let answers = op.spec["responses"].as_object().unwrap();
        assert!(
            answers.keys().any(|status| status.starts_with('2')),
            "{}: no success answer",
            op.name()
        );
        // Every error of the API (not the webhooks, which answer providers with bare
        // statuses) is Kassa's one error shape, the body limit's 413 included.
        if op.path.starts_with("/api/") {
            let errors = answers.iter().filter(|(s, _)| !s.starts_with('2'));
            for (status, answer) in errors {
                let answer = resolve(&doc, answer);
                assert_eq!(
                    answer["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ApiError",
                    "{} {status}",
                    op.name()
                );
            }
        }
    }
    // Code generators name functions after operation ids: each one there, and unique.
    let ids: Vec<String> = operations(&doc)
        .iter()
        .map(|op| {
            op.spec["operationId"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    let unique: BTreeSet<&String> = ids.iter().filter(|id| !id.is_empty()).collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "missing or repeated operation ids: {ids:?}"
    );
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for reference in refs {
        let target = pointer(&doc, &reference);
        assert!(target.is_some(), "unresolved {reference}");
    }
}

/// A response, or what its `$ref` points to.
fn resolve<'a>(doc: &'a Value, answer: &'a Value) -> &'a Value {
    match answer["$ref"].as_str() {
        Some(reference) => pointer(doc, reference).unwrap_or(&Value::Null),
        None => answer,
    }
}

fn pointer<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// The limits the document states are the ones the proxy checks (`kassa_model::limits` and
/// the notes' and views' maximums), so a client generated from it, or a fuzzer, meets them.
#[tokio::test]
async fn the_documented_limits_are_the_checked_ones() {
    use kassa_model::api::{NOTE_MAX_CHARS, VIEW_NAME_MAX_CHARS};
    use kassa_model::limits::{MAX_AMOUNT_MINOR, MAX_QUANTITY};
    let w = world().await;
    let (_, doc, _) = send(&w.app, get("/api/openapi.json")).await;
    let schemas = &doc["components"]["schemas"];
    let line = &schemas["NewLine"]["properties"];
    assert_eq!(line["quantity"]["minimum"], 1);
    assert_eq!(line["quantity"]["maximum"], MAX_QUANTITY);
    assert_eq!(line["unit_price"]["minimum"], -MAX_AMOUNT_MINOR);
    assert_eq!(line["unit_price"]["maximum"], MAX_AMOUNT_MINOR);
    assert_eq!(line["discount"]["minimum"], 0);
    assert_eq!(line["discount"]["maximum"], MAX_AMOUNT_MINOR);
    assert_eq!(line["sku"]["maxLength"], 64);
    assert_eq!(line["name"]["minLength"], 1);
    assert_eq!(schemas["NewOrder"]["properties"]["lines"]["minItems"], 1);
    let note = &schemas["NewNote"]["properties"]["text"];
    assert_eq!(note["maxLength"], NOTE_MAX_CHARS);
    let view = &schemas["NewSavedView"]["properties"]["name"];
    assert_eq!(view["maxLength"], VIEW_NAME_MAX_CHARS);
}
