//! Recency, frequency, monetary value, their 1..5 scores and the RF segment map.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::{CustomerFacts, Segment};

/// R, F, M and their scores for one customer with at least one purchase day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rfm {
    /// Index of the customer in the facts slice given to [`rfm`].
    pub index: usize,
    pub recency_days: i64,
    pub frequency: u32,
    pub monetary_cents: i64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: Segment,
}

/// RFM of every customer with a purchase day on or before `as_of`, in the order of `facts`.
pub fn rfm(facts: &[CustomerFacts], as_of: NaiveDate) -> Vec<Rfm> {
    let _ = (facts, as_of);
    todo!("analytics::rfm")
}

/// The RF segment map of SPEC section 4, first match.
pub fn segment_of(r: u8, f: u8) -> Segment {
    let _ = (r, f);
    todo!("analytics::segment_of")
}
