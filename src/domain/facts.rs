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
    /// Local calendar date of the row's `created_at`.
    pub created_on: NaiveDate,
}

impl CustomerFacts {
    /// Whether the customer exists at the end of `as_of`: the earliest of their
    /// creation date, first order date and first interaction date is on or
    /// before it. An imported customer exists from their first order, though the
    /// row was created later.
    pub(crate) fn exists_at(&self, as_of: NaiveDate) -> bool {
        self.created_on <= as_of
            || self.days.first().is_some_and(|d| d.date <= as_of)
            || self.interaction_dates.first().is_some_and(|d| *d <= as_of)
    }

    /// Purchase days on or before `as_of`, ascending.
    pub(crate) fn purchase_days(&self, as_of: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        self.days
            .iter()
            .take_while(move |d| d.date <= as_of)
            .filter(|d| d.is_purchase)
            .map(|d| d.date)
    }
}

/// A customer's order history as the store keeps it summarised (SPEC section
/// 4's purchase days and monetary value, when no order is after the as-of date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredHistory {
    pub id: CustomerId,
    pub first_purchase: Option<NaiveDate>,
    pub second_purchase: Option<NaiveDate>,
    pub last_purchase: Option<NaiveDate>,
    pub purchase_days: u32,
    pub monetary_cents: i64,
}

/// One customer's history at an as-of date as the store gives it: its summary,
/// or, for a customer with orders after that date, the days up to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    History(StoredHistory),
    Days(CustomerId, Vec<DayTotal>),
}

/// A customer with a purchase day, as a report over the summaries reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRow {
    pub reference: String,
    pub name: String,
    pub history: Stored,
}
