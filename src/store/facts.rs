//! Loading the compact per-customer data the figures are computed from.

use rusqlite::OptionalExtension;
use rusqlite::types::{Value, ValueRef};

use crate::domain::{CustomerFacts, CustomerId, DayTotal};

use super::customers::source_of_code;
use super::values::{Cols, invalid, local_date, parse_date, parse_instant};
use super::{Store, StoreError};

/// Orders folded per customer and day, read from the covering index
/// `orders_customer_date` alone.
const DAY_TOTALS: &str = "SELECT customer_id, order_date, sum(amount_cents), max(amount_cents >= 0)
     FROM orders GROUP BY customer_id, order_date ORDER BY customer_id, order_date";

/// Advances `cursor` to the facts of `id`, both sorted by id. `None` for a row
/// whose customer does not exist (a script can write one with foreign keys off).
fn seek(facts: &mut [CustomerFacts], cursor: &mut usize, id: CustomerId) -> Option<usize> {
    while *cursor < facts.len() && facts[*cursor].id < id {
        *cursor += 1;
    }
    (*cursor < facts.len() && facts[*cursor].id == id).then_some(*cursor)
}

impl Store {
    /// Facts of every customer, ordered by id: orders folded per day, interaction
    /// instants turned into local calendar dates. One scan of each table.
    pub fn load_facts(&self) -> Result<Vec<CustomerFacts>, StoreError> {
        let _snapshot = self.snapshot()?;
        let mut facts = self.customer_facts()?;
        self.fold_orders(&mut facts)?;
        self.add_interaction_dates(&mut facts)?;
        Ok(facts)
    }

    fn customer_facts(&self) -> Result<Vec<CustomerFacts>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, ref, source, referred_by, prospect, advocate, contact_every_days
             FROM customers ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut facts = Vec::new();
        while let Some(row) = rows.next()? {
            let c = Cols::new(row, "customers", 0)?;
            facts.push(CustomerFacts {
                id: c.id,
                reference: c.text(1)?,
                source: c.opt_code(2, source_of_code)?,
                referred_by: c.opt_i64(3)?,
                prospect: c.bool(4)?,
                advocate: c.bool(5)?,
                days: Vec::new(),
                interaction_dates: Vec::new(),
                contact_every_days: c.opt_u32(6)?,
            });
        }
        Ok(facts)
    }

    fn fold_orders(&self, facts: &mut [CustomerFacts]) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(DAY_TOTALS)?;
        let mut rows = stmt.query([])?;
        let mut cursor = 0;
        while let Some(row) = rows.next()? {
            let (ValueRef::Integer(customer), date, ValueRef::Integer(amount)) =
                (row.get_ref(0)?, row.get_ref(1)?, row.get_ref(2)?)
            else {
                return Err(self.bad_order_row(row)?);
            };
            let Some(date) = date.as_bytes().ok().and_then(parse_date) else {
                return Err(self.bad_order_row(row)?);
            };
            let is_purchase = matches!(row.get_ref(3)?, ValueRef::Integer(1));
            if let Some(at) = seek(facts, &mut cursor, customer) {
                facts[at].days.push(DayTotal {
                    date,
                    amount_cents: amount,
                    is_purchase,
                });
            }
        }
        Ok(())
    }

    /// Names the order behind a folded row that cannot be read: its id, and the
    /// column at fault.
    fn bad_order_row(&self, row: &rusqlite::Row<'_>) -> Result<StoreError, StoreError> {
        let customer = row.get_ref(0)?;
        let date = row.get_ref(1)?;
        let found: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, CASE
                     WHEN typeof(customer_id) != 'integer' THEN 'customer_id'
                     WHEN typeof(amount_cents) != 'integer' THEN 'amount_cents'
                     ELSE 'order_date' END
                 FROM orders WHERE customer_id IS ?1 AND order_date IS ?2
                 ORDER BY typeof(amount_cents) = 'integer', id LIMIT 1",
                [Value::from(customer), Value::from(date)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let shown = match date {
            ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
            other => other.data_type().to_string(),
        };
        Ok(match found {
            Some((id, column)) if column == "order_date" => invalid(
                "orders",
                id,
                &column,
                format!("{shown} is not a date (YYYY-MM-DD)"),
            ),
            Some((id, column)) => invalid("orders", id, &column, "expected an integer"),
            None => {
                StoreError::Invalid(format!("orders: a row cannot be read (order_date {shown})"))
            }
        })
    }

    fn add_interaction_dates(&self, facts: &mut [CustomerFacts]) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, customer_id, at FROM interactions ORDER BY customer_id, at",
        )?;
        let mut rows = stmt.query([])?;
        let mut cursor = 0;
        while let Some(row) = rows.next()? {
            let c = Cols::new(row, "interactions", 0)?;
            let customer = c.i64(1)?;
            let Some(at) = seek(facts, &mut cursor, customer) else {
                continue;
            };
            let text = c.text(2)?;
            let instant = parse_instant(&text).ok_or_else(|| {
                invalid(
                    "interactions",
                    c.id,
                    "at",
                    format!("{text:?} is not an RFC 3339 timestamp"),
                )
            })?;
            facts[at].interaction_dates.push(local_date(instant));
        }
        // Text order is time order only when every row is written alike; a
        // script may write another offset.
        for f in facts.iter_mut() {
            if !f.interaction_dates.is_sorted() {
                f.interaction_dates.sort_unstable();
            }
        }
        Ok(())
    }
}
