//! Orders.

use crate::store::Record;
use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::money::{AMOUNT_TOO_LARGE, within_bound};
use crate::domain::{CustomerId, Order, OrderDraft};

use super::customers::require;
use super::values::{Cols, date_text};
use super::{Store, StoreError};

const ORDER_COLUMNS: &str =
    "id, customer_id, order_date, amount_cents, quantity, external_id, discount, note, entered_by";

fn read_order(row: &rusqlite::Row<'_>) -> Result<Order, StoreError> {
    let c = Cols::new(row, "orders", 0)?;
    Ok(Order {
        id: c.id,
        customer_id: c.i64(1)?,
        order_date: c.date(2)?,
        amount_cents: c.i64(3)?,
        quantity: c.opt_i64(4)?,
        external_id: c.opt_text(5)?,
        discount: c.bool(6)?,
        note: c.opt_text(7)?,
        entered_by: c.opt_text(8)?,
    })
}

/// Orders matching `filter` (a WHERE clause and an ORDER BY).
pub(crate) fn load_orders(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Order>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {ORDER_COLUMNS} FROM orders {filter}"))?;
    let mut rows = stmt.query(args)?;
    let mut orders = Vec::new();
    while let Some(row) = rows.next()? {
        orders.push(read_order(row)?);
    }
    Ok(orders)
}

impl Store {
    /// Adds one order in its own transaction.
    pub fn add_order(&mut self, draft: &OrderDraft) -> Result<Order, StoreError> {
        let external_id = draft
            .external_id
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty());
        if !within_bound(draft.amount_cents) {
            return Err(StoreError::Invalid(format!("amount: {AMOUNT_TOO_LARGE}")));
        }
        let user = self.user.clone();
        let tx = self.write()?;
        require(&tx, draft.customer_id)?;
        if let Some(external_id) = external_id {
            let holder: Option<i64> = tx
                .query_row(
                    "SELECT id FROM orders WHERE external_id = ?1",
                    [external_id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(holder) = holder {
                return Err(StoreError::Invalid(format!(
                    "order id: {external_id:?} is already used by order {holder}"
                )));
            }
        }
        tx.execute(
            "INSERT INTO orders (customer_id, order_date, amount_cents, quantity, external_id,
                 discount, note, entered_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                draft.customer_id,
                date_text(draft.order_date),
                draft.amount_cents,
                draft.quantity,
                external_id,
                draft.discount,
                draft.note,
                user,
            ],
        )?;
        let id = tx.last_insert_rowid();
        // Read back before the commit: once committed, the save has landed
        // and nothing may report it failed.
        let saved = read_back(&tx, id)?;
        tx.commit()?;
        Ok(saved)
    }

    /// Corrects one order: its date, amount, quantity, discount flag and note
    /// (its customer, order id and import stay). Read back before the commit.
    pub fn update_order(&mut self, id: i64, draft: &OrderDraft) -> Result<Order, StoreError> {
        if !within_bound(draft.amount_cents) {
            return Err(StoreError::Invalid(format!("amount: {AMOUNT_TOO_LARGE}")));
        }
        let user = self.user.clone();
        let tx = self.write()?;
        let changed = tx.execute(
            "UPDATE orders SET order_date = ?2, amount_cents = ?3, quantity = ?4,
                 discount = ?5, note = ?6, entered_by = ?7
             WHERE id = ?1",
            params![
                id,
                date_text(draft.order_date),
                draft.amount_cents,
                draft.quantity,
                draft.discount,
                draft.note,
                user,
            ],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: Record::Order,
                id,
            });
        }
        let saved = read_back(&tx, id)?;
        tx.commit()?;
        Ok(saved)
    }

    pub fn delete_order(&mut self, id: i64) -> Result<(), StoreError> {
        let tx = self.write()?;
        if tx.execute("DELETE FROM orders WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::NotFound {
                what: Record::Order,
                id,
            });
        }
        tx.commit()?;
        Ok(())
    }

    /// A customer's orders, newest first.
    pub fn orders_of(&self, customer: CustomerId) -> Result<Vec<Order>, StoreError> {
        load_orders(
            &self.conn,
            "WHERE customer_id = ?1 ORDER BY order_date DESC, id DESC",
            &[&customer],
        )
    }

    /// Every order, by id (for export).
    pub fn orders(&self) -> Result<Vec<Order>, StoreError> {
        load_orders(&self.conn, "ORDER BY id", &[])
    }
}

/// An order as the transaction has it, read back before the commit: once
/// committed, the save has landed and nothing may report it failed.
fn read_back(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<Order, StoreError> {
    load_orders(tx, "WHERE id = ?1", &[&id])?
        .pop()
        .ok_or(StoreError::NotFound {
            what: Record::Order,
            id,
        })
}
