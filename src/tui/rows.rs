//! One customer as the lists show them, and the order of the customer
//! list's columns: each row's key in a column, and the ranks of every row
//! in every column, computed once per load. Imports no dashboard state, so
//! the data, the search index and the panes can all use it.

use chrono::{Datelike, NaiveDate};

use super::panes::list::{self, Ranked, SortKey};
use crate::domain::{CustomerId, Segment, Source, Stage};

/// One customer as the lists show them; text fields already sanitized.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRow {
    pub id: CustomerId,
    pub name: String,
    pub company: String,
    /// The first phone as written, sanitized; empty without one.
    pub phone: String,
    pub stage: Stage,
    pub first_purchase: Option<NaiveDate>,
    pub last_purchase: Option<NaiveDate>,
    pub frequency: u32,
    pub monetary_cents: i64,
    /// R, F, M scores, for customers with a purchase day.
    pub rfm: Option<(u8, u8, u8)>,
    pub segment: Option<Segment>,
    pub source: Option<Source>,
    /// P(alive) from the churn model, when it is fitted.
    pub p_alive: Option<f64>,
    /// Expected purchase days in the next 90 days, when the model is fitted.
    pub expected_90d: Option<f64>,
    /// Expected purchase days in the next 365 days, when the model is fitted.
    pub expected_365d: Option<f64>,
    /// Expected revenue in the next 365 days in major units (euros), when the
    /// churn and spend models are fitted.
    pub expected_revenue_365d: Option<f64>,
    /// Shown from the customer's own records after another program changed
    /// them, before a load has computed the figures again: the stage, the
    /// RFM scores and the churn model's figures rank a customer among
    /// everyone, and are shown as waiting (the fields hold the last load's,
    /// or nothing for a customer new since).
    pub awaiting: bool,
}

impl CustomerRow {
    /// A row of `id` with nothing but its stage: no texts, no purchases, no
    /// figures. Filled in by whoever makes it.
    pub fn bare(id: CustomerId, stage: Stage) -> CustomerRow {
        CustomerRow {
            id,
            name: String::new(),
            company: String::new(),
            phone: String::new(),
            stage,
            first_purchase: None,
            last_purchase: None,
            frequency: 0,
            monetary_cents: 0,
            rfm: None,
            segment: None,
            source: None,
            p_alive: None,
            expected_90d: None,
            expected_365d: None,
            expected_revenue_365d: None,
            awaiting: false,
        }
    }
}

/// What a figure waiting for the next load shows.
pub const AWAITING: &str = "…";

/// How many columns the customer list has.
pub const COLUMNS: usize = 9;

/// The stages top down, as the pyramid shows them and the stage column sorts.
pub const STAGE_ORDER: [Stage; 7] = Stage::TOP_DOWN;

/// The row's key in the customer list's `column`: name, company, phone,
/// stage, last purchase, revenue, P(alive), expected purchase days and
/// expected revenue.
pub fn sort_key(r: &CustomerRow, column: usize) -> SortKey {
    let float = |v: Option<f64>| v.map_or(SortKey::Missing, SortKey::Float);
    match column {
        // Figures waiting for the next load sort as missing.
        3 | 6.. if r.awaiting => SortKey::Missing,
        0..TEXT_COLUMNS => text_key([&r.name, &r.company, &r.phone], column),
        3 => SortKey::Int(STAGE_ORDER.iter().position(|&s| s == r.stage).unwrap_or(0) as i64),
        4 => r.last_purchase.map_or(SortKey::Missing, |d| {
            SortKey::Int(d.num_days_from_ce().into())
        }),
        5 => SortKey::Int(r.monetary_cents),
        6 => float(r.p_alive),
        7 => float(r.expected_365d),
        _ => float(r.expected_revenue_365d),
    }
}

/// The first columns, whose keys are a row's texts alone (name, company,
/// phone): a load ranks them while the figures are computed.
pub const TEXT_COLUMNS: usize = 3;

/// A row's texts, sanitized: what the customer's listing gives the row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowText {
    pub name: String,
    pub company: String,
    pub phone: String,
}

/// The key of text column `column` of the texts `[name, company, phone]`.
fn text_key(texts: [&str; TEXT_COLUMNS], column: usize) -> SortKey {
    SortKey::text(texts.get(column).copied().unwrap_or(""))
}

/// The ranks of the [`TEXT_COLUMNS`], from the rows' texts alone; the
/// same as [`ranks`] gives them for the rows made of these texts.
pub fn text_ranks(texts: &[RowText]) -> Vec<Ranked> {
    (0..TEXT_COLUMNS)
        .map(|column| {
            let keys: Vec<SortKey> = texts
                .iter()
                .map(|t| text_key([&t.name, &t.company, &t.phone], column))
                .collect();
            list::ranked(&keys)
        })
        .collect()
}

/// The ranks of the columns after the [`TEXT_COLUMNS`], on two threads.
pub fn figure_ranks(rows: &[CustomerRow]) -> Vec<Ranked> {
    columns_ranks(rows, TEXT_COLUMNS..COLUMNS)
}

/// Each row's rank in every column's ascending order, and the order
/// (`list::ranked`).
pub fn ranks(rows: &[CustomerRow]) -> Vec<Ranked> {
    columns_ranks(rows, 0..COLUMNS)
}

/// The ranks of `columns`, in their order; two threads take every other one.
fn columns_ranks(rows: &[CustomerRow], columns: std::ops::Range<usize>) -> Vec<Ranked> {
    let column_ranks = |column: usize| {
        let keys: Vec<SortKey> = rows.iter().map(|r| sort_key(r, column)).collect();
        list::ranked(&keys)
    };
    let (even, odd) = std::thread::scope(|scope| {
        let odd = scope.spawn(|| {
            columns
                .clone()
                .skip(1)
                .step_by(2)
                .map(column_ranks)
                .collect::<Vec<_>>()
        });
        let even: Vec<Ranked> = columns.clone().step_by(2).map(column_ranks).collect();
        // A panic of the other half is the caller's, as in one thread.
        let odd = odd
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (even, odd)
    });
    let mut even = even.into_iter();
    let mut odd = odd.into_iter();
    columns
        .clone()
        .filter_map(|column| {
            if (column - columns.start).is_multiple_of(2) {
                even.next()
            } else {
                odd.next()
            }
        })
        .collect()
}
