//! Loading the compact per-customer data the figures are computed from.

use crate::domain::CustomerFacts;

use super::{Store, StoreError};

impl Store {
    /// Facts of every customer, ordered by id: orders folded per day, interaction
    /// instants turned into local calendar dates. One scan of each table.
    pub fn load_facts(&self) -> Result<Vec<CustomerFacts>, StoreError> {
        todo!("store::load_facts")
    }
}
