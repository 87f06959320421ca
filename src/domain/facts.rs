//! The compact per-customer data every figure of SPEC section 4 is computed from.
//! The store loads it; analytics only read it.

use chrono::NaiveDate;

use super::{CustomerId, Source};

/// All orders of one customer on one calendar day, folded together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayTotal {
    pub date: NaiveDate,
    /// Sum of the day's order amounts, refunds included.
    pub amount_cents: i64,
    /// True when at least one order that day has an amount >= 0 (a purchase day).
    pub is_purchase: bool,
}

/// What the figures need to know of one customer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerFacts {
    pub id: CustomerId,
    pub reference: String,
    pub source: Option<Source>,
    pub referred_by: Option<CustomerId>,
    pub prospect: bool,
    pub advocate: bool,
    /// One entry per day with orders, sorted by date ascending, dates unique.
    /// May hold days after the as-of date: every figure filters by its date.
    pub days: Vec<DayTotal>,
    /// Local calendar dates of the customer's interactions, sorted ascending.
    pub interaction_dates: Vec<NaiveDate>,
    /// "Contact every N days" cadence, if set.
    pub contact_every_days: Option<u32>,
}

impl CustomerFacts {
    /// Purchase days on or before `as_of`, ascending.
    pub fn purchase_days(&self, as_of: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        self.days
            .iter()
            .take_while(move |d| d.date <= as_of)
            .filter(|d| d.is_purchase)
            .map(|d| d.date)
    }
}
