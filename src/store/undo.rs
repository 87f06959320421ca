//! Undoing the dashboard's last delete, merge, done or snooze (SPEC section
//! 5, Editing). Each change here is made in one transaction that first reads
//! the rows it will touch; what it returns puts them back in one transaction.
//! Erasure has no undo: it is meant to be final.

use crate::store::Record;
use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, ToSql, params_from_iter};

use super::followups::{Completed, complete_in};
use super::merge::merge_in;
use super::values::date_text;
use super::{Store, StoreError};
use crate::domain::CustomerId;
use crate::domain::rules::Rule;

/// One row as it was, every column, by its `id`.
#[derive(Debug, Clone, PartialEq)]
struct RowImage {
    table: &'static str,
    columns: Vec<String>,
    values: Vec<Value>,
}

/// A customer's emails, phones or tags as they were.
#[derive(Debug, Clone, PartialEq)]
struct ListImage {
    table: &'static str,
    customer_id: CustomerId,
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// Rows whose `column` pointed at `value` before the change.
#[derive(Debug, Clone, PartialEq)]
struct Pointed {
    table: &'static str,
    column: &'static str,
    value: i64,
    ids: Vec<i64>,
}

/// What puts the store back as it was before one change.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Undo {
    /// Written back in this order: updated where the row is, inserted where
    /// it is gone (customers before what belongs to them).
    rows: Vec<RowImage>,
    lists: Vec<ListImage>,
    pointed: Vec<Pointed>,
    /// Rows the change wrote: removed.
    created: Vec<(&'static str, i64)>,
}

/// The lists a customer has besides their row.
const LISTS: [&str; 3] = ["customer_emails", "customer_phones", "customer_tags"];

fn read_rows(
    conn: &Connection,
    table: &'static str,
    filter: &str,
    args: &[&dyn ToSql],
) -> Result<Vec<RowImage>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} WHERE {filter} ORDER BY id"))?;
    let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let count = columns.len();
    let rows = stmt
        .query_map(args, |r| (0..count).map(|i| r.get::<_, Value>(i)).collect())?
        .collect::<Result<Vec<Vec<Value>>, _>>()?;
    Ok(rows
        .into_iter()
        .map(|values| RowImage {
            table,
            columns: columns.clone(),
            values,
        })
        .collect())
}

fn read_list(
    conn: &Connection,
    table: &'static str,
    customer_id: CustomerId,
) -> Result<ListImage, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} WHERE customer_id = ?1"))?;
    let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let count = columns.len();
    let rows = stmt
        .query_map([customer_id], |r| {
            (0..count).map(|i| r.get::<_, Value>(i)).collect()
        })?
        .collect::<Result<Vec<Vec<Value>>, _>>()?;
    Ok(ListImage {
        table,
        customer_id,
        columns,
        rows,
    })
}

fn read_ids(conn: &Connection, sql: &str, args: &[&dyn ToSql]) -> Result<Vec<i64>, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let ids = stmt
        .query_map(args, |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    Ok(ids)
}

fn upsert(conn: &Connection, row: &RowImage) -> Result<(), StoreError> {
    let Some(id_at) = row.columns.iter().position(|c| c == "id") else {
        return Err(StoreError::Invalid(format!(
            "undo: {} has no id",
            row.table
        )));
    };
    let sets: Vec<String> = row
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("\"{c}\" = ?{}", i + 1))
        .collect();
    let update = format!(
        "UPDATE {} SET {} WHERE id = ?{}",
        row.table,
        sets.join(", "),
        id_at + 1
    );
    if conn.execute(&update, params_from_iter(row.values.iter()))? == 0 {
        insert(conn, row.table, &row.columns, &row.values)?;
    }
    Ok(())
}

fn insert(
    conn: &Connection,
    table: &str,
    columns: &[String],
    values: &[Value],
) -> Result<(), StoreError> {
    let names: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    conn.execute(
        &format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            marks.join(", ")
        ),
        params_from_iter(values.iter()),
    )?;
    Ok(())
}

impl Undo {
    /// Everything of one customer: the row, the lists, the orders, the
    /// contacts, the follow-ups, and who named them as referrer.
    fn of_customer(conn: &Connection, id: CustomerId) -> Result<Undo, StoreError> {
        let mut undo = Undo {
            rows: read_rows(conn, "customers", "id = ?1", &[&id])?,
            ..Undo::default()
        };
        for table in ["orders", "interactions", "followups"] {
            undo.rows
                .extend(read_rows(conn, table, "customer_id = ?1", &[&id])?);
        }
        for table in LISTS {
            undo.lists.push(read_list(conn, table, id)?);
        }
        undo.pointed.push(Pointed {
            table: "customers",
            column: "referred_by",
            value: id,
            ids: read_ids(
                conn,
                "SELECT id FROM customers WHERE referred_by = ?1 ORDER BY id",
                &[&id],
            )?,
        });
        Ok(undo)
    }

    /// Whether there is anything to put back.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.lists.is_empty() && self.created.is_empty()
    }
}

impl Store {
    /// Deletes a customer, as [`Store::delete_customer`], and returns what
    /// puts them back.
    pub fn delete_customer_undoable(&mut self, id: CustomerId) -> Result<Undo, StoreError> {
        let tx = self.write()?;
        let undo = Undo::of_customer(&tx, id)?;
        if tx.execute("DELETE FROM customers WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::NotFound {
                what: Record::Customer,
                id,
            });
        }
        tx.commit()?;
        Ok(undo)
    }

    /// Deletes one order, contact (`interactions`) or follow-up.
    fn delete_row_undoable(
        &mut self,
        table: &'static str,
        what: Record,
        id: i64,
    ) -> Result<Undo, StoreError> {
        let tx = self.write()?;
        let rows = read_rows(&tx, table, "id = ?1", &[&id])?;
        if tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])? == 0 {
            return Err(StoreError::NotFound { what, id });
        }
        tx.commit()?;
        Ok(Undo {
            rows,
            ..Undo::default()
        })
    }

    pub fn delete_order_undoable(&mut self, id: i64) -> Result<Undo, StoreError> {
        self.delete_row_undoable("orders", Record::Order, id)
    }

    pub fn delete_interaction_undoable(&mut self, id: i64) -> Result<Undo, StoreError> {
        self.delete_row_undoable("interactions", Record::Interaction, id)
    }

    pub fn delete_followup_undoable(&mut self, id: i64) -> Result<Undo, StoreError> {
        self.delete_row_undoable("followups", Record::FollowUp, id)
    }

    /// Merges `other` into `keep`, as [`Store::merge_customers`]; the undo
    /// gives `other` back everything that was theirs and `keep` its own
    /// fields and lists.
    pub fn merge_customers_undoable(
        &mut self,
        keep: CustomerId,
        other: CustomerId,
    ) -> Result<Undo, StoreError> {
        let user = self.user.clone();
        let tx = self.write()?;
        let mut undo = Undo::of_customer(&tx, other)?;
        // Orders and contacts move: pointed back. Follow-ups move or are
        // dropped as doubles: their rows are written back whole.
        undo.rows
            .retain(|r| r.table == "customers" || r.table == "followups");
        let mut kept = read_rows(&tx, "customers", "id = ?1", &[&keep])?;
        kept.append(&mut undo.rows);
        undo.rows = kept;
        for table in LISTS {
            undo.lists.push(read_list(&tx, table, keep)?);
        }
        for table in ["orders", "interactions"] {
            undo.pointed.push(Pointed {
                table,
                column: "customer_id",
                value: other,
                ids: read_ids(
                    &tx,
                    &format!("SELECT id FROM {table} WHERE customer_id = ?1 ORDER BY id"),
                    &[&other],
                )?,
            });
        }
        merge_in(&tx, keep, other, &user)?;
        tx.commit()?;
        Ok(undo)
    }

    /// Marks a follow-up done, as [`Store::complete_followup`]; the undo
    /// opens it again and removes the cadence's next one it wrote.
    pub fn complete_followup_undoable(
        &mut self,
        id: i64,
        today: NaiveDate,
    ) -> Result<(Completed, Undo), StoreError> {
        let user = self.user.clone();
        let tx = self.write()?;
        let rows = read_rows(&tx, "followups", "id = ?1", &[&id])?;
        let cadence = Rule::Cadence.code();
        let today_text = date_text(today);
        let next_filter = "rule = ?1 AND anchor = ?2 AND customer_id = \
             (SELECT customer_id FROM followups WHERE id = ?3)";
        let before = read_rows(&tx, "followups", next_filter, &[&cadence, &today_text, &id])?;
        let done = complete_in(&tx, id, today, &user)?;
        let mut undo = Undo {
            rows,
            ..Undo::default()
        };
        if before.is_empty() {
            let written: Option<i64> = tx
                .query_row(
                    "SELECT id FROM followups WHERE rule = ?1 AND anchor = ?2 AND customer_id = ?3",
                    rusqlite::params![cadence, today_text, done.customer_id],
                    |r| r.get(0),
                )
                .optional()?;
            undo.created
                .extend(written.filter(|w| *w != id).map(|w| ("followups", w)));
        } else {
            undo.rows.extend(before);
        }
        tx.commit()?;
        Ok((done, undo))
    }

    /// Moves a follow-up's due date (snooze, reschedule), as
    /// [`Store::reschedule_followup`].
    pub fn reschedule_followup_undoable(
        &mut self,
        id: i64,
        due: NaiveDate,
    ) -> Result<Undo, StoreError> {
        let tx = self.write()?;
        let rows = read_rows(&tx, "followups", "id = ?1", &[&id])?;
        if tx.execute(
            "UPDATE followups SET due = ?2 WHERE id = ?1",
            rusqlite::params![id, date_text(due)],
        )? == 0
        {
            return Err(StoreError::NotFound {
                what: Record::FollowUp,
                id,
            });
        }
        tx.commit()?;
        Ok(Undo {
            rows,
            ..Undo::default()
        })
    }

    /// Puts back what `undo` holds, in one transaction.
    pub fn undo(&mut self, undo: &Undo) -> Result<(), StoreError> {
        let tx = self.write()?;
        for (table, id) in &undo.created {
            tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
        }
        for row in &undo.rows {
            upsert(&tx, row)?;
        }
        for list in &undo.lists {
            tx.execute(
                &format!("DELETE FROM {} WHERE customer_id = ?1", list.table),
                [list.customer_id],
            )?;
            for values in &list.rows {
                insert(&tx, list.table, &list.columns, values)?;
            }
        }
        for pointed in &undo.pointed {
            let mut stmt = tx.prepare(&format!(
                "UPDATE {} SET {} = ?1 WHERE id = ?2",
                pointed.table, pointed.column
            ))?;
            for id in &pointed.ids {
                stmt.execute([pointed.value, *id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
