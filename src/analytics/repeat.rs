//! Repeat-purchase rates of each cohort: second purchase day within 90, 180 days, ever.

use chrono::NaiveDate;
use serde::Serialize;

use super::cohorts::YearMonth;
use crate::domain::{CustomerFacts, Source};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepeatRow {
    pub cohort: YearMonth,
    pub size: u32,
    pub repeat_90d: u32,
    pub repeat_180d: u32,
    pub repeat_ever: u32,
}

/// Repeat rates per cohort, oldest first; `source` keeps only customers of that
/// acquisition source (`None` = everyone).
pub fn repeat_rates(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    source: Option<Source>,
) -> Vec<RepeatRow> {
    let _ = (facts, as_of, source);
    todo!("analytics::repeat_rates")
}
