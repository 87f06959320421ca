//! Past imports (batches) and taking one back out.

use super::summaries::{Suspended, Touched};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::domain::ImportBatch;

/// What undoing a batch removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UndoSummary {
    pub orders_removed: u64,
    pub customers_removed: u64,
}

impl Store {
    /// Every import, oldest first.
    pub fn import_batches(&self) -> Result<Vec<ImportBatch>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT id, kind, file_name, file_sha256, imported_at, customers_added, \
             customers_updated, orders_added, undone FROM import_batches ORDER BY id",
        )?;
        let rows = statement.query_map([], |r| {
            let imported_at: String = r.get(4)?;
            Ok(ImportBatch {
                id: r.get(0)?,
                kind: r.get(1)?,
                file_name: r.get(2)?,
                file_sha256: r.get(3)?,
                // A row a script wrote with another format still lists.
                imported_at: DateTime::parse_from_rfc3339(&imported_at)
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or_default(),
                customers_added: r.get(5)?,
                customers_updated: r.get(6)?,
                orders_added: r.get(7)?,
                undone: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The import that brought in a file with these bytes (by SHA-256) and was
    /// not undone, if any: the same file again adds nothing, and says so.
    pub fn import_of_file(&self, sha256: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM import_batches WHERE file_sha256 = ?1 AND undone = 0 \
                 ORDER BY id DESC LIMIT 1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Removes the orders a batch added, and the customers it created that have no
    /// other orders, interactions or hand-written follow-ups (the rules' follow-ups
    /// about them go with them); marks the batch undone. Fields a contacts import
    /// overwrote stay as they are.
    pub fn undo_import(&mut self, batch: i64) -> Result<UndoSummary, StoreError> {
        let tx = self.write()?;
        let undone: Option<bool> = tx
            .query_row(
                "SELECT undone FROM import_batches WHERE id = ?1",
                [batch],
                |r| r.get(0),
            )
            .optional()?;
        match undone {
            None => return Err(StoreError::Invalid(format!("there is no import {batch}"))),
            Some(true) => {
                return Err(StoreError::Invalid(format!(
                    "import {batch} was already undone"
                )));
            }
            Some(false) => {}
        }
        // Many rows at once: the summaries of the batch's customers are
        // computed once, after, rather than once a row.
        let touched: Vec<i64> = tx
            .prepare("SELECT DISTINCT customer_id FROM orders WHERE batch_id = ?1")?
            .query_map([batch], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let suspended = Suspended::start(&tx)?;
        let orders_removed = tx.execute("DELETE FROM orders WHERE batch_id = ?1", [batch])?;
        let customers_removed = tx.execute(
            "DELETE FROM customers WHERE batch_id = ?1 \
             AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = customers.id) \
             AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = customers.id) \
             AND NOT EXISTS (SELECT 1 FROM followups f \
                             WHERE f.customer_id = customers.id AND f.rule IS NULL)",
            [batch],
        )?;
        tx.execute(
            "UPDATE import_batches SET undone = 1 WHERE id = ?1",
            params![batch],
        )?;
        suspended.resume(&tx, Touched::Customers(touched))?;
        tx.commit()?;
        Ok(UndoSummary {
            orders_removed: orders_removed as u64,
            customers_removed: customers_removed as u64,
        })
    }
}
