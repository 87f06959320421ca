//! Follow-ups written by hand, and the status changes of every follow-up.

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use crate::domain::{CustomerId, FollowUp, FollowUpStatus};

use super::customers::require;
use super::interactions::rough_bounds;
use super::values::{Cols, date_text, local_date, now_text};
use super::{Store, StoreError};

fn status_of_code(code: &str) -> Option<FollowUpStatus> {
    [FollowUpStatus::Open, FollowUpStatus::Done]
        .into_iter()
        .find(|s| s.code() == code)
}

fn read_followup(row: &rusqlite::Row<'_>) -> Result<FollowUp, StoreError> {
    let c = Cols::new(row, "followups", 0)?;
    Ok(FollowUp {
        id: c.id,
        customer_id: c.i64(1)?,
        due: c.date(2)?,
        status: c.code(3, status_of_code)?,
        rule: c.opt_text(4)?,
        anchor: c.opt_date(5)?,
        reason: c.text(6)?,
        note: c.text(7)?,
        created_at: c.instant(8)?,
        done_at: c.opt_instant(9)?,
    })
}

pub(crate) fn load_followups(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<FollowUp>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, customer_id, due, status, rule, anchor, reason, note, created_at, done_at
         FROM followups {filter}"
    ))?;
    let mut rows = stmt.query(args)?;
    let mut followups = Vec::new();
    while let Some(row) = rows.next()? {
        followups.push(read_followup(row)?);
    }
    Ok(followups)
}

/// Inserts a follow-up written by hand (rule NULL) in the open transaction
/// and reads it back.
pub(crate) fn insert_followup(
    conn: &Connection,
    customer: CustomerId,
    due: NaiveDate,
    reason: &str,
) -> Result<FollowUp, StoreError> {
    require(conn, customer)?;
    conn.execute(
        "INSERT INTO followups (customer_id, due, reason, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![customer, date_text(due), reason.trim(), now_text()],
    )?;
    let id = conn.last_insert_rowid();
    load_followups(conn, "WHERE id = ?1", &[&id])?
        .pop()
        .ok_or(StoreError::NotFound {
            what: "follow-up",
            id,
        })
}

impl Store {
    /// Adds a follow-up written by hand (rule NULL).
    pub fn add_followup(
        &mut self,
        customer: CustomerId,
        due: NaiveDate,
        reason: &str,
    ) -> Result<FollowUp, StoreError> {
        let tx = self.write()?;
        // Read back before the commit: once committed, the save has landed
        // and nothing may report it failed.
        let saved = insert_followup(&tx, customer, due, reason)?;
        tx.commit()?;
        Ok(saved)
    }

    fn update_followup(
        &mut self,
        id: i64,
        sql: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<(), StoreError> {
        let tx = self.write()?;
        let mut all: Vec<&dyn rusqlite::ToSql> = vec![&id];
        all.extend_from_slice(args);
        if tx.execute(sql, all.as_slice())? == 0 {
            return Err(StoreError::NotFound {
                what: "follow-up",
                id,
            });
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks a follow-up done (or open again), stamping `done_at`.
    pub fn set_followup_done(&mut self, id: i64, done: bool) -> Result<(), StoreError> {
        if done {
            let now = now_text();
            self.update_followup(
                id,
                "UPDATE followups SET status = 'done', done_at = coalesce(done_at, ?2) WHERE id = ?1",
                &[&now],
            )
        } else {
            self.update_followup(
                id,
                "UPDATE followups SET status = 'open', done_at = NULL WHERE id = ?1",
                &[],
            )
        }
    }

    /// Deletes one follow-up. A rule's follow-up is written again by the rule
    /// while its reason holds; marking it done is what ends it.
    pub fn delete_followup(&mut self, id: i64) -> Result<(), StoreError> {
        let tx = self.write()?;
        if tx.execute("DELETE FROM followups WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::NotFound {
                what: "follow-up",
                id,
            });
        }
        tx.commit()?;
        Ok(())
    }

    /// Moves a follow-up's due date (snooze and reschedule).
    pub fn reschedule_followup(&mut self, id: i64, due: NaiveDate) -> Result<(), StoreError> {
        let due = date_text(due);
        self.update_followup(id, "UPDATE followups SET due = ?2 WHERE id = ?1", &[&due])
    }

    pub fn set_followup_note(&mut self, id: i64, note: &str) -> Result<(), StoreError> {
        self.update_followup(id, "UPDATE followups SET note = ?2 WHERE id = ?1", &[&note])
    }

    /// Every open follow-up, by due date then id.
    pub fn open_followups(&self) -> Result<Vec<FollowUp>, StoreError> {
        load_followups(&self.conn, "WHERE status = 'open' ORDER BY due, id", &[])
    }

    /// A customer's follow-ups, open first, then by due date.
    pub fn followups_of(&self, customer: CustomerId) -> Result<Vec<FollowUp>, StoreError> {
        load_followups(
            &self.conn,
            "WHERE customer_id = ?1 ORDER BY status = 'open' DESC, due, id",
            &[&customer],
        )
    }

    /// Follow-ups marked done on the local calendar dates `from..=to`, in the
    /// order they were done.
    pub fn followups_done_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<FollowUp>, StoreError> {
        let (low, high) = rough_bounds(from, to);
        let mut done = load_followups(
            &self.conn,
            "WHERE status = 'done' AND done_at >= ?1 AND done_at < ?2 ORDER BY done_at, id",
            &[&low, &high],
        )?;
        done.retain(|f| {
            f.done_at
                .is_some_and(|at| (from..=to).contains(&local_date(at)))
        });
        Ok(done)
    }
}
