//! Monthly cohorts of first purchase and their activity by month offset.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::CustomerFacts;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct YearMonth {
    pub year: i32,
    /// 1..=12
    pub month: u32,
}

/// One cohort (a row of the triangle).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortRow {
    pub cohort: YearMonth,
    pub size: u32,
    /// `active[k]` = customers with a purchase day in month cohort + k; k runs from 0
    /// to the as-of month (months after it do not exist).
    pub active: Vec<u32>,
    /// `cumulative[k]` = customers with a second purchase day by the end of month cohort + k.
    pub cumulative: Vec<u32>,
}

/// The cohort triangle at an as-of date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortTable {
    /// Oldest cohort first.
    pub rows: Vec<CohortRow>,
    /// The as-of date's month, which is partial.
    pub partial_month: YearMonth,
}

pub fn cohorts(facts: &[CustomerFacts], as_of: NaiveDate) -> CohortTable {
    let _ = (facts, as_of);
    todo!("analytics::cohorts")
}
