//! What was said to a demo customer and what is owed to them: interactions
//! around their purchases, and follow-ups written by hand.

use crate::analytics::rules::{Rule, RulesConfig, Standing, propose};
use crate::domain::{CustomerFacts, CustomerId, DayTotal, FollowUpStatus, Stage};
use crate::store::StoreError;
use crate::store::bulk::{BulkWriter, FollowUpRow, InteractionRow};

use chrono::TimeDelta;

use super::generate::{Generator, Plan, at};
use super::history::Kind;
use super::texts;

impl Generator<'_> {
    /// Draws the customer's interactions into `self.contacts`, sorted by time.
    /// The shop works its lists, so what the follow-up rules ask for is a few
    /// days' work, not years of backlog: prospects were contacted within the
    /// last weeks, a contact rhythm was kept until lately, and most new
    /// customers were thanked.
    pub(super) fn draw_contacts(
        &mut self,
        kind: Kind,
        start: i32,
        flagged_prospect: bool,
        contact_every_days: Option<u32>,
    ) {
        self.contacts.clear();
        let rng = &mut self.rng;
        let last = self.calendar.last_day();
        let count = match kind {
            Kind::Suspect => 0,
            Kind::Prospect if flagged_prospect => rng.range(0, 3),
            Kind::Prospect => rng.range(1, 4),
            Kind::OneTime if rng.chance(0.3) => rng.range(1, 2),
            Kind::Regular if rng.chance(0.55) => rng.range(1, 6),
            Kind::BigSpender => rng.range(3, 15),
            _ => 0,
        };
        let mut day = start;
        for _ in 0..count {
            let when = if kind == Kind::Prospect || self.days.is_empty() {
                day = (day + rng.exponential(20.0) as i32).min(last);
                day
            } else {
                // Around a purchase: a question before it or a thank-you after.
                let around = rng.pick(&self.days);
                (around + rng.range(-5, 10) as i32).clamp(start, last)
            };
            let seconds = rng.range(6 * 3600, 16 * 3600 - 1) as u32;
            let (medium, direction, text) = texts::interaction(rng, kind == Kind::Prospect);
            self.contacts.push((when, seconds, medium, direction, text));
        }
        let latest = self.contacts.iter().map(|c| c.0).max();
        // How long ago the latest contact may be, and when one is added, at most.
        // A prospect goes cold 14 days after a contact, a rhythm after N days;
        // the list of either is at most 30 days behind.
        let cadence = contact_every_days.map(|every| every as i32 + 20);
        let recent_enough = match kind {
            Kind::Suspect => None,
            // Any contact makes a prospect one the cooling rule watches.
            Kind::Prospect if latest.is_some() || cadence.is_some() => {
                Some(cadence.map_or(44, |c| c.min(44)))
            }
            _ => cadence,
        };
        if let Some(within) = recent_enough
            && latest.is_none_or(|day| day < last - within)
        {
            let day = (last - rng.range(0, i64::from(within)) as i32).max(start);
            self.push_contact(day, kind == Kind::Prospect);
        }
        // Thanking a new customer: most are thanked within a few days.
        if let Some(&first) = self.days.first()
            && last - first <= 30
            && self.rng.chance(0.6)
        {
            let day = (first + self.rng.range(1, 6) as i32).min(last);
            self.push_contact(day, false);
        }
        self.contacts.sort_by_key(|c| (c.0, c.1));
    }

    fn push_contact(&mut self, day: i32, prospect: bool) {
        let rng = &mut self.rng;
        let seconds = rng.range(6 * 3600, 16 * 3600 - 1) as u32;
        let (medium, direction, text) = texts::interaction(rng, prospect);
        self.contacts.push((day, seconds, medium, direction, text));
    }

    pub(super) fn write_contacts(
        &mut self,
        w: &mut BulkWriter<'_>,
        id: CustomerId,
    ) -> Result<(), StoreError> {
        for &(day, seconds, kind, direction, text) in &self.contacts {
            w.insert_interaction(&InteractionRow {
                customer_id: id,
                at: at(self.calendar.date(day), seconds),
                kind,
                direction,
                text,
            })?;
            self.summary.interactions += 1;
        }
        Ok(())
    }

    /// Follow-ups written by hand: mostly open, a few overdue, some done.
    pub(super) fn write_followups(
        &mut self,
        w: &mut BulkWriter<'_>,
        id: CustomerId,
        plan: Plan,
    ) -> Result<(), StoreError> {
        let (kind, start) = (plan.kind, plan.start);
        let share = match kind {
            Kind::Suspect => 0.0,
            Kind::Prospect => 0.15,
            Kind::BigSpender => 0.3,
            Kind::Regular => 0.05,
            Kind::OneTime => 0.02,
        };
        if !self.rng.chance(share) {
            return Ok(());
        }
        let rng = &mut self.rng;
        let last = self.calendar.last_day();
        let (due, status) = match rng.weighted(&[45, 10, 15, 30]) {
            0 => (last + rng.range(1, 21) as i32, FollowUpStatus::Open),
            1 => (last, FollowUpStatus::Open),
            2 => (last - rng.range(1, 14) as i32, FollowUpStatus::Open),
            _ => (last - rng.range(3, 60) as i32, FollowUpStatus::Done),
        };
        // Nothing was owed before the customer was known.
        let due = due.max(start);
        let reason = rng.pick(texts::FOLLOWUP_REASONS);
        let created = (due - rng.range(1, 14) as i32).clamp(start, last);
        let done =
            (status == FollowUpStatus::Done).then(|| (due + rng.range(0, 2) as i32).min(last));
        let today = self.calendar.today;
        let due_date = today
            .checked_add_signed(TimeDelta::days(i64::from(due - last)))
            .unwrap_or(today);
        let created_at = self.instant(created);
        let done_at = done.map(|day| self.instant(day));
        w.insert_followup(&FollowUpRow {
            customer_id: id,
            due: due_date,
            status,
            rule: None,
            reason,
            created_at,
            done_at,
        })?;
        self.summary.followups += 1;
        Ok(())
    }
}

/// Of the follow-ups the rules called for before today, the share the owner
/// has done: the demo's shop has used kanta for a while and works its list.
const WORKED_SHARE: f64 = 0.85;

impl Generator<'_> {
    /// Writes, as done, most of the follow-ups the rules call for at today and
    /// that were due by today, as the owner would have done them, each keyed
    /// as the rules key it, so that the rules do not propose it again. What is
    /// left open when the dashboard first opens is a few days' work.
    pub(super) fn write_worked_followups(
        &mut self,
        w: &mut BulkWriter<'_>,
        id: CustomerId,
        kind: Kind,
        flagged_prospect: bool,
        contact_every_days: Option<u32>,
    ) -> Result<(), StoreError> {
        if kind == Kind::Suspect {
            return Ok(());
        }
        let calendar = self.calendar;
        let last = calendar.last_day();
        let today = calendar.today;
        let facts = CustomerFacts {
            id,
            days: self
                .days
                .iter()
                .map(|&day| DayTotal {
                    date: calendar.date(day),
                    amount_cents: 100,
                    is_purchase: true,
                })
                .collect(),
            interaction_dates: self.contacts.iter().map(|c| calendar.date(c.0)).collect(),
            contact_every_days,
            prospect: flagged_prospect,
            ..CustomerFacts::default()
        };
        // The stages the rules look at; key customers and advocates are
        // regulars to the check-in rule, and the at-risk rule is silent
        // without P(alive).
        let stage = match self.days.as_slice() {
            [] if flagged_prospect || !self.contacts.is_empty() => Stage::Prospect,
            [] => Stage::Suspect,
            [.., latest] if last - latest > 365 => Stage::Lapsed,
            [_] => Stage::Customer,
            _ => Stage::Regular,
        };
        let standing = Standing {
            stage,
            segment: None,
            p_alive: None,
        };
        let mut rules = RulesConfig::default();
        rules.thank_you.enabled = false;
        for proposal in propose(&[facts], &[standing], today, &rules) {
            if proposal.due > today || !self.rng.chance(WORKED_SHARE) {
                continue;
            }
            let rng = &mut self.rng;
            // A check-in is due the day it is called for; it was called for
            // some time in the weeks before today.
            let due = match proposal.rule {
                Rule::CheckIn => {
                    let earliest =
                        (proposal.anchor + TimeDelta::days(31)).max(today - TimeDelta::days(60));
                    let span = (today - earliest).num_days().max(0);
                    earliest + TimeDelta::days(rng.range(0, span))
                }
                _ => proposal.due,
            };
            let done = (due + TimeDelta::days(rng.range(0, 3))).min(today);
            let offset = |date: chrono::NaiveDate| last - (today - date).num_days() as i32;
            let created_at = self.instant(offset(due));
            let done_at = Some(self.instant(offset(done)).max(created_at));
            let figures = proposal.figures.to_json();
            w.insert_followup(&FollowUpRow {
                customer_id: id,
                due,
                status: FollowUpStatus::Done,
                rule: Some((proposal.rule.code(), proposal.anchor, &figures)),
                // Worded from the figures when shown, as the rules' own are.
                reason: "",
                created_at,
                done_at,
            })?;
            self.summary.followups += 1;
        }
        Ok(())
    }
}
