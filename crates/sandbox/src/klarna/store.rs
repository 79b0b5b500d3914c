//! Every Klarna session, authorization and order the sandbox knows. Each belongs to the
//! merchant (credential) that made it; lookups by merchant see only their own.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::order::Order;
use super::payments::{Authorization, Session};

#[derive(Clone, Default, Serialize, Deserialize)]
pub struct Store {
    sessions: HashMap<String, Session>,
    authorizations: HashMap<String, Authorization>,
    orders: HashMap<String, Order>,
    /// Order ids, oldest first.
    created: Vec<String>,
    /// No order can expire before this; saves scanning every order on every request.
    next_expiry: Option<OffsetDateTime>,
}

impl Store {
    pub fn order_count(&self) -> usize {
        self.created.len()
    }

    pub fn insert_session(&mut self, session: Session) {
        self.sessions.insert(session.id.clone(), session);
    }

    /// A live session of `merchant`'s (sessions end 48 hours after creation).
    pub fn session(&self, id: &str, merchant: &str, now: OffsetDateTime) -> Option<&Session> {
        self.sessions
            .get(id)
            .filter(|s| s.merchant == merchant && s.is_live(now))
    }

    pub fn session_mut(
        &mut self,
        id: &str,
        merchant: &str,
        now: OffsetDateTime,
    ) -> Option<&mut Session> {
        self.sessions
            .get_mut(id)
            .filter(|s| s.merchant == merchant && s.is_live(now))
    }

    /// Any merchant's live session, for the test control (which has no credential).
    pub fn session_any(&self, id: &str, now: OffsetDateTime) -> Option<&Session> {
        self.sessions.get(id).filter(|s| s.is_live(now))
    }

    /// The live session a browser's client token belongs to. A scan: authorizations are rare
    /// next to API calls, and a test tool's store is small.
    pub fn session_by_client_token(&self, token: &str, now: OffsetDateTime) -> Option<&Session> {
        self.sessions
            .values()
            .find(|s| s.client_token == token && s.is_live(now))
    }

    pub fn session_by_id_mut(&mut self, id: &str) -> Option<&mut Session> {
        self.sessions.get_mut(id)
    }

    pub fn insert_authorization(&mut self, authorization: Authorization) {
        self.authorizations
            .insert(authorization.token.clone(), authorization);
    }

    pub fn authorization_mut(&mut self, token: &str, merchant: &str) -> Option<&mut Authorization> {
        self.authorizations
            .get_mut(token)
            .filter(|a| a.merchant == merchant)
    }

    /// The authorization whose placed order answers `/klarna/redirect/{key}`.
    pub fn placed_by_redirect_key(&self, key: &str) -> Option<&Authorization> {
        self.authorizations
            .values()
            .find(|a| a.placed.as_ref().is_some_and(|p| p.redirect_key == key))
    }

    pub fn insert_order(&mut self, order: Order) {
        if order.can_expire() {
            self.next_expiry = Some(match self.next_expiry {
                Some(t) => t.min(order.expires_at),
                None => order.expires_at,
            });
        }
        self.created.push(order.id.clone());
        self.orders.insert(order.id.clone(), order);
    }

    pub fn order(&self, id: &str, merchant: &str) -> Option<&Order> {
        self.orders.get(id).filter(|o| o.merchant == merchant)
    }

    pub fn order_mut(&mut self, id: &str, merchant: &str) -> Option<&mut Order> {
        self.orders.get_mut(id).filter(|o| o.merchant == merchant)
    }

    /// Any merchant's order, for the test controls.
    pub fn order_any_mut(&mut self, id: &str) -> Option<&mut Order> {
        self.orders.get_mut(id)
    }

    /// An order's new expiry (after an extension) may be the next one due.
    pub fn note_expiry(&mut self, at: OffsetDateTime) {
        self.next_expiry = Some(self.next_expiry.map_or(at, |t| t.min(at)));
    }

    /// Expires every order whose authorization ran out; true if any did. Klarna sends no
    /// notification for it.
    pub fn expire_due(&mut self, now: OffsetDateTime) -> bool {
        if self.next_expiry.is_none_or(|t| now < t) {
            return false;
        }
        let mut changed = false;
        let mut next: Option<OffsetDateTime> = None;
        for order in self.orders.values_mut() {
            changed |= order.expire_if_due(now);
            if order.can_expire() {
                next = Some(next.map_or(order.expires_at, |t| t.min(order.expires_at)));
            }
        }
        self.next_expiry = next;
        changed
    }
}
