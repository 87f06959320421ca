//! Orders written in multi-row inserts: at a million rows, SQLite's work per
//! statement (opening cursors, halting the program) costs more than the rows.

use rusqlite::{ToSql, Transaction};

use crate::store::StoreError;

/// Rows per multi-row insert (9 parameters each, far below SQLite's limit).
const BATCH: usize = 32;

/// One order waiting for its insert.
pub(super) struct PendingOrder<'r> {
    pub customer_id: i64,
    pub date: String,
    pub amount_cents: i64,
    pub quantity: Option<i64>,
    pub order_id: Option<&'r str>,
    pub discount: bool,
    pub import_key: String,
}

/// Collects orders and writes them `BATCH` at a time; rows whose import key
/// or order id is already stored are skipped and counted.
pub(super) struct OrderWriter<'r> {
    pending: Vec<PendingOrder<'r>>,
    batch_id: i64,
    created_at: String,
    pub added: u64,
    pub skipped: u64,
}

impl<'r> OrderWriter<'r> {
    pub fn new(batch_id: i64, created_at: String) -> OrderWriter<'r> {
        OrderWriter {
            pending: Vec::with_capacity(BATCH),
            batch_id,
            created_at,
            added: 0,
            skipped: 0,
        }
    }

    pub fn push(
        &mut self,
        tx: &Transaction<'_>,
        order: PendingOrder<'r>,
    ) -> Result<(), StoreError> {
        self.pending.push(order);
        if self.pending.len() == BATCH {
            self.flush(tx)?;
        }
        Ok(())
    }

    pub fn flush(&mut self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?)"; self.pending.len()].join(", ");
        let mut statement = tx.prepare_cached(&format!(
            "INSERT INTO orders (customer_id, order_date, amount_cents, quantity, \
             external_id, discount, import_key, batch_id, created_at) VALUES {rows} \
             ON CONFLICT DO NOTHING"
        ))?;
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(self.pending.len() * 9);
        for order in &self.pending {
            values.extend([
                &order.customer_id as &dyn ToSql,
                &order.date,
                &order.amount_cents,
                &order.quantity,
                &order.order_id,
                &order.discount,
                &order.import_key,
                &self.batch_id,
                &self.created_at,
            ]);
        }
        let added = statement.execute(values.as_slice())? as u64;
        let total = self.pending.len() as u64;
        self.added += added;
        self.skipped += total.saturating_sub(added);
        self.pending.clear();
        Ok(())
    }
}
