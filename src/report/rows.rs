//! The rows of each report, with exactly the columns of SPEC section 7.
//!
//! `*_rows` turn figures into rows; `*_report` compute the figures from the facts
//! first. Both are pure.

use chrono::NaiveDate;

use super::{Cell, Report};
use crate::analytics::{
    self, CohortTable, PyramidConfig, PyramidCounts, RepeatRow, Rfm, YearMonth,
};
use crate::domain::{CustomerFacts, Source, Stage};

fn month(ym: YearMonth) -> Cell {
    Cell::Text(format!("{:04}-{:02}", ym.year, ym.month))
}

fn share(part: u32, whole: u32) -> Cell {
    if whole == 0 {
        Cell::Rate(0.0)
    } else {
        Cell::Rate(f64::from(part) / f64::from(whole))
    }
}

/// `ref,recency_days,frequency,monetary_cents,r,f,m,segment`, one row per customer
/// with a purchase day, in the order of `rfm`.
pub fn rfm_rows(facts: &[CustomerFacts], rfm: &[Rfm]) -> Report {
    let rows = rfm
        .iter()
        .map(|x| {
            let reference = facts
                .get(x.index)
                .map(|f| f.reference.clone())
                .unwrap_or_default();
            vec![
                Cell::Text(reference),
                Cell::Int(x.recency_days),
                Cell::Int(i64::from(x.frequency)),
                Cell::Money(x.monetary_cents),
                Cell::Int(i64::from(x.r)),
                Cell::Int(i64::from(x.f)),
                Cell::Int(i64::from(x.m)),
                Cell::Text(x.segment.name().to_string()),
            ]
        })
        .collect();
    Report {
        columns: vec![
            "ref",
            "recency_days",
            "frequency",
            "monetary_cents",
            "r",
            "f",
            "m",
            "segment",
        ],
        rows,
    }
}

pub fn rfm_report(facts: &[CustomerFacts], as_of: NaiveDate) -> Report {
    rfm_rows(facts, &analytics::rfm(facts, as_of))
}

/// `cohort,size,offset,active,rate`, one row per existing cell, oldest cohort first.
pub fn cohorts_rows(table: &CohortTable) -> Report {
    let mut rows = Vec::new();
    for cohort in &table.rows {
        for (offset, &active) in cohort.active.iter().enumerate() {
            rows.push(vec![
                month(cohort.cohort),
                Cell::Int(i64::from(cohort.size)),
                Cell::Int(offset as i64),
                Cell::Int(i64::from(active)),
                share(active, cohort.size),
            ]);
        }
    }
    Report {
        columns: vec!["cohort", "size", "offset", "active", "rate"],
        rows,
    }
}

pub fn cohorts_report(facts: &[CustomerFacts], as_of: NaiveDate) -> Report {
    cohorts_rows(&analytics::cohorts(facts, as_of))
}

/// `cohort,size,repeat_90d,repeat_180d,repeat_ever`, rates as fractions.
pub fn repeat_rows(repeat: &[RepeatRow]) -> Report {
    let rows = repeat
        .iter()
        .map(|row| {
            vec![
                month(row.cohort),
                Cell::Int(i64::from(row.size)),
                share(row.repeat_90d, row.size),
                share(row.repeat_180d, row.size),
                share(row.repeat_ever, row.size),
            ]
        })
        .collect();
    Report {
        columns: vec!["cohort", "size", "repeat_90d", "repeat_180d", "repeat_ever"],
        rows,
    }
}

pub fn repeat_report(facts: &[CustomerFacts], as_of: NaiveDate, source: Option<Source>) -> Report {
    repeat_rows(&analytics::repeat_rates(facts, as_of, source))
}

/// `stage,count,change_7d`, the stages in the order of SPEC section 2, lapsed last.
pub fn pyramid_rows(counts: &PyramidCounts) -> Report {
    let rows = Stage::ALL
        .iter()
        .map(|stage| {
            let now = counts.now.get(stage.index()).copied().unwrap_or(0);
            let week_ago = counts.week_ago.get(stage.index()).copied().unwrap_or(0);
            vec![
                Cell::Text(stage.code().to_string()),
                Cell::Int(i64::from(now)),
                Cell::Int(i64::from(now) - i64::from(week_ago)),
            ]
        })
        .collect();
    Report {
        columns: vec!["stage", "count", "change_7d"],
        rows,
    }
}

pub fn pyramid_report(facts: &[CustomerFacts], as_of: NaiveDate, config: &PyramidConfig) -> Report {
    pyramid_rows(&analytics::pyramid_counts(facts, as_of, config))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::CohortRow;
    use crate::domain::Segment;
    use crate::report::{Format, render};

    fn csv(report: &Report) -> String {
        render(report, Format::Csv, "EUR")
    }

    #[test]
    fn rfm_rows_name_customers_by_ref() {
        let facts = vec![
            CustomerFacts {
                reference: "A".into(),
                ..Default::default()
            },
            CustomerFacts {
                reference: "B".into(),
                ..Default::default()
            },
        ];
        let rfm = vec![Rfm {
            index: 1,
            recency_days: 3,
            frequency: 2,
            monetary_cents: -150,
            r: 5,
            f: 4,
            m: 1,
            segment: Segment::Champions,
        }];
        assert_eq!(
            csv(&rfm_rows(&facts, &rfm)),
            "ref,recency_days,frequency,monetary_cents,r,f,m,segment\nB,3,2,-150,5,4,1,Champions\n"
        );
    }

    #[test]
    fn cohort_rows_one_per_existing_cell() {
        let table = CohortTable {
            rows: vec![
                CohortRow {
                    cohort: YearMonth {
                        year: 2025,
                        month: 11,
                    },
                    size: 3,
                    active: vec![3, 1, 0],
                    cumulative: vec![0, 1, 1],
                },
                CohortRow {
                    cohort: YearMonth {
                        year: 2026,
                        month: 1,
                    },
                    size: 1,
                    active: vec![1],
                    cumulative: vec![0],
                },
            ],
            partial_month: YearMonth {
                year: 2026,
                month: 1,
            },
        };
        assert_eq!(
            csv(&cohorts_rows(&table)),
            "cohort,size,offset,active,rate\n\
             2025-11,3,0,3,1\n2025-11,3,1,1,0.333333\n2025-11,3,2,0,0\n\
             2026-01,1,0,1,1\n"
        );
    }

    #[test]
    fn repeat_rows_are_fractions() {
        let rows = vec![RepeatRow {
            cohort: YearMonth {
                year: 2026,
                month: 3,
            },
            size: 8,
            repeat_90d: 2,
            repeat_180d: 3,
            repeat_ever: 8,
        }];
        assert_eq!(
            csv(&repeat_rows(&rows)),
            "cohort,size,repeat_90d,repeat_180d,repeat_ever\n2026-03,8,0.25,0.375,1\n"
        );
    }

    #[test]
    fn pyramid_rows_in_stage_order_with_signed_change() {
        let counts = PyramidCounts {
            now: [5, 4, 3, 2, 1, 0, 7],
            week_ago: [5, 6, 1, 2, 0, 1, 7],
        };
        assert_eq!(
            csv(&pyramid_rows(&counts)),
            "stage,count,change_7d\nsuspect,5,0\nprospect,4,-2\ncustomer,3,2\nregular,2,0\n\
             key customer,1,1\nadvocate,0,-1\nlapsed,7,0\n"
        );
    }
}
