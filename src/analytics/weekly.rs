//! The weekly review: what happened in the 7 days ending at D, and whom to call.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::churn::ChurnFigures;
use super::pyramid::{PyramidConfig, WeekStages};
use crate::domain::money::{clamp_cents, sum_cents};
use crate::domain::{CustomerFacts, FollowUp, FollowUpStatus, Stage};

/// How many earlier weeks this week's revenue is compared against.
pub(crate) const AVERAGE_WEEKS: i64 = 12;
/// P(alive) under which a high-value customer is worth a call.
pub(crate) const LOW_P_ALIVE: f64 = 0.5;
/// The share of buying customers, by monetary value, counted as high-value.
pub(crate) const HIGH_VALUE_SHARE: f64 = 0.2;

/// The review's sections, in the one order the dashboard and the Markdown
/// both follow: the headline first (the week's revenue and how the pyramid
/// moved), then who came, who moved, the follow-ups, who is at risk, and
/// last month's new customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum WeeklySection {
    Headline,
    NewCustomers,
    StageMoves,
    FollowUpsDone,
    FollowUpsOverdue,
    AtRisk,
    LastMonth,
}

pub const SECTIONS: [WeeklySection; 7] = [
    WeeklySection::Headline,
    WeeklySection::NewCustomers,
    WeeklySection::StageMoves,
    WeeklySection::FollowUpsDone,
    WeeklySection::FollowUpsOverdue,
    WeeklySection::AtRisk,
    WeeklySection::LastMonth,
];

/// A customer's move between two pyramid stages during the week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct StageMove {
    pub(crate) index: usize,
    pub(crate) from: Stage,
    pub(crate) to: Stage,
}

/// A valuable customer, still active, whom the churn model thinks may be gone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct AtRiskCustomer {
    pub(crate) index: usize,
    pub(crate) monetary_cents: i64,
    pub(crate) p_alive: f64,
    /// Expected purchase days in the next 365 days.
    pub(crate) expected_365d: f64,
    /// Expected revenue in the next 365 days in major units, when the spend
    /// model is fitted.
    pub(crate) expected_revenue_365d: Option<f64>,
}

/// The weekly review at D. Customers are named by their index into the facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeeklyReview {
    pub(crate) as_of: NaiveDate,
    /// First day of the week reviewed (D - 6).
    pub(crate) week_start: NaiveDate,
    /// Customers whose first purchase day is in the week, oldest first.
    pub(crate) new_customers: Vec<usize>,
    pub(crate) stage_moves: Vec<StageMove>,
    /// Follow-ups marked done in the week (by their done date, local).
    pub(crate) followups_done: Vec<i64>,
    /// Open follow-ups due before D.
    pub(crate) followups_overdue: Vec<i64>,
    /// `None` when the churn model is not fitted.
    pub(crate) at_risk: Option<Vec<AtRiskCustomer>>,
    /// Last calendar month's new customers, and how many of them bought again by D.
    pub(crate) last_month_cohort: LastMonthCohort,
    pub(crate) revenue_week_cents: i64,
    /// Mean weekly revenue of the 12 weeks before the week reviewed.
    pub(crate) revenue_average_cents: i64,
    /// Customers in each stage (by `Stage::index`) at D and a week before.
    pub(crate) pyramid_now: [u32; 7],
    pub(crate) pyramid_week_ago: [u32; 7],
}

impl WeeklyReview {
    /// The stages whose count changed in the week, with the count at D and
    /// the change, in the pyramid's order from the top.
    pub(crate) fn pyramid_changes(&self) -> Vec<(Stage, u32, i64)> {
        PYRAMID_ORDER
            .into_iter()
            .filter_map(|stage| {
                let i = stage.index();
                let now = *self.pyramid_now.get(i)?;
                let before = *self.pyramid_week_ago.get(i)?;
                (now != before).then_some((stage, now, i64::from(now) - i64::from(before)))
            })
            .collect()
    }
}

/// The pyramid from its top, lapsed last: the order changes are told in.
const PYRAMID_ORDER: [Stage; 7] = Stage::TOP_DOWN;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LastMonthCohort {
    pub(crate) year: i32,
    pub(crate) month: u32,
    pub(crate) size: u32,
    pub(crate) repeated: u32,
}

impl LastMonthCohort {
    pub(crate) fn rate(&self) -> Option<f64> {
        (self.size > 0).then(|| f64::from(self.repeated) / f64::from(self.size))
    }
}

/// Builds the weekly review. `followup_done_dates` gives, per follow-up, the local
/// date it was done (if done); `churn` is per customer in facts order, `None`
/// when the model is not fitted.
pub(crate) fn weekly_review(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    config: &PyramidConfig,
    followups: &[(FollowUp, Option<NaiveDate>)],
    churn: Option<&[Option<ChurnFigures>]>,
) -> WeeklyReview {
    let stages = WeekStages::of(facts, as_of, config);
    weekly_review_at(facts, as_of, &stages, followups, churn)
}

/// The same with the stages at D and D - 7 computed already (a load has them
/// from the pyramid).
pub(crate) fn weekly_review_at(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    stages: &WeekStages,
    followups: &[(FollowUp, Option<NaiveDate>)],
    churn: Option<&[Option<ChurnFigures>]>,
) -> WeeklyReview {
    let week_start = as_of - Duration::days(6);

    let mut new_customers: Vec<(NaiveDate, usize)> = facts
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let first = f.purchase_days(as_of).next()?;
            (first >= week_start).then_some((first, i))
        })
        .collect();
    new_customers.sort();

    let (now, before) = (&stages.now, &stages.week_ago);
    let pyramid = stages.counts();
    // Only customers who existed at both dates moved; the others are new this week.
    let stage_moves = now
        .iter()
        .zip(before.iter())
        .enumerate()
        .filter_map(|(index, pair)| match pair {
            (&Some(to), &Some(from)) if to != from => Some(StageMove { index, from, to }),
            _ => None,
        })
        .collect();

    let followups_done = followups
        .iter()
        .filter(|(f, done)| {
            f.status == FollowUpStatus::Done && done.is_some_and(|d| d >= week_start && d <= as_of)
        })
        .map(|(f, _)| f.id)
        .collect();
    let followups_overdue = followups
        .iter()
        .filter(|(f, _)| f.status == FollowUpStatus::Open && f.due < as_of)
        .map(|(f, _)| f.id)
        .collect();

    let at_risk = churn.map(|churn| {
        let lapsed: Vec<bool> = now.iter().map(|s| *s == Some(Stage::Lapsed)).collect();
        high_value_at_risk(facts, as_of, churn, &lapsed)
    });

    let (revenue_week_cents, revenue_average_cents) = weekly_revenue(facts, as_of);

    WeeklyReview {
        as_of,
        week_start,
        new_customers: new_customers.into_iter().map(|(_, i)| i).collect(),
        stage_moves,
        followups_done,
        followups_overdue,
        at_risk,
        last_month_cohort: last_month_cohort(facts, as_of),
        pyramid_now: pyramid.now,
        pyramid_week_ago: pyramid.week_ago,
        revenue_week_cents,
        revenue_average_cents,
    }
}

/// The top 20% of buying customers by monetary value whose P(alive) is low,
/// most valuable first. Lapsed customers (no purchase day in the active window)
/// are not at risk but gone: a one-time buyer of years ago has a low P(alive)
/// under MBG/NBD, and is left out.
fn high_value_at_risk(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    churn: &[Option<ChurnFigures>],
    lapsed: &[bool],
) -> Vec<AtRiskCustomer> {
    let mut buyers: Vec<(i64, usize)> = facts
        .iter()
        .enumerate()
        .filter(|(_, f)| f.purchase_days(as_of).next().is_some())
        .map(|(i, f)| (monetary(f, as_of), i))
        .collect();
    buyers.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let top = ((buyers.len() as f64) * HIGH_VALUE_SHARE).ceil() as usize;
    buyers
        .into_iter()
        .take(top)
        .filter_map(|(monetary_cents, index)| {
            let c = churn.get(index).copied().flatten()?;
            let active = !lapsed.get(index).copied().unwrap_or(false);
            (c.p_alive < LOW_P_ALIVE && monetary_cents > 0 && active).then_some(AtRiskCustomer {
                index,
                monetary_cents,
                p_alive: c.p_alive,
                expected_365d: c.expected_365d,
                expected_revenue_365d: c.expected_revenue_365d,
            })
        })
        .collect()
}

fn monetary(f: &CustomerFacts, as_of: NaiveDate) -> i64 {
    let amounts = f
        .days
        .iter()
        .take_while(|d| d.date <= as_of)
        .map(|d| d.amount_cents);
    sum_cents(amounts)
}

/// Revenue of the week ending at D, and the mean of the 12 weeks before it.
fn weekly_revenue(facts: &[CustomerFacts], as_of: NaiveDate) -> (i64, i64) {
    // Wide, so amounts a script wrote past any import's bound cannot wrap.
    let mut weeks = [0i128; AVERAGE_WEEKS as usize + 1];
    let oldest = as_of - Duration::days(7 * (AVERAGE_WEEKS + 1) - 1);
    for f in facts {
        for d in f
            .days
            .iter()
            .filter(|d| d.date >= oldest && d.date <= as_of)
        {
            let weeks_back = (as_of - d.date).num_days() / 7;
            if let Some(w) = weeks.get_mut(weeks_back as usize) {
                *w += i128::from(d.amount_cents);
            }
        }
    }
    let earlier: i128 = weeks[1..].iter().sum();
    (
        clamp_cents(weeks[0]),
        clamp_cents(earlier / i128::from(AVERAGE_WEEKS)),
    )
}

fn last_month_cohort(facts: &[CustomerFacts], as_of: NaiveDate) -> LastMonthCohort {
    let (year, month) = if as_of.month() == 1 {
        (as_of.year() - 1, 12)
    } else {
        (as_of.year(), as_of.month() - 1)
    };
    let mut cohort = LastMonthCohort {
        year,
        month,
        size: 0,
        repeated: 0,
    };
    for f in facts {
        let mut days = f.purchase_days(as_of);
        let Some(first) = days.next() else { continue };
        if first.year() == year && first.month() == month {
            cohort.size += 1;
            if days.next().is_some() {
                cohort.repeated += 1;
            }
        }
    }
    cohort
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DayTotal;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Churn figures with the given P(alive); the expectations follow it.
    fn alive(p_alive: f64) -> ChurnFigures {
        ChurnFigures {
            p_alive,
            expected_90d: p_alive / 4.0,
            expected_365d: p_alive,
            expected_revenue_365d: Some(p_alive * 50.0),
        }
    }

    fn buyer(id: i64, days: &[(&str, i64)]) -> CustomerFacts {
        CustomerFacts {
            id,
            reference: format!("C{id}"),
            days: days
                .iter()
                .map(|&(d, amount_cents)| DayTotal {
                    date: date(d),
                    amount_cents,
                    is_purchase: amount_cents >= 0,
                })
                .collect(),
            ..CustomerFacts::default()
        }
    }

    #[test]
    fn huge_amounts_of_several_customers_are_held_at_the_bound() {
        let huge = i64::MAX / 2 + 1;
        let facts = vec![
            buyer(1, &[("2026-09-01", huge), ("2026-11-20", huge)]),
            buyer(2, &[("2026-09-02", huge), ("2026-11-21", huge)]),
        ];
        let as_of = date("2026-11-23");
        assert_eq!(weekly_revenue(&facts, as_of), (i64::MAX, i64::MAX / 12));
        assert_eq!(monetary(&facts[0], as_of), i64::MAX);
        let review = weekly_review(
            &facts,
            as_of,
            &PyramidConfig::default(),
            &[],
            Some(&[Some(alive(0.01)), Some(alive(0.01))]),
        );
        assert_eq!(review.revenue_week_cents, i64::MAX);
    }

    #[test]
    fn revenue_of_the_week_against_twelve_weeks_before() {
        // D = 2026-11-23. This week: 11-17..=11-23. Earlier weeks: 11-10..=11-16 is week 1,
        // ..., week 12 ends 2026-08-31 and starts 2026-08-25.
        let facts = vec![
            buyer(
                1,
                &[
                    ("2026-08-24", 99_999),
                    ("2026-08-25", 1200),
                    ("2026-11-16", 1200),
                ],
            ),
            buyer(
                2,
                &[
                    ("2026-11-17", 500),
                    ("2026-11-23", 700),
                    ("2026-11-24", 9999),
                ],
            ),
        ];
        let (week, average) = weekly_revenue(&facts, date("2026-11-23"));
        // 500 + 700; the 11-24 order is after D and the 08-24 one before the 12 weeks.
        assert_eq!(week, 1200);
        // (1200 + 1200) / 12
        assert_eq!(average, 200);
    }

    #[test]
    fn last_month_cohort_in_january_is_december() {
        let facts = vec![
            buyer(1, &[("2025-12-31", 100), ("2026-01-02", 100)]),
            buyer(2, &[("2025-12-01", 100)]),
            buyer(3, &[("2025-11-30", 100), ("2025-12-05", 100)]),
        ];
        let cohort = last_month_cohort(&facts, date("2026-01-15"));
        assert_eq!((cohort.year, cohort.month), (2025, 12));
        assert_eq!((cohort.size, cohort.repeated), (2, 1));
        assert_eq!(cohort.rate(), Some(0.5));
    }

    #[test]
    fn high_value_at_risk_takes_the_top_fifth_with_low_p_alive() {
        // Five buyers, monetary 500..100; top ceil(0.2 * 5) = 1 is customer 0.
        let facts: Vec<_> = (0..5)
            .map(|i| buyer(i, &[("2026-01-01", 500 - 100 * i)]))
            .collect();
        let p = vec![
            Some(alive(0.3)),
            Some(alive(0.1)),
            None,
            Some(alive(0.9)),
            Some(alive(0.2)),
        ];
        let none_lapsed = [false; 5];
        let at_risk = high_value_at_risk(&facts, date("2026-11-23"), &p, &none_lapsed);
        assert_eq!(at_risk.len(), 1);
        assert_eq!(at_risk[0].index, 0);
        assert_eq!(at_risk[0].monetary_cents, 500);
        assert_eq!(at_risk[0].expected_365d, 0.3);
        let none_low = vec![Some(alive(0.6)); 5];
        assert!(high_value_at_risk(&facts, date("2026-11-23"), &none_low, &none_lapsed).is_empty());
        // A lapsed customer is gone, not at risk.
        let lapsed = [true, false, false, false, false];
        assert!(high_value_at_risk(&facts, date("2026-11-23"), &p, &lapsed).is_empty());
    }

    #[test]
    fn the_review_leaves_lapsed_customers_out_of_the_at_risk_list() {
        // Customer 0 bought once, long ago, much; customer 1 bought twice this year.
        let facts = vec![
            buyer(1, &[("2023-02-01", 90_000)]),
            buyer(2, &[("2026-03-01", 40_000), ("2026-06-01", 40_000)]),
            buyer(3, &[("2026-10-01", 100)]),
            buyer(4, &[("2026-10-02", 100)]),
            buyer(5, &[("2026-10-03", 100)]),
            buyer(6, &[("2026-10-04", 100)]),
        ];
        let churn = vec![Some(alive(0.05)), Some(alive(0.3)), None, None, None, None];
        let review = weekly_review(
            &facts,
            date("2026-11-23"),
            &PyramidConfig::default(),
            &[],
            Some(&churn),
        );
        let at_risk: Vec<usize> = review.at_risk.unwrap().iter().map(|c| c.index).collect();
        assert_eq!(at_risk, vec![1]);
    }

    #[test]
    fn a_customer_who_did_not_exist_a_week_ago_has_no_stage_move() {
        // D = 2026-11-23. Customer 1 was imported with a first order on 11-20, so
        // exists from 11-20: a new customer of the week, but at D - 7 in no figure,
        // so no move from "suspect". Customer 2, created 11-01, bought on 11-22:
        // a suspect a week ago, a customer now.
        let mut imported = buyer(1, &[("2026-11-20", 500)]);
        imported.created_on = date("2026-11-30");
        let mut known = buyer(2, &[("2026-11-22", 500)]);
        known.created_on = date("2026-11-01");
        let review = weekly_review(
            &[imported, known],
            date("2026-11-23"),
            &PyramidConfig::default(),
            &[],
            None,
        );
        assert_eq!(review.new_customers, vec![0, 1]);
        assert_eq!(
            review.stage_moves,
            vec![StageMove {
                index: 1,
                from: Stage::Suspect,
                to: Stage::Customer
            }]
        );
    }

    #[test]
    fn empty_store_has_an_empty_review() {
        let review = weekly_review(
            &[],
            date("2026-11-23"),
            &PyramidConfig::default(),
            &[],
            None,
        );
        assert!(review.new_customers.is_empty());
        assert!(review.stage_moves.is_empty());
        assert_eq!(review.revenue_week_cents, 0);
        assert_eq!(review.last_month_cohort.rate(), None);
        assert_eq!(review.at_risk, None);
    }
}
