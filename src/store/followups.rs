//! Follow-ups written by hand, and the status changes of every follow-up.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use crate::analytics::rules::{Rule, plus_days};
use crate::domain::{CadenceFrom, CustomerId, FollowUp, FollowUpStatus, RuleFigures};

use super::followup_rules::figures_of_old_reason;

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
    let rule = c.opt_text(4)?;
    let anchor = c.opt_date(5)?;
    let reason = c.text(6)?;
    let figures = figures_of(rule.as_deref(), anchor, &reason, c.opt_text(10)?.as_deref());
    Ok(FollowUp {
        id: c.id,
        customer_id: c.i64(1)?,
        due: c.date(2)?,
        status: c.code(3, status_of_code)?,
        rule,
        anchor,
        figures,
        reason,
        note: c.text(7)?,
        created_at: c.instant(8)?,
        done_at: c.opt_instant(9)?,
    })
}

/// A rule's figures: as stored, else read from the sentence an older kanta
/// wrote. Figures a script wrote unreadably leave the written reason to show.
pub(crate) fn figures_of(
    rule: Option<&str>,
    anchor: Option<NaiveDate>,
    reason: &str,
    stored: Option<&str>,
) -> Option<RuleFigures> {
    match stored.and_then(RuleFigures::from_json) {
        Some(figures) => Some(figures),
        None => figures_of_old_reason(rule?, anchor, reason),
    }
}

pub(crate) fn load_followups(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<FollowUp>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, customer_id, due, status, rule, anchor, reason, note, created_at, done_at,
         figures FROM followups {filter}"
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

/// What marking a follow-up done did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Completed {
    pub customer_id: CustomerId,
    /// When it was a cadence follow-up: the due date of the next one.
    pub next: Option<NaiveDate>,
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

    /// Marks a follow-up done on `today`. Done on a cadence follow-up counts as
    /// the contact it asked for (SPEC section 6): the next one is written, due
    /// the customer's N days after `today`, in the same transaction.
    pub fn complete_followup(
        &mut self,
        id: i64,
        today: NaiveDate,
    ) -> Result<Completed, StoreError> {
        let tx = self.write()?;
        let found: Option<(CustomerId, Option<String>, Option<String>)> = tx
            .query_row(
                "SELECT customer_id, rule, anchor FROM followups WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((customer_id, rule, anchor)) = found else {
            return Err(StoreError::NotFound {
                what: "follow-up",
                id,
            });
        };
        let today_text = date_text(today);
        let every: Option<u32> = if rule.as_deref() == Some(Rule::Cadence.code()) {
            tx.query_row(
                "SELECT contact_every_days FROM customers WHERE id = ?1",
                [customer_id],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
        } else {
            None
        };
        let next = every.map(|n| plus_days(today, n));
        match (every, next) {
            // Anchored on today already (a contact logged today reset it):
            // done today is that same contact, and the next is that one's due.
            (Some(_), Some(next)) if anchor.as_deref() == Some(today_text.as_str()) => {
                tx.execute(
                    "UPDATE followups SET due = ?2 WHERE id = ?1",
                    params![id, date_text(next)],
                )?;
            }
            (Some(every_days), Some(next)) => {
                tx.execute(
                    "UPDATE followups SET status = 'done', done_at = coalesce(done_at, ?2)
                     WHERE id = ?1",
                    params![id, now_text()],
                )?;
                let figures = RuleFigures::Cadence {
                    every_days,
                    from: CadenceFrom::Done,
                    since: today,
                };
                tx.execute(
                    "INSERT INTO followups (customer_id, due, status, rule, anchor, figures, created_at)
                     VALUES (?1, ?2, 'open', ?3, ?4, ?5, ?6)
                     ON CONFLICT (rule, customer_id, anchor) DO UPDATE SET
                         status = 'open', due = excluded.due, done_at = NULL",
                    params![
                        customer_id,
                        date_text(next),
                        Rule::Cadence.code(),
                        today_text,
                        figures.to_json(),
                        now_text()
                    ],
                )?;
            }
            _ => {
                tx.execute(
                    "UPDATE followups SET status = 'done', done_at = coalesce(done_at, ?2)
                     WHERE id = ?1",
                    params![id, now_text()],
                )?;
            }
        }
        tx.commit()?;
        Ok(Completed { customer_id, next })
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
