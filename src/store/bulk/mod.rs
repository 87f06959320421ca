//! Fast bulk writes: many rows in one immediate transaction through prepared
//! statements that are reused for every row. Used by `kanta demo`, which writes
//! about a million orders at the reference scale.
//!
//! Nothing is written unless the whole closure succeeds: an error rolls back.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Statement, params};

use crate::domain::{CustomerId, Direction, FollowUpStatus, InteractionKind, Source};

use super::summaries::{Suspended, Touched};
use super::{Store, StoreError};

mod orders;
mod text;

use orders::OrderBatch;
use text::{Day, Instant};

/// Page cache during a bulk write, in KiB when negative (SQLite's convention).
const BULK_CACHE_KIB: i64 = -256 * 1024;

/// A customer row with its emails, phones and tags. `id` is chosen by the
/// writer so that orders can name it without reading back the row id.
#[derive(Debug, Clone, Copy)]
pub struct CustomerRow<'a> {
    pub id: CustomerId,
    pub reference: &'a str,
    pub name: &'a str,
    pub company: Option<&'a str>,
    pub address: Option<&'a str>,
    pub city: Option<&'a str>,
    pub source: Option<Source>,
    pub referred_by: Option<CustomerId>,
    pub prospect: bool,
    pub advocate: bool,
    pub marketing_consent: bool,
    pub notes: &'a str,
    pub contact_every_days: Option<u32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub emails: &'a [String],
    /// (as written, normalized) pairs.
    pub phones: &'a [(String, String)],
    pub tags: &'a [&'a str],
}

#[derive(Debug, Clone, Copy)]
pub struct OrderRow<'a> {
    pub customer_id: CustomerId,
    pub order_date: NaiveDate,
    pub amount_cents: i64,
    pub quantity: Option<i64>,
    pub external_id: Option<&'a str>,
    pub discount: bool,
    pub note: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Copy)]
pub struct InteractionRow<'a> {
    pub customer_id: CustomerId,
    /// A UTC instant.
    pub at: NaiveDateTime,
    pub kind: InteractionKind,
    pub direction: Option<Direction>,
    pub text: &'a str,
}

/// A follow-up written by hand (no rule).
#[derive(Debug, Clone, Copy)]
pub struct FollowUpRow<'a> {
    pub customer_id: CustomerId,
    pub due: NaiveDate,
    pub status: FollowUpStatus,
    /// The rule that wrote it, its anchor and its figures as JSON (SPEC
    /// section 6); `None` for one written by hand.
    pub rule: Option<(&'a str, NaiveDate, &'a str)>,
    pub reason: &'a str,
    pub created_at: NaiveDateTime,
    pub done_at: Option<NaiveDateTime>,
}

/// Writes rows inside the transaction opened by [`Store::bulk_write`].
pub struct BulkWriter<'c> {
    customer: Statement<'c>,
    email: Statement<'c>,
    phone: Statement<'c>,
    tag: Statement<'c>,
    orders: OrderBatch<'c>,
    interaction: Statement<'c>,
    followup: Statement<'c>,
    count_customers: Statement<'c>,
}

impl Store {
    /// Runs `write` inside one immediate transaction and commits when it returns
    /// `Ok`; on `Err` nothing of what it wrote stays.
    pub fn bulk_write<T, E>(
        &mut self,
        write: impl FnOnce(&mut BulkWriter<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        // A big transaction that outgrows the page cache spills pages to the
        // WAL again and again; a larger cache (allocated only as used) keeps
        // them in memory until the commit. Durability settings are untouched.
        let cache_pages: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .map_err(StoreError::from)?;
        self.conn
            .pragma_update(None, "cache_size", BULK_CACHE_KIB)
            .map_err(StoreError::from)?;
        let result = self.bulk_write_inner(write);
        let restored = self.conn.pragma_update(None, "cache_size", cache_pages);
        let value = result?;
        restored.map_err(StoreError::from)?;
        Ok(value)
    }

    fn bulk_write_inner<T, E>(
        &mut self,
        write: impl FnOnce(&mut BulkWriter<'_>) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let tx = self.write()?;
        let suspended = Suspended::start(&tx).map_err(StoreError::from)?;
        let value = {
            let mut writer = BulkWriter::prepare(&tx).map_err(StoreError::from)?;
            let value = write(&mut writer)?;
            writer.orders.flush()?;
            value
        };
        suspended
            .resume(&tx, Touched::All)
            .map_err(StoreError::from)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }
}

impl<'c> BulkWriter<'c> {
    fn prepare(conn: &'c rusqlite::Connection) -> rusqlite::Result<BulkWriter<'c>> {
        Ok(BulkWriter {
            customer: conn.prepare(
                "INSERT INTO customers (id, ref, name, company, address, city, source,
                     referred_by, prospect, advocate, marketing_consent, notes,
                     contact_every_days, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?,
            email: conn.prepare(
                "INSERT INTO customer_emails (customer_id, position, email) VALUES (?1, ?2, ?3)",
            )?,
            phone: conn.prepare(
                "INSERT INTO customer_phones (customer_id, position, phone, phone_normalized)
                 VALUES (?1, ?2, ?3, ?4)",
            )?,
            tag: conn.prepare("INSERT INTO customer_tags (customer_id, tag) VALUES (?1, ?2)")?,
            orders: OrderBatch::prepare(conn)?,
            interaction: conn.prepare(
                "INSERT INTO interactions (customer_id, at, kind, direction, text)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            followup: conn.prepare(
                "INSERT INTO followups (customer_id, due, status, reason, created_at, done_at,
                                        rule, anchor, figures)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?,
            count_customers: conn.prepare("SELECT count(*) FROM customers")?,
        })
    }

    /// Number of customers in the store, as this transaction sees it.
    pub fn customer_count(&mut self) -> Result<u64, StoreError> {
        let count: i64 = self.count_customers.query_row([], |r| r.get(0))?;
        Ok(count.max(0) as u64)
    }

    pub fn insert_customer(&mut self, row: &CustomerRow<'_>) -> Result<(), StoreError> {
        let created = Instant::new(row.created_at);
        let updated = Instant::new(row.updated_at);
        self.customer.execute(params![
            row.id,
            row.reference,
            row.name,
            row.company,
            row.address,
            row.city,
            row.source.map(Source::code),
            row.referred_by,
            row.prospect,
            row.advocate,
            row.marketing_consent,
            row.notes,
            row.contact_every_days,
            created.as_str(),
            updated.as_str(),
        ])?;
        for (position, email) in row.emails.iter().enumerate() {
            self.email
                .execute(params![row.id, position as i64, email])?;
        }
        for (position, (written, normalized)) in row.phones.iter().enumerate() {
            self.phone
                .execute(params![row.id, position as i64, written, normalized])?;
        }
        for tag in row.tags {
            self.tag.execute(params![row.id, tag])?;
        }
        Ok(())
    }

    /// Orders are written in batches; the last ones when the closure returns.
    pub fn insert_order(&mut self, row: &OrderRow<'_>) -> Result<(), StoreError> {
        self.orders.push(row)
    }

    pub fn insert_interaction(&mut self, row: &InteractionRow<'_>) -> Result<(), StoreError> {
        let at = Instant::new(row.at);
        self.interaction.execute(params![
            row.customer_id,
            at.as_str(),
            row.kind.code(),
            row.direction.map(Direction::code),
            row.text,
        ])?;
        Ok(())
    }

    pub fn insert_followup(&mut self, row: &FollowUpRow<'_>) -> Result<(), StoreError> {
        let due = Day::new(row.due);
        let created = Instant::new(row.created_at);
        let done = row.done_at.map(Instant::new);
        let anchor = row.rule.map(|(_, anchor, _)| Day::new(anchor));
        self.followup.execute(params![
            row.customer_id,
            due.as_str(),
            row.status.code(),
            row.reason,
            created.as_str(),
            done.as_ref().map(Instant::as_str),
            row.rule.map(|(rule, _, _)| rule),
            anchor.as_ref().map(Day::as_str),
            row.rule.map(|(_, _, figures)| figures),
        ])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32, ms: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_milli_opt(h, min, s, ms)
            .unwrap()
    }

    #[test]
    fn an_error_in_the_closure_writes_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        let created = at(2026, 1, 2, 10, 0, 0, 0);
        let row = CustomerRow {
            id: 1,
            reference: "K000001",
            name: "Aino Mäkinen",
            company: None,
            address: None,
            city: Some("Oulu"),
            source: Some(Source::WalkIn),
            referred_by: None,
            prospect: false,
            advocate: false,
            marketing_consent: true,
            notes: "",
            contact_every_days: None,
            created_at: created,
            updated_at: created,
            emails: &["aino.makinen@example.fi".to_string()],
            phones: &[("040-1234567".to_string(), "+358401234567".to_string())],
            tags: &["vip"],
        };
        let result: Result<(), StoreError> = store.bulk_write(|w| {
            w.insert_customer(&row)?;
            assert_eq!(w.customer_count()?, 1);
            Err(StoreError::Invalid("stop".into()))
        });
        assert!(result.is_err());
        let count: i64 = store
            .connection()
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 0);

        store
            .bulk_write(|w| {
                w.insert_customer(&row)?;
                w.insert_order(&OrderRow {
                    customer_id: 1,
                    order_date: created.date(),
                    amount_cents: -1250,
                    quantity: Some(1),
                    external_id: None,
                    discount: true,
                    note: Some("Refund"),
                    created_at: created,
                })
            })
            .unwrap();
        let (date, amount, created_at): (String, i64, String) = store
            .connection()
            .query_row(
                "SELECT order_date, amount_cents, created_at FROM orders",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            (date.as_str(), amount, created_at.as_str()),
            ("2026-01-02", -1250, "2026-01-02T10:00:00.000Z")
        );
    }

    #[test]
    fn orders_in_and_across_batches_keep_their_order_and_fields() {
        let mut store = Store::open_in_memory().unwrap();
        let created = at(2026, 1, 2, 10, 0, 0, 0);
        let customer = CustomerRow {
            id: 7,
            reference: "K000007",
            name: "Ella Laine",
            company: None,
            address: None,
            city: None,
            source: None,
            referred_by: None,
            prospect: false,
            advocate: false,
            marketing_consent: false,
            notes: "",
            contact_every_days: None,
            created_at: created,
            updated_at: created,
            emails: &[],
            phones: &[],
            tags: &[],
        };
        store
            .bulk_write(|w| -> Result<(), StoreError> {
                w.insert_customer(&customer)?;
                for i in 0..70_i64 {
                    let external = format!("W{i}");
                    w.insert_order(&OrderRow {
                        customer_id: 7,
                        order_date: created.date(),
                        amount_cents: i * 100,
                        quantity: (i % 2 == 0).then_some(i),
                        external_id: (i % 3 == 0).then_some(external.as_str()),
                        discount: i % 5 == 0,
                        note: (i % 7 == 0).then_some("Gift wrapped"),
                        created_at: created,
                    })?;
                }
                Ok(())
            })
            .unwrap();
        let mut stmt = store
            .connection()
            .prepare("SELECT id, amount_cents, quantity, external_id, discount, note FROM orders ORDER BY id")
            .unwrap();
        type Row = (i64, i64, Option<i64>, Option<String>, bool, Option<String>);
        let rows: Vec<Row> = stmt
            .query_map([], |r| {
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
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows.len(), 70);
        for (i, (id, amount, quantity, external, discount, note)) in rows.into_iter().enumerate() {
            let i = i as i64;
            assert_eq!(id, i + 1);
            assert_eq!(amount, i * 100);
            assert_eq!(quantity, (i % 2 == 0).then_some(i));
            assert_eq!(external, (i % 3 == 0).then(|| format!("W{i}")));
            assert_eq!(discount, i % 5 == 0);
            assert_eq!(note.is_some(), i % 7 == 0);
        }
    }
}
