//! Fast bulk writes: many rows in one immediate transaction through prepared
//! statements that are reused for every row. Used by `kanta demo`, which writes
//! about a million orders at the reference scale.
//!
//! Nothing is written unless the whole closure succeeds: an error rolls back.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rusqlite::{Statement, TransactionBehavior, params};

use crate::domain::{CustomerId, Direction, FollowUpStatus, InteractionKind, Source};

use super::{Store, StoreError};

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
    order: Statement<'c>,
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = {
            let mut writer = BulkWriter::prepare(&tx).map_err(StoreError::from)?;
            write(&mut writer)?
        };
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
            order: conn.prepare(
                "INSERT INTO orders (customer_id, order_date, amount_cents, quantity,
                     external_id, discount, note, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            interaction: conn.prepare(
                "INSERT INTO interactions (customer_id, at, kind, direction, text)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            followup: conn.prepare(
                "INSERT INTO followups (customer_id, due, status, reason, created_at, done_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
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

    pub fn insert_order(&mut self, row: &OrderRow<'_>) -> Result<(), StoreError> {
        let date = Day::new(row.order_date);
        let created = Instant::new(row.created_at);
        self.order.execute(params![
            row.customer_id,
            date.as_str(),
            row.amount_cents,
            row.quantity,
            row.external_id,
            row.discount,
            row.note,
            created.as_str(),
        ])?;
        Ok(())
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
        self.followup.execute(params![
            row.customer_id,
            due.as_str(),
            row.status.code(),
            row.reason,
            created.as_str(),
            done.as_ref().map(Instant::as_str),
        ])?;
        Ok(())
    }
}

/// `YYYY-MM-DD` on the stack: a million orders should not mean a million
/// small heap strings.
struct Day([u8; 10]);

impl Day {
    fn new(date: NaiveDate) -> Day {
        let mut buf = *b"0000-00-00";
        put_digits(&mut buf[0..4], date.year().clamp(0, 9999) as u32);
        put_digits(&mut buf[5..7], date.month());
        put_digits(&mut buf[8..10], date.day());
        Day(buf)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, the shape of the schema's own `created_at`
/// default, so stored instants sort as text.
struct Instant([u8; 24]);

impl Instant {
    fn new(at: NaiveDateTime) -> Instant {
        let mut buf = *b"0000-00-00T00:00:00.000Z";
        buf[0..10].copy_from_slice(&Day::new(at.date()).0);
        put_digits(&mut buf[11..13], at.hour());
        put_digits(&mut buf[14..16], at.minute());
        put_digits(&mut buf[17..19], at.second());
        put_digits(&mut buf[20..23], (at.nanosecond() / 1_000_000).min(999));
        Instant(buf)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Writes `value` as decimal digits filling `out`, zero-padded on the left.
fn put_digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
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
    fn dates_and_instants_are_written_like_the_schema_defaults() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(Day::new(day).as_str(), "2026-03-07");
        assert_eq!(
            Instant::new(at(2025, 12, 31, 9, 5, 59, 42)).as_str(),
            "2025-12-31T09:05:59.042Z"
        );
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
}
