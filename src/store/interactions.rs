//! Logged contacts.

use chrono::{DateTime, Utc};

use crate::domain::{CustomerId, Direction, Interaction, InteractionKind};

use super::{Store, StoreError};

impl Store {
    /// Logs one interaction in its own transaction.
    pub fn log_interaction(
        &mut self,
        customer: CustomerId,
        kind: InteractionKind,
        direction: Option<Direction>,
        text: &str,
        at: DateTime<Utc>,
    ) -> Result<Interaction, StoreError> {
        let _ = (customer, kind, direction, text, at);
        todo!("store::log_interaction")
    }

    /// A customer's interactions, newest first.
    pub fn interactions_of(&self, customer: CustomerId) -> Result<Vec<Interaction>, StoreError> {
        let _ = customer;
        todo!("store::interactions_of")
    }
}
