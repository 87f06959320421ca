//! The SQLite store (SPEC section 3). Nothing here imports ratatui.

pub mod schema;
