//! Follow-ups written by hand, and the status changes of every follow-up.

use crate::store::Record;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::rules::{ProposedFollowUp, Rule, plus_days};
use crate::domain::{CadenceFrom, CustomerId, FollowUp, FollowUpStatus, RuleFigures};

use super::followup_rules::{figures_of_old_reason, preview_beside};

use super::customers::require;
use super::values::rough_bounds;
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
        created_by: c.opt_text(11)?,
        acted_by: c.opt_text(12)?,
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

/// The follow-ups done between two instants, through the index on status and
/// done date (schema version 7).
pub(crate) const DONE_BETWEEN: &str =
    "WHERE status = 'done' AND done_at >= ?1 AND done_at < ?2 ORDER BY done_at, id";

pub(crate) fn load_followups(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<FollowUp>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, customer_id, due, status, rule, anchor, reason, note, created_at, done_at,
         figures, created_by, acted_by FROM followups {filter}"
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
    by: &str,
) -> Result<FollowUp, StoreError> {
    require(conn, customer)?;
    conn.execute(
        "INSERT INTO followups (customer_id, due, reason, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![customer, date_text(due), reason.trim(), now_text(), by],
    )?;
    let id = conn.last_insert_rowid();
    load_followups(conn, "WHERE id = ?1", &[&id])?
        .pop()
        .ok_or(StoreError::NotFound {
            what: Record::FollowUp,
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
        let user = self.user.clone();
        let tx = self.write()?;
        // Read back before the commit: once committed, the save has landed
        // and nothing may report it failed.
        let saved = insert_followup(&tx, customer, due, reason, &user)?;
        tx.commit()?;
        Ok(saved)
    }

    fn update_followup(
        &mut self,
        id: i64,
        sql: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<(), StoreError> {
        let user = self.user.clone();
        let tx = self.write()?;
        let mut all: Vec<&dyn rusqlite::ToSql> = vec![&id];
        all.extend_from_slice(args);
        if tx.execute(sql, all.as_slice())? == 0 {
            return Err(StoreError::NotFound {
                what: Record::FollowUp,
                id,
            });
        }
        tx.execute(
            "UPDATE followups SET acted_by = ?2 WHERE id = ?1",
            params![id, user],
        )?;
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
        let user = self.user.clone();
        let tx = self.write()?;
        let done = complete_in(&tx, id, today, &user)?;
        tx.commit()?;
        Ok(done)
    }

    /// Deletes one follow-up. A rule's follow-up is written again by the rule
    /// while its reason holds; marking it done is what ends it.
    pub fn delete_followup(&mut self, id: i64) -> Result<(), StoreError> {
        let tx = self.write()?;
        if tx.execute("DELETE FROM followups WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::NotFound {
                what: Record::FollowUp,
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

    /// The open follow-ups as writing the rules' `proposals` would leave
    /// them, without writing: those new have id 0 (see
    /// [`super::followup_rules::preview`]). What a window shows before the
    /// store has passed its check for damage and may be written.
    pub fn open_followups_with(
        &self,
        proposals: &[ProposedFollowUp],
    ) -> Result<Vec<FollowUp>, StoreError> {
        let _snapshot = self.snapshot()?;
        let open = self.open_followups()?;
        let mut statement = self.conn.prepare_cached(
            "SELECT rule, customer_id, anchor FROM followups
             WHERE rule IS NOT NULL AND anchor IS NOT NULL",
        )?;
        let mut keys = std::collections::HashSet::new();
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            // A key a script wrote in another form is no rule's.
            let (Ok(rule), Ok(customer), Ok(anchor)) = (
                row.get_ref(0)?.as_str(),
                row.get_ref(1)?.as_i64(),
                row.get_ref(2)?.as_bytes(),
            ) else {
                continue;
            };
            if let Some(anchor) = super::values::parse_date(anchor) {
                keys.insert((rule.to_string(), customer, anchor));
            }
        }
        let mut followups = preview_beside(&open, keys, proposals, chrono::Utc::now());
        followups.retain(|f| f.status == FollowUpStatus::Open);
        Ok(followups)
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
        let mut done = load_followups(&self.conn, DONE_BETWEEN, &[&low, &high])?;
        done.retain(|f| {
            f.done_at
                .is_some_and(|at| (from..=to).contains(&local_date(at)))
        });
        Ok(done)
    }
}

/// Marks a follow-up done on `today` inside the caller's transaction (see
/// [`Store::complete_followup`]).
pub(super) fn complete_in(
    tx: &rusqlite::Connection,
    id: i64,
    today: NaiveDate,
    user: &str,
) -> Result<Completed, StoreError> {
    let found: Option<(CustomerId, Option<String>, Option<String>)> = tx
        .query_row(
            "SELECT customer_id, rule, anchor FROM followups WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((customer_id, rule, anchor)) = found else {
        return Err(StoreError::NotFound {
            what: Record::FollowUp,
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
    tx.execute(
        "UPDATE followups SET acted_by = ?2 WHERE id = ?1",
        params![id, user],
    )?;
    Ok(Completed { customer_id, next })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CustomerDraft;
    use crate::domain::rules::ProposedFollowUp;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// A store with one customer to be contacted every `every` days and an
    /// open cadence follow-up of theirs anchored on `anchor`.
    fn cadence_store(every: u32, anchor: &str) -> (Store, CustomerId, i64) {
        let mut store = Store::open_in_memory().unwrap();
        let id = store
            .insert_customer(&CustomerDraft {
                name: "Aino Virtanen".into(),
                contact_every_days: Some(every),
                ..CustomerDraft::default()
            })
            .unwrap()
            .id;
        let anchor = day(anchor);
        store
            .apply_generated_followups(&[ProposedFollowUp {
                rule: Rule::Cadence,
                customer_id: id,
                anchor,
                due: plus_days(anchor, every),
                figures: RuleFigures::Cadence {
                    every_days: every,
                    from: CadenceFrom::Contact,
                    since: anchor,
                },
            }])
            .unwrap();
        let followup = store.open_followups().unwrap().remove(0).id;
        (store, id, followup)
    }

    fn open(store: &Store) -> Vec<(Option<NaiveDate>, NaiveDate, Option<RuleFigures>)> {
        store
            .open_followups()
            .unwrap()
            .into_iter()
            .map(|f| (f.anchor, f.due, f.figures))
            .collect()
    }

    fn rearmed(
        every: u32,
        done_on: &str,
        due: &str,
    ) -> (Option<NaiveDate>, NaiveDate, Option<RuleFigures>) {
        (
            Some(day(done_on)),
            day(due),
            Some(RuleFigures::Cadence {
                every_days: every,
                from: CadenceFrom::Done,
                since: day(done_on),
            }),
        )
    }

    #[test]
    fn done_on_a_cadence_arms_the_next_one_across_a_month_end() {
        // 2026 is no leap year: 31 January + 30 days is 2 March.
        let (mut store, customer, id) = cadence_store(30, "2026-01-01");
        let done = store.complete_followup(id, day("2026-01-31")).unwrap();
        assert_eq!(
            done,
            Completed {
                customer_id: customer,
                next: Some(day("2026-03-02"))
            }
        );
        assert_eq!(open(&store), vec![rearmed(30, "2026-01-31", "2026-03-02")]);
        let closed = store.followups_of(customer).unwrap();
        assert!(
            closed
                .iter()
                .any(|f| f.id == id && f.status == FollowUpStatus::Done && f.done_at.is_some())
        );
    }

    #[test]
    fn done_on_a_cadence_arms_the_next_one_across_a_leap_day() {
        // 31 January 2028 + 29 days is 29 February; done then, + 29 is 29 March.
        let (mut store, _, id) = cadence_store(29, "2028-01-02");
        store.complete_followup(id, day("2028-01-31")).unwrap();
        assert_eq!(open(&store), vec![rearmed(29, "2028-01-31", "2028-02-29")]);
        let next = store.open_followups().unwrap().remove(0).id;
        let done = store.complete_followup(next, day("2028-02-29")).unwrap();
        assert_eq!(done.next, Some(day("2028-03-29")));
        assert_eq!(open(&store), vec![rearmed(29, "2028-02-29", "2028-03-29")]);
        // Every day: the leap day is followed by 1 March.
        let (mut store, _, id) = cadence_store(1, "2028-02-27");
        assert_eq!(
            store.complete_followup(id, day("2028-02-29")).unwrap().next,
            Some(day("2028-03-01"))
        );
    }

    #[test]
    fn the_rule_proposing_the_old_anchor_again_changes_nothing_after_done() {
        let (mut store, customer, id) = cadence_store(30, "2026-01-01");
        store.complete_followup(id, day("2026-01-31")).unwrap();
        // The last contact is still 1 January: the rule proposes that again.
        let again = ProposedFollowUp {
            rule: Rule::Cadence,
            customer_id: customer,
            anchor: day("2026-01-01"),
            due: day("2026-01-31"),
            figures: RuleFigures::Cadence {
                every_days: 30,
                from: CadenceFrom::Contact,
                since: day("2026-01-01"),
            },
        };
        let stats = store.apply_generated_followups(&[again]).unwrap();
        assert_eq!((stats.added, stats.superseded), (0, 0));
        assert_eq!(open(&store), vec![rearmed(30, "2026-01-31", "2026-03-02")]);
    }

    #[test]
    fn done_on_the_day_a_cadence_was_anchored_keeps_it_due_n_days_later() {
        // A contact logged today anchored it today: done today is that contact.
        let (mut store, _, id) = cadence_store(30, "2026-05-10");
        let done = store.complete_followup(id, day("2026-05-10")).unwrap();
        assert_eq!(done.next, Some(day("2026-06-09")));
        let still = store.open_followups().unwrap();
        assert_eq!(
            (still.len(), still[0].id, still[0].due),
            (1, id, day("2026-06-09"))
        );
    }

    #[test]
    fn done_on_other_follow_ups_arms_nothing() {
        let (mut store, customer, _) = cadence_store(30, "2026-01-01");
        let by_hand = store
            .add_followup(customer, day("2026-02-01"), "call back")
            .unwrap();
        let done = store
            .complete_followup(by_hand.id, day("2026-02-01"))
            .unwrap();
        assert_eq!(done.next, None);
        assert_eq!(open(&store).len(), 1, "only the cadence one is open");
        // A cadence whose setting was removed since: nothing to arm.
        let (mut store, customer, id) = cadence_store(30, "2026-01-01");
        store
            .connection()
            .execute(
                "UPDATE customers SET contact_every_days = NULL WHERE id = ?1",
                [customer],
            )
            .unwrap();
        assert_eq!(
            store.complete_followup(id, day("2026-01-31")).unwrap().next,
            None
        );
        assert!(open(&store).is_empty());
        assert!(matches!(
            store.complete_followup(999, day("2026-01-31")),
            Err(StoreError::NotFound { .. })
        ));
    }

    #[test]
    fn a_rules_follow_up_of_an_older_kanta_reads_its_figures_from_its_sentence() {
        let (store, customer, _) = cadence_store(30, "2026-01-01");
        store
            .connection()
            .execute_batch(&format!(
                "INSERT INTO followups (customer_id, due, rule, anchor, reason) VALUES
                 ({customer}, '2026-11-30', 'check-in', '2026-10-01',
                  'no purchase for 60 days; usual gap 20.5 days'),
                 ({customer}, '2026-11-30', 'at-risk', '2026-06-01',
                  'Champion with P(alive) 0.31; last purchase on 2026-06-01'),
                 ({customer}, '2026-11-30', 'thank-you', '2026-11-27', 'thank them');"
            ))
            .unwrap();
        let figures: Vec<Option<RuleFigures>> = store
            .open_followups()
            .unwrap()
            .into_iter()
            .filter(|f| !f.reason.is_empty())
            .map(|f| f.figures)
            .collect();
        assert_eq!(
            figures,
            vec![
                Some(RuleFigures::CheckIn {
                    last_purchase: day("2026-10-01"),
                    median_gap_days: 20.5
                }),
                Some(RuleFigures::AtRisk {
                    who: crate::domain::Valued::Champion,
                    p_alive: 0.31,
                    last_purchase: day("2026-06-01")
                }),
                // Not a sentence kanta wrote: shown as written.
                None,
            ]
        );
    }
}
