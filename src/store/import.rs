//! Applying an imported file to the store: one transaction, all or nothing, and
//! idempotent (importing the same file twice adds nothing the second time).
//!
//! The rows come already parsed (by `formats`); this module only decides what is
//! new and writes it. Each added row carries the batch it came from, so that
//! `kanta import undo` can take it back out.

mod contacts;
mod matching;
mod plan;
mod writer;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Transaction, params};
use thiserror::Error;

use super::{Store, StoreError};
use crate::domain::phone::{self, StoredPhone};

pub use contacts::ContactImport;
use writer::{OrderWriter, PendingOrder};

/// One order to import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderImport {
    /// 1-based line in the file, for messages.
    pub line: usize,
    /// Becomes the customer's `ref`.
    pub customer_key: String,
    pub date: NaiveDate,
    pub amount_cents: i64,
    pub quantity: Option<i64>,
    pub order_id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub discount: bool,
}

impl From<crate::formats::OrderRow> for OrderImport {
    fn from(row: crate::formats::OrderRow) -> OrderImport {
        OrderImport {
            line: row.line,
            customer_key: row.customer_key,
            date: row.date,
            amount_cents: row.amount_cents,
            quantity: row.quantity,
            order_id: row.order_id,
            name: row.name,
            email: row.email,
            phone: row.phone,
            discount: row.discount,
        }
    }
}

/// The file an import comes from, as recorded in its batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSource {
    /// `orders`, `shopify`, `woocommerce`, `stripe`, `contacts` or `vcard`.
    pub kind: String,
    pub file_name: String,
    pub sha256: String,
    /// Country of phone numbers written without a country code (ISO 3166).
    pub default_country: String,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    /// `None` when nothing was written (a dry run, or nothing new).
    pub batch_id: Option<i64>,
    pub customers_added: u64,
    pub customers_updated: u64,
    pub orders_added: u64,
    /// Rows already in the store from an earlier import.
    pub orders_skipped: u64,
}

/// A row the store refuses (the file parsed, but the row does not fit the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub column: String,
    pub reason: String,
}

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{} rows cannot be imported", .0.len())]
    Rows(Vec<RowProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        ImportError::Store(StoreError::Sqlite(e))
    }
}

/// Reports progress every this many rows.
const PROGRESS_EVERY: usize = 8192;

impl Store {
    /// Imports orders; unknown customer keys become new customers. With `dry_run`
    /// everything is done and then rolled back. `progress(done)` is called now and then.
    pub fn import_orders(
        &mut self,
        source: &ImportSource,
        rows: &[OrderImport],
        dry_run: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportSummary, ImportError> {
        let (phones, mut problems) = read_phones(
            rows.iter()
                .filter_map(|r| Some((r.line, r.phone.as_deref()?))),
            &source.default_country,
        );
        if let Err(ImportError::Rows(dates)) = check_dates(rows.iter().map(|r| (r.line, r.date))) {
            problems.extend(dates);
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(ImportError::Rows(problems));
        }
        let bulk = BulkMode::enter(&self.conn, rows.len())?;
        let result = self.write_orders(source, rows, &phones, dry_run, progress);
        bulk.leave(&self.conn);
        result
    }

    fn write_orders(
        &mut self,
        source: &ImportSource,
        rows: &[OrderImport],
        phones: &Phones,
        dry_run: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportSummary, ImportError> {
        if u32::try_from(rows.len()).is_err() {
            return Err(ImportError::Store(StoreError::Invalid(
                "an import holds at most 4,294,967,295 rows; split the file".into(),
            )));
        }
        let (keys, planned) = plan::plan(rows);
        // One creation instant for the whole import, rather than one per row.
        let created_at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let tx = self.write()?;
        let batch_id = insert_batch(&tx, source)?;
        let mut summary = ImportSummary::default();
        let rebuild = drop_order_indexes_for(&tx, rows.len())?;
        {
            let mut ids = customer_ids_by_ref(&tx)?;
            let emails = customer_ids_by_email(&tx)?;
            let mut writer = OrderWriter::new(batch_id, created_at);
            // The current customer and identical-row run, in writing order.
            let mut current: Option<(u32, i64)> = None;
            let mut run: Option<(u32, NaiveDate, i64)> = None;
            let mut occurrence = 0u32;
            for (done, step) in planned.iter().enumerate() {
                if done % PROGRESS_EVERY == 0 {
                    progress(done as u64);
                }
                let row = &rows[step.index as usize];
                let key = keys.get(step.slot as usize).copied().unwrap_or_default();
                let customer_id = match current {
                    Some((slot, id)) if slot == step.slot => id,
                    _ => {
                        let id = match ids.get(key) {
                            Some(&id) => id,
                            None => {
                                let id = match known_email(&emails, row) {
                                    Some(id) => id,
                                    None => {
                                        summary.customers_added += 1;
                                        insert_order_customer(
                                            &tx,
                                            row,
                                            batch_id,
                                            phones,
                                            writer.created_at(),
                                        )?
                                    }
                                };
                                ids.insert(key.to_string(), id);
                                id
                            }
                        };
                        current = Some((step.slot, id));
                        id
                    }
                };
                // An order id is its own key: the unique index on external_id
                // dedupes it, so a second unique index is not kept up to date for it.
                let import_key = match &row.order_id {
                    Some(_) => None,
                    None => {
                        let triple = (step.slot, step.date, step.amount_cents);
                        if run == Some(triple) {
                            occurrence += 1;
                        } else {
                            run = Some(triple);
                            occurrence = 1;
                        }
                        Some(format!(
                            "r\u{1f}{key}\u{1f}{}\u{1f}{}\u{1f}{occurrence}",
                            step.date, step.amount_cents
                        ))
                    }
                };
                writer.push(
                    &tx,
                    PendingOrder {
                        customer_id,
                        date: iso_date(step.date),
                        amount_cents: step.amount_cents,
                        quantity: row.quantity,
                        order_id: row.order_id.as_deref(),
                        discount: row.discount,
                        import_key,
                    },
                )?;
            }
            writer.flush(&tx)?;
            if rebuild {
                for (_, sql) in crate::store::schema::ORDER_INDEXES {
                    tx.execute_batch(sql)?;
                }
            }
            summary.orders_added = writer.added;
            summary.orders_skipped = writer.skipped;
            progress(rows.len() as u64);
        }
        finish(tx, batch_id, summary, dry_run)
    }
}

/// A key that is no ref may still be a known customer's email (an orders file
/// keyed by email after a contacts import with refs), or the row's email column may.
fn known_email(emails: &HashMap<String, i64>, row: &OrderImport) -> Option<i64> {
    [Some(&row.customer_key), row.email.as_ref()]
        .into_iter()
        .flatten()
        .find_map(|e| emails.get(&e.to_lowercase()).copied())
}

/// Settings for the length of a large import, restored after it.
struct BulkMode {
    cache_size: Option<i64>,
    foreign_keys: bool,
    temp_store: i64,
}

impl BulkMode {
    /// A bigger page cache, since the indexes are hit all over; and no foreign
    /// key lookups, since every id the import writes was just read or made in
    /// the same transaction.
    fn enter(conn: &rusqlite::Connection, rows: usize) -> Result<BulkMode, StoreError> {
        if rows < BIG_IMPORT_ROWS {
            return Ok(BulkMode {
                cache_size: None,
                foreign_keys: false,
                temp_store: 0,
            });
        }
        let cache_size: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        let foreign_keys: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
        let temp_store: i64 = conn.pragma_query_value(None, "temp_store", |r| r.get(0))?;
        conn.pragma_update(None, "cache_size", BIG_CACHE_KIB)?;
        conn.pragma_update(None, "foreign_keys", false)?;
        // The statement journal of each multi-row insert stays in memory.
        conn.pragma_update(None, "temp_store", "memory")?;
        Ok(BulkMode {
            cache_size: Some(cache_size),
            foreign_keys,
            temp_store,
        })
    }

    fn leave(self, conn: &rusqlite::Connection) {
        // Only memory and later checks are at stake; the import's outcome stands.
        if let Some(cache_size) = self.cache_size {
            let _ = conn.pragma_update(None, "cache_size", cache_size);
            let _ = conn.pragma_update(None, "temp_store", self.temp_store);
        }
        if self.foreign_keys {
            let _ = conn.pragma_update(None, "foreign_keys", true);
        }
    }
}

/// Rows from which an import enlarges the page cache (the default does fine below).
const BIG_IMPORT_ROWS: usize = 50_000;
/// 256 MiB, as a negative `cache_size` (KiB).
const BIG_CACHE_KIB: i64 = -262_144;

/// Each distinct phone of a file, read once, as the store keeps it.
pub(crate) type Phones = HashMap<String, StoredPhone>;

/// Reads the phones of a file's rows (line, as written) by the rule a form
/// uses: a number no numbering plan has is a bad row, said in the form's
/// sentence. Each distinct written number is read once.
pub(crate) fn read_phones<'a>(
    phones: impl Iterator<Item = (usize, &'a str)>,
    default_country: &str,
) -> (Phones, Vec<RowProblem>) {
    let mut read: Phones = HashMap::new();
    let mut refused: HashMap<&str, String> = HashMap::new();
    let mut problems = Vec::new();
    for (line, written) in phones {
        let written_key = written.trim();
        if written_key.is_empty() || read.contains_key(written_key) {
            continue;
        }
        let reason = match refused.get(written_key) {
            Some(reason) => reason.clone(),
            None => match phone::parse(written_key, default_country) {
                Ok(number) => {
                    read.insert(
                        written_key.to_string(),
                        StoredPhone::of(written_key, number),
                    );
                    continue;
                }
                Err(e) => refused.entry(written_key).or_insert(e.to_string()).clone(),
            },
        };
        problems.push(RowProblem {
            line,
            column: "phone".into(),
            reason,
        });
    }
    (read, problems)
}

/// Dates SQLite's `YYYY-MM-DD` column check would refuse (years beyond four digits).
pub(crate) fn check_dates(
    dates: impl Iterator<Item = (usize, NaiveDate)>,
) -> Result<(), ImportError> {
    let problems: Vec<RowProblem> = dates
        .filter(|(_, date)| !(1..=9999).contains(&date.year()))
        .map(|(line, date)| RowProblem {
            line,
            column: "date".into(),
            reason: format!("the year of {date} is out of range"),
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ImportError::Rows(problems))
    }
}

pub(crate) fn insert_batch(tx: &Transaction<'_>, source: &ImportSource) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO import_batches (kind, file_name, file_sha256, imported_at) \
         VALUES (?1, ?2, ?3, ?4)",
        params![
            source.kind,
            source.file_name,
            source.sha256,
            Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Records the counts and commits, or rolls back a dry run or an import that
/// changed nothing (so a second import of a file leaves no trace).
pub(crate) fn finish(
    tx: Transaction<'_>,
    batch_id: i64,
    mut summary: ImportSummary,
    dry_run: bool,
) -> Result<ImportSummary, ImportError> {
    let changed = summary.customers_added + summary.customers_updated + summary.orders_added > 0;
    if dry_run || !changed {
        tx.rollback()?;
        return Ok(summary);
    }
    tx.execute(
        "UPDATE import_batches SET customers_added = ?1, customers_updated = ?2, \
         orders_added = ?3 WHERE id = ?4",
        params![
            summary.customers_added as i64,
            summary.customers_updated as i64,
            summary.orders_added as i64,
            batch_id
        ],
    )?;
    tx.commit()?;
    summary.batch_id = Some(batch_id);
    Ok(summary)
}

pub(crate) fn customer_ids_by_ref(
    conn: &rusqlite::Connection,
) -> Result<HashMap<String, i64>, StoreError> {
    let mut statement = conn.prepare("SELECT ref, id FROM customers")?;
    let rows = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Customers by each of their emails, lowercased as the rows' emails are: by
/// Rust, since SQLite's `lower` leaves `Ä` as it is and `ÄÖ@x.fi` would then
/// never be found again.
pub(crate) fn customer_ids_by_email(
    conn: &rusqlite::Connection,
) -> Result<HashMap<String, i64>, StoreError> {
    let mut statement = conn.prepare("SELECT email, customer_id FROM customer_emails")?;
    let mut by_email = HashMap::new();
    for row in statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (email, id) = row?;
        by_email.entry(email.to_lowercase()).or_insert(id);
    }
    Ok(by_email)
}

/// Drops the orders' non-unique indexes when the import is large and the store
/// holds fewer orders than it brings: building them again afterwards, in one
/// sorted pass, beats keeping them up to date row by row. The unique indexes
/// stay, since they are what skips already-imported rows. All of it happens in
/// the import's transaction, so a failed import leaves the indexes as they were.
fn drop_order_indexes_for(tx: &Transaction<'_>, rows: usize) -> Result<bool, StoreError> {
    if rows < BIG_IMPORT_ROWS {
        return Ok(false);
    }
    let stored: i64 = tx.query_row("SELECT count(*) FROM orders", [], |r| r.get(0))?;
    if usize::try_from(stored).unwrap_or(usize::MAX) >= rows {
        return Ok(false);
    }
    for (name, _) in crate::store::schema::ORDER_INDEXES {
        tx.execute_batch(&format!("DROP INDEX IF EXISTS {name};"))?;
    }
    Ok(true)
}

/// `YYYY-MM-DD` without the formatting machinery, which costs more than the
/// rest of an order's preparation at a million rows. Years outside 0..=9999 were
/// refused by `check_dates` before any row is written.
fn iso_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let (year, month, day) = (date.year().clamp(0, 9999) as u32, date.month(), date.day());
    let digits = [
        year / 1000,
        year / 100 % 10,
        year / 10 % 10,
        year % 10,
        10,
        month / 10,
        month % 10,
        10,
        day / 10,
        day % 10,
    ];
    digits
        .iter()
        .map(|&d| {
            if d == 10 {
                '-'
            } else {
                char::from(b'0' + d as u8)
            }
        })
        .collect()
}

/// A customer first seen in an orders file: its key is its ref. Written with
/// plain inserts (a new customer has no emails or phones yet, so no list
/// position to look up) and the import's own timestamp: at 100,000 new
/// customers, SQL `strftime` defaults and `INSERT ... SELECT` guards cost more
/// than the rows.
fn insert_order_customer(
    tx: &Transaction<'_>,
    row: &OrderImport,
    batch_id: i64,
    phones: &Phones,
    created_at: &str,
) -> Result<i64, StoreError> {
    let name = row.name.as_deref().unwrap_or(&row.customer_key);
    tx.prepare_cached(
        "INSERT INTO customers (ref, name, batch_id, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?4)",
    )?
    .execute(params![row.customer_key, name, batch_id, created_at])?;
    let id = tx.last_insert_rowid();
    if let Some(email) = &row.email {
        tx.prepare_cached(
            "INSERT INTO customer_emails (customer_id, position, email) VALUES (?1, 0, ?2)",
        )?
        .execute(params![id, email])?;
    }
    if let Some(phone) = row.phone.as_deref().and_then(|p| phones.get(p.trim())) {
        tx.prepare_cached(
            "INSERT INTO customer_phones (customer_id, position, phone, phone_normalized, \
             phone_extension) VALUES (?1, 0, ?2, ?3, ?4)",
        )?
        .execute(params![
            id,
            phone.written,
            phone.normalized,
            phone.extension
        ])?;
    }
    Ok(id)
}

/// Adds an email at the end of a customer's list, unless it is there already
/// in any case (compared by Rust: SQLite's `NOCASE` knows only ASCII).
pub(crate) fn add_email(
    tx: &Transaction<'_>,
    customer: i64,
    email: &str,
) -> Result<bool, StoreError> {
    let held: Vec<String> = tx
        .prepare_cached("SELECT email FROM customer_emails WHERE customer_id = ?1")?
        .query_map([customer], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let wanted = email.to_lowercase();
    if held.iter().any(|e| e.to_lowercase() == wanted) {
        return Ok(false);
    }
    tx.prepare_cached(
        "INSERT INTO customer_emails (customer_id, position, email) \
         SELECT ?1, (SELECT coalesce(max(position) + 1, 0) FROM customer_emails \
         WHERE customer_id = ?1), ?2",
    )?
    .execute(params![customer, email])?;
    Ok(true)
}

/// Adds a phone at the end of a customer's list, unless the same number (and
/// extension) is there.
pub(crate) fn add_phone(
    tx: &Transaction<'_>,
    customer: i64,
    phone: &StoredPhone,
) -> Result<bool, StoreError> {
    let added = tx
        .prepare_cached(
            "INSERT INTO customer_phones (customer_id, position, phone, phone_normalized, \
             phone_extension) \
             SELECT ?1, (SELECT coalesce(max(position) + 1, 0) FROM customer_phones \
             WHERE customer_id = ?1), ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM customer_phones \
             WHERE customer_id = ?1 AND phone_normalized = ?3 AND phone_extension IS ?4)",
        )?
        .execute(params![
            customer,
            phone.written,
            phone.normalized,
            phone.extension
        ])?;
    Ok(added > 0)
}

#[cfg(test)]
mod exports_tests;
#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod tests;
