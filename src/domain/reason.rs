//! What made a rule's follow-up (SPEC section 6): the rule and the figures it
//! saw, not a sentence, so that the reason is worded when it is shown, in the
//! UI language and with the wording of the day.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Stored as JSON in `followups.figures`; the tag is the rule's code.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum RuleFigures {
    /// A first purchase not thanked for yet.
    ThankYou { first_purchase: NaiveDate },
    /// A regular whose last purchase is longer ago than their usual gap allows.
    CheckIn {
        last_purchase: NaiveDate,
        /// The median gap between their purchase days (a whole or half day).
        median_gap_days: f64,
    },
    /// A prospect whose last contact is getting old.
    CoolingProspect { last_contact: NaiveDate },
    /// A key customer or Champion the churn model thinks may be gone.
    AtRisk {
        who: Valued,
        p_alive: f64,
        last_purchase: NaiveDate,
    },
    /// A customer to be contacted every `every_days` days, counted from `since`.
    Cadence {
        every_days: u32,
        from: CadenceFrom,
        since: NaiveDate,
    },
}

/// Why the at-risk rule watches a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Valued {
    KeyCustomer,
    Champion,
}

/// What a cadence is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CadenceFrom {
    /// The last logged contact.
    Contact,
    /// The first purchase, for a customer never contacted.
    FirstPurchase,
    /// The day the previous cadence follow-up was marked done.
    Done,
}

impl RuleFigures {
    /// The code of the rule (`followups.rule`).
    pub fn rule_code(&self) -> &'static str {
        match self {
            RuleFigures::ThankYou { .. } => "thank-you",
            RuleFigures::CheckIn { .. } => "check-in",
            RuleFigures::CoolingProspect { .. } => "cooling-prospect",
            RuleFigures::AtRisk { .. } => "at-risk",
            RuleFigures::Cadence { .. } => "cadence",
        }
    }

    /// The JSON kept in the store.
    pub(crate) fn to_json(self) -> String {
        // A plain enum of dates and numbers always serializes; NaN would not
        // be JSON, so a non-finite figure is written as null by serde_json.
        serde_json::to_string(&self).unwrap_or_default()
    }

    /// Reads the JSON the store keeps; `None` for anything else.
    pub(crate) fn from_json(text: &str) -> Option<RuleFigures> {
        serde_json::from_str(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn figures_round_trip_through_json_tagged_by_the_rule_code() {
        let all = [
            RuleFigures::ThankYou {
                first_purchase: day("2026-11-02"),
            },
            RuleFigures::CheckIn {
                last_purchase: day("2026-08-01"),
                median_gap_days: 20.5,
            },
            RuleFigures::CoolingProspect {
                last_contact: day("2026-10-01"),
            },
            RuleFigures::AtRisk {
                who: Valued::Champion,
                p_alive: 0.42,
                last_purchase: day("2026-05-05"),
            },
            RuleFigures::Cadence {
                every_days: 60,
                from: CadenceFrom::Done,
                since: day("2026-11-30"),
            },
        ];
        for figures in all {
            let json = figures.to_json();
            assert!(
                json.starts_with(&format!("{{\"rule\":\"{}\"", figures.rule_code())),
                "{json}"
            );
            assert_eq!(RuleFigures::from_json(&json), Some(figures));
        }
        assert_eq!(RuleFigures::from_json("first purchase"), None);
        assert_eq!(RuleFigures::from_json("{\"rule\":\"thanks\"}"), None);
    }

    /// A figure is read back as it was written, to the last bit: a rule's
    /// follow-up shown before it was written equals the one read after.
    #[test]
    fn figures_read_back_exactly() {
        for p_alive in [
            1.3447388792136227e-13,
            0.1 + 0.2,
            1.0 / 3.0,
            5e-324,
            0.9999999999999999,
        ] {
            let figures = RuleFigures::AtRisk {
                who: Valued::KeyCustomer,
                p_alive,
                last_purchase: day("2026-02-23"),
            };
            assert_eq!(
                RuleFigures::from_json(&figures.to_json()),
                Some(figures),
                "{p_alive:e}"
            );
        }
    }
}
