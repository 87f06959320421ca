//! Orders written in multi-row inserts, in the file's order: at a million
//! rows, SQLite's work per statement (opening cursors, halting the program)
//! costs more than the rows.
//!
//! A row already in the store (its order id, or its import key, taken) is
//! skipped and counted. A row with no order id is keyed by its customer, date
//! and amount and by which such row of the file it is: the second identical
//! row of a file is the second such order, not the first again. That count is
//! kept only for the keys that have met a taken one, so a file imported into
//! a store that does not hold it yet costs no memory for it.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, ToSql, Transaction, params};

use crate::store::StoreError;

/// Rows per multi-row insert (9 parameters each, far below SQLite's limit).
const BATCH: usize = 32;

/// One order waiting for its insert.
pub(super) struct PendingOrder {
    pub customer_id: i64,
    pub date: String,
    pub amount_cents: i64,
    pub quantity: Option<i64>,
    pub order_id: Option<String>,
    pub discount: bool,
    pub note: Option<String>,
    /// For a row with no order id: its customer key, date and amount, to
    /// which the occurrence is added to make its import key.
    pub identity: Option<String>,
}

/// A pending order's import key, from its identity and occurrence.
fn import_key(identity: &str, occurrence: u32) -> String {
    format!("{identity}\u{1f}{occurrence}")
}

/// Collects orders and writes them `BATCH` at a time.
pub(super) struct OrderWriter {
    pending: Vec<(PendingOrder, u32)>,
    batch_id: i64,
    created_at: String,
    /// The highest order id written so far (or stored before).
    last_id: i64,
    /// The next occurrence to try, for identities that met a taken key.
    next_occurrence: HashMap<String, u32>,
    pub added: u64,
    pub skipped: u64,
}

impl OrderWriter {
    pub fn new(
        tx: &Transaction<'_>,
        batch_id: i64,
        created_at: String,
    ) -> Result<OrderWriter, StoreError> {
        let last_id = tx.query_row("SELECT coalesce(max(id), 0) FROM orders", [], |r| r.get(0))?;
        Ok(OrderWriter {
            pending: Vec::with_capacity(BATCH),
            batch_id,
            created_at,
            last_id,
            next_occurrence: HashMap::new(),
            added: 0,
            skipped: 0,
        })
    }

    /// The one creation instant of every row this import writes.
    pub fn created_at(&self) -> &str {
        &self.created_at
    }

    pub fn push(&mut self, tx: &Transaction<'_>, order: PendingOrder) -> Result<(), StoreError> {
        let occurrence = order
            .identity
            .as_ref()
            .and_then(|identity| self.next_occurrence.get(identity).copied())
            .unwrap_or(1);
        self.pending.push((order, occurrence));
        if self.pending.len() == BATCH {
            self.flush(tx)?;
        }
        Ok(())
    }

    pub fn flush(&mut self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let keys: Vec<Option<String>> = self
            .pending
            .iter()
            .map(|(order, occurrence)| {
                order
                    .identity
                    .as_deref()
                    .map(|i| import_key(i, *occurrence))
            })
            .collect();
        let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; self.pending.len()].join(", ");
        // A row at a key taken is skipped; anything else wrong stops the import.
        let mut statement = tx.prepare_cached(&format!(
            "INSERT INTO orders (customer_id, order_date, amount_cents, quantity, \
             external_id, discount, note, import_key, batch_id, created_at) VALUES {rows} \
             ON CONFLICT DO NOTHING"
        ))?;
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(self.pending.len() * 10);
        for ((order, _), key) in self.pending.iter().zip(&keys) {
            values.extend([
                &order.customer_id as &dyn ToSql,
                &order.date,
                &order.amount_cents,
                &order.quantity,
                &order.order_id,
                &order.discount,
                &order.note,
                key,
                &self.batch_id,
                &self.created_at,
            ]);
        }
        let added = statement.execute(values.as_slice())? as u64;
        drop(values);
        if added == self.pending.len() as u64 {
            self.added += added;
            self.last_id += added as i64;
            for (order, occurrence) in &self.pending {
                if let Some(next) = order
                    .identity
                    .as_ref()
                    .and_then(|identity| self.next_occurrence.get_mut(identity))
                {
                    *next = occurrence + 1;
                }
            }
            self.pending.clear();
            return Ok(());
        }
        // Some key was taken: undo this insert and write its rows one by one,
        // in the file's order, so the orders keep the file's order of ids.
        tx.prepare_cached("DELETE FROM orders WHERE id > ?1")?
            .execute([self.last_id])?;
        let pending = std::mem::take(&mut self.pending);
        for (order, _) in &pending {
            self.write_one(tx, order)?;
        }
        Ok(())
    }

    /// Writes one order, or counts it as already stored.
    fn write_one(&mut self, tx: &Transaction<'_>, order: &PendingOrder) -> Result<(), StoreError> {
        let mut occurrence = order
            .identity
            .as_ref()
            .and_then(|identity| self.next_occurrence.get(identity).copied())
            .unwrap_or(1);
        loop {
            let key = order.identity.as_deref().map(|i| import_key(i, occurrence));
            let added = tx
                .prepare_cached(
                    "INSERT INTO orders (customer_id, order_date, amount_cents, quantity, \
                     external_id, discount, note, import_key, batch_id, created_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING",
                )?
                .execute(params![
                    order.customer_id,
                    order.date,
                    order.amount_cents,
                    order.quantity,
                    order.order_id,
                    order.discount,
                    order.note,
                    key,
                    self.batch_id,
                    self.created_at
                ])?;
            let (Some(identity), Some(key)) = (&order.identity, key) else {
                // An order id already stored: the order is imported already.
                if added > 0 {
                    self.added += 1;
                    self.last_id = tx.last_insert_rowid();
                } else {
                    self.skipped += 1;
                }
                return Ok(());
            };
            if added > 0 {
                self.added += 1;
                self.last_id = tx.last_insert_rowid();
                if let Some(next) = self.next_occurrence.get_mut(identity) {
                    *next = occurrence + 1;
                }
                return Ok(());
            }
            self.next_occurrence
                .insert(identity.clone(), occurrence + 1);
            let holder: Option<Option<i64>> = tx
                .prepare_cached("SELECT batch_id FROM orders WHERE import_key = ?1")?
                .query_row([&key], |r| r.get(0))
                .optional()?;
            if holder == Some(Some(self.batch_id)) {
                // An earlier row of this file: this one is the next such order.
                occurrence += 1;
                continue;
            }
            // Imported before, from another file.
            self.skipped += 1;
            return Ok(());
        }
    }
}
