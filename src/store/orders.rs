//! Orders.

use crate::domain::{CustomerId, Order, OrderDraft};

use super::{Store, StoreError};

impl Store {
    /// Adds one order in its own transaction.
    pub fn add_order(&mut self, draft: &OrderDraft) -> Result<Order, StoreError> {
        let _ = draft;
        todo!("store::add_order")
    }

    pub fn delete_order(&mut self, id: i64) -> Result<(), StoreError> {
        let _ = id;
        todo!("store::delete_order")
    }

    /// A customer's orders, newest first.
    pub fn orders_of(&self, customer: CustomerId) -> Result<Vec<Order>, StoreError> {
        let _ = customer;
        todo!("store::orders_of")
    }
}
