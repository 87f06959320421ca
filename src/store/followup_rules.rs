//! Storing the follow-ups the rules propose (SPEC section 6). Each is keyed by
//! (rule, customer, anchor): proposing it again adds nothing, and one the owner
//! has done or snoozed stays as the owner left it. A report shows what this
//! would write without writing it ([`preview`]).

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Transaction, params};

use crate::domain::rules::{ProposedFollowUp, Rule};
use crate::domain::{CadenceFrom, FollowUp, FollowUpStatus, RuleFigures, Valued};

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
/// anchor is older than the customer's current cadence anchor. A rule's
/// follow-up stores its figures; its `reason` stays empty.
pub fn apply_generated(
    tx: &Transaction,
    proposals: &[ProposedFollowUp],
) -> rusqlite::Result<ApplyStats> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO followups (customer_id, due, status, rule, anchor, figures)
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
            proposal.figures.to_json(),
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

/// A rule's follow-up's key: (rule, customer, anchor). A proposal whose key
/// is stored adds nothing.
pub type RuleKey = (String, i64, NaiveDate);

/// The keys of `followups` that a rule wrote.
fn rule_keys(followups: &[FollowUp]) -> HashSet<RuleKey> {
    followups
        .iter()
        .filter_map(|f| Some((f.rule.as_deref()?.to_string(), f.customer_id, f.anchor?)))
        .collect()
}

/// The follow-ups as [`apply_generated`] would leave them, computed without
/// writing: `stored` with the cadence follow-ups a newer contact supersedes
/// marked done, and each proposal not stored yet added (id 0, created at
/// `now`). What `kanta report followups` shows.
pub fn preview(
    stored: &[FollowUp],
    proposals: &[ProposedFollowUp],
    now: DateTime<Utc>,
) -> Vec<FollowUp> {
    preview_beside(stored, rule_keys(stored), proposals, now)
}

/// As [`preview`], with `keys` the keys of every rule's follow-up stored,
/// `stored` the only ones returned (a window shows the open ones alone).
pub fn preview_beside(
    stored: &[FollowUp],
    mut keys: HashSet<RuleKey>,
    proposals: &[ProposedFollowUp],
    now: DateTime<Utc>,
) -> Vec<FollowUp> {
    let mut all = stored.to_vec();
    // Each customer's open cadence follow-ups, stored or added, in order:
    // a proposal supersedes those of its customer, not everyone's.
    let mut cadences: std::collections::HashMap<i64, Vec<usize>> = Default::default();
    let cadence = |f: &FollowUp| {
        f.rule.as_deref() == Some(Rule::Cadence.code()) && f.status == FollowUpStatus::Open
    };
    for (at, f) in all.iter().enumerate() {
        if cadence(f) {
            cadences.entry(f.customer_id).or_default().push(at);
        }
    }
    for proposal in proposals {
        let key = (
            proposal.rule.code().to_string(),
            proposal.customer_id,
            proposal.anchor,
        );
        if keys.insert(key) {
            all.push(FollowUp {
                id: 0,
                customer_id: proposal.customer_id,
                due: proposal.due,
                status: FollowUpStatus::Open,
                rule: Some(proposal.rule.code().to_string()),
                anchor: Some(proposal.anchor),
                figures: Some(proposal.figures),
                reason: String::new(),
                note: String::new(),
                created_at: now,
                done_at: None,
                created_by: None,
                acted_by: None,
            });
            if proposal.rule == Rule::Cadence {
                cadences
                    .entry(proposal.customer_id)
                    .or_default()
                    .push(all.len() - 1);
            }
        }
        if proposal.rule == Rule::Cadence {
            for &at in cadences.get(&proposal.customer_id).into_iter().flatten() {
                if let Some(f) = all.get_mut(at)
                    && f.status == FollowUpStatus::Open
                    && f.anchor.is_some_and(|a| a < proposal.anchor)
                {
                    f.status = FollowUpStatus::Done;
                    f.done_at = Some(now);
                }
            }
        }
    }
    all.sort_by_key(|f| (f.due, f.id == 0, f.id));
    all
}

/// The figures of a rule's follow-up written before the store kept figures
/// (schema version 3), read back from the English sentence those rules wrote,
/// so that old follow-ups are worded in the UI language too. `None` when the
/// sentence is not one of theirs.
pub fn figures_of_old_reason(
    rule: &str,
    anchor: Option<NaiveDate>,
    reason: &str,
) -> Option<RuleFigures> {
    let anchor = anchor?;
    let date_after = |text: &str, marker: &str| -> Option<NaiveDate> {
        let at = text.find(marker)? + marker.len();
        text.get(at..at + 10)?.parse().ok()
    };
    let number_between = |text: &str, before: &str, after: &str| -> Option<String> {
        let start = text.find(before)? + before.len();
        let rest = text.get(start..)?;
        Some(rest.get(..rest.find(after)?)?.to_string())
    };
    match Rule::parse(rule)? {
        Rule::ThankYou if reason.ends_with(", not thanked yet") => Some(RuleFigures::ThankYou {
            first_purchase: date_after(reason, "first purchase on ").unwrap_or(anchor),
        }),
        Rule::CheckIn => {
            let gap: f64 = number_between(reason, "usual gap ", " days")?
                .parse()
                .ok()?;
            gap.is_finite().then_some(RuleFigures::CheckIn {
                last_purchase: anchor,
                median_gap_days: gap,
            })
        }
        Rule::CoolingProspect if reason.starts_with("prospect last contacted on ") => {
            Some(RuleFigures::CoolingProspect {
                last_contact: anchor,
            })
        }
        Rule::AtRisk => {
            let who = if reason.starts_with("key customer with ") {
                Valued::KeyCustomer
            } else if reason.starts_with("Champion with ") {
                Valued::Champion
            } else {
                return None;
            };
            let p_alive: f64 = number_between(reason, "P(alive) ", ";")?.parse().ok()?;
            p_alive.is_finite().then_some(RuleFigures::AtRisk {
                who,
                p_alive,
                last_purchase: anchor,
            })
        }
        Rule::Cadence => {
            let every_days = number_between(reason, "contact every ", " days")?
                .parse()
                .ok()?;
            let from = if reason.contains("no contact since first purchase") {
                CadenceFrom::FirstPurchase
            } else if reason.contains("last contact on ") {
                CadenceFrom::Contact
            } else {
                return None;
            };
            Some(RuleFigures::Cadence {
                every_days,
                from,
                since: anchor,
            })
        }
        _ => None,
    }
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

    /// As [`Store::apply_generated_followups`], for a load that read the
    /// store at the change log's mark `mark`: with the mark after this
    /// write when nothing else was written between (the load's figures then
    /// hold at it), `None` otherwise.
    pub fn apply_generated_followups_at(
        &mut self,
        proposals: &[ProposedFollowUp],
        mark: i64,
    ) -> Result<(ApplyStats, Option<i64>), crate::store::StoreError> {
        let tx = self.write()?;
        let before = super::frames::agreed_mark(&tx)?;
        let stats = apply_generated(&tx, proposals)?;
        let after = super::frames::agreed_mark(&tx)?;
        tx.commit()?;
        Ok((stats, after.filter(|_| before == Some(mark))))
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
            figures: RuleFigures::CoolingProspect {
                last_contact: date(anchor),
            },
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

    fn stored(conn: &Connection) -> Vec<FollowUp> {
        crate::store::followups::load_followups(conn, "ORDER BY id", &[]).unwrap()
    }

    #[test]
    fn a_rules_follow_up_stores_its_figures_not_a_sentence() {
        let mut conn = store();
        apply(&mut conn, &first_batch());
        let (figures, reason): (Option<String>, String) = conn
            .query_row(
                "SELECT figures, reason FROM followups WHERE rule = 'thank-you'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            figures.as_deref(),
            Some(r#"{"rule":"cooling-prospect","last_contact":"2026-11-02"}"#)
        );
        assert_eq!(reason, "");
    }

    #[test]
    fn the_preview_is_what_applying_would_leave_without_writing() {
        let mut conn = store();
        apply(
            &mut conn,
            &[proposal(Rule::Cadence, 1, "2026-10-01", "2026-10-31")],
        );
        conn.execute_batch(
            "INSERT INTO followups (customer_id, due, reason) VALUES (2, '2026-12-01', 'by hand');",
        )
        .unwrap();
        let next = [
            proposal(Rule::Cadence, 1, "2026-11-20", "2026-12-20"),
            proposal(Rule::CheckIn, 2, "2026-08-01", "2026-11-30"),
            // Stored already: not added twice.
            proposal(Rule::Cadence, 1, "2026-10-01", "2026-10-31"),
        ];
        let now = chrono::DateTime::<Utc>::default();
        let before = stored(&conn);
        let previewed = preview(&before, &next, now);
        assert_eq!(stored(&conn), before, "the preview wrote nothing");
        apply(&mut conn, &next);
        let applied = stored(&conn);
        let shape = |list: &[FollowUp]| {
            let mut shape: Vec<_> = list
                .iter()
                .map(|f| {
                    (
                        f.customer_id,
                        f.rule.clone(),
                        f.anchor,
                        f.due,
                        f.status,
                        f.figures,
                    )
                })
                .collect();
            shape.sort_by_key(|s| (s.0, s.1.clone(), s.2));
            shape
        };
        assert_eq!(shape(&previewed), shape(&applied));
        assert_eq!(previewed.len(), 4);
        // By due date; the ones not written yet have no id.
        assert_eq!(
            previewed.iter().map(|f| (f.due, f.id)).collect::<Vec<_>>(),
            vec![
                (date("2026-10-31"), 1),
                (date("2026-11-30"), 0),
                (date("2026-12-01"), 2),
                (date("2026-12-20"), 0),
            ]
        );
    }

    #[test]
    fn old_sentences_give_their_figures_and_others_none() {
        let anchor = Some(date("2026-10-01"));
        assert_eq!(
            figures_of_old_reason(
                "thank-you",
                anchor,
                "first purchase on 2026-10-01, not thanked yet"
            ),
            Some(RuleFigures::ThankYou {
                first_purchase: date("2026-10-01")
            })
        );
        assert_eq!(
            figures_of_old_reason(
                "cooling-prospect",
                anchor,
                "prospect last contacted on 2026-10-01, 20 days ago"
            ),
            Some(RuleFigures::CoolingProspect {
                last_contact: date("2026-10-01")
            })
        );
        assert_eq!(
            figures_of_old_reason(
                "at-risk",
                anchor,
                "key customer with P(alive) 0.49; last purchase on 2026-10-01"
            ),
            Some(RuleFigures::AtRisk {
                who: Valued::KeyCustomer,
                p_alive: 0.49,
                last_purchase: date("2026-10-01")
            })
        );
        assert_eq!(
            figures_of_old_reason(
                "cadence",
                anchor,
                "contact every 60 days; no contact since first purchase on 2026-10-01"
            ),
            Some(RuleFigures::Cadence {
                every_days: 60,
                from: CadenceFrom::FirstPurchase,
                since: date("2026-10-01")
            })
        );
        assert_eq!(
            figures_of_old_reason(
                "cadence",
                anchor,
                "contact every 7 days; last contact on 2026-10-01"
            ),
            Some(RuleFigures::Cadence {
                every_days: 7,
                from: CadenceFrom::Contact,
                since: date("2026-10-01")
            })
        );
        assert_eq!(
            figures_of_old_reason("check-in", anchor, "usual gap NaN days"),
            None
        );
        assert_eq!(
            figures_of_old_reason("cadence", anchor, "contact every x days"),
            None
        );
        assert_eq!(
            figures_of_old_reason(
                "thank-you",
                None,
                "first purchase on 2026-10-01, not thanked yet"
            ),
            None
        );
        assert_eq!(figures_of_old_reason("gift", anchor, "anything"), None);
    }
}
