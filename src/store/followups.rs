//! Follow-ups written by hand, and the status changes of every follow-up.

use chrono::NaiveDate;

use crate::domain::{CustomerId, FollowUp};

use super::{Store, StoreError};

impl Store {
    /// Adds a follow-up written by hand (rule NULL).
    pub fn add_followup(
        &mut self,
        customer: CustomerId,
        due: NaiveDate,
        reason: &str,
    ) -> Result<FollowUp, StoreError> {
        let _ = (customer, due, reason);
        todo!("store::add_followup")
    }

    /// Marks a follow-up done (or open again), stamping `done_at`.
    pub fn set_followup_done(&mut self, id: i64, done: bool) -> Result<(), StoreError> {
        let _ = (id, done);
        todo!("store::set_followup_done")
    }

    /// Moves a follow-up's due date (snooze and reschedule).
    pub fn reschedule_followup(&mut self, id: i64, due: NaiveDate) -> Result<(), StoreError> {
        let _ = (id, due);
        todo!("store::reschedule_followup")
    }

    pub fn set_followup_note(&mut self, id: i64, note: &str) -> Result<(), StoreError> {
        let _ = (id, note);
        todo!("store::set_followup_note")
    }

    /// Every open follow-up, by due date then id.
    pub fn open_followups(&self) -> Result<Vec<FollowUp>, StoreError> {
        todo!("store::open_followups")
    }

    /// A customer's follow-ups, open first, then by due date.
    pub fn followups_of(&self, customer: CustomerId) -> Result<Vec<FollowUp>, StoreError> {
        let _ = customer;
        todo!("store::followups_of")
    }
}
