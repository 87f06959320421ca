//! Storing the follow-ups the rules propose (SPEC section 6). Each is keyed by
//! (rule, customer, anchor): proposing it again adds nothing, and one the owner
//! has done or snoozed stays as the owner left it.

use rusqlite::{Transaction, params};

use crate::analytics::rules::{ProposedFollowUp, Rule};

/// The note written on a cadence follow-up replaced by a newer contact.
pub const SUPERSEDED_NOTE: &str = "superseded by a newer contact";

/// What [`apply_generated`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyStats {
    /// Follow-ups written for the first time.
    pub added: usize,
    /// Open cadence follow-ups closed because a newer contact reset the cadence.
    pub superseded: usize,
}

/// Writes the proposals that are new and closes open cadence follow-ups whose
/// anchor is older than the customer's current cadence anchor.
pub fn apply_generated(
    tx: &Transaction,
    proposals: &[ProposedFollowUp],
) -> rusqlite::Result<ApplyStats> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO followups (customer_id, due, status, rule, anchor, reason)
         VALUES (?1, ?2, 'open', ?3, ?4, ?5)
         ON CONFLICT (rule, customer_id, anchor) DO NOTHING",
    )?;
    let mut supersede = tx.prepare_cached(
        "UPDATE followups
         SET status = 'done',
             done_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
             note = CASE WHEN note = '' THEN ?3 ELSE note || char(10) || ?3 END
         WHERE rule = ?1 AND customer_id = ?2 AND status = 'open' AND anchor < ?4",
    )?;
    let mut stats = ApplyStats::default();
    for proposal in proposals {
        // Dates are stored as YYYY-MM-DD, so text order is date order.
        let anchor = proposal.anchor.to_string();
        stats.added += insert.execute(params![
            proposal.customer_id,
            proposal.due.to_string(),
            proposal.rule.code(),
            anchor,
            proposal.reason,
        ])?;
        if proposal.rule == Rule::Cadence {
            stats.superseded += supersede.execute(params![
                Rule::Cadence.code(),
                proposal.customer_id,
                SUPERSEDED_NOTE,
                anchor,
            ])?;
        }
    }
    Ok(stats)
}

impl crate::store::Store {
    /// Writes the proposals in one immediate transaction (see [`apply_generated`]).
    pub fn apply_generated_followups(
        &mut self,
        proposals: &[ProposedFollowUp],
    ) -> Result<ApplyStats, crate::store::StoreError> {
        let tx = self.write()?;
        let stats = apply_generated(&tx, proposals)?;
        tx.commit()?;
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rusqlite::Connection;

    use super::*;
    use crate::store::schema::MIGRATIONS;

    fn store() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        let tx = conn.transaction().unwrap();
        for migration in MIGRATIONS {
            tx.execute_batch(migration).unwrap();
        }
        tx.execute_batch(
            "INSERT INTO customers (id, ref, name) VALUES (1, 'c1', 'Aino'), (2, 'c2', 'Eero');",
        )
        .unwrap();
        tx.commit().unwrap();
        conn
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn proposal(rule: Rule, customer_id: i64, anchor: &str, due: &str) -> ProposedFollowUp {
        ProposedFollowUp {
            rule,
            customer_id,
            anchor: date(anchor),
            due: date(due),
            reason: format!("{} for {customer_id}", rule.code()),
        }
    }

    fn apply(conn: &mut Connection, proposals: &[ProposedFollowUp]) -> ApplyStats {
        let tx = conn.transaction().unwrap();
        let stats = apply_generated(&tx, proposals).unwrap();
        tx.commit().unwrap();
        stats
    }

    /// (rule, customer, anchor, due, status, note), ordered by id.
    fn rows(conn: &Connection) -> Vec<(String, i64, String, String, String, String)> {
        let mut stmt = conn
            .prepare(
                "SELECT rule, customer_id, anchor, due, status, note FROM followups ORDER BY id",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    fn first_batch() -> Vec<ProposedFollowUp> {
        vec![
            proposal(Rule::ThankYou, 1, "2026-11-02", "2026-11-05"),
            proposal(Rule::CheckIn, 2, "2026-08-01", "2026-11-30"),
        ]
    }

    #[test]
    fn applying_the_same_proposals_twice_adds_nothing_the_second_time() {
        let mut conn = store();
        assert_eq!(apply(&mut conn, &first_batch()).added, 2);
        assert_eq!(apply(&mut conn, &first_batch()), ApplyStats::default());
        let stored = rows(&conn);
        assert_eq!(stored.len(), 2);
        assert_eq!(
            stored[0],
            (
                "thank-you".to_string(),
                1,
                "2026-11-02".to_string(),
                "2026-11-05".to_string(),
                "open".to_string(),
                String::new()
            )
        );
    }

    #[test]
    fn done_and_snoozed_follow_ups_stay_as_the_owner_left_them() {
        let mut conn = store();
        apply(&mut conn, &first_batch());
        conn.execute_batch(
            "UPDATE followups SET status = 'done' WHERE rule = 'thank-you';
             UPDATE followups SET due = '2026-12-07' WHERE rule = 'check-in';",
        )
        .unwrap();
        assert_eq!(apply(&mut conn, &first_batch()).added, 0);
        let stored = rows(&conn);
        assert_eq!(stored[0].4, "done");
        assert_eq!(
            (stored[1].3.as_str(), stored[1].4.as_str()),
            ("2026-12-07", "open")
        );
    }

    #[test]
    fn a_newer_contact_resets_the_cadence() {
        let mut conn = store();
        let before = [
            proposal(Rule::Cadence, 1, "2026-10-01", "2026-10-31"),
            proposal(Rule::Cadence, 2, "2026-10-01", "2026-10-31"),
        ];
        apply(&mut conn, &before);
        conn.execute(
            "UPDATE followups SET note = 'left a message' WHERE customer_id = 1",
            [],
        )
        .unwrap();
        let after = [
            proposal(Rule::Cadence, 1, "2026-11-20", "2026-12-20"),
            proposal(Rule::Cadence, 2, "2026-10-01", "2026-10-31"),
        ];
        let stats = apply(&mut conn, &after);
        assert_eq!(
            stats,
            ApplyStats {
                added: 1,
                superseded: 1
            }
        );
        let stored = rows(&conn);
        assert_eq!(stored.len(), 3);
        assert_eq!(stored[0].4, "done");
        assert_eq!(stored[0].5, format!("left a message\n{SUPERSEDED_NOTE}"));
        assert_eq!((stored[1].1, stored[1].4.as_str()), (2, "open"));
        assert_eq!(
            (stored[2].2.as_str(), stored[2].4.as_str()),
            ("2026-11-20", "open")
        );
        let done_at: Option<String> = conn
            .query_row("SELECT done_at FROM followups WHERE id = 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(done_at.is_some());
    }
}
