//! The rows of each report, with exactly the columns of SPEC section 7.
//!
//! `*_rows` turn figures into rows; `*_report` compute the figures from the facts
//! first. Both are pure.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Cell, HeaderValue, Report};
use crate::analytics::churn::{ChurnReport, FitError, Model};
use crate::analytics::{
    self, CohortTable, PyramidConfig, PyramidCounts, RepeatRow, Rfm, SourceFilter, YearMonth,
};
use crate::domain::{CustomerFacts, CustomerId, Stage, StoredRow};

/// Customers' names by id; a customer missing there has an empty name.
pub type Names = HashMap<CustomerId, String>;

fn ref_and_name(facts: &[CustomerFacts], names: &Names, index: usize) -> (Cell, Cell) {
    let fact = facts.get(index);
    (
        Cell::Text(fact.map(|f| f.reference.clone()).unwrap_or_default()),
        Cell::Text(
            fact.and_then(|f| names.get(&f.id))
                .cloned()
                .unwrap_or_default(),
        ),
    )
}

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

/// `ref,name,recency_days,frequency,monetary_cents,r,f,m,segment`, one row per
/// customer with a purchase day, in the order of `rfm`.
pub fn rfm_rows(facts: &[CustomerFacts], names: &Names, rfm: &[Rfm]) -> Report {
    rfm_table(rfm, |index| ref_and_name(facts, names, index))
}

/// As [`rfm_report`], from the store's summaries: the same rows.
pub fn rfm_report_stored(customers: &[StoredRow], as_of: NaiveDate) -> Report {
    let rfm = analytics::rfm_of_stored(customers.iter().map(|c| &c.history), as_of);
    rfm_table(&rfm, |index| {
        let customer = &customers[index];
        (
            Cell::Text(customer.reference.clone()),
            Cell::Text(customer.name.clone()),
        )
    })
}

fn rfm_table(rfm: &[Rfm], ref_and_name: impl Fn(usize) -> (Cell, Cell)) -> Report {
    let rows = rfm
        .iter()
        .map(|x| {
            let (reference, name) = ref_and_name(x.index);
            vec![
                reference,
                name,
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
        json_header: vec![],
        notes: vec![],
        columns: vec![
            "ref",
            "name",
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

pub fn rfm_report(facts: &[CustomerFacts], names: &Names, as_of: NaiveDate) -> Report {
    rfm_rows(facts, names, &analytics::rfm(facts, as_of))
}

/// `cohort,size,offset,active,rate,partial`, one row per existing cell, oldest
/// cohort first; `partial` is 1 for the cell of the as-of month, which is not over.
pub fn cohorts_rows(table: &CohortTable, as_of: NaiveDate) -> Report {
    let mut rows = Vec::new();
    let mut any_partial = false;
    for cohort in &table.rows {
        for (offset, &active) in cohort.active.iter().enumerate() {
            let partial = table.is_partial(cohort, offset);
            any_partial |= partial;
            let rate = f64::from(active) / f64::from(cohort.size.max(1));
            rows.push(vec![
                month(cohort.cohort),
                Cell::Int(i64::from(cohort.size)),
                Cell::Int(offset as i64),
                Cell::Int(i64::from(active)),
                if partial {
                    Cell::OpenRate(rate)
                } else {
                    share(active, cohort.size)
                },
                Cell::Int(i64::from(partial)),
            ]);
        }
    }
    let month_text = format!(
        "{:04}-{:02}",
        table.partial_month.year, table.partial_month.month
    );
    Report {
        json_header: vec![],
        notes: if any_partial {
            vec![format!(
                "* partial month: {month_text} is not over at {as_of}."
            )]
        } else {
            vec![]
        },
        columns: vec!["cohort", "size", "offset", "active", "rate", "partial"],
        rows,
    }
}

pub fn cohorts_report(facts: &[CustomerFacts], as_of: NaiveDate) -> Report {
    cohorts_rows(&analytics::cohorts(facts, as_of), as_of)
}

/// `cohort,size,repeat_90d,repeat_180d,repeat_ever,complete_90d,complete_180d`,
/// rates as fractions; a rate whose window is not over is marked in the human formats.
pub fn repeat_rows(repeat: &[RepeatRow], as_of: NaiveDate) -> Report {
    let rate = |part: u32, whole: u32, complete: bool| match share(part, whole) {
        Cell::Rate(x) if !complete => Cell::OpenRate(x),
        cell => cell,
    };
    let rows: Vec<Vec<Cell>> = repeat
        .iter()
        .map(|row| {
            vec![
                month(row.cohort),
                Cell::Int(i64::from(row.size)),
                rate(row.repeat_90d, row.size, row.complete_90d),
                rate(row.repeat_180d, row.size, row.complete_180d),
                share(row.repeat_ever, row.size),
                Cell::Int(i64::from(row.complete_90d)),
                Cell::Int(i64::from(row.complete_180d)),
            ]
        })
        .collect();
    let open = repeat.iter().any(|r| !r.complete_90d || !r.complete_180d);
    Report {
        json_header: vec![],
        notes: if open {
            vec![format!(
                "* incomplete: the cohort's 90 or 180 days are not over at {as_of}; \
                 the rate can still grow."
            )]
        } else {
            vec![]
        },
        columns: vec![
            "cohort",
            "size",
            "repeat_90d",
            "repeat_180d",
            "repeat_ever",
            "complete_90d",
            "complete_180d",
        ],
        rows,
    }
}

pub fn repeat_report(facts: &[CustomerFacts], as_of: NaiveDate, source: SourceFilter) -> Report {
    repeat_rows(&analytics::repeat_rates(facts, as_of, source), as_of)
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
        json_header: vec![],
        notes: vec![],
        columns: vec!["stage", "count", "change_7d"],
        rows,
    }
}

pub fn pyramid_report(facts: &[CustomerFacts], as_of: NaiveDate, config: &PyramidConfig) -> Report {
    pyramid_rows(&analytics::pyramid_counts(facts, as_of, config))
}

/// `ref,name,x,t_x,T,p_alive,expected_90d,expected_365d,expected_spend,expected_revenue_365d`,
/// with the models and their parameters for JSON. The spend columns are empty
/// when the spend model is not fitted, and the notes say why.
pub fn churn_rows(facts: &[CustomerFacts], names: &Names, churn: &ChurnReport) -> Report {
    let optional = |value: Option<f64>| Cell::Real(value.unwrap_or(f64::NAN));
    let rows = churn
        .rows
        .iter()
        .map(|row| {
            let (reference, name) = ref_and_name(facts, names, row.index);
            vec![
                reference,
                name,
                Cell::Int(i64::from(row.x)),
                Cell::Real(row.t_x),
                Cell::Real(row.t),
                Cell::Real(row.p_alive),
                Cell::Real(row.expected_90d),
                Cell::Real(row.expected_365d),
                optional(row.expected_spend),
                optional(row.expected_revenue_365d),
            ]
        })
        .collect();
    let p = churn.params;
    let number = HeaderValue::Number;
    let (spend_params, spend_correlation) = match &churn.spend {
        Ok(spend) => (
            HeaderValue::Object(vec![
                ("p", number(spend.params.p)),
                ("q", number(spend.params.q)),
                ("v", number(spend.params.v)),
            ]),
            number(spend.correlation),
        ),
        Err(_) => (HeaderValue::Null, HeaderValue::Null),
    };
    let warnings = churn_warnings(churn);
    Report {
        columns: CHURN_COLUMNS.to_vec(),
        rows,
        json_header: vec![
            ("model", HeaderValue::Text(churn.model.code().to_string())),
            (
                "params",
                HeaderValue::Object(vec![
                    ("r", number(p.r)),
                    ("alpha", number(p.alpha)),
                    ("a", number(p.a)),
                    ("b", number(p.b)),
                ]),
            ),
            ("spend_params", spend_params),
            ("spend_correlation", spend_correlation),
            (
                "warnings",
                HeaderValue::List(warnings.iter().cloned().map(HeaderValue::Text).collect()),
            ),
        ],
        notes: warnings,
    }
}

const CHURN_COLUMNS: [&str; 10] = [
    "ref",
    "name",
    "x",
    "t_x",
    "T",
    "p_alive",
    "expected_90d",
    "expected_365d",
    "expected_spend",
    "expected_revenue_365d",
];

/// What a reader of the churn report must know: the spend model not fitted, or
/// its independence assumption in doubt.
pub fn churn_warnings(churn: &ChurnReport) -> Vec<String> {
    match &churn.spend {
        Err(reason) => vec![format!(
            "The spend model is not fitted ({reason}), so there is no expected spend or revenue."
        )],
        Ok(spend) if spend.correlation_is_doubtful() => vec![format!(
            "Warning: spend per purchase day and the number of purchase days are correlated \
             ({:.2}), so the spend model's assumption that they are independent is doubtful.",
            spend.correlation
        )],
        Ok(_) => vec![],
    }
}

/// The churn report when the model is not fitted: no rows, the sentence in the
/// notes, and in JSON the model, `null` parameters and the reason.
pub fn churn_not_fitted(model: Model, reason: &FitError) -> Report {
    let sentence = format!("The churn model is not fitted: {reason}.");
    Report {
        columns: CHURN_COLUMNS.to_vec(),
        rows: vec![],
        json_header: vec![
            ("model", HeaderValue::Text(model.code().to_string())),
            ("params", HeaderValue::Null),
            ("spend_params", HeaderValue::Null),
            ("spend_correlation", HeaderValue::Null),
            ("not_fitted", HeaderValue::Text(sentence.clone())),
        ],
        notes: vec![sentence],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::CohortRow;
    use crate::analytics::churn::{ChurnRow, Params, SpendFit, SpendParams};
    use crate::domain::Segment;
    use crate::report::{Format, render};

    fn csv(report: &Report) -> String {
        render(report, Format::Csv, "EUR")
    }

    #[test]
    fn rfm_rows_name_customers_by_ref_and_name() {
        let facts = vec![
            CustomerFacts {
                id: 1,
                reference: "A".into(),
                ..Default::default()
            },
            CustomerFacts {
                id: 2,
                reference: "B".into(),
                ..Default::default()
            },
        ];
        let names = Names::from([(2, "Bertil, Ek".to_string())]);
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
            csv(&rfm_rows(&facts, &names, &rfm)),
            "ref,name,recency_days,frequency,monetary_cents,r,f,m,segment\n\
             B,\"Bertil, Ek\",3,2,-150,5,4,1,Champions\n"
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
            csv(&cohorts_rows(
                &table,
                NaiveDate::from_ymd_opt(2026, 1, 20).unwrap()
            )),
            "cohort,size,offset,active,rate,partial\n\
             2025-11,3,0,3,1,0\n2025-11,3,1,1,0.3333333333333333,0\n2025-11,3,2,0,0,1\n\
             2026-01,1,0,1,1,1\n"
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
            complete_90d: true,
            complete_180d: false,
        }];
        let as_of = NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
        assert_eq!(
            csv(&repeat_rows(&rows, as_of)),
            "cohort,size,repeat_90d,repeat_180d,repeat_ever,complete_90d,complete_180d\n\
             2026-03,8,0.25,0.375,1,1,0\n"
        );
    }

    fn churn_report(spend: Result<SpendFit, FitError>) -> ChurnReport {
        ChurnReport {
            model: Model::MbgNbd,
            params: Params {
                r: 0.25,
                alpha: 30.0,
                a: 0.75,
                b: 2.5,
            },
            spend,
            rows: vec![ChurnRow {
                index: 0,
                x: 2,
                t_x: 40.0,
                t: 100.0,
                p_alive: 0.3,
                expected_90d: 1.0 / 3.0,
                expected_365d: 1.25,
                expected_spend: Some(20.0),
                expected_revenue_365d: Some(25.0),
            }],
        }
    }

    fn spend_fit(correlation: f64) -> SpendFit {
        SpendFit {
            params: SpendParams {
                p: 6.0,
                q: 4.0,
                v: 15.5,
            },
            correlation,
            customers: 40,
        }
    }

    #[test]
    fn churn_rows_name_customers_and_carry_the_parameters() {
        let facts = vec![CustomerFacts {
            id: 7,
            reference: "A".into(),
            ..Default::default()
        }];
        let names = Names::from([(7, "Aino".to_string())]);
        let report = churn_rows(&facts, &names, &churn_report(Ok(spend_fit(0.125))));
        assert_eq!(
            csv(&report),
            // Full precision in the machine formats: what reads back to the same f64.
            "ref,name,x,t_x,T,p_alive,expected_90d,expected_365d,expected_spend,expected_revenue_365d\n\
             A,Aino,2,40,100,0.3,0.3333333333333333,1.25,20,25\n"
        );
        assert_eq!(
            render(&report, Format::Json, "EUR"),
            "{\"model\": \"mbgnbd\", \"params\": {\"r\": 0.25, \"alpha\": 30.0, \"a\": 0.75, \"b\": 2.5}, \
             \"spend_params\": {\"p\": 6.0, \"q\": 4.0, \"v\": 15.5}, \"spend_correlation\": 0.125, \
             \"warnings\": [], \"rows\": [\n  \
             {\"ref\": \"A\", \"name\": \"Aino\", \"x\": 2, \"t_x\": 40, \"T\": 100, \"p_alive\": 0.3, \
             \"expected_90d\": 0.3333333333333333, \"expected_365d\": 1.25, \"expected_spend\": 20, \
             \"expected_revenue_365d\": 25}\n]}\n"
        );
        assert!(report.notes.is_empty());
    }

    #[test]
    fn churn_rows_warn_of_a_correlated_spend_and_of_no_spend_model() {
        let facts = vec![CustomerFacts::default()];
        let report = churn_rows(&facts, &Names::new(), &churn_report(Ok(spend_fit(-0.42))));
        assert_eq!(
            report.notes,
            vec![
                "Warning: spend per purchase day and the number of purchase days are correlated \
                 (-0.42), so the spend model's assumption that they are independent is doubtful."
                    .to_string()
            ]
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(&report, Format::Json, "EUR")).unwrap();
        assert_eq!(json["spend_correlation"], -0.42);
        assert_eq!(json["warnings"][0], report.notes[0].as_str());

        let mut unfitted = churn_report(Err(FitError::InfiniteMeanSpend));
        unfitted.rows[0].expected_spend = None;
        unfitted.rows[0].expected_revenue_365d = None;
        let report = churn_rows(&facts, &Names::new(), &unfitted);
        assert!(csv(&report).ends_with(",1.25,,\n"), "{}", csv(&report));
        let json: serde_json::Value =
            serde_json::from_str(&render(&report, Format::Json, "EUR")).unwrap();
        assert_eq!(json["spend_params"], serde_json::Value::Null);
        assert_eq!(json["rows"][0]["expected_spend"], serde_json::Value::Null);
        assert!(report.notes[0].starts_with("The spend model is not fitted ("));
    }

    #[test]
    fn churn_not_fitted_says_why_in_one_sentence() {
        let reason = FitError::NotEnoughRepeatCustomers {
            found: 3,
            needed: 30,
        };
        let report = churn_not_fitted(Model::BgNbd, &reason);
        assert_eq!(
            report.notes,
            vec![
                "The churn model is not fitted: not enough history: 3 repeat customers, \
                 the models need 30."
                    .to_string()
            ]
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(&report, Format::Json, "EUR")).unwrap();
        assert_eq!(json["model"], "bgnbd");
        assert_eq!(json["params"], serde_json::Value::Null);
        assert_eq!(json["rows"], serde_json::json!([]));
        assert_eq!(json["not_fitted"], report.notes[0].as_str());
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

/// The figures from hand-built facts, the same customers as the command line's
/// fixture `tests/fixtures/cli/orders.csv` (worked out in `tests/main/cli_reports.rs`).
#[cfg(test)]
mod from_facts {
    use super::*;
    use crate::domain::DayTotal;
    use crate::report::{Format, render};

    fn day(y: i32, m: u32, d: u32, cents: i64) -> DayTotal {
        DayTotal {
            date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            amount_cents: cents,
            is_purchase: cents >= 0,
        }
    }

    fn customer(id: i64, reference: &str, days: Vec<DayTotal>) -> CustomerFacts {
        CustomerFacts {
            id,
            reference: reference.into(),
            days,
            ..Default::default()
        }
    }

    fn facts() -> Vec<CustomerFacts> {
        vec![
            customer(
                1,
                "A",
                vec![
                    day(2026, 1, 5, 10000),
                    day(2026, 2, 10, 5000),
                    day(2026, 3, 30, 2500),
                ],
            ),
            customer(2, "B", vec![day(2026, 3, 28, 20000)]),
            customer(
                3,
                "C",
                vec![day(2025, 12, 20, 1500), day(2026, 1, 15, -300)],
            ),
            customer(4, "D", vec![day(2026, 2, 1, 3000), day(2026, 2, 15, 3000)]),
            customer(5, "E", vec![day(2026, 4, 2, 9900)]),
        ]
    }

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()
    }

    #[test]
    fn rfm() {
        let names = Names::from([(1, "Aino".to_string()), (4, "Dora".to_string())]);
        assert_eq!(
            render(&rfm_report(&facts(), &names, as_of()), Format::Csv, "EUR"),
            "ref,name,recency_days,frequency,monetary_cents,r,f,m,segment\n\
             A,Aino,1,3,17500,4,4,3,Loyal\nB,,3,1,20000,3,1,4,About to sleep\n\
             C,,101,1,1200,1,1,1,Hibernating\nD,Dora,44,2,6000,2,3,2,At risk\n"
        );
    }

    #[test]
    fn repeat() {
        // A's second day is 36 days after the first, D's 14; B and C never came back.
        assert_eq!(
            render(
                &repeat_report(&facts(), as_of(), SourceFilter::Everyone),
                Format::Csv,
                "EUR"
            ),
            "cohort,size,repeat_90d,repeat_180d,repeat_ever,complete_90d,complete_180d\n\
             2025-12,1,0,0,0,1,0\n2026-01,1,1,1,1,0,0\n2026-02,1,1,1,1,0,0\n\
             2026-03,1,0,0,0,0,0\n"
        );
    }

    #[test]
    fn repeat_in_markdown_marks_the_incomplete_rates() {
        // December 2025: 12-31 + 90 days = 2026-03-31 = D, complete; + 180 is not.
        // The later cohorts are complete at neither.
        assert_eq!(
            render(
                &repeat_report(&facts(), as_of(), SourceFilter::Everyone),
                Format::Markdown,
                "EUR"
            ),
            "| cohort | size | repeat_90d | repeat_180d | repeat_ever | complete_90d | complete_180d |\n\
             |---|---:|---:|---:|---:|---:|---:|\n\
             | 2025-12 | 1 | 0 | 0* | 0 | 1 | 0 |\n\
             | 2026-01 | 1 | 1* | 1* | 1 | 0 | 0 |\n\
             | 2026-02 | 1 | 1* | 1* | 1 | 0 | 0 |\n\
             | 2026-03 | 1 | 0* | 0* | 0 | 0 | 0 |\n\
             \n\
             \\* incomplete: the cohort's 90 or 180 days are not over at 2026-03-31; the rate can still grow.\n"
        );
    }

    #[test]
    fn cohorts_mark_the_cells_of_the_as_of_month() {
        // D = 2026-03-31: March 2026 is partial, whichever cohort's cell it is.
        // A: January cohort, active Jan, Feb, Mar. B: March. C: December 2025 (its
        // January day is a refund only). D: February, both days in February.
        assert_eq!(
            render(&cohorts_report(&facts(), as_of()), Format::Csv, "EUR"),
            "cohort,size,offset,active,rate,partial\n\
             2025-12,1,0,1,1,0\n2025-12,1,1,0,0,0\n2025-12,1,2,0,0,0\n2025-12,1,3,0,0,1\n\
             2026-01,1,0,1,1,0\n2026-01,1,1,1,1,0\n2026-01,1,2,1,1,1\n\
             2026-02,1,0,1,1,0\n2026-02,1,1,0,0,1\n\
             2026-03,1,0,1,1,1\n"
        );
        let table = render(&cohorts_report(&facts(), as_of()), Format::Table, "EUR");
        assert!(
            table.contains("2026-02     1       1       0    0*        1\n"),
            "{table}"
        );
        assert!(
            table.ends_with("\n* partial month: 2026-03 is not over at 2026-03-31.\n"),
            "{table}"
        );
    }

    #[test]
    fn pyramid_in_markdown() {
        // The key threshold ranks the active repeat customers, A (175.00 in W) and
        // D (60.00): k = ceil(0.2 * 2) = 1, threshold 175.00, so A is key; B's one
        // larger order does not raise the bar. A week ago A (150.00) was key too.
        let report = pyramid_report(&facts(), as_of(), &PyramidConfig::default());
        assert_eq!(
            render(&report, Format::Markdown, "EUR"),
            "| stage | count | change_7d |\n|---|---:|---:|\n| suspect | 1 | -1 |\n\
             | prospect | 0 | 0 |\n| customer | 2 | 1 |\n| regular | 1 | 0 |\n\
             | key customer | 1 | 0 |\n| advocate | 0 | 0 |\n| lapsed | 0 | 0 |\n"
        );
    }
}
