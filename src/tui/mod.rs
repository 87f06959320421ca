//! The dashboard (SPEC section 5).
