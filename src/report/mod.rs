//! Reports as plain rows, and their rendering as a terminal table, CSV, JSON or
//! Markdown. Pure functions: no store, no clock, no I/O.
//! May import: `domain`, `analytics`, `formats`, `i18n`.

pub(crate) mod render;
mod rows;
mod weekly;

pub use render::{format_money, format_rate, render};
pub use rows::churn_not_fitted;
pub use rows::{
    Names, churn_rows, churn_warnings, cohorts_report, cohorts_rows, pyramid_report, pyramid_rows,
    repeat_report, repeat_rows, rfm_report, rfm_report_stored, rfm_rows,
};
pub use weekly::{WeeklyContext, weekly_json, weekly_markdown};

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns for a terminal.
    #[default]
    Table,
    /// Comma-separated, money in cents, rates as fractions.
    Csv,
    /// An array of objects with the CSV's fields.
    Json,
    /// A GitHub table.
    Markdown,
}

/// One value of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// An amount in cents: raw in CSV and JSON, in currency units in a table.
    Money(i64),
    /// A fraction 0..1, written with up to six decimals.
    Rate(f64),
    /// A rate that is not final yet (a partial month, a window not over): as a
    /// rate in CSV and JSON, marked `*` in a table and in Markdown, where the
    /// report's notes say what the mark means.
    OpenRate(f64),
    /// Any other real number (days, probabilities, expectations), up to six decimals.
    Real(f64),
}

/// A value of a report's JSON header, written in the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValue {
    /// Written in full precision; a non-finite number as `null`.
    Number(f64),
    Text(String),
    Object(Vec<(&'static str, HeaderValue)>),
    List(Vec<HeaderValue>),
    Null,
}

/// A report: named columns and rows of cells, one cell per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// Named values about the whole report (the churn model and its parameters).
    /// JSON then becomes `{"model": ..., "params": {...}, ..., "rows": [...]}`;
    /// other formats leave them out.
    pub json_header: Vec<(&'static str, HeaderValue)>,
    /// Lines under a table or Markdown (what a mark means); the machine formats
    /// carry the same in their columns and leave them out.
    pub notes: Vec<String>,
}
