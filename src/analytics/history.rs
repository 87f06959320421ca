//! One customer's purchase history as seen at the end of an as-of date D: the
//! building block every figure of SPEC section 4 starts from.

use chrono::NaiveDate;

use crate::domain::money::clamp_cents;
use crate::domain::{CustomerFacts, DayTotal, Stored};

/// The customer's day totals dated on or before `as_of`.
///
/// `days` is sorted by date, so a binary search cuts off the future in O(log n).
pub(crate) fn days_up_to(facts: &CustomerFacts, as_of: NaiveDate) -> &[DayTotal] {
    let end = facts.days.partition_point(|d| d.date <= as_of);
    &facts.days[..end]
}

/// The customer's last interaction dated on or before `as_of`.
pub(crate) fn last_interaction(facts: &CustomerFacts, as_of: NaiveDate) -> Option<NaiveDate> {
    let end = facts.interaction_dates.partition_point(|d| *d <= as_of);
    end.checked_sub(1).map(|i| facts.interaction_dates[i])
}

/// Whether the customer has an interaction dated on or before `as_of`.
pub(crate) fn has_interaction(facts: &CustomerFacts, as_of: NaiveDate) -> bool {
    facts.interaction_dates.first().is_some_and(|d| *d <= as_of)
}

/// Purchase days, frequency and monetary value of one customer at D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct PurchaseHistory {
    /// First purchase day (a day with an order amount >= 0).
    pub(crate) first: Option<NaiveDate>,
    /// Second purchase day, if any.
    pub(crate) second: Option<NaiveDate>,
    /// Last purchase day.
    pub(crate) last: Option<NaiveDate>,
    /// F: number of purchase days.
    pub(crate) frequency: u32,
    /// M: sum of all order amounts, refunds included.
    pub(crate) monetary_cents: i64,
}

impl PurchaseHistory {
    /// The history at the end of `as_of`; days after it are ignored.
    pub(crate) fn of(facts: &CustomerFacts, as_of: NaiveDate) -> PurchaseHistory {
        PurchaseHistory::of_days(days_up_to(facts, as_of))
    }

    /// The history of these days (sorted by date, all on or before D).
    fn of_days(days: &[DayTotal]) -> PurchaseHistory {
        let mut history = PurchaseHistory::default();
        // Wide, so amounts a script wrote past any import's bound cannot wrap.
        let mut monetary: i128 = 0;
        for day in days {
            monetary += i128::from(day.amount_cents);
            if !day.is_purchase {
                continue;
            }
            match history.frequency {
                0 => history.first = Some(day.date),
                1 => history.second = Some(day.date),
                _ => {}
            }
            history.frequency += 1;
            history.last = Some(day.date);
        }
        history.monetary_cents = clamp_cents(monetary);
        history
    }

    /// The history as the store gives it: its summary, kept only where no
    /// order is after D, or the days up to D.
    pub(crate) fn of_stored(stored: &Stored, as_of: NaiveDate) -> PurchaseHistory {
        match stored {
            Stored::History(h) => PurchaseHistory {
                first: h.first_purchase,
                second: h.second_purchase,
                last: h.last_purchase,
                frequency: h.purchase_days,
                monetary_cents: h.monetary_cents,
            },
            Stored::Days(_, days) => {
                let end = days.partition_point(|d| d.date <= as_of);
                PurchaseHistory::of_days(&days[..end])
            }
        }
    }

    /// R: days from the last purchase day to `as_of` (0 when they bought on D).
    pub(crate) fn recency_days(&self, as_of: NaiveDate) -> Option<i64> {
        self.last.map(|last| (as_of - last).num_days())
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Small builders for hand-written facts in the analytics tests.

    use chrono::NaiveDate;

    use crate::domain::{CustomerFacts, CustomerId, DayTotal};

    pub(crate) fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// A day whose total is `amount_cents`; a purchase day when the amount is >= 0.
    pub(crate) fn day(text: &str, amount_cents: i64) -> DayTotal {
        DayTotal {
            date: date(text),
            amount_cents,
            is_purchase: amount_cents >= 0,
        }
    }

    /// A customer with the given days (given in ascending order).
    pub(crate) fn customer(id: CustomerId, days: Vec<DayTotal>) -> CustomerFacts {
        CustomerFacts {
            id,
            reference: format!("C{id}"),
            days,
            ..CustomerFacts::default()
        }
    }

    /// A customer who bought `amount_cents` on each of the given dates.
    pub(crate) fn buyer(id: CustomerId, dates: &[&str], amount_cents: i64) -> CustomerFacts {
        customer(id, dates.iter().map(|d| day(d, amount_cents)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{customer, date, day};
    use super::*;

    #[test]
    fn refund_only_day_counts_in_monetary_but_is_not_a_purchase_day() {
        // 2024-01-05: +100.00; 2024-01-10: refund -30.00 only; 2024-01-20: +0.00
        // (a free order is still a purchase day). F = 2, M = 10000 - 3000 + 0 = 7000.
        let c = customer(
            1,
            vec![
                day("2024-01-05", 10_000),
                day("2024-01-10", -3_000),
                day("2024-01-20", 0),
            ],
        );
        let h = PurchaseHistory::of(&c, date("2024-12-31"));
        assert_eq!(h.frequency, 2);
        assert_eq!(h.monetary_cents, 7_000);
        assert_eq!(h.first, Some(date("2024-01-05")));
        assert_eq!(h.second, Some(date("2024-01-20")));
        assert_eq!(h.last, Some(date("2024-01-20")));
        // 2024-01-20 -> 2024-12-31: 11 days of January + 335 days = 346.
        assert_eq!(h.recency_days(date("2024-12-31")), Some(346));
    }

    #[test]
    fn a_day_mixing_a_purchase_and_a_larger_refund_is_a_purchase_day() {
        // One order of +20.00 and a refund of -50.00 on the same day: the store folds
        // them into -30.00 with is_purchase = true. F = 1, M = -3000 (negative M).
        let mut mixed = day("2024-03-01", -3_000);
        mixed.is_purchase = true;
        let h = PurchaseHistory::of(&customer(1, vec![mixed]), date("2024-03-01"));
        assert_eq!(h.frequency, 1);
        assert_eq!(h.monetary_cents, -3_000);
        assert_eq!(h.recency_days(date("2024-03-01")), Some(0));
    }

    #[test]
    fn days_and_interactions_after_the_as_of_date_are_ignored() {
        let mut c = customer(1, vec![day("2024-01-01", 500), day("2024-02-01", 700)]);
        c.interaction_dates = vec![date("2023-12-01"), date("2024-01-15"), date("2024-02-02")];
        let h = PurchaseHistory::of(&c, date("2024-01-31"));
        // Only 2024-01-01 is on or before D: F = 1, M = 500.
        assert_eq!((h.frequency, h.monetary_cents), (1, 500));
        assert_eq!(h.second, None);
        assert_eq!(
            last_interaction(&c, date("2024-01-31")),
            Some(date("2024-01-15"))
        );
        assert_eq!(last_interaction(&c, date("2023-11-30")), None);
        assert!(has_interaction(&c, date("2023-12-01")));
        assert!(!has_interaction(&c, date("2023-11-30")));
    }

    #[test]
    fn a_customer_without_days_has_an_empty_history() {
        let h = PurchaseHistory::of(&customer(1, vec![]), date("2024-01-01"));
        assert_eq!(h, PurchaseHistory::default());
        assert_eq!(h.recency_days(date("2024-01-01")), None);
    }
}
