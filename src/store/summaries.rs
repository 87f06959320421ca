//! Each customer's order history in one row, and a log of which customers
//! changed, both kept current by SQLite triggers in the transaction of every
//! write: kanta's own, and a script's through the `sqlite3` shell alike.
//!
//! `order_summaries` holds what SPEC section 4 takes from a customer's orders
//! when every order is on or before the as-of date: first, second and last
//! purchase day, the number of purchase days and the monetary value, and the
//! dates of the first and last order of any amount (the last says whether an
//! as-of date cuts any order off). A reader takes the summary of a customer
//! whose last order is on or before D and reads the orders of the others.
//!
//! `customer_changes` says which customers a write touched, so that a window
//! showing the store recomputes those alone after another program's write. A
//! row whose customer is NULL says any customer may have changed (a large
//! import, an undo): the reader starts again from the whole store.
//!
//! A large write (an import, an undo, the demo) suspends the triggers for its
//! transaction, writes, and brings the summaries of the customers it touched
//! up to date in one pass before it commits; nothing else sees the store
//! between.

use std::fmt::Write as _;

use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};

use super::values::parse_date;
use super::{Store, StoreError};
use crate::domain::{CustomerId, DayTotal, Stored, StoredHistory, StoredRow};

/// The summary columns computed over the orders `o` of one group
/// (`GROUP BY o.customer_id`). The rule of a purchase day, a day with an
/// order of at least 0, is SPEC section 4's, as `analytics::history` folds
/// it; an equality test holds the two together.
///
/// The monetary value is summed as floating point (`total`, which never
/// fails) and kept only when that sum is exact, every partial sum below
/// 2^53 cents; otherwise NULL, and a reader sums the orders itself. A row
/// the figures cannot read (an amount that is no whole number, a date that
/// is no calendar day) is counted in `unreadable`, and a reader then takes
/// the careful way that names it.
const SUMMARY_COLUMNS: &str = "o.customer_id,
    min(CASE WHEN o.amount_cents >= 0 THEN o.order_date END),
    (SELECT DISTINCT p.order_date FROM orders p
     WHERE p.customer_id = o.customer_id AND p.amount_cents >= 0
     ORDER BY p.order_date LIMIT 1 OFFSET 1),
    max(CASE WHEN o.amount_cents >= 0 THEN o.order_date END),
    count(DISTINCT CASE WHEN o.amount_cents >= 0 THEN o.order_date END),
    CASE WHEN total(abs(o.amount_cents * 1.0)) < 9007199254740992.0
         THEN CAST(total(o.amount_cents) AS INTEGER) END,
    min(o.order_date),
    max(o.order_date),
    sum(typeof(o.amount_cents) <> 'integer' OR o.order_date IS NOT date(o.order_date))";

/// The start of every insert of summaries.
const INSERT_SUMMARY: &str = "INSERT INTO order_summaries (customer_id, first_purchase,
    second_purchase, last_purchase, purchase_days, monetary_cents, first_order, last_order,
    unreadable)";

/// SQL that brings the summary of the customers matching `which` (a
/// condition on `o.customer_id`) up to date with their orders.
fn refresh_sql(which: &str) -> String {
    format!(
        "DELETE FROM order_summaries WHERE customer_id = {which_id};
         {INSERT_SUMMARY}
         SELECT {SUMMARY_COLUMNS} FROM orders o
         WHERE o.customer_id = {which_id} AND typeof(o.customer_id) = 'integer'
         GROUP BY o.customer_id;",
        which_id = which,
    )
}

/// The tables whose rows belong to one customer, with the column naming them.
const CUSTOMER_TABLES: [(&str, &str); 6] = [
    ("customers", "id"),
    ("customer_emails", "customer_id"),
    ("customer_phones", "customer_id"),
    ("customer_tags", "customer_id"),
    ("interactions", "customer_id"),
    ("followups", "customer_id"),
];

/// Every trigger of the summaries and the change log, by name.
pub(crate) fn triggers() -> Vec<(String, String)> {
    let mut all = Vec::new();
    let log = |row: &str, column: &str| {
        format!("INSERT INTO customer_changes (customer_id) VALUES ({row}.{column});")
    };
    for (table, column) in CUSTOMER_TABLES {
        for (event, rows) in [
            ("INSERT", &["NEW"][..]),
            ("DELETE", &["OLD"][..]),
            ("UPDATE", &["OLD", "NEW"][..]),
        ] {
            let name = format!("{table}_{}_log", event.to_lowercase());
            let mut body = String::new();
            for row in rows {
                body.push_str(&log(row, column));
            }
            all.push((
                name.clone(),
                format!("CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body} END;"),
            ));
        }
    }
    for (event, rows) in [
        ("INSERT", &["NEW"][..]),
        ("DELETE", &["OLD"][..]),
        // A change of note, quantity or who entered it changes no figure.
        (
            "UPDATE OF customer_id, order_date, amount_cents",
            &["OLD", "NEW"][..],
        ),
    ] {
        let short = event.split(' ').next().unwrap_or(event).to_lowercase();
        let name = format!("orders_{short}_summary");
        let mut body = String::new();
        for row in rows {
            body.push_str(&refresh_sql(&format!("{row}.customer_id")));
            body.push_str(&log(row, "customer_id"));
        }
        all.push((
            name.clone(),
            format!("CREATE TRIGGER {name} AFTER {event} ON orders BEGIN {body} END;"),
        ));
    }
    all
}

/// The tables, as version 6 of the schema creates them.
pub(crate) const TABLES: &str = r#"
CREATE TABLE order_summaries (
    customer_id INTEGER PRIMARY KEY,    -- no reference: a script may write orders of no customer
    first_purchase TEXT,                -- YYYY-MM-DD; NULL without a purchase day
    second_purchase TEXT,
    last_purchase TEXT,
    purchase_days INTEGER NOT NULL,
    monetary_cents INTEGER,             -- NULL where a float sum would not be exact
    first_order TEXT NOT NULL,          -- of any amount
    last_order TEXT NOT NULL,
    unreadable INTEGER NOT NULL         -- orders the figures cannot read
);

CREATE TABLE customer_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER                 -- NULL: any customer may have changed
);
"#;

/// Creates the triggers and computes every summary: the data step of version 6.
pub(crate) fn install(conn: &Connection) -> rusqlite::Result<()> {
    create_triggers(conn)?;
    refresh_all(conn)
}

fn create_triggers(conn: &Connection) -> rusqlite::Result<()> {
    let mut sql = String::new();
    for (_, create) in triggers() {
        sql.push_str(&create);
        sql.push('\n');
    }
    conn.execute_batch(&sql)
}

/// Every summary computed again from the orders, in one pass over the
/// covering index `orders_customer_date`: folding the days here is several
/// times faster than SQLite's `GROUP BY` with its `count(DISTINCT ...)` (2 s
/// at a million orders), and holds one customer at a time. The same columns
/// as [`SUMMARY_COLUMNS`]; a test holds the two together.
pub(crate) fn refresh_all(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("DELETE FROM order_summaries;")?;
    let mut insert = conn.prepare(&format!(
        "{INSERT_SUMMARY} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    ))?;
    let mut select = conn.prepare(
        "SELECT customer_id, order_date, amount_cents FROM orders ORDER BY customer_id, order_date",
    )?;
    let mut rows = select.query([])?;
    let mut current: Option<(i64, Fold)> = None;
    while let Some(row) = rows.next()? {
        let customer = match row.get_ref(0)? {
            ValueRef::Integer(id) => id,
            // A script's customer id that is no whole number names nobody:
            // no summary, as in the triggers.
            _ => continue,
        };
        if current.as_ref().is_none_or(|(id, _)| *id != customer) {
            if let Some((id, fold)) = current.take() {
                fold.insert(&mut insert, id)?;
            }
            current = Some((customer, Fold::default()));
        }
        if let Some((_, fold)) = current.as_mut() {
            fold.add(row.get_ref(1)?, row.get_ref(2)?);
        }
    }
    if let Some((id, fold)) = current {
        fold.insert(&mut insert, id)?;
    }
    Ok(())
}

/// One customer's orders folded in date order, as [`SUMMARY_COLUMNS`] does.
#[derive(Default)]
struct Fold {
    first_purchase: Option<Vec<u8>>,
    second_purchase: Option<Vec<u8>>,
    last_purchase: Option<Vec<u8>>,
    purchase_days: i64,
    monetary: i128,
    absolute: f64,
    first_order: Option<Vec<u8>>,
    last_order: Vec<u8>,
    unreadable: i64,
}

impl Fold {
    fn add(&mut self, date: ValueRef<'_>, amount: ValueRef<'_>) {
        let date_text = match date {
            ValueRef::Text(text) => text,
            _ => b"",
        };
        if parse_date(date_text).is_none() {
            self.unreadable += 1;
        }
        let amount = match amount {
            ValueRef::Integer(amount) => amount,
            _ => {
                // Counted unreadable: a reader then takes the orders themselves.
                self.unreadable += 1;
                self.absolute = f64::INFINITY;
                return self.dated(date_text, false);
            }
        };
        self.monetary += i128::from(amount);
        self.absolute += (amount as f64).abs();
        self.dated(date_text, amount >= 0);
    }

    fn dated(&mut self, date: &[u8], is_purchase: bool) {
        if self.first_order.is_none() {
            self.first_order = Some(date.to_vec());
        }
        if self.last_order != date {
            self.last_order = date.to_vec();
        }
        if is_purchase && self.last_purchase.as_deref() != Some(date) {
            match self.purchase_days {
                0 => self.first_purchase = Some(date.to_vec()),
                1 => self.second_purchase = Some(date.to_vec()),
                _ => {}
            }
            self.purchase_days += 1;
            self.last_purchase = Some(date.to_vec());
        }
    }

    fn insert(self, insert: &mut rusqlite::Statement<'_>, id: i64) -> rusqlite::Result<()> {
        let text = |t: Option<Vec<u8>>| t.map(|t| String::from_utf8_lossy(&t).into_owned());
        let exact = self.absolute < 9_007_199_254_740_992.0;
        insert.execute(params![
            id,
            text(self.first_purchase),
            text(self.second_purchase),
            text(self.last_purchase),
            self.purchase_days,
            exact.then(|| i64::try_from(self.monetary).ok()).flatten(),
            text(self.first_order),
            text(Some(self.last_order)),
            self.unreadable,
        ])?;
        Ok(())
    }
}

/// The customers a large write touches, for [`Suspended::resume`].
pub(crate) enum Touched {
    /// Any customer: every summary is computed again.
    All,
    /// The customers of the orders of this import batch, as the orders are now.
    Batch(i64),
    /// These customers.
    Customers(Vec<CustomerId>),
    /// No order: a contacts import.
    NoOrders,
}

/// The triggers dropped for one large write, in its transaction: created
/// again by [`Suspended::resume`] before the transaction commits. A rollback
/// brings them back with everything else.
#[must_use = "the triggers are created again by resume"]
pub(crate) struct Suspended(());

impl Suspended {
    pub(crate) fn start(conn: &Connection) -> rusqlite::Result<Suspended> {
        let mut sql = String::new();
        for (name, _) in triggers() {
            let _ = writeln!(sql, "DROP TRIGGER IF EXISTS {name};");
        }
        conn.execute_batch(&sql)?;
        Ok(Suspended(()))
    }

    /// The triggers back, the summaries of `touched` current, and one change
    /// saying that any customer may have changed; the log before it is no
    /// longer needed by anyone.
    pub(crate) fn resume(self, conn: &Connection, touched: Touched) -> rusqlite::Result<()> {
        // Whom the write changed, when the log can name them.
        let mut named: Option<Vec<CustomerId>> = None;
        match touched {
            Touched::All => refresh_all(conn)?,
            Touched::Batch(batch) => {
                let ids: Vec<CustomerId> = conn
                    .prepare(
                        "SELECT DISTINCT customer_id FROM orders WHERE batch_id = ?1 \
                         ORDER BY customer_id",
                    )?
                    .query_map([batch], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                refresh_customers(conn, &ids)?;
                // An orders import writes nothing but its orders and the
                // customers it creates (who carry the batch).
                if ids.len() <= NAMED_AT_MOST {
                    let mut created: Vec<CustomerId> = conn
                        .prepare("SELECT id FROM customers WHERE batch_id = ?1")?
                        .query_map([batch], |r| r.get(0))?
                        .collect::<Result<_, _>>()?;
                    created.extend(ids);
                    created.sort_unstable();
                    created.dedup();
                    named = Some(created).filter(|ids| ids.len() <= NAMED_AT_MOST);
                }
            }
            Touched::Customers(ids) => refresh_customers(conn, &ids)?,
            Touched::NoOrders => {}
        }
        create_triggers(conn)?;
        match named {
            // The log before the write stays true, and is told the rest.
            Some(ids) => {
                let mut log =
                    conn.prepare_cached("INSERT INTO customer_changes (customer_id) VALUES (?1)")?;
                for id in ids {
                    log.execute([id])?;
                }
                Ok(())
            }
            None => conn.execute_batch(
                "DELETE FROM customer_changes;
                 INSERT INTO customer_changes (customer_id) VALUES (NULL);",
            ),
        }
    }
}

/// The summaries of these customers computed again; every one of them when
/// they are many (one pass is then cheaper than a look-up each).
fn refresh_customers(conn: &Connection, ids: &[CustomerId]) -> rusqlite::Result<()> {
    let summaries: i64 =
        conn.query_row("SELECT count(*) FROM order_summaries", [], |r| r.get(0))?;
    if ids.len() as i64 > summaries / 4 {
        return refresh_all(conn);
    }
    let mut delete = conn.prepare_cached("DELETE FROM order_summaries WHERE customer_id = ?1")?;
    let mut insert = conn.prepare_cached(&format!(
        "{INSERT_SUMMARY} SELECT {SUMMARY_COLUMNS} FROM orders o WHERE o.customer_id = ?1
         GROUP BY o.customer_id"
    ))?;
    for id in ids {
        delete.execute([id])?;
        insert.execute([id])?;
    }
    Ok(())
}

/// What changed since a window last looked, read from the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// Nothing.
    None,
    /// These customers (sorted, each once).
    Customers(Vec<CustomerId>),
    /// Any customer may have: a large write, or a log pruned since.
    All,
}

/// More customers than this with an order after the as-of date, and a
/// report reads every order in one scan rather than theirs one by one.
const MANY_CUT_OFF: i64 = 10_000;

/// A large write with more customers than this tells the log "anyone".
pub(crate) const NAMED_AT_MOST: usize = 1_000;

/// How many changes the log keeps; a window further behind reads everything.
const KEPT_CHANGES: i64 = 50_000;

impl Store {
    /// The last change logged, the mark to give [`Store::changes_since`].
    pub fn last_change(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(seq), 0) FROM customer_changes",
            [],
            |r| r.get(0),
        )?)
    }

    /// The customers changed after the mark `since` (of [`Store::last_change`])
    /// and the new mark.
    pub fn changes_since(&self, since: i64) -> Result<(Changes, i64), StoreError> {
        let _snapshot = self.snapshot()?;
        let (first, last): (Option<i64>, Option<i64>) =
            self.conn
                .query_row("SELECT min(seq), max(seq) FROM customer_changes", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        let last = last.unwrap_or(0);
        if last <= since {
            return Ok((Changes::None, last.max(since)));
        }
        // Rows after the mark were pruned: what they said is not known.
        if first.is_none_or(|first| first > since + 1) {
            return Ok((Changes::All, last));
        }
        let mut statement = self
            .conn
            .prepare_cached("SELECT customer_id FROM customer_changes WHERE seq > ?1")?;
        let mut ids = Vec::new();
        let mut rows = statement.query([since])?;
        while let Some(row) = rows.next()? {
            match row.get::<_, Option<CustomerId>>(0)? {
                Some(id) => ids.push(id),
                None => return Ok((Changes::All, last)),
            }
        }
        ids.sort_unstable();
        ids.dedup();
        Ok((Changes::Customers(ids), last))
    }

    /// Keeps the last [`KEPT_CHANGES`] of the log; done by every write.
    pub(crate) fn prune_changes(conn: &Connection) -> Result<(), StoreError> {
        conn.execute(
            "DELETE FROM customer_changes WHERE seq <= (SELECT max(seq) FROM customer_changes) - ?1",
            [KEPT_CHANGES],
        )?;
        Ok(())
    }

    /// The stored order history of every customer with a purchase day on or
    /// before `as_of`, with their ref and name, ordered by id; `None` when the summaries
    /// cannot serve it exactly (an unreadable order, a sum too large to be
    /// exact), and the figures are then taken from the orders.
    ///
    /// A customer with an order after `as_of` has their orders read, and
    /// their history taken as of `as_of`; when many have, `None` as well.
    pub fn stored_histories(&self, as_of: NaiveDate) -> Result<Option<Vec<StoredRow>>, StoreError> {
        let _snapshot = self.snapshot()?;
        let cut_off = as_of.format("%Y-%m-%d").to_string();
        let (unexact, later): (i64, i64) = self.conn.query_row(
            "SELECT coalesce(sum(unreadable > 0 OR monetary_cents IS NULL), 0),
                    coalesce(sum(last_order > ?1), 0)
             FROM order_summaries",
            [&cut_off],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if unexact > 0 || later > MANY_CUT_OFF {
            return Ok(None);
        }
        let mut statement = self.conn.prepare_cached(
            "SELECT s.customer_id, c.ref, s.first_purchase, s.second_purchase, s.last_purchase,
                    s.purchase_days, s.monetary_cents, s.last_order > ?1, c.name
             FROM order_summaries s JOIN customers c ON c.id = s.customer_id
             WHERE s.first_purchase <= ?1
             ORDER BY s.customer_id",
        )?;
        let mut rows = statement.query([&cut_off])?;
        let mut histories = Vec::new();
        let date = |value: rusqlite::types::ValueRef<'_>| match value {
            rusqlite::types::ValueRef::Text(text) => parse_date(text),
            _ => None,
        };
        while let Some(row) = rows.next()? {
            let id: CustomerId = row.get(0)?;
            let history = if row.get::<_, bool>(7)? {
                Stored::Days(id, self.days_up_to(id, as_of)?)
            } else {
                Stored::History(StoredHistory {
                    id,
                    first_purchase: date(row.get_ref(2)?),
                    second_purchase: date(row.get_ref(3)?),
                    last_purchase: date(row.get_ref(4)?),
                    purchase_days: row.get(5)?,
                    monetary_cents: row.get(6)?,
                })
            };
            histories.push(StoredRow {
                reference: row.get(1)?,
                name: row.get(8)?,
                history,
            });
        }
        Ok(Some(histories))
    }

    /// One customer's days with orders up to `as_of`, from their orders. The
    /// sums cannot overflow: the summaries said every one is exact.
    fn days_up_to(&self, id: CustomerId, as_of: NaiveDate) -> Result<Vec<DayTotal>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT order_date, sum(amount_cents), max(amount_cents >= 0) FROM orders
             WHERE customer_id = ?1 AND order_date <= ?2
             GROUP BY order_date ORDER BY order_date",
        )?;
        let mut rows = statement.query(params![id, as_of.format("%Y-%m-%d").to_string()])?;
        let mut days = Vec::new();
        while let Some(row) = rows.next()? {
            let text: String = row.get(0)?;
            let date = parse_date(text.as_bytes())
                .ok_or_else(|| StoreError::Invalid(format!("orders: {text:?} is not a date")))?;
            days.push(DayTotal {
                date,
                amount_cents: row.get(1)?,
                is_purchase: row.get(2)?,
            });
        }
        Ok(days)
    }

    /// The summary of one customer as stored, for tests that hold the
    /// triggers to a full rescan.
    #[cfg(test)]
    pub(crate) fn stored_summary_row(
        &self,
        id: CustomerId,
    ) -> Result<Option<StoredHistory>, StoreError> {
        let date = |text: Option<String>| text.and_then(|t| parse_date(t.as_bytes()));
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT first_purchase, second_purchase, last_purchase, purchase_days,
                        monetary_cents
                 FROM order_summaries WHERE customer_id = ?1",
                [id],
                |r| {
                    Ok(StoredHistory {
                        id,
                        first_purchase: date(r.get(0)?),
                        second_purchase: date(r.get(1)?),
                        last_purchase: date(r.get(2)?),
                        purchase_days: r.get(3)?,
                        monetary_cents: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }
}
