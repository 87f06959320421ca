//! The weekly review's page as lines: what the loader builds (`page.rs`)
//! and the pane draws. Holds no dashboard data, so the data can hold it.

use chrono::NaiveDate;

use crate::analytics::churn::FitError;
use crate::analytics::weekly::LastMonthCohort;
use crate::domain::{CustomerId, RuleFigures, Stage};

/// The review's sections, in the one order of the dashboard and the Markdown.
pub use crate::analytics::weekly::WeeklySection as Section;

/// What a customer line says besides the name.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    New {
        first_purchase: NaiveDate,
    },
    Moved,
    FollowUpDone {
        done: Option<NaiveDate>,
        /// A rule's figures, worded when drawn; else `reason` as written.
        figures: Option<RuleFigures>,
        reason: String,
    },
    FollowUpOverdue {
        due: NaiveDate,
        figures: Option<RuleFigures>,
        reason: String,
    },
    AtRisk {
        monetary_cents: i64,
        p_alive: f64,
        /// Expected purchase days and revenue (major units) in the next 12
        /// months; NaN or `None` where the model gives none.
        expected_365d: f64,
        expected_revenue_365d: Option<f64>,
    },
}

/// Why there is no at-risk list.
#[derive(Debug, Clone, PartialEq)]
pub enum ChurnNote {
    TooFewRepeatCustomers {
        found: usize,
        needed: usize,
    },
    /// Shown in the UI language.
    NotFitted(FitError),
    Other(String),
}

/// One line of the page.
#[derive(Debug, Clone, PartialEq)]
pub enum WeeklyLine {
    /// A section heading; `None` where a count means nothing.
    Heading(Section, Option<usize>),
    /// A group of stage moves.
    Moves {
        from: Stage,
        to: Stage,
        count: usize,
    },
    Customer {
        id: CustomerId,
        name: String,
        detail: Detail,
    },
    Nothing,
    ChurnUnfitted(ChurnNote),
    LastMonth(LastMonthCohort),
    Revenue {
        week_cents: i64,
        average_cents: i64,
    },
    /// The stages whose count changed: stage, count now, change.
    Pyramid(Vec<(Stage, u32, i64)>),
    Blank,
}

/// The review at one date, laid out as lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeeklyPage {
    pub week: Option<(NaiveDate, NaiveDate)>,
    pub lines: Vec<WeeklyLine>,
    /// Each section and its lines (heading to the blank after it), in order.
    pub sections: Vec<(Section, std::ops::Range<usize>)>,
}

impl WeeklyPage {
    pub(super) fn heading(&mut self, section: Section, count: Option<usize>) {
        self.lines.push(WeeklyLine::Heading(section, count));
    }

    pub(super) fn customer(&mut self, id: CustomerId, name: String, detail: Detail) {
        self.lines.push(WeeklyLine::Customer { id, name, detail });
    }

    pub(super) fn end_section(&mut self, empty: bool) {
        if empty {
            self.lines.push(WeeklyLine::Nothing);
        }
        self.lines.push(WeeklyLine::Blank);
    }

    /// The customer of the line `line`, if it is a customer's.
    pub fn customer_at(&self, line: usize) -> Option<CustomerId> {
        match self.lines.get(line)? {
            WeeklyLine::Customer { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// The customer lines, in order.
    pub fn customer_lines(&self) -> Vec<usize> {
        (0..self.lines.len())
            .filter(|&i| matches!(self.lines.get(i), Some(WeeklyLine::Customer { .. })))
            .collect()
    }
}
