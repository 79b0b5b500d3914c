//! Two proxies on one PostgreSQL database, as a merchant runs them behind a load balancer:
//! what one proxy writes, the other shows at once; a logout on one ends the session on both;
//! an intent sent to both at the same moment moves money once; an intent a dead proxy left
//! pending is finished by the other with exactly the request it recorded.
//!
//! The database server is `KASSA_TEST_POSTGRES` when set (`cargo xtask test` starts one), else
//! a throwaway cluster of this test's own (Debian's `postgresql` package).
use crate::common::*;
use axum::http::StatusCode;
use axum::Router;
use kassa_model::api::Role;
use kassa_proxy::config::SANDBOX_KEY;
use kassa_proxy::{app, staff, AppState, StateConfig};
use kassa_sandbox::Sandbox;
use serde_json::{json, Value};

struct Pair {
    a: Router,
    b: Router,
    state_a: AppState,
    state_b: AppState,
    sandbox: Sandbox,
    sandbox_url: String,
    /// The operator's session through proxy A (valid on both).
    auth: (String, String),
    /// Dropped last: the server goes when the test is done.
    _cluster: Option<throwaway_pg::Cluster>,
}

/// A PostgreSQL server's URL, and the cluster to keep alive while it is used.
fn server() -> (Option<throwaway_pg::Cluster>, String) {
    match std::env::var("KASSA_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => (None, url),
        _ => {
            let cluster = throwaway_pg::Cluster::start().expect("a throwaway PostgreSQL");
            let url = cluster.url("postgres");
            (Some(cluster), url)
        }
    }
}

async fn proxy(database_url: &str, sandbox_url: &str, instance: &str) -> AppState {
    let mut config = StateConfig::new(
        database_url,
        &format!("{sandbox_url}/v2/"),
        SANDBOX_KEY,
        "http://127.0.0.1:1",
        std::path::PathBuf::from("/nonexistent-dist"),
    );
    config.instance = Some(instance.into());
    AppState::new(config).await.expect("a proxy")
}

async fn pair() -> Pair {
    let (cluster, server) = server();
    let url = scratch_database(&server).await;
    let (sandbox, sandbox_url) = serve_sandbox().await;
    // Both start on the fresh database at once: one applies the migrations, the other waits.
    let (state_a, state_b) = tokio::join!(
        proxy(&url, &sandbox_url, "proxy-a"),
        proxy(&url, &sandbox_url, "proxy-b")
    );
    for (email, role) in [(OPERATOR, Role::Operator), (VIEWER, Role::Viewer)] {
        staff::create(state_a.db(), email, "Staff", role, PASSWORD)
            .await
            .unwrap();
    }
    let (a, b) = (app(state_a.clone()), app(state_b.clone()));
    let auth = login(&a, OPERATOR).await;
    Pair {
        a,
        b,
        state_a,
        state_b,
        sandbox,
        sandbox_url,
        auth,
        _cluster: cluster,
    }
}

fn new_order(method: &str) -> Value {
    json!({
        "currency": "EUR", "locale": "nl_NL", "method": method,
        "billing_address": {"givenName": "Piet", "familyName": "Mondriaan", "email": "piet@mondriaan.com",
            "streetAndNumber": "Keizersgracht 126", "postalCode": "1234AB", "city": "Amsterdam", "country": "NL"},
        "lines": [
            {"name": "Bugatti", "quantity": 2, "unit_price": 39900, "vat_rate": "21"},
            {"name": "Tyres", "quantity": 3, "unit_price": 5000, "vat_rate": "21"}
        ]
    })
}

/// An order created through proxy A and paid (`outcome`) at the sandbox's checkout.
async fn order(p: &Pair, method: &str, outcome: &str) -> String {
    let (status, created, text) = call_as(
        &p.a,
        authed(post_json("/api/orders", &new_order(method)), &p.auth),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    pay(created["checkout_url"].as_str().unwrap(), outcome).await;
    created["order"]["id"].as_str().unwrap().to_owned()
}

async fn view(app: &Router, auth: &(String, String), id: &str) -> Value {
    let (status, body, text) = call_as(app, authed(get(&format!("/api/orders/{id}")), auth)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    body
}

fn notes(view: &Value) -> Vec<String> {
    view["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "note")
        .map(|e| e["detail"].as_str().unwrap().to_owned())
        .collect()
}

/// The sandbox's answered `POST`s to paths ending in `suffix` (e.g. `/refunds`).
fn provider_posts(sandbox: &Sandbox, suffix: &str) -> usize {
    sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with(suffix))
        .count()
}

#[tokio::test]
async fn what_one_proxy_writes_the_other_shows_and_a_logout_counts_on_both() {
    let p = pair().await;
    let id = order(&p, "ideal", "paid").await;
    // B reads (and caches) the order; A adds a note; B shows it on the next read.
    assert!(notes(&view(&p.b, &p.auth, &id).await).is_empty());
    let (status, _, text) = call_as(
        &p.a,
        authed(
            post_json(
                &format!("/api/orders/{id}/notes"),
                &json!({"text": "Called the customer"}),
            ),
            &p.auth,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    assert_eq!(
        notes(&view(&p.b, &p.auth, &id).await),
        [format!("{OPERATOR}: Called the customer")]
    );
    // A webhook through B refreshes the order; A's next read has it (here: nothing changed,
    // so the status is the same on both).
    let (status, ..) = call_as(&p.b, webhook(&id)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        view(&p.a, &p.auth, &id).await["status"],
        view(&p.b, &p.auth, &id).await["status"]
    );

    // A session opened on A works on B until it is closed on A.
    let viewer = login(&p.a, VIEWER).await;
    let (status, ..) = call_as(&p.b, authed(get("/api/orders"), &viewer)).await;
    assert_eq!(status, StatusCode::OK);
    let logout = axum::http::Request::delete("/api/session")
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, ..) = call_as(&p.a, authed(logout, &viewer)).await;
    assert!(status.is_success(), "{status}");
    let (status, ..) = call_as(&p.b, authed(get("/api/orders"), &viewer)).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "logged out on A, so on B too"
    );
}

#[tokio::test]
async fn one_intent_sent_to_both_proxies_at_once_refunds_once() {
    let p = pair().await;
    let id = order(&p, "ideal", "paid").await;
    let before = view(&p.a, &p.auth, &id).await;
    let line = before["lines"][1]["id"].as_str().unwrap().to_owned();
    let refund = json!({"kind": "refund", "intent_id": "twice-0000-0001",
        "lines": [{"line_id": line, "quantity": 1}]});
    let act = |app: Router| {
        let req = authed(
            post_json(&format!("/api/orders/{id}/actions"), &refund),
            &p.auth,
        );
        async move { call_as(&app, req).await }
    };
    for _ in 0..3 {
        let ((sa, a, ta), (sb, b, tb)) = tokio::join!(act(p.a.clone()), act(p.b.clone()));
        assert_eq!(sa, StatusCode::OK, "{ta}");
        assert_eq!(sb, StatusCode::OK, "{tb}");
        assert_eq!(a["order"]["id"], b["order"]["id"]);
    }
    assert_eq!(
        provider_posts(&p.sandbox, "/refunds"),
        1,
        "one refund at the provider"
    );
    let after = view(&p.b, &p.auth, &id).await;
    assert_eq!(after["lines"][1]["quantity_refunded"], 1, "{after}");
}

#[tokio::test]
async fn an_intent_a_dead_proxy_left_pending_is_finished_by_the_other_once() {
    let p = pair().await;
    let id = order(&p, "ideal", "paid").await;
    let before = view(&p.a, &p.auth, &id).await;
    let line = before["lines"][0]["id"].as_str().unwrap().to_owned();
    let refund = json!({"kind": "refund", "intent_id": "left-0000-0001",
        "lines": [{"line_id": line, "quantity": 1}]});
    // Proxy A records the intent and dies before calling the provider: its lease runs until
    // the test says so. What it recorded is what B must send.
    let (status, _, text) = call_as(
        &p.a,
        authed(
            post_json(&format!("/api/orders/{id}/actions"), &refund),
            &p.auth,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(provider_posts(&p.sandbox, "/refunds"), 1);
    // Make that intent look unfinished and held by a proxy that is gone: pending, its lease
    // run out. B, given the same intent, sends it again under the same key and the provider
    // answers from its idempotency store: still one refund.
    p.state_a
        .db()
        .query(
            "UPDATE actions SET state = 'pending', outcome = NULL, lease_owner = 'gone',
             lease_until = 0 WHERE intent_id = ?",
        )
        .bind("left-0000-0001")
        .execute()
        .await
        .unwrap();
    let (status, body, text) = call_as(
        &p.b,
        authed(
            post_json(&format!("/api/orders/{id}/actions"), &refund),
            &p.auth,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(body["order"]["lines"][0]["quantity_refunded"], 1, "{body}");
    assert_eq!(provider_posts(&p.sandbox, "/refunds"), 2, "sent again…");
    let refunds = mollie_get(&p.sandbox_url, &format!("/v2/orders/{id}/refunds")).await;
    assert_eq!(refunds["count"], 1, "…and carried out once: {refunds}");

    // A lease still held by a live proxy: B waits for that proxy's answer instead of
    // calling the provider.
    let other = json!({"kind": "refund", "intent_id": "held-0000-0001",
        "lines": [{"line_id": line, "quantity": 1}]});
    let db = p.state_a.db().clone();
    db.query(
        "INSERT INTO actions (intent_id, order_id, kind, actor, request, provider_call, state,
                              created_at, lease_until, lease_owner)
         SELECT 'held-0000-0001', order_id, kind, actor, ?, provider_call, 'pending',
                created_at, ?, 'alive'
         FROM actions WHERE intent_id = 'left-0000-0001'",
    )
    .bind(
        serde_json::to_string(
            &serde_json::from_value::<kassa_model::api::OrderAction>(other.clone()).unwrap(),
        )
        .unwrap(),
    )
    .bind(i64::MAX / 2)
    .execute()
    .await
    .unwrap();
    let finisher = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        db.query(
            "UPDATE actions SET state = 'failed', outcome = ? WHERE intent_id = 'held-0000-0001'",
        )
        .bind(
            json!({"status": 422, "body": {"code": "not_allowed", "message": "held"}}).to_string(),
        )
        .execute()
        .await
        .unwrap();
    });
    let (status, body, _) = call_as(
        &p.b,
        authed(
            post_json(&format!("/api/orders/{id}/actions"), &other),
            &p.auth,
        ),
    )
    .await;
    finisher.await.unwrap();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["message"], "held", "the holder's answer");
    assert_eq!(
        provider_posts(&p.sandbox, "/refunds"),
        2,
        "no call of B's own"
    );
}

#[tokio::test]
async fn each_due_order_is_refreshed_by_one_proxy() {
    let p = pair().await;
    let mut ids = Vec::new();
    for _ in 0..4 {
        // Created, never paid and no webhook (nothing listens at the public URL): due for a
        // refresh a minute after creation.
        let (status, created, text) = call_as(
            &p.a,
            authed(post_json("/api/orders", &new_order("ideal")), &p.auth),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{text}");
        ids.push(created["order"]["id"].as_str().unwrap().to_owned());
    }
    let gets = |sandbox: &Sandbox| {
        sandbox
            .requests()
            .iter()
            .filter(|r| {
                r.method == "GET"
                    && ids
                        .iter()
                        .any(|id| r.path.starts_with(&format!("/v2/orders/{id}")))
            })
            .count()
    };
    let before = gets(&p.sandbox);
    let later = time::OffsetDateTime::now_utc().unix_timestamp() + 120;
    let (a, b) = tokio::join!(
        kassa_proxy::refresh_due_orders(&p.state_a, later, 50),
        kassa_proxy::refresh_due_orders(&p.state_b, later, 50)
    );
    assert_eq!(
        a.unwrap() + b.unwrap(),
        ids.len(),
        "each order once, by one proxy or the other"
    );
    assert_eq!(
        gets(&p.sandbox) - before,
        ids.len(),
        "one provider fetch per order"
    );
}
