//! Repeat-purchase rates of each cohort: second purchase day within 90, 180 days, ever.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::cohorts::YearMonth;
use super::history::PurchaseHistory;
use crate::domain::{CustomerFacts, Source};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepeatRow {
    pub cohort: YearMonth,
    pub size: u32,
    pub repeat_90d: u32,
    pub repeat_180d: u32,
    pub repeat_ever: u32,
    /// The last day of the cohort month plus 90 days is on or before D: every
    /// customer of the cohort has had their 90 days, so the 90-day rate is final.
    pub complete_90d: bool,
    /// Likewise for 180 days.
    pub complete_180d: bool,
}

/// Which customers a cohort split keeps, by acquisition source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum SourceFilter {
    /// Every customer.
    #[default]
    Everyone,
    /// Customers of one source.
    Only(Source),
    /// Customers whose source is not known.
    NoSource,
}

impl SourceFilter {
    /// Everyone, each source in turn, then no source: the order a split is shown in.
    pub(crate) const ALL: [SourceFilter; 7] = [
        SourceFilter::Everyone,
        SourceFilter::Only(Source::ALL[0]),
        SourceFilter::Only(Source::ALL[1]),
        SourceFilter::Only(Source::ALL[2]),
        SourceFilter::Only(Source::ALL[3]),
        SourceFilter::Only(Source::ALL[4]),
        SourceFilter::NoSource,
    ];

    /// Whether a customer with acquisition source `source` is kept.
    pub(crate) fn admits(self, source: Option<Source>) -> bool {
        match self {
            SourceFilter::Everyone => true,
            SourceFilter::Only(wanted) => source == Some(wanted),
            SourceFilter::NoSource => source.is_none(),
        }
    }

    /// The filter after this one in [`SourceFilter::ALL`], round to the start.
    pub(crate) fn next(self) -> SourceFilter {
        let at = Self::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }
}

/// Whether `days` days after the last day of `cohort` is on or before `as_of`.
fn window_over(cohort: YearMonth, days: u64, as_of: NaiveDate) -> bool {
    cohort
        .last_day()
        .checked_add_days(Days::new(days))
        .is_some_and(|end| end <= as_of)
}

/// Repeat rates per cohort, oldest first, of the customers `source` keeps.
pub(crate) fn repeat_rates(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    source: SourceFilter,
) -> Vec<RepeatRow> {
    let mut rows: BTreeMap<YearMonth, RepeatRow> = BTreeMap::new();
    for customer in facts {
        if !source.admits(customer.source) {
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
            complete_90d: window_over(cohort, 90, as_of),
            complete_180d: window_over(cohort, 180, as_of),
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
        let rows = repeat_rates(&facts, date("2025-06-30"), SourceFilter::Everyone);
        assert_eq!(
            rows,
            vec![RepeatRow {
                cohort: ym(2024, 2),
                size: 6,
                repeat_90d: 1,
                repeat_180d: 3,
                repeat_ever: 4,
                // 2024-02-29 + 90 = 2024-05-29, + 180 = 2024-08-27: both long over.
                complete_90d: true,
                complete_180d: true,
            }]
        );
    }

    #[test]
    fn a_second_purchase_after_the_as_of_date_does_not_count() {
        // Jan 31 then Mar 1 (29 days later, 2023 not a leap year) but D = Feb 28:
        // the second purchase day does not exist yet.
        let facts = vec![buyer(1, &["2023-01-31", "2023-03-01"], 100)];
        let rows = repeat_rates(&facts, date("2023-02-28"), SourceFilter::Everyone);
        assert_eq!(
            (rows[0].size, rows[0].repeat_ever, rows[0].repeat_90d),
            (1, 0, 0)
        );
        let rows = repeat_rates(&facts, date("2023-03-01"), SourceFilter::Everyone);
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
        let all = repeat_rates(&facts, d, SourceFilter::Everyone);
        let summary: Vec<_> = all
            .iter()
            .map(|r| (r.cohort, r.size, r.repeat_ever))
            .collect();
        assert_eq!(summary, vec![(ym(2024, 1), 2, 1), (ym(2024, 3), 1, 0)]);

        // Offer only: January with customer 1; no empty March row.
        let offer_rows = repeat_rates(&facts, d, SourceFilter::Only(Source::Offer));
        assert_eq!(offer_rows.len(), 1);
        assert_eq!((offer_rows[0].size, offer_rows[0].repeat_90d), (1, 1));

        assert!(repeat_rates(&facts, d, SourceFilter::Only(Source::Campaign)).is_empty());

        // No source: customer 3 alone, in January.
        let none = repeat_rates(&facts, d, SourceFilter::NoSource);
        let summary: Vec<_> = none.iter().map(|r| (r.cohort, r.size)).collect();
        assert_eq!(summary, vec![(ym(2024, 1), 1)]);
        // The split is everyone, the five sources, then no source, and round again.
        assert_eq!(SourceFilter::ALL.last(), Some(&SourceFilter::NoSource));
        assert_eq!(SourceFilter::NoSource.next(), SourceFilter::Everyone);
        assert_eq!(
            SourceFilter::Everyone.next(),
            SourceFilter::Only(Source::ALL[0])
        );
    }

    #[test]
    fn a_cohort_whose_90_day_window_is_open_is_marked_incomplete() {
        // February 2024 (leap year): last day 02-29, + 90 days = 2024-05-29,
        // + 180 days = 2024-08-27.
        let facts = vec![buyer(1, &["2024-02-10", "2024-04-01"], 100)];
        let at = |d: &str| {
            let row = &repeat_rates(&facts, date(d), SourceFilter::Everyone)[0];
            (row.repeat_90d, row.complete_90d, row.complete_180d)
        };
        // The second day is already in, but the window is still open at 05-28.
        assert_eq!(at("2024-05-28"), (1, false, false));
        assert_eq!(at("2024-05-29"), (1, true, false));
        assert_eq!(at("2024-08-26"), (1, true, false));
        assert_eq!(at("2024-08-27"), (1, true, true));
        // January 2023 ends on the 31st: + 90 days = 2023-05-01 (no leap day).
        let jan = vec![buyer(2, &["2023-01-31"], 100)];
        let row = |d: &str| repeat_rates(&jan, date(d), SourceFilter::Everyone)[0].complete_90d;
        assert!(!row("2023-04-30") && row("2023-05-01"));
    }

    #[test]
    fn an_empty_store_gives_no_rows() {
        assert!(repeat_rates(&[], date("2024-01-01"), SourceFilter::Everyone).is_empty());
    }
}
