//! Applying an imported file to the store: one transaction, all or nothing, and
//! idempotent (importing the same file twice adds nothing the second time).
//!
//! The rows come already parsed (by `formats`); this module only decides what is
//! new and writes it. Each added row carries the batch it came from, so that
//! `kanta import undo` can take it back out.

mod contacts;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Transaction, TransactionBehavior, params};
use thiserror::Error;

use super::{Store, StoreError};

pub use contacts::ContactImport;

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

/// The file an import comes from, as recorded in its batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSource {
    /// `orders`, `shopify`, `contacts` or `vcard`.
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
        check_dates(rows.iter().map(|r| (r.line, r.date)))?;
        let previous_cache = enlarge_cache(&self.conn, rows.len())?;
        let result = self.write_orders(source, rows, dry_run, progress);
        if let Some(previous) = previous_cache {
            // Only memory is at stake if this fails; the import's outcome stands.
            let _ = self.conn.pragma_update(None, "cache_size", previous);
        }
        result
    }

    fn write_orders(
        &mut self,
        source: &ImportSource,
        rows: &[OrderImport],
        dry_run: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportSummary, ImportError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let batch_id = insert_batch(&tx, source)?;
        let mut summary = ImportSummary::default();
        {
            let mut ids = customer_ids_by_ref(&tx)?;
            let emails = customer_ids_by_email(&tx)?;
            let mut occurrences: HashMap<(&str, NaiveDate, i64), u32> = HashMap::new();
            let country = source.default_country.as_str();
            let mut insert_order = tx.prepare_cached(
                "INSERT INTO orders (customer_id, order_date, amount_cents, quantity, \
                 external_id, discount, import_key, batch_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
            )?;
            for (i, row) in rows.iter().enumerate() {
                if i % PROGRESS_EVERY == 0 {
                    progress(i as u64);
                }
                // A key that is no ref may still be a known customer's email (an
                // orders file keyed by email after a contacts import with refs).
                let known = ids.get(row.customer_key.as_str()).copied();
                let alias = || {
                    [Some(&row.customer_key), row.email.as_ref()]
                        .into_iter()
                        .flatten()
                        .find_map(|e| emails.get(&e.to_lowercase()).copied())
                };
                let customer_id = if let Some(id) = known {
                    id
                } else if let Some(id) = alias() {
                    ids.insert(row.customer_key.clone(), id);
                    id
                } else {
                    let id = insert_order_customer(&tx, row, batch_id, country)?;
                    ids.insert(row.customer_key.clone(), id);
                    summary.customers_added += 1;
                    id
                };
                let import_key = match &row.order_id {
                    Some(order_id) => format!("o\u{1f}{order_id}"),
                    None => {
                        let n = occurrences
                            .entry((row.customer_key.as_str(), row.date, row.amount_cents))
                            .or_insert(0);
                        *n += 1;
                        format!(
                            "r\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{n}",
                            row.customer_key, row.date, row.amount_cents
                        )
                    }
                };
                let added = insert_order.execute(params![
                    customer_id,
                    row.date.format("%Y-%m-%d").to_string(),
                    row.amount_cents,
                    row.quantity,
                    row.order_id,
                    row.discount,
                    import_key,
                    batch_id,
                ])?;
                if added == 1 {
                    summary.orders_added += 1;
                } else {
                    summary.orders_skipped += 1;
                }
            }
            progress(rows.len() as u64);
        }
        finish(tx, batch_id, summary, dry_run)
    }
}

/// Rows from which an import enlarges the page cache (the default does fine below).
const BIG_IMPORT_ROWS: usize = 50_000;
/// 256 MiB, as a negative `cache_size` (KiB).
const BIG_CACHE_KIB: i64 = -262_144;

/// Enlarges the page cache for an import that touches the indexes at random;
/// returns the size to restore afterwards.
fn enlarge_cache(conn: &rusqlite::Connection, rows: usize) -> Result<Option<i64>, StoreError> {
    if rows < BIG_IMPORT_ROWS {
        return Ok(None);
    }
    let previous: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", BIG_CACHE_KIB)?;
    Ok(Some(previous))
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
    tx: &Transaction<'_>,
) -> Result<HashMap<String, i64>, StoreError> {
    let mut statement = tx.prepare("SELECT ref, id FROM customers")?;
    let rows = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Customers by each of their emails, lowercased.
fn customer_ids_by_email(tx: &Transaction<'_>) -> Result<HashMap<String, i64>, StoreError> {
    let mut statement = tx.prepare("SELECT lower(email), customer_id FROM customer_emails")?;
    let mut by_email = HashMap::new();
    for row in statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (email, id) = row?;
        by_email.entry(email).or_insert(id);
    }
    Ok(by_email)
}

/// A customer first seen in an orders file: its key is its ref.
fn insert_order_customer(
    tx: &Transaction<'_>,
    row: &OrderImport,
    batch_id: i64,
    country: &str,
) -> Result<i64, StoreError> {
    let name = row.name.as_deref().unwrap_or(&row.customer_key);
    tx.prepare_cached("INSERT INTO customers (ref, name, batch_id) VALUES (?1, ?2, ?3)")?
        .execute(params![row.customer_key, name, batch_id])?;
    let id = tx.last_insert_rowid();
    if let Some(email) = &row.email {
        add_email(tx, id, email)?;
    }
    if let Some(phone) = &row.phone {
        add_phone(tx, id, phone, &normalized_phone(phone, country))?;
    }
    Ok(id)
}

/// Adds an email at the end of a customer's list, unless it is there already.
pub(crate) fn add_email(
    tx: &Transaction<'_>,
    customer: i64,
    email: &str,
) -> Result<bool, StoreError> {
    let added = tx
        .prepare_cached(
            "INSERT INTO customer_emails (customer_id, position, email) \
             SELECT ?1, (SELECT coalesce(max(position) + 1, 0) FROM customer_emails \
             WHERE customer_id = ?1), ?2 WHERE NOT EXISTS (SELECT 1 FROM customer_emails \
             WHERE customer_id = ?1 AND email = ?2 COLLATE NOCASE)",
        )?
        .execute(params![customer, email])?;
    Ok(added > 0)
}

/// Adds a phone at the end of a customer's list, unless the same number is there.
pub(crate) fn add_phone(
    tx: &Transaction<'_>,
    customer: i64,
    phone: &str,
    normalized: &str,
) -> Result<bool, StoreError> {
    let added = tx
        .prepare_cached(
            "INSERT INTO customer_phones (customer_id, position, phone, phone_normalized) \
             SELECT ?1, (SELECT coalesce(max(position) + 1, 0) FROM customer_phones \
             WHERE customer_id = ?1), ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM customer_phones \
             WHERE customer_id = ?1 AND phone_normalized = ?3)",
        )?
        .execute(params![customer, phone, normalized])?;
    Ok(added > 0)
}

/// The form phone numbers are matched by: E.164 where it can be made, else the digits.
pub(crate) fn normalized_phone(phone: &str, default_country: &str) -> String {
    crate::formats::phone::normalize(phone, default_country)
        .unwrap_or_else(|| crate::formats::phone::digits(phone))
}

#[cfg(test)]
mod tests;
