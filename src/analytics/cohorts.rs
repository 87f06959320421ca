//! Monthly cohorts of first purchase and their activity by month offset.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::history::days_up_to;
use crate::domain::CustomerFacts;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct YearMonth {
    pub year: i32,
    /// 1..=12
    pub month: u32,
}

impl YearMonth {
    /// The month a date falls in.
    pub(crate) fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Months counted from January of year 0, so month differences are subtractions.
    pub(crate) fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// The month `k` months after this one (Jan + 1 = Feb, Dec + 1 = Jan of next year).
    pub(crate) fn plus(self, k: u32) -> YearMonth {
        YearMonth::from_index(self.index() + i64::from(k))
    }

    /// The last calendar day of the month (28, 29, 30 or 31).
    pub(crate) fn last_day(self) -> NaiveDate {
        let next = self.plus(1);
        NaiveDate::from_ymd_opt(next.year, next.month, 1)
            .and_then(|first| first.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// The inverse of [`YearMonth::index`].
    pub(crate) fn from_index(index: i64) -> YearMonth {
        YearMonth {
            // Indices come from chrono dates, whose years fit i32 with room to spare.
            year: index.div_euclid(12) as i32,
            month: index.rem_euclid(12) as u32 + 1,
        }
    }
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

impl CohortTable {
    /// Whether the cell of `row` at month offset `k` is the as-of month, which is
    /// not over yet.
    pub(crate) fn is_partial(&self, row: &CohortRow, k: usize) -> bool {
        row.cohort.index() + k as i64 == self.partial_month.index()
    }
}

pub(crate) fn cohorts<'a>(
    facts: impl IntoIterator<Item = &'a CustomerFacts>,
    as_of: NaiveDate,
) -> CohortTable {
    let partial_month = YearMonth::of(as_of);
    let last_index = partial_month.index();
    // A handful of cohorts, keyed by month: a BTreeMap keeps them oldest first.
    let mut rows: BTreeMap<i64, CohortRow> = BTreeMap::new();
    for customer in facts {
        let mut purchase_months = days_up_to(customer, as_of)
            .iter()
            .filter(|d| d.is_purchase)
            .map(|d| YearMonth::of(d.date).index());
        let Some(cohort_index) = purchase_months.next() else {
            continue;
        };
        let row = rows.entry(cohort_index).or_insert_with(|| {
            // The first purchase day is on or before D, so the row has >= 1 month.
            let months = (last_index - cohort_index + 1) as usize;
            CohortRow {
                cohort: YearMonth::from_index(cohort_index),
                size: 0,
                active: vec![0; months],
                cumulative: vec![0; months],
            }
        });
        row.size += 1;
        row.active[0] += 1;
        let mut counted_offset = 0;
        let mut second_seen = false;
        for month_index in purchase_months {
            let k = (month_index - cohort_index) as usize;
            if !second_seen {
                // Marks the month of the second purchase day; summed into "by the end
                // of month k" below.
                row.cumulative[k] += 1;
                second_seen = true;
            }
            // Days are sorted, so months only grow: count each month once.
            if k != counted_offset {
                row.active[k] += 1;
                counted_offset = k;
            }
        }
    }
    let rows = rows
        .into_values()
        .map(|mut row| {
            let mut running = 0;
            for n in &mut row.cumulative {
                running += *n;
                *n = running;
            }
            row
        })
        .collect();
    CohortTable {
        rows,
        partial_month,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::history::test_support::{buyer, customer, date, day};

    fn ym(year: i32, month: u32) -> YearMonth {
        YearMonth { year, month }
    }

    #[test]
    fn triangle_across_month_ends_and_a_year_end() {
        // D = 2024-03-15 (March is partial).
        let facts = vec![
            // Jan 31 then Feb 1: months Jan (k0) and Feb (k1); second purchase day in Feb.
            buyer(1, &["2024-01-31", "2024-02-01"], 1_000),
            // Two purchase days in January (k0 counted once), then March (k2).
            // Second purchase day 01-20 is in January.
            buyer(2, &["2024-01-01", "2024-01-20", "2024-03-10"], 1_000),
            // First purchase on D itself: cohort March, one month.
            buyer(3, &["2024-03-15"], 1_000),
            // Nov 30, a refund-only day in December (not a purchase day), a purchase
            // after D (ignored): cohort November 2023, active only at k0.
            customer(
                4,
                vec![
                    day("2023-11-30", 2_000),
                    day("2023-12-05", -500),
                    day("2024-04-01", 900),
                ],
            ),
            // Refund only, and a purchase only after D: no cohort.
            customer(5, vec![day("2024-01-10", -100)]),
            buyer(6, &["2024-03-16"], 1_000),
        ];
        let table = cohorts(&facts, date("2024-03-15"));
        assert_eq!(table.partial_month, ym(2024, 3));
        // Only non-empty cohorts, oldest first: no December 2023, no February 2024.
        let months: Vec<_> = table.rows.iter().map(|r| r.cohort).collect();
        assert_eq!(months, vec![ym(2023, 11), ym(2024, 1), ym(2024, 3)]);

        // November 2023: offsets Nov, Dec, Jan, Feb, Mar = 5 months.
        let nov = &table.rows[0];
        assert_eq!(nov.size, 1);
        assert_eq!(nov.active, vec![1, 0, 0, 0, 0]);
        assert_eq!(nov.cumulative, vec![0, 0, 0, 0, 0]);

        // January 2024, customers 1 and 2: active Jan 2, Feb 1 (cust 1), Mar 1 (cust 2).
        // Second purchase days: cust 2 in Jan (k0), cust 1 in Feb (k1): cumulative 1, 2, 2.
        let jan = &table.rows[1];
        assert_eq!(jan.size, 2);
        assert_eq!(jan.active, vec![2, 1, 1]);
        assert_eq!(jan.cumulative, vec![1, 2, 2]);

        let mar = &table.rows[2];
        assert_eq!(
            (mar.size, mar.active.clone(), mar.cumulative.clone()),
            (1, vec![1], vec![0])
        );
    }

    #[test]
    fn a_leap_day_cohort_is_february() {
        // First purchase 2024-02-29, second 2024-05-29 (90 days later): cohort Feb,
        // second purchase day at k = 3 (May). D = 2024-06-01: Feb..Jun = 5 months.
        let table = cohorts(
            &[buyer(1, &["2024-02-29", "2024-05-29"], 100)],
            date("2024-06-01"),
        );
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].cohort, ym(2024, 2));
        assert_eq!(table.rows[0].active, vec![1, 0, 0, 1, 0]);
        assert_eq!(table.rows[0].cumulative, vec![0, 0, 0, 1, 1]);
    }

    #[test]
    fn an_empty_store_gives_an_empty_triangle() {
        let table = cohorts(&[], date("2024-03-15"));
        assert!(table.rows.is_empty());
        assert_eq!(table.partial_month, ym(2024, 3));
    }

    #[test]
    fn month_ends_and_the_partial_cell() {
        assert_eq!(ym(2024, 2).last_day(), date("2024-02-29"));
        assert_eq!(ym(2023, 2).last_day(), date("2023-02-28"));
        assert_eq!(ym(2024, 12).last_day(), date("2024-12-31"));
        assert_eq!(ym(2024, 4).last_day(), date("2024-04-30"));
        // D = 2024-03-01: the January cohort's offset 2 and March's offset 0 are partial.
        let table = cohorts(
            &[
                buyer(1, &["2024-01-31"], 100),
                buyer(2, &["2024-03-01"], 100),
            ],
            date("2024-03-01"),
        );
        let partial: Vec<Vec<bool>> = table
            .rows
            .iter()
            .map(|row| {
                (0..row.active.len())
                    .map(|k| table.is_partial(row, k))
                    .collect()
            })
            .collect();
        assert_eq!(partial, vec![vec![false, false, true], vec![true]]);
    }

    #[test]
    fn year_months_add_across_year_ends() {
        assert_eq!(ym(2023, 12).plus(1), ym(2024, 1));
        assert_eq!(ym(2023, 11).plus(14), ym(2025, 1));
        assert_eq!(ym(2024, 1).index() - ym(2023, 11).index(), 2);
        assert_eq!(YearMonth::from_index(ym(-1, 12).index()), ym(-1, 12));
        assert_eq!(YearMonth::of(date("2024-02-29")), ym(2024, 2));
    }
}
