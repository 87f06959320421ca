//! Applying an imported file to the store: one transaction, all or nothing, and
//! idempotent (importing the same file twice adds nothing the second time).
//!
//! The rows come already parsed (by `formats`); this module only decides what is
//! new and writes it. Each added row carries the batch it came from, so that
//! `kanta import undo` can take it back out.

mod contacts;
mod matching;
mod refs;
mod writer;

use super::summaries::{Suspended, Touched};
use std::collections::HashMap;

use chrono::{Datelike, SecondsFormat, Utc};
use rusqlite::{Transaction, params};
use thiserror::Error;

use super::{Store, StoreError};
use crate::domain::phone::{self, StoredPhone};

pub use contacts::ContactImport;
use writer::{OrderWriter, PendingOrder};

/// One order to import: an order as the file states it.
pub type OrderImport = crate::formats::OrderRow;

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

/// A file being imported, read as it is written: the import takes its rows
/// one at a time inside its one transaction, and holds none of them.
pub trait ImportFile<Row> {
    /// The next row of the file, bad ones included where a reader keeps them
    /// (their refs count as known); None once the file is read.
    fn next_row(&mut self) -> Option<Row>;

    /// Once every row is read: every bad row of the file, in file order.
    /// Any at all, and nothing the import wrote is kept.
    fn problems(&mut self) -> Vec<RowProblem>;

    /// Whether a bad row has been met so far: nothing more need be written.
    fn has_problems(&self) -> bool {
        false
    }

    /// How many rows the whole file holds, as far as can be told while it is
    /// read (from its size); None when it cannot be told.
    fn rows_hint(&self, _rows_read: u64) -> Option<u64> {
        None
    }
}

/// Rows held whole, as an [`ImportFile`] (tests, and callers that read the
/// file before): every row good, progress reported now and then.
pub struct HeldRows<'r, Row> {
    rows: std::slice::Iter<'r, Row>,
    total: usize,
    read: usize,
    progress: &'r mut dyn FnMut(u64),
}

impl<'r, Row> HeldRows<'r, Row> {
    pub fn new(rows: &'r [Row], progress: &'r mut dyn FnMut(u64)) -> HeldRows<'r, Row> {
        HeldRows {
            rows: rows.iter(),
            total: rows.len(),
            read: 0,
            progress,
        }
    }
}

impl<Row: Clone> ImportFile<Row> for HeldRows<'_, Row> {
    fn next_row(&mut self) -> Option<Row> {
        if self.read.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(self.read as u64);
        }
        let row = self.rows.next().cloned();
        if row.is_some() {
            self.read += 1;
        } else {
            (self.progress)(self.read as u64);
        }
        row
    }

    fn problems(&mut self) -> Vec<RowProblem> {
        Vec::new()
    }

    fn rows_hint(&self, _rows_read: u64) -> Option<u64> {
        Some(self.total as u64)
    }
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

impl From<crate::formats::RowError> for RowProblem {
    fn from(e: crate::formats::RowError) -> RowProblem {
        RowProblem {
            line: e.line,
            column: e.column,
            reason: e.reason,
        }
    }
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
    /// Imports orders held whole; see [`Store::import_orders_from`].
    pub fn import_orders(
        &mut self,
        source: &ImportSource,
        rows: &[OrderImport],
        dry_run: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportSummary, ImportError> {
        self.import_orders_from(source, &mut HeldRows::new(rows, progress), dry_run)
    }

    /// Imports the orders of a file as they are read, in its order, in one
    /// transaction; unknown customer keys become new customers. A file with a
    /// bad row writes nothing and every bad row is named. With `dry_run`
    /// everything is done and then rolled back.
    pub fn import_orders_from(
        &mut self,
        source: &ImportSource,
        file: &mut dyn ImportFile<OrderImport>,
        dry_run: bool,
    ) -> Result<ImportSummary, ImportError> {
        let bulk = BulkMode::enter(&self.conn)?;
        let result = self.write_orders(source, file, dry_run);
        bulk.leave(&self.conn);
        result
    }

    fn write_orders(
        &mut self,
        source: &ImportSource,
        file: &mut dyn ImportFile<OrderImport>,
        dry_run: bool,
    ) -> Result<ImportSummary, ImportError> {
        // One creation instant for the whole import, rather than one per row.
        let created_at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let tx = self.write()?;
        let batch_id = insert_batch(&tx, source)?;
        let suspended = Suspended::start(&tx)?;
        let mut summary = ImportSummary::default();
        let stored_orders: i64 = tx.query_row("SELECT count(*) FROM orders", [], |r| r.get(0))?;
        let mut problems = Vec::new();
        {
            // The first rows are read before any is written, to tell a large
            // import into a store holding fewer orders (its indexes are built
            // again afterwards) from the rest. A bounded number of rows.
            let mut ahead: Vec<OrderImport> = Vec::new();
            while (ahead.len() as u64) < BIG_IMPORT_ROWS {
                match file.next_row() {
                    Some(row) => ahead.push(row),
                    None => break,
                }
            }
            let rebuild = ahead.len() as u64 == BIG_IMPORT_ROWS
                && file
                    .rows_hint(BIG_IMPORT_ROWS)
                    .is_some_and(|rows| rows > u64::try_from(stored_orders).unwrap_or(0));
            if rebuild {
                drop_order_indexes(&tx)?;
            }
            let mut ids = customer_ids_by_ref(&tx)?;
            let mut emails: Option<HashMap<String, i64>> = None;
            let mut phones = PhoneReader::new(&source.default_country);
            let mut writer = OrderWriter::new(&tx, batch_id, created_at)?;
            // The customer of the row before, which the next row often shares.
            let mut current: Option<(String, i64)> = None;
            // Whether a row without an order id, keyed by its content, was written.
            let mut keyed = false;
            // Each row with whether the file has shown a bad row by then.
            let bad_ahead = file.has_problems();
            let rows = ahead
                .into_iter()
                .map(|row| (row, bad_ahead))
                .chain(std::iter::from_fn(|| {
                    let row = file.next_row()?;
                    Some((row, file.has_problems()))
                }));
            for (row, file_is_bad) in rows {
                if !(1..=9999).contains(&row.date.year()) {
                    problems.push(RowProblem {
                        line: row.line,
                        column: "date".into(),
                        reason: format!("the year of {} is out of range", row.date),
                    });
                }
                let phone = match row.phone.as_deref().map(|p| phones.read(row.line, p)) {
                    Some(Ok(phone)) => phone,
                    Some(Err(problem)) => {
                        problems.push(problem);
                        None
                    }
                    None => None,
                };
                // A file with a bad row writes nothing: its rows are only read on.
                if !problems.is_empty() || file_is_bad {
                    continue;
                }
                let customer_id = match &current {
                    Some((key, id)) if *key == row.customer_key => *id,
                    _ => {
                        let id = match ids.get(&row.customer_key) {
                            Some(id) => id,
                            None => {
                                let emails = match &mut emails {
                                    Some(emails) => emails,
                                    None => emails.insert(customer_ids_by_email(&tx)?),
                                };
                                let id = match known_email(emails, &row) {
                                    Some(id) => id,
                                    None => {
                                        summary.customers_added += 1;
                                        insert_order_customer(
                                            &tx,
                                            &row,
                                            batch_id,
                                            phone.as_ref(),
                                            writer.created_at(),
                                        )?
                                    }
                                };
                                ids.add(&row.customer_key, id);
                                id
                            }
                        };
                        current = Some((row.customer_key.clone(), id));
                        id
                    }
                };
                // Whether any row needs the import keys settled after the load.
                keyed |= row.order_id.is_none();
                // An order id is its own key: the unique index on external_id
                // dedupes it, so a second unique index is not kept up to date for it.
                let identity = match &row.order_id {
                    Some(_) => None,
                    None => Some(format!(
                        "r\u{1f}{}\u{1f}{}\u{1f}{}",
                        row.customer_key,
                        iso_date(row.date),
                        row.amount_cents
                    )),
                };
                writer.push(
                    &tx,
                    PendingOrder {
                        customer_id,
                        date: iso_date(row.date),
                        amount_cents: row.amount_cents,
                        quantity: row.quantity,
                        order_id: row.order_id,
                        discount: row.discount,
                        note: row.note,
                        identity,
                    },
                )?;
            }
            problems.extend(file.problems());
            if !problems.is_empty() {
                problems.sort_by_key(|p| p.line);
                return Err(ImportError::Rows(problems));
            }
            writer.flush(&tx)?;
            let mut settled = 0;
            if rebuild {
                for (_, sql) in crate::store::schema::ORDER_INDEXES {
                    tx.execute_batch(sql)?;
                }
                settled = settle_import_keys(&tx, batch_id, keyed)?;
            }
            summary.orders_added = writer.added - settled;
            summary.orders_skipped = writer.skipped + settled;
            suspended.resume(
                &tx,
                if rebuild {
                    Touched::All
                } else {
                    Touched::Batch(batch_id)
                },
            )?;
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
    threads: i64,
}

impl BulkMode {
    /// A bigger page cache, since the indexes are hit all over; and no foreign
    /// key lookups, since every id the import writes was just read or made in
    /// the same transaction. The cache is a ceiling, not an allocation: a
    /// small import uses what it needs. Set before the transaction, since
    /// SQLite ignores `foreign_keys` inside one.
    fn enter(conn: &rusqlite::Connection) -> Result<BulkMode, StoreError> {
        let cache_size: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        let foreign_keys: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
        let temp_store: i64 = conn.pragma_query_value(None, "temp_store", |r| r.get(0))?;
        let threads: i64 = conn.pragma_query_value(None, "threads", |r| r.get(0))?;
        conn.pragma_update(None, "cache_size", BIG_CACHE_KIB)?;
        // Building an index again sorts every order; a second thread helps it.
        conn.pragma_update(None, "threads", 2)?;
        conn.pragma_update(None, "foreign_keys", false)?;
        // The statement journal of each multi-row insert stays in memory.
        conn.pragma_update(None, "temp_store", "memory")?;
        Ok(BulkMode {
            cache_size: Some(cache_size),
            foreign_keys,
            temp_store,
            threads,
        })
    }

    fn leave(self, conn: &rusqlite::Connection) {
        // Only memory and later checks are at stake; the import's outcome stands.
        if let Some(cache_size) = self.cache_size {
            let _ = conn.pragma_update(None, "cache_size", cache_size);
            let _ = conn.pragma_update(None, "temp_store", self.temp_store);
            let _ = conn.pragma_update(None, "threads", self.threads);
        }
        if self.foreign_keys {
            let _ = conn.pragma_update(None, "foreign_keys", true);
        }
    }
}

/// Rows from which an import into a store holding fewer orders than the file
/// brings rebuilds the orders' indexes afterwards, rather than keeping them
/// up to date row by row.
/// Smaller in tests, so both ways of writing are tried at a test's size.
const BIG_IMPORT_ROWS: u64 = if cfg!(test) { 2_000 } else { 50_000 };
/// 256 MiB, as a negative `cache_size` (KiB).
const BIG_CACHE_KIB: i64 = -262_144;

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

pub(crate) fn customer_ids_by_ref(conn: &rusqlite::Connection) -> Result<refs::RefIds, StoreError> {
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

/// Drops the orders' non-unique indexes and the unique index of import keys,
/// for a large import into a store holding fewer orders than it brings:
/// building them again afterwards, in one sorted pass, beats keeping them up
/// to date row by row in the file's order (an import key begins with the
/// customer, so the file's order puts each one anywhere in the index). The
/// order ids' unique index stays: it skips already-imported rows as they come.
/// All of it happens in the import's transaction, so a failed import leaves
/// the indexes as they were.
fn drop_order_indexes(tx: &Transaction<'_>) -> Result<(), StoreError> {
    for (name, _) in crate::store::schema::ORDER_INDEXES {
        tx.execute_batch(&format!("DROP INDEX IF EXISTS {name};"))?;
    }
    tx.execute_batch("DROP INDEX IF EXISTS orders_import_key;")?;
    Ok(())
}

/// The unique index of import keys, built again after a large import that
/// wrote every row without an order id as the first of its kind (customer,
/// day, amount). Where two rows have one key (identical rows in the file, or
/// a row imported before), the rows of this import with that key are
/// numbered in the file's order, as they would have been row by row, and one
/// whose numbered key a row imported before holds is taken out again.
/// Returns how many were taken out (already imported).
///
/// Such rows share a customer, day and amount, which the index rebuilt just
/// before finds without sorting; the import keys are sorted once, for their
/// index. Only when that finds a pair all the same (a key whose customer was
/// merged into another since) are the keys gone through by an index of their
/// own. Either way a few at a time, so memory does not grow with them.
/// An import whose rows all had order ids (none `keyed`) wrote no import
/// key: the keys held before were unique, and the index is only built.
fn settle_import_keys(tx: &Transaction<'_>, batch_id: i64, keyed: bool) -> Result<u64, StoreError> {
    const UNIQUE: &str = "CREATE UNIQUE INDEX orders_import_key ON orders(import_key) \
                          WHERE import_key IS NOT NULL;";
    if !keyed {
        tx.execute_batch(UNIQUE)?;
        return Ok(0);
    }
    let mut taken_out = 0;
    let mut after: (i64, String, i64) = (i64::MIN, String::new(), i64::MIN);
    loop {
        let groups: Vec<(i64, String, i64)> = tx
            .prepare_cached(
                "SELECT customer_id, order_date, amount_cents FROM orders \
                 WHERE (customer_id, order_date, amount_cents) > (?1, ?2, ?3) \
                 GROUP BY customer_id, order_date, amount_cents HAVING count(*) > 1 \
                 ORDER BY customer_id, order_date, amount_cents LIMIT 256",
            )?
            .query_map(params![after.0, after.1, after.2], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        let Some(last) = groups.last() else {
            break;
        };
        after = last.clone();
        for group in &groups {
            taken_out += settle_group(tx, batch_id, group)?;
        }
    }
    match tx.execute_batch(UNIQUE) {
        Ok(()) => return Ok(taken_out),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {}
        Err(e) => return Err(e.into()),
    }
    tx.execute_batch(
        "CREATE INDEX orders_import_key_settling ON orders(import_key) \
         WHERE import_key IS NOT NULL;",
    )?;
    let mut after = String::new();
    loop {
        let repeated: Vec<String> = tx
            .prepare_cached(
                "SELECT import_key FROM orders WHERE import_key > ?1 \
                 GROUP BY import_key HAVING count(*) > 1 ORDER BY import_key LIMIT 256",
            )?
            .query_map([&after], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let Some(last) = repeated.last() else {
            break;
        };
        after = last.clone();
        for key in &repeated {
            taken_out += number_repeated_key(tx, batch_id, key)?;
        }
    }
    tx.execute_batch("DROP INDEX orders_import_key_settling;")?;
    tx.execute_batch(UNIQUE)?;
    Ok(taken_out)
}

/// Numbers this import's rows of one customer, day and amount that share a
/// first-of-its-kind key, against the keys rows imported before hold.
fn settle_group(
    tx: &Transaction<'_>,
    batch_id: i64,
    (customer, date, amount): &(i64, String, i64),
) -> Result<u64, StoreError> {
    let rows: Vec<(i64, Option<String>, Option<i64>)> = tx
        .prepare_cached(
            "SELECT id, import_key, batch_id FROM orders \
             WHERE customer_id = ?1 AND order_date = ?2 AND amount_cents = ?3 ORDER BY id",
        )?
        .query_map(params![customer, date, amount], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<Result<_, _>>()?;
    let mine = |batch: &Option<i64>| *batch == Some(batch_id);
    let mut firsts: Vec<&str> = rows
        .iter()
        .filter(|(_, _, batch)| mine(batch))
        .filter_map(|(_, key, _)| key.as_deref())
        .collect();
    firsts.sort_unstable();
    firsts.dedup();
    let mut taken_out = 0;
    for first in firsts {
        let Some(identity) = first.strip_suffix("\u{1f}1") else {
            continue;
        };
        let prefix = format!("{identity}\u{1f}");
        let held: std::collections::HashSet<u32> = rows
            .iter()
            .filter(|(_, _, batch)| !mine(batch))
            .filter_map(|(_, key, _)| key.as_deref()?.strip_prefix(&prefix)?.parse().ok())
            .collect();
        let ids = rows
            .iter()
            .filter(|(_, key, batch)| mine(batch) && key.as_deref() == Some(first))
            .map(|(id, _, _)| *id);
        taken_out += number_rows(tx, &prefix, &held, ids)?;
    }
    Ok(taken_out)
}

/// Gives this import's rows of one kind, in the file's order, their
/// occurrence; one whose key a row imported before holds is taken out.
fn number_rows(
    tx: &Transaction<'_>,
    prefix: &str,
    held: &std::collections::HashSet<u32>,
    ids: impl Iterator<Item = i64>,
) -> Result<u64, StoreError> {
    let mut taken_out = 0;
    for (n, id) in (1u32..).zip(ids) {
        if held.contains(&n) {
            tx.prepare_cached("DELETE FROM orders WHERE id = ?1")?
                .execute([id])?;
            taken_out += 1;
        } else if n > 1 {
            tx.prepare_cached("UPDATE orders SET import_key = ?2 WHERE id = ?1")?
                .execute(params![id, format!("{prefix}{n}")])?;
        }
    }
    Ok(taken_out)
}

/// Numbers this import's rows holding one repeated first-of-its-kind key.
fn number_repeated_key(tx: &Transaction<'_>, batch_id: i64, key: &str) -> Result<u64, StoreError> {
    let Some(identity) = key.strip_suffix("\u{1f}1") else {
        return Ok(0);
    };
    let prefix = format!("{identity}\u{1f}");
    // The occurrences rows imported before hold.
    let held: std::collections::HashSet<u32> = tx
        .prepare_cached(
            "SELECT import_key FROM orders WHERE import_key >= ?1 AND import_key < ?2 \
             AND batch_id IS NOT ?3",
        )?
        .query_map(
            params![prefix, format!("{identity}\u{20}"), batch_id],
            |r| r.get::<_, String>(0),
        )?
        .filter_map(|k| k.ok()?.strip_prefix(&prefix)?.parse().ok())
        .collect();
    let rows: Vec<i64> = tx
        .prepare_cached(
            "SELECT id FROM orders WHERE import_key = ?1 AND batch_id = ?2 ORDER BY id",
        )?
        .query_map(params![key, batch_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    number_rows(tx, &prefix, &held, rows.into_iter())
}

/// `YYYY-MM-DD` without the formatting machinery, which costs more than the
/// rest of an order's preparation at a million rows. Years outside 0..=9999 were
/// refused before any row is written.
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
    phone: Option<&StoredPhone>,
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
    if let Some(phone) = phone {
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

/// The phones of a file read as it streams, by the rule a form uses: a
/// number no numbering plan has is a bad row, said in the form's sentence.
/// A number met again (the rows of one customer) is not read again; the
/// memory of them is bounded, so a file of a million numbers is not held.
pub(crate) struct PhoneReader<'c> {
    country: &'c str,
    read: HashMap<String, Result<StoredPhone, String>>,
}

/// How many distinct numbers a [`PhoneReader`] remembers before it forgets them.
const PHONES_REMEMBERED: usize = 65_536;

impl<'c> PhoneReader<'c> {
    pub(crate) fn new(default_country: &'c str) -> PhoneReader<'c> {
        PhoneReader {
            country: default_country,
            read: HashMap::new(),
        }
    }

    /// The phone written on the row at `line`, as the store keeps it; none
    /// for an empty cell; the row's problem for a number that is none.
    pub(crate) fn read(
        &mut self,
        line: usize,
        written: &str,
    ) -> Result<Option<StoredPhone>, RowProblem> {
        let written = written.trim();
        if written.is_empty() {
            return Ok(None);
        }
        if !self.read.contains_key(written) {
            if self.read.len() >= PHONES_REMEMBERED {
                self.read.clear();
            }
            let read = phone::parse(written, self.country)
                .map(|number| StoredPhone::of(written, number))
                .map_err(|e| e.to_string());
            self.read.insert(written.to_string(), read);
        }
        match self.read.get(written) {
            Some(Ok(phone)) => Ok(Some(phone.clone())),
            Some(Err(reason)) => Err(RowProblem {
                line,
                column: "phone".into(),
                reason: reason.clone(),
            }),
            None => Ok(None),
        }
    }
}

// These tests turn read rows into `ContactImport`s, which are now the same type.
#[cfg(test)]
#[allow(clippy::useless_conversion)]
mod exports_tests;
#[cfg(test)]
#[allow(clippy::useless_conversion)]
mod prop_tests;
#[cfg(test)]
mod tests;
