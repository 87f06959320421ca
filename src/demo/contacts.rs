//! What was said to a demo customer and what is owed to them: interactions
//! around their purchases, and follow-ups written by hand.

use crate::domain::{CustomerId, FollowUpStatus};
use crate::store::StoreError;
use crate::store::bulk::{BulkWriter, FollowUpRow, InteractionRow};

use chrono::TimeDelta;

use super::generate::{Generator, Plan, at};
use super::history::Kind;
use super::texts;

impl Generator<'_> {
    /// Draws the customer's interactions into `self.contacts`, sorted by time.
    pub(super) fn draw_contacts(&mut self, kind: Kind, start: i32, flagged_prospect: bool) {
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
        self.contacts.sort_by_key(|c| (c.0, c.1));
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
            reason,
            created_at,
            done_at,
        })?;
        self.summary.followups += 1;
        Ok(())
    }
}
