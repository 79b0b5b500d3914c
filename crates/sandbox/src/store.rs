use std::collections::HashMap;

use crate::order::OrderRecord;

/// Every order the sandbox knows, with creation order kept for listing.
#[derive(Default)]
pub struct Store {
    orders: HashMap<String, OrderRecord>,
    created: Vec<String>,
}

impl Store {
    pub fn insert(&mut self, order: OrderRecord) {
        self.created.push(order.id.clone());
        self.orders.insert(order.id.clone(), order);
    }

    pub fn len(&self) -> usize {
        self.created.len()
    }

    pub fn get(&self, id: &str) -> Option<&OrderRecord> {
        self.orders.get(id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut OrderRecord> {
        self.orders.get_mut(id)
    }
}
