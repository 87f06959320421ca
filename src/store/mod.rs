//! The SQLite store (SPEC section 3): opening, migrating, reading, writing,
//! imports, backups and erasure. May import: `domain`, `formats`; never
//! `analytics`, ratatui or clap.
//!
//! Opening a store follows one ritual: refuse what is not ours before writing a
//! byte, set the pragmas (WAL, foreign keys, busy timeout, secure delete), then
//! migrate forward by `user_version` in one immediate transaction.

mod backup;
mod batches;
pub mod bulk;
pub mod calls;
pub mod copies;
mod customers;
mod draft;
mod duplicates;
mod erase;
mod erasure;
mod facts;
pub mod followup_rules;
mod followups;
mod frames;
mod held;
pub mod import;
mod interactions;
mod listing;
mod merge;
mod open;
mod orders;
mod patch;
mod place;
pub mod schema;
pub(crate) mod summaries;
mod sweep;
mod undo;
mod values;

#[cfg(test)]
mod tests;

#[cfg(test)]
impl Store {
    /// A new customer named `name` with one order of `cents` on `on`.
    pub(crate) fn add_buyer(
        &mut self,
        name: &str,
        on: chrono::NaiveDate,
        cents: i64,
    ) -> crate::domain::CustomerId {
        let id = self
            .insert_customer(&crate::domain::CustomerDraft {
                name: name.into(),
                ..crate::domain::CustomerDraft::default()
            })
            .unwrap()
            .id;
        self.add_order(&crate::domain::OrderDraft {
            customer_id: id,
            order_date: on,
            amount_cents: cents,
            ..crate::domain::OrderDraft::default()
        })
        .unwrap();
        id
    }
}

pub use batches::UndoSummary;
pub use copies::WriteError;
pub use duplicates::DuplicatePair;
pub use facts::{ChangedRecords, Records};
pub use frames::KeptFrame;
pub use import::{
    ContactImport, HeldRows, ImportError, ImportFile, ImportSource, ImportSummary, OrderImport,
    RowProblem,
};
pub use listing::OrderListing;
pub use open::{Record, Refusal, Store, StoreError};
pub use summaries::Changes;
pub use sweep::CopiesSwept;
pub use undo::Undo;
