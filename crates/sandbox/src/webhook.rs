//! Webhook delivery: `POST <webhookUrl>` with the form body `id=ord_...`, as Mollie does. The
//! body carries no status; receivers fetch the order.

use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;

/// One delivery attempt, as the tester can read it in the delivery log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub resource_id: String,
    pub url: String,
    pub at: String,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    /// Why the attempt failed to get an answer, if it did.
    pub error: Option<String>,
}

impl Delivery {
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

pub struct Webhooks {
    http: reqwest::Client,
    log: Mutex<Vec<Delivery>>,
}

impl Webhooks {
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            // Mollie gives receivers 15 seconds.
            .timeout(Duration::from_secs(15))
            // Mollie does not follow redirects with the body intact; neither do we.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self {
            http,
            log: Mutex::new(Vec::new()),
        }
    }

    /// Sends one webhook and records the attempt.
    pub async fn deliver(&self, url: &str, resource_id: &str, at: String) -> Delivery {
        let result = self
            .http
            .post(url)
            .form(&[("id", resource_id)])
            .send()
            .await;
        let (status, error) = match result {
            Ok(resp) => (Some(resp.status().as_u16()), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let delivery = Delivery {
            resource_id: resource_id.to_owned(),
            url: url.to_owned(),
            at,
            status,
            error,
        };
        if !delivery.succeeded() {
            tracing::warn!(url, resource_id, ?status, "webhook delivery failed");
        }
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(delivery.clone());
        delivery
    }

    pub fn log(&self) -> Vec<Delivery> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}
