//! The follow-up rules' names and what a rule proposes: the types the store
//! keys follow-ups by, so that it needs nothing of the rules' arithmetic
//! (which lives in `analytics::rules`).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{CustomerId, RuleFigures};

/// The rule that proposed a follow-up; its code is stored in `followups.rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Rule {
    ThankYou,
    CheckIn,
    CoolingProspect,
    AtRisk,
    Cadence,
}

impl Rule {
    pub(crate) const ALL: [Rule; 5] = [
        Rule::ThankYou,
        Rule::CheckIn,
        Rule::CoolingProspect,
        Rule::AtRisk,
        Rule::Cadence,
    ];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Rule::ThankYou => "thank-you",
            Rule::CheckIn => "check-in",
            Rule::CoolingProspect => "cooling-prospect",
            Rule::AtRisk => "at-risk",
            Rule::Cadence => "cadence",
        }
    }

    pub(crate) fn parse(code: &str) -> Option<Rule> {
        Rule::ALL
            .into_iter()
            .find(|rule| rule.code() == code.trim())
    }
}

/// A follow-up a rule calls for; (rule, customer_id, anchor) is its key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProposedFollowUp {
    pub(crate) rule: Rule,
    pub(crate) customer_id: CustomerId,
    /// The date the rule counted from: it stays the same while the situation does.
    pub(crate) anchor: NaiveDate,
    pub(crate) due: NaiveDate,
    /// What made it; the reason is worded from these when shown.
    pub(crate) figures: RuleFigures,
}

/// `days` after `date`, saturating at the last date chrono knows.
pub(crate) fn plus_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}
