use std::collections::HashMap;

use time::OffsetDateTime;

use crate::mollie::auth::Mode;
use crate::mollie::order::OrderRecord;

/// Every order the sandbox knows, with creation order kept for listing.
#[derive(Default)]
pub struct Store {
    orders: HashMap<String, OrderRecord>,
    created: Vec<String>,
    /// No order can expire before this; saves scanning every order on every request.
    next_expiry: Option<OffsetDateTime>,
}

impl Store {
    pub fn insert(&mut self, order: OrderRecord) {
        self.next_expiry = Some(match self.next_expiry {
            Some(t) => t.min(order.expires_at),
            None => order.expires_at,
        });
        self.created.push(order.id.clone());
        self.orders.insert(order.id.clone(), order);
    }

    pub fn len(&self) -> usize {
        self.created.len()
    }

    /// The order with this id, if it belongs to the caller's mode (test data is invisible
    /// to live keys and the other way round).
    pub fn get(&self, id: &str, mode: Mode) -> Option<&OrderRecord> {
        self.orders.get(id).filter(|o| o.mode == mode)
    }

    pub fn get_mut(&mut self, id: &str, mode: Mode) -> Option<&mut OrderRecord> {
        self.orders.get_mut(id).filter(|o| o.mode == mode)
    }

    /// The order whose hosted checkout link carries `token` (customers reach it without an
    /// API key). A scan: checkouts are rare next to API calls, and a test tool's store is small.
    pub fn by_checkout_token(&self, token: &str) -> Option<&OrderRecord> {
        self.orders.values().find(|o| o.checkout_token == token)
    }

    /// The id of that order.
    pub fn id_for_checkout(&self, token: &str) -> Option<String> {
        self.by_checkout_token(token).map(|o| o.id.clone())
    }

    /// Any mode's order by id, for code that found it through its checkout token.
    pub fn get_any_mut(&mut self, id: &str) -> Option<&mut OrderRecord> {
        self.orders.get_mut(id)
    }

    /// The order a payment belongs to (every sandbox payment is an order's).
    pub fn order_id_of_payment(&self, payment_id: &str, mode: Mode) -> Option<String> {
        self.orders
            .values()
            .find(|o| o.mode == mode && o.payments.iter().any(|p| p.id == payment_id))
            .map(|o| o.id.clone())
    }

    /// The ids of one mode's orders, oldest first.
    pub fn ids(&self, mode: Mode) -> Vec<&str> {
        self.created
            .iter()
            .filter(|id| self.orders.get(*id).is_some_and(|o| o.mode == mode))
            .map(String::as_str)
            .collect()
    }

    /// Every order, oldest first: what the data file holds.
    pub fn orders(&self) -> impl Iterator<Item = &OrderRecord> {
        self.created.iter().filter_map(|id| self.orders.get(id))
    }

    /// A store holding `orders` (oldest first).
    pub fn from_orders(orders: Vec<OrderRecord>) -> Self {
        let mut store = Self::default();
        for order in orders {
            store.insert(order);
        }
        store
    }

    /// Expires every order whose time is up; returns `(order id, webhook URL)` to notify.
    pub fn expire_due(&mut self, now: OffsetDateTime) -> Vec<(String, String)> {
        if self.next_expiry.is_none_or(|t| now < t) {
            return Vec::new();
        }
        let mut notify = Vec::new();
        let mut next: Option<OffsetDateTime> = None;
        for order in self.orders.values_mut() {
            if order.expire_if_due(now) {
                if let Some(url) = &order.webhook_url {
                    notify.push((order.id.clone(), url.clone()));
                }
            }
            if order.can_expire() {
                next = Some(next.map_or(order.expires_at, |t| t.min(order.expires_at)));
            }
        }
        self.next_expiry = next;
        notify
    }
}
