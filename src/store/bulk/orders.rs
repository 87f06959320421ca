//! Orders written in multi-row inserts: at a million orders, the per-statement
//! work of SQLite (opening cursors, halting the program) costs more than the
//! rows themselves. Rows go in the order they were given, so row ids are the
//! same as with one insert per row.

use rusqlite::{Connection, Statement};

use super::text::{Day, Instant};
use super::{OrderRow, StoreError};

/// Rows per multi-row insert (8 parameters each, far below SQLite's limit).
const BATCH: usize = 32;

const COLUMNS: &str = "INSERT INTO orders (customer_id, order_date, amount_cents, quantity,
     external_id, discount, note, created_at) VALUES ";
const ROW: &str = "(?, ?, ?, ?, ?, ?, ?, ?)";

/// An order waiting for its batch; its strings keep their buffers for reuse.
struct Pending {
    customer_id: i64,
    date: Day,
    amount_cents: i64,
    quantity: Option<i64>,
    external_id: Text,
    discount: bool,
    note: Text,
    created_at: Instant,
}

/// An optional text in a buffer that is kept when the text is absent.
#[derive(Default)]
struct Text {
    buffer: String,
    present: bool,
}

impl Text {
    fn set(&mut self, value: Option<&str>) {
        self.buffer.clear();
        self.present = value.is_some();
        self.buffer.push_str(value.unwrap_or_default());
    }

    fn get(&self) -> Option<&str> {
        self.present.then_some(self.buffer.as_str())
    }
}

pub(super) struct OrderBatch<'c> {
    many: Statement<'c>,
    one: Statement<'c>,
    pending: Vec<Pending>,
    /// Rows of `pending` in use; the rest are kept for their buffers.
    len: usize,
}

impl<'c> OrderBatch<'c> {
    pub(super) fn prepare(conn: &'c Connection) -> rusqlite::Result<OrderBatch<'c>> {
        let rows = vec![ROW; BATCH].join(", ");
        Ok(OrderBatch {
            many: conn.prepare(&format!("{COLUMNS}{rows}"))?,
            one: conn.prepare(&format!("{COLUMNS}{ROW}"))?,
            pending: Vec::with_capacity(BATCH),
            len: 0,
        })
    }

    pub(super) fn push(&mut self, row: &OrderRow<'_>) -> Result<(), StoreError> {
        let date = Day::new(row.order_date);
        let created_at = Instant::new(row.created_at);
        if self.len == self.pending.len() {
            self.pending.push(Pending {
                customer_id: 0,
                date,
                amount_cents: 0,
                quantity: None,
                external_id: Text::default(),
                discount: false,
                note: Text::default(),
                created_at,
            });
        }
        let slot = &mut self.pending[self.len];
        slot.customer_id = row.customer_id;
        slot.date = date;
        slot.amount_cents = row.amount_cents;
        slot.quantity = row.quantity;
        slot.external_id.set(row.external_id);
        slot.discount = row.discount;
        slot.note.set(row.note);
        slot.created_at = created_at;
        self.len += 1;
        if self.len == BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the waiting rows; must run before the transaction commits.
    pub(super) fn flush(&mut self) -> Result<(), StoreError> {
        if self.len == BATCH {
            for (index, order) in self.pending.iter().enumerate() {
                bind(&mut self.many, index * 8, order)?;
            }
            self.many.raw_execute()?;
        } else {
            for order in &self.pending[..self.len] {
                bind(&mut self.one, 0, order)?;
                self.one.raw_execute()?;
            }
        }
        self.len = 0;
        Ok(())
    }
}

fn bind(stmt: &mut Statement<'_>, offset: usize, order: &Pending) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(offset + 1, order.customer_id)?;
    stmt.raw_bind_parameter(offset + 2, order.date.as_str())?;
    stmt.raw_bind_parameter(offset + 3, order.amount_cents)?;
    stmt.raw_bind_parameter(offset + 4, order.quantity)?;
    stmt.raw_bind_parameter(offset + 5, order.external_id.get())?;
    stmt.raw_bind_parameter(offset + 6, order.discount)?;
    stmt.raw_bind_parameter(offset + 7, order.note.get())?;
    stmt.raw_bind_parameter(offset + 8, order.created_at.as_str())?;
    Ok(())
}
