//! Repeat-purchase rates of each cohort: second purchase day within 90, 180 days, ever.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::cohorts::{YearMonth, fraction};
use super::history::PurchaseHistory;
use crate::domain::{CustomerFacts, Source};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepeatRow {
    pub cohort: YearMonth,
    pub size: u32,
    pub repeat_90d: u32,
    pub repeat_180d: u32,
    pub repeat_ever: u32,
}

impl RepeatRow {
    /// Share (0..=1) with a second purchase day at most 90 days after the first.
    pub fn repeat_rate_90d(&self) -> f64 {
        fraction(self.repeat_90d, self.size)
    }

    /// Share (0..=1) with a second purchase day at most 180 days after the first.
    pub fn repeat_rate_180d(&self) -> f64 {
        fraction(self.repeat_180d, self.size)
    }

    /// Share (0..=1) with a second purchase day on or before the as-of date.
    pub fn repeat_rate_ever(&self) -> f64 {
        fraction(self.repeat_ever, self.size)
    }
}

/// Repeat rates per cohort, oldest first; `source` keeps only customers of that
/// acquisition source (`None` = everyone).
pub fn repeat_rates(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    source: Option<Source>,
) -> Vec<RepeatRow> {
    let mut rows: BTreeMap<YearMonth, RepeatRow> = BTreeMap::new();
    for customer in facts {
        if source.is_some_and(|s| customer.source != Some(s)) {
            continue;
        }
        let history = PurchaseHistory::of(customer, as_of);
        let Some(first) = history.first else {
            continue;
        };
        let cohort = YearMonth::of(first);
        let row = rows.entry(cohort).or_insert(RepeatRow {
            cohort,
            size: 0,
            repeat_90d: 0,
            repeat_180d: 0,
            repeat_ever: 0,
        });
        row.size += 1;
        if let Some(second) = history.second {
            let gap = (second - first).num_days();
            row.repeat_ever += 1;
            row.repeat_180d += u32::from(gap <= 180);
            row.repeat_90d += u32::from(gap <= 90);
        }
    }
    rows.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::history::test_support::{buyer, customer, date, day};

    fn ym(year: i32, month: u32) -> YearMonth {
        YearMonth { year, month }
    }

    #[test]
    fn gaps_of_90_and_180_days_are_inside_the_windows() {
        // All first bought on the leap day 2024-02-29. D = 2025-06-30.
        //   A: second 2024-05-29 = 90 days later (Feb 29 -> Mar 31 is 31 days, -> Apr 30
        //      is 61, -> May 29 is 90): in 90d, 180d, ever.
        //   B: second 2024-05-30 = 91 days: in 180d and ever only.
        //   C: second 2024-08-27 = 180 days (May 29 + 90): in 180d and ever.
        //   D: second 2024-08-28 = 181 days: ever only.
        //   E: one purchase day, a refund-only day later: no second purchase day.
        //   F: several orders on one day fold into one purchase day: no second.
        let facts = vec![
            buyer(1, &["2024-02-29", "2024-05-29"], 100),
            buyer(2, &["2024-02-29", "2024-05-30"], 100),
            buyer(3, &["2024-02-29", "2024-08-27"], 100),
            buyer(4, &["2024-02-29", "2024-08-28"], 100),
            customer(5, vec![day("2024-02-29", 100), day("2024-03-01", -100)]),
            buyer(6, &["2024-02-29"], 300),
        ];
        let rows = repeat_rates(&facts, date("2025-06-30"), None);
        assert_eq!(
            rows,
            vec![RepeatRow {
                cohort: ym(2024, 2),
                size: 6,
                repeat_90d: 1,
                repeat_180d: 3,
                repeat_ever: 4,
            }]
        );
        assert_eq!(rows[0].repeat_rate_90d(), 1.0 / 6.0);
        assert_eq!(rows[0].repeat_rate_180d(), 0.5);
        assert_eq!(rows[0].repeat_rate_ever(), 4.0 / 6.0);
    }

    #[test]
    fn a_second_purchase_after_the_as_of_date_does_not_count() {
        // Jan 31 then Mar 1 (29 days later, 2023 not a leap year) but D = Feb 28:
        // the second purchase day does not exist yet.
        let facts = vec![buyer(1, &["2023-01-31", "2023-03-01"], 100)];
        let rows = repeat_rates(&facts, date("2023-02-28"), None);
        assert_eq!(
            (rows[0].size, rows[0].repeat_ever, rows[0].repeat_90d),
            (1, 0, 0)
        );
        let rows = repeat_rates(&facts, date("2023-03-01"), None);
        assert_eq!((rows[0].repeat_ever, rows[0].repeat_90d), (1, 1));
    }

    #[test]
    fn cohorts_split_by_acquisition_source() {
        let mut offer = buyer(1, &["2024-01-05", "2024-01-06"], 100);
        offer.source = Some(Source::Offer);
        let mut referral = buyer(2, &["2024-03-05"], 100);
        referral.source = Some(Source::Referral);
        let unknown = buyer(3, &["2024-01-10"], 100);
        let facts = vec![offer, referral, unknown];
        let d = date("2024-06-30");

        // Everyone: January (customers 1 and 3, one repeat), March (customer 2).
        let all = repeat_rates(&facts, d, None);
        let summary: Vec<_> = all
            .iter()
            .map(|r| (r.cohort, r.size, r.repeat_ever))
            .collect();
        assert_eq!(summary, vec![(ym(2024, 1), 2, 1), (ym(2024, 3), 1, 0)]);

        // Offer only: January with customer 1; no empty March row.
        let offer_rows = repeat_rates(&facts, d, Some(Source::Offer));
        assert_eq!(offer_rows.len(), 1);
        assert_eq!((offer_rows[0].size, offer_rows[0].repeat_90d), (1, 1));

        assert!(repeat_rates(&facts, d, Some(Source::Campaign)).is_empty());
    }

    #[test]
    fn an_empty_store_gives_no_rows() {
        assert!(repeat_rates(&[], date("2024-01-01"), None).is_empty());
        let empty = RepeatRow {
            cohort: ym(2024, 1),
            size: 0,
            repeat_90d: 0,
            repeat_180d: 0,
            repeat_ever: 0,
        };
        assert_eq!(empty.repeat_rate_ever(), 0.0);
    }
}
