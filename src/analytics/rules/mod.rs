//! Follow-up rules (SPEC section 6): which follow-ups the customer base calls
//! for today. Pure: the store keys what is proposed by (rule, customer, anchor),
//! so proposing the same thing again changes nothing.
//! May import: `domain` only (the rule names live there), as all of `analytics`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub(crate) use crate::domain::rules::{ProposedFollowUp, Rule, plus_days};
use crate::domain::{
    CadenceFrom, CustomerFacts, FollowUp, FollowUpStatus, RuleFigures, Segment, Stage, Valued,
};

/// Thank a new customer: first purchase day within the last `within_days`, no
/// interaction on or after it; due `due_after_days` after the first purchase.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ThankYouRule {
    pub(crate) enabled: bool,
    pub(crate) within_days: u32,
    pub(crate) due_after_days: u32,
}

impl Default for ThankYouRule {
    fn default() -> Self {
        ThankYouRule {
            enabled: true,
            within_days: 30,
            due_after_days: 3,
        }
    }
}

/// Check in with a regular whose days since the last purchase exceed
/// max(`min_days`, `gap_multiple` x the median gap between purchase days).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct CheckInRule {
    pub(crate) enabled: bool,
    pub(crate) min_days: u32,
    pub(crate) gap_multiple: u32,
}

impl Default for CheckInRule {
    fn default() -> Self {
        CheckInRule {
            enabled: true,
            min_days: 30,
            gap_multiple: 2,
        }
    }
}

/// A prospect whose last interaction is more than `after_days` old.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct CoolingProspectRule {
    pub(crate) enabled: bool,
    pub(crate) after_days: u32,
}

impl Default for CoolingProspectRule {
    fn default() -> Self {
        CoolingProspectRule {
            enabled: true,
            after_days: 14,
        }
    }
}

/// A key customer or Champion whose P(alive) is below `p_alive_below`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct AtRiskRule {
    pub(crate) enabled: bool,
    pub(crate) p_alive_below: f64,
}

impl Default for AtRiskRule {
    fn default() -> Self {
        AtRiskRule {
            enabled: true,
            p_alive_below: 0.5,
        }
    }
}

/// Customers with a "contact every N days" setting; N is per customer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct CadenceRule {
    pub(crate) enabled: bool,
}

impl Default for CadenceRule {
    fn default() -> Self {
        CadenceRule { enabled: true }
    }
}

/// The `[rules]` section of the config.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RulesConfig {
    /// A rule's follow-up more than this many days overdue is expired: kept,
    /// but no longer in the list of what to do.
    pub(crate) expire_after_days: u32,
    pub(crate) thank_you: ThankYouRule,
    pub(crate) check_in: CheckInRule,
    pub(crate) cooling_prospect: CoolingProspectRule,
    pub(crate) at_risk: AtRiskRule,
    pub(crate) cadence: CadenceRule,
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            expire_after_days: 30,
            thank_you: ThankYouRule::default(),
            check_in: CheckInRule::default(),
            cooling_prospect: CoolingProspectRule::default(),
            at_risk: AtRiskRule::default(),
            cadence: CadenceRule::default(),
        }
    }
}

/// Whether an open follow-up a rule wrote is more than `expire_after_days`
/// overdue at `today` (SPEC section 6): 30 days overdue is not yet expired,
/// 31 is. Follow-ups written by hand never expire.
pub(crate) fn is_expired(followup: &FollowUp, today: NaiveDate, expire_after_days: u32) -> bool {
    followup.rule.is_some()
        && followup.status == FollowUpStatus::Open
        && (today - followup.due).num_days() > i64::from(expire_after_days)
}

/// What the rules know of one customer besides the facts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub(crate) stage: Stage,
    pub(crate) segment: Option<Segment>,
    /// `None` when the churn model is not fitted: the at-risk rule is then silent.
    pub(crate) p_alive: Option<f64>,
}

/// The follow-ups called for at `today`, customer by customer in the order of
/// `facts`. `standings[i]` belongs to `facts[i]`; a customer without one is skipped.
pub(crate) fn propose(
    facts: &[CustomerFacts],
    standings: &[Standing],
    today: NaiveDate,
    config: &RulesConfig,
) -> Vec<ProposedFollowUp> {
    let mut proposals = Vec::new();
    for (customer, standing) in facts.iter().zip(standings) {
        let purchase_days: Vec<NaiveDate> = customer.purchase_days(today).collect();
        let last_interaction = customer
            .interaction_dates
            .iter()
            .copied()
            .filter(|d| *d <= today)
            .max();
        let seen = Seen {
            customer,
            standing,
            purchase_days: &purchase_days,
            last_interaction,
            today,
        };
        let found = [
            thank_you(&seen, &config.thank_you),
            check_in(&seen, &config.check_in),
            cooling_prospect(&seen, &config.cooling_prospect),
            at_risk(&seen, &config.at_risk),
            cadence(&seen, &config.cadence),
        ];
        proposals.extend(found.into_iter().flatten());
    }
    proposals
}

/// One customer as the rules see them at `today`.
struct Seen<'a> {
    customer: &'a CustomerFacts,
    standing: &'a Standing,
    purchase_days: &'a [NaiveDate],
    last_interaction: Option<NaiveDate>,
    today: NaiveDate,
}

impl Seen<'_> {
    fn proposal(
        &self,
        rule: Rule,
        anchor: NaiveDate,
        due: NaiveDate,
        figures: RuleFigures,
    ) -> ProposedFollowUp {
        ProposedFollowUp {
            rule,
            customer_id: self.customer.id,
            anchor,
            due,
            figures,
        }
    }
}

fn thank_you(seen: &Seen, rule: &ThankYouRule) -> Option<ProposedFollowUp> {
    let first = *seen.purchase_days.first()?;
    let recent = (seen.today - first).num_days() <= i64::from(rule.within_days);
    let thanked = seen.last_interaction.is_some_and(|d| d >= first);
    if !rule.enabled || !recent || thanked {
        return None;
    }
    Some(seen.proposal(
        Rule::ThankYou,
        first,
        plus_days(first, rule.due_after_days),
        RuleFigures::ThankYou {
            first_purchase: first,
        },
    ))
}

/// Twice the median of the gaps between consecutive purchase days, so that a
/// median halfway between two whole days compares exactly.
fn twice_median_gap(purchase_days: &[NaiveDate]) -> Option<i64> {
    let mut gaps: Vec<i64> = purchase_days
        .windows(2)
        .map(|pair| (pair[1] - pair[0]).num_days())
        .collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    let middle = gaps.len() / 2;
    Some(if gaps.len() % 2 == 1 {
        2 * gaps[middle]
    } else {
        gaps[middle - 1] + gaps[middle]
    })
}

fn check_in(seen: &Seen, rule: &CheckInRule) -> Option<ProposedFollowUp> {
    let regular = matches!(
        seen.standing.stage,
        Stage::Regular | Stage::KeyCustomer | Stage::Advocate
    );
    if !rule.enabled || !regular {
        return None;
    }
    let last = *seen.purchase_days.last()?;
    let twice_median = twice_median_gap(seen.purchase_days)?;
    let since = (seen.today - last).num_days();
    let twice_limit =
        (2 * i64::from(rule.min_days)).max(i64::from(rule.gap_multiple) * twice_median);
    if 2 * since <= twice_limit {
        return None;
    }
    // Half a day at most: exact in a float.
    let figures = RuleFigures::CheckIn {
        last_purchase: last,
        median_gap_days: twice_median as f64 / 2.0,
    };
    Some(seen.proposal(Rule::CheckIn, last, seen.today, figures))
}

fn cooling_prospect(seen: &Seen, rule: &CoolingProspectRule) -> Option<ProposedFollowUp> {
    let last = seen.last_interaction?;
    let age = (seen.today - last).num_days();
    if !rule.enabled || seen.standing.stage != Stage::Prospect || age <= i64::from(rule.after_days)
    {
        return None;
    }
    Some(seen.proposal(
        Rule::CoolingProspect,
        last,
        plus_days(last, rule.after_days),
        RuleFigures::CoolingProspect { last_contact: last },
    ))
}

fn at_risk(seen: &Seen, rule: &AtRiskRule) -> Option<ProposedFollowUp> {
    let who = if seen.standing.stage == Stage::KeyCustomer {
        Valued::KeyCustomer
    } else if seen.standing.segment == Some(Segment::Champions) {
        Valued::Champion
    } else {
        return None;
    };
    // A model that gave no number says nothing about the customer.
    let alive = seen.standing.p_alive.filter(|p| p.is_finite())?;
    let last = *seen.purchase_days.last()?;
    if !rule.enabled || alive >= rule.p_alive_below {
        return None;
    }
    let figures = RuleFigures::AtRisk {
        who,
        p_alive: alive,
        last_purchase: last,
    };
    Some(seen.proposal(Rule::AtRisk, last, seen.today, figures))
}

/// Counted from the last interaction. A customer never contacted counts from
/// the first purchase day, a date that does not move, so proposing again the
/// next day is the same follow-up; with neither, there is nothing to count from.
fn cadence(seen: &Seen, rule: &CadenceRule) -> Option<ProposedFollowUp> {
    let every = seen.customer.contact_every_days?;
    if !rule.enabled || every == 0 {
        return None;
    }
    let (anchor, from) = match seen.last_interaction {
        Some(last) => (last, CadenceFrom::Contact),
        None => (*seen.purchase_days.first()?, CadenceFrom::FirstPurchase),
    };
    let figures = RuleFigures::Cadence {
        every_days: every,
        from,
        since: anchor,
    };
    Some(seen.proposal(Rule::Cadence, anchor, plus_days(anchor, every), figures))
}

#[cfg(test)]
mod tests;
