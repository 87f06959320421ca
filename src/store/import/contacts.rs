//! Importing contacts: a row that is a known customer (SPEC section 7, "Which
//! customer a contact row is") updates that customer (non-empty fields
//! overwrite; emails, phones and tags are added), any other row creates one.
//! Who each row is, and whether its `referred_by` names someone, is decided
//! first, reading the store only (`matching`); then the rows are written.

use std::collections::{HashMap, HashSet};

use rusqlite::{Transaction, params};

use super::matching::{Plan, Target, plan};
use super::{
    ImportError, ImportSource, ImportSummary, Phones, RowProblem, add_email, add_phone, finish,
    insert_batch, read_phones,
};
use crate::domain::Source;
use crate::store::{Store, StoreError};

/// One contact to import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactImport {
    /// 1-based line in the file, for messages.
    pub line: usize,
    pub reference: Option<String>,
    pub name: Option<String>,
    pub company: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub tags: Vec<String>,
    pub source: Option<Source>,
    /// The ref of the customer who referred this one, in the file or the store.
    pub referred_by: Option<String>,
    pub notes: Option<String>,
}

impl ContactImport {
    /// The name a new customer gets: the name, else the company, else an
    /// email, the ref or a phone.
    pub(super) fn display_name(&self) -> Option<&str> {
        self.name
            .as_deref()
            .or(self.company.as_deref())
            .or(self.emails.first().map(String::as_str))
            .or(self.reference.as_deref())
            .or(self.phones.first().map(String::as_str))
    }
}

impl From<crate::formats::ContactRow> for ContactImport {
    fn from(row: crate::formats::ContactRow) -> ContactImport {
        ContactImport {
            line: row.line,
            reference: row.reference,
            name: row.name,
            company: row.company,
            emails: row.emails,
            phones: row.phones,
            address: row.address,
            city: row.city,
            tags: row.tags,
            source: row.source,
            referred_by: row.referred_by,
            // The store has no birthday field; the owner still sees it in the notes.
            notes: match (row.notes, row.birthday) {
                (notes, None) => notes,
                (None, Some(day)) => Some(format!("Birthday {day}")),
                (Some(notes), Some(day)) => Some(format!("{notes}\nBirthday {day}")),
            },
        }
    }
}

impl Store {
    /// Imports contacts in one transaction; with `dry_run` it is rolled back.
    /// A `referred_by` naming no customer in the file or the store fails the import.
    pub fn import_contacts(
        &mut self,
        source: &ImportSource,
        rows: &[ContactImport],
        dry_run: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportSummary, ImportError> {
        let (phones, mut problems) = read_phones(
            rows.iter()
                .flat_map(|r| r.phones.iter().map(|p| (r.line, p.as_str()))),
            &source.default_country,
        );
        let tx = self.write()?;
        let Plan {
            targets,
            by_ref,
            problems: planned,
        } = plan(&tx, &source.default_country, rows)?;
        problems.extend(planned);
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(ImportError::Rows(problems));
        }
        let batch_id = insert_batch(&tx, source)?;
        let mut made: HashMap<usize, i64> = HashMap::new();
        let mut created = HashSet::new();
        let mut updated = HashSet::new();
        for (i, (row, target)) in rows.iter().zip(&targets).enumerate() {
            if i % 1024 == 0 {
                progress(i as u64);
            }
            let id = match *target {
                Target::New(k) if k == i => {
                    let id = insert_customer(&tx, row, batch_id, &phones)?;
                    created.insert(id);
                    made.insert(i, id);
                    continue;
                }
                Target::New(k) => made.get(&k).copied().ok_or_else(unplanned)?,
                Target::Stored(id) => id,
            };
            if update_customer(&tx, id, row, &phones)? && !created.contains(&id) {
                updated.insert(id);
            }
        }
        let resolve = |target: Target| match target {
            Target::Stored(id) => Some(id),
            Target::New(k) => made.get(&k).copied(),
        };
        for (row, target) in rows.iter().zip(&targets) {
            let Some(referrer) = &row.referred_by else {
                continue;
            };
            let (Some(id), Some(by)) = (
                resolve(*target),
                by_ref.get(referrer.as_str()).copied().and_then(resolve),
            ) else {
                return Err(unplanned().into());
            };
            let changed = tx
                .prepare_cached(
                    "UPDATE customers SET referred_by = ?2 WHERE id = ?1 AND referred_by IS NOT ?2",
                )?
                .execute(params![id, by])?;
            if changed > 0 && !created.contains(&id) {
                updated.insert(id);
            }
        }
        progress(rows.len() as u64);
        let summary = ImportSummary {
            customers_added: created.len() as u64,
            customers_updated: updated.len() as u64,
            ..ImportSummary::default()
        };
        finish(tx, batch_id, summary, dry_run)
    }

    /// The rows of a contacts file the store would refuse (every `referred_by`
    /// that names no one, or the row itself), without writing anything: so
    /// that a file with bad rows of its own is named whole, in one run.
    /// `rows` may hold the file's bad rows too; their refs count as known.
    pub fn contact_problems(
        &self,
        rows: &[ContactImport],
        default_country: &str,
    ) -> Result<Vec<RowProblem>, StoreError> {
        let (_, mut problems) = read_phones(
            rows.iter()
                .flat_map(|r| r.phones.iter().map(|p| (r.line, p.as_str()))),
            default_country,
        );
        problems.extend(plan(&self.conn, default_country, rows)?.problems);
        problems.sort_by_key(|p| p.line);
        Ok(problems)
    }
}

/// A row planned as made by an earlier row that was not: a fault of this
/// module, not of the file.
fn unplanned() -> StoreError {
    StoreError::Invalid("a contacts import lost track of a customer it was making".into())
}

fn insert_customer(
    tx: &Transaction<'_>,
    row: &ContactImport,
    batch_id: i64,
    phones: &Phones,
) -> Result<i64, StoreError> {
    // A row without a ref gets `K` and its id, once the id is known.
    let placeholder = format!("\u{1}import {batch_id} {}", row.line);
    let reference = row.reference.clone().unwrap_or(placeholder);
    tx.prepare_cached(
        "INSERT INTO customers (ref, name, company, address, city, source, notes, batch_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, ''), ?8)",
    )?
    .execute(params![
        reference,
        row.display_name().unwrap_or(""),
        row.company,
        row.address,
        row.city,
        row.source.map(Source::code),
        row.notes,
        batch_id
    ])?;
    let id = tx.last_insert_rowid();
    if row.reference.is_none() {
        let assigned = format!("K{id:06}");
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE ref = ?1)",
            [&assigned],
            |r| r.get(0),
        )?;
        let assigned = if taken {
            format!("K{id:06}-{batch_id}")
        } else {
            assigned
        };
        tx.execute(
            "UPDATE customers SET ref = ?2 WHERE id = ?1",
            params![id, assigned],
        )?;
    }
    add_lists(tx, id, row, phones)?;
    Ok(id)
}

/// Overwrites the fields the row fills; true when anything changed.
fn update_customer(
    tx: &Transaction<'_>,
    id: i64,
    row: &ContactImport,
    phones: &Phones,
) -> Result<bool, StoreError> {
    let changed = tx
        .prepare_cached(
            "UPDATE customers SET name = coalesce(?2, name), company = coalesce(?3, company), \
             address = coalesce(?4, address), city = coalesce(?5, city), \
             source = coalesce(?6, source), notes = coalesce(?7, notes), \
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
             WHERE id = ?1 AND (name IS NOT coalesce(?2, name) \
             OR company IS NOT coalesce(?3, company) OR address IS NOT coalesce(?4, address) \
             OR city IS NOT coalesce(?5, city) OR source IS NOT coalesce(?6, source) \
             OR notes IS NOT coalesce(?7, notes))",
        )?
        .execute(params![
            id,
            row.name,
            row.company,
            row.address,
            row.city,
            row.source.map(Source::code),
            row.notes
        ])?;
    let added = add_lists(tx, id, row, phones)?;
    Ok(changed > 0 || added)
}

/// Adds the row's emails, phones and tags the customer does not have yet.
fn add_lists(
    tx: &Transaction<'_>,
    id: i64,
    row: &ContactImport,
    phones: &Phones,
) -> Result<bool, StoreError> {
    let mut added = false;
    for email in &row.emails {
        added |= add_email(tx, id, email)?;
    }
    for phone in row.phones.iter().filter_map(|p| phones.get(p.trim())) {
        added |= add_phone(tx, id, phone)?;
    }
    for tag in &row.tags {
        added |= tx
            .prepare_cached(
                "INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?1, ?2)",
            )?
            .execute(params![id, tag])?
            > 0;
    }
    Ok(added)
}
