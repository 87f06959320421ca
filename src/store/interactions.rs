//! Logged contacts.

use crate::store::Record;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};

use crate::domain::{CustomerId, Direction, FollowUp, Interaction, InteractionKind};

use super::customers::require;
use super::followups::insert_followup;
use super::values::{Cols, instant_text, local_date, rough_bounds};
use super::{Store, StoreError};

fn read_interaction(row: &rusqlite::Row<'_>) -> Result<Interaction, StoreError> {
    let c = Cols::new(row, "interactions", 0)?;
    Ok(Interaction {
        id: c.id,
        customer_id: c.i64(1)?,
        at: c.instant(2)?,
        kind: c.code(3, InteractionKind::parse)?,
        direction: c.opt_code(4, Direction::parse)?,
        text: c.text(5)?,
        logged_by: c.opt_text(6)?,
    })
}

pub(crate) fn load_interactions(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Interaction>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, customer_id, at, kind, direction, text, logged_by FROM interactions {filter}"
    ))?;
    let mut rows = stmt.query(args)?;
    let mut interactions = Vec::new();
    while let Some(row) = rows.next()? {
        interactions.push(read_interaction(row)?);
    }
    Ok(interactions)
}

impl Store {
    /// Logs one interaction in its own transaction.
    pub fn log_interaction(
        &mut self,
        customer: CustomerId,
        kind: InteractionKind,
        direction: Option<Direction>,
        text: &str,
        at: DateTime<Utc>,
    ) -> Result<Interaction, StoreError> {
        self.log_contact(customer, kind, direction, text, at, None)
            .map(|(interaction, _)| interaction)
    }

    /// Logs one interaction and, with `follow_up`, a follow-up due then with
    /// the same text, in one transaction: both are saved or neither is.
    pub fn log_contact(
        &mut self,
        customer: CustomerId,
        kind: InteractionKind,
        direction: Option<Direction>,
        text: &str,
        at: DateTime<Utc>,
        follow_up: Option<NaiveDate>,
    ) -> Result<(Interaction, Option<FollowUp>), StoreError> {
        let user = self.user.clone();
        let tx = self.write()?;
        require(&tx, customer)?;
        tx.execute(
            "INSERT INTO interactions (customer_id, at, kind, direction, text, logged_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                customer,
                instant_text(at),
                kind.code(),
                direction.map(Direction::code),
                text,
                user,
            ],
        )?;
        let id = tx.last_insert_rowid();
        // Read back before the commit: once committed, the save has landed
        // and nothing may report it failed.
        let interaction = load_interactions(&tx, "WHERE id = ?1", &[&id])?
            .pop()
            .ok_or(StoreError::NotFound {
                what: Record::Interaction,
                id,
            })?;
        let follow_up = follow_up
            .map(|due| insert_followup(&tx, customer, due, text, &user))
            .transpose()?;
        tx.commit()?;
        Ok((interaction, follow_up))
    }

    /// Corrects one interaction's kind, direction and text (its time stays).
    pub fn update_interaction(
        &mut self,
        id: i64,
        kind: InteractionKind,
        direction: Option<Direction>,
        text: &str,
    ) -> Result<Interaction, StoreError> {
        let user = self.user.clone();
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE interactions SET kind = ?2, direction = ?3, text = ?4, logged_by = ?5
             WHERE id = ?1",
            params![id, kind.code(), direction.map(Direction::code), text, user],
        )?;
        let missing = StoreError::NotFound {
            what: Record::Interaction,
            id,
        };
        if changed == 0 {
            return Err(missing);
        }
        let saved = load_interactions(&tx, "WHERE id = ?1", &[&id])?
            .pop()
            .ok_or(missing)?;
        tx.commit()?;
        Ok(saved)
    }

    pub fn delete_interaction(&mut self, id: i64) -> Result<(), StoreError> {
        let tx = self.write()?;
        if tx.execute("DELETE FROM interactions WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::NotFound {
                what: Record::Interaction,
                id,
            });
        }
        tx.commit()?;
        Ok(())
    }

    /// A customer's interactions, newest first.
    pub fn interactions_of(&self, customer: CustomerId) -> Result<Vec<Interaction>, StoreError> {
        load_interactions(
            &self.conn,
            "WHERE customer_id = ?1 ORDER BY at DESC, id DESC",
            &[&customer],
        )
    }

    /// Interactions on the local calendar dates `from..=to`, oldest first.
    pub fn interactions_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Interaction>, StoreError> {
        let (low, high) = rough_bounds(from, to);
        let mut interactions = load_interactions(
            &self.conn,
            "WHERE at >= ?1 AND at < ?2 ORDER BY at, id",
            &[&low, &high],
        )?;
        interactions.retain(|i| (from..=to).contains(&local_date(i.at)));
        Ok(interactions)
    }
}
