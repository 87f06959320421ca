//! The SQLite store (SPEC section 3). Nothing here imports ratatui.
//!
//! Opening a store follows one ritual: refuse what is not ours before writing a
//! byte, set the pragmas (WAL, foreign keys, busy timeout, secure delete), then
//! migrate forward by `user_version` in one immediate transaction.

mod backup;
pub mod bulk;
mod customers;
mod draft;
mod duplicates;
mod erase;
mod facts;
pub mod followup_rules;
mod followups;
mod interactions;
mod merge;
mod open;
mod orders;
pub mod schema;
mod values;

#[cfg(test)]
mod tests;

pub use duplicates::DuplicatePair;
pub use open::{Store, StoreError};
