//! The dashboard (SPEC section 5).
pub mod forms;
