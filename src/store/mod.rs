//! The SQLite store (SPEC section 3). Nothing here imports ratatui.

pub mod followup_rules;
pub mod schema;
