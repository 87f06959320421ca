//! Customers and their emails, phones and tags.

use crate::domain::{Customer, CustomerDraft, CustomerId};

use super::{Store, StoreError};

impl Store {
    /// Inserts a customer in its own transaction. A draft without a ref gets one
    /// assigned (`K000123`). An empty name or a ref in use is `StoreError::Invalid`.
    pub fn insert_customer(&mut self, draft: &CustomerDraft) -> Result<Customer, StoreError> {
        let _ = draft;
        todo!("store::insert_customer")
    }

    /// Replaces the editable fields of a customer (emails, phones and tags too).
    pub fn update_customer(
        &mut self,
        id: CustomerId,
        draft: &CustomerDraft,
    ) -> Result<Customer, StoreError> {
        let _ = (id, draft);
        todo!("store::update_customer")
    }

    /// Deletes a customer with their orders, interactions and follow-ups.
    pub fn delete_customer(&mut self, id: CustomerId) -> Result<(), StoreError> {
        let _ = id;
        todo!("store::delete_customer")
    }

    pub fn customer(&self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        let _ = id;
        todo!("store::customer")
    }

    pub fn customer_by_ref(&self, reference: &str) -> Result<Option<Customer>, StoreError> {
        let _ = reference;
        todo!("store::customer_by_ref")
    }

    /// Every customer, ordered by id, with emails, phones and tags.
    pub fn customers(&self) -> Result<Vec<Customer>, StoreError> {
        todo!("store::customers")
    }
}
