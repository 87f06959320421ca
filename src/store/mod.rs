//! The SQLite store (SPEC section 3). Nothing here imports ratatui.
//!
//! Opening a store follows one ritual: refuse what is not ours before writing a
//! byte, set the pragmas (WAL, foreign keys, busy timeout), then migrate forward
//! by `user_version` in one immediate transaction.

pub mod bulk;
mod customers;
mod facts;
pub mod followup_rules;
mod followups;
mod interactions;
mod open;
mod orders;
pub mod schema;

pub use open::{Store, StoreError};
