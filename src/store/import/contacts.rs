//! Importing contacts: a row that is a known customer (SPEC section 7, "Which
//! customer a contact row is") updates that customer (non-empty fields
//! overwrite; emails, phones and tags are added), any other row creates one.
//! The rows are written as the file is read: who each row is is decided
//! against the store and the rows before it (`matching`), and a `referred_by`
//! naming a customer not met yet waits for the end of the file.

use crate::store::summaries::{Suspended, Touched};
use std::collections::HashSet;

use rusqlite::{Transaction, params};

use super::matching::Known;
use super::{
    HeldRows, ImportError, ImportFile, ImportSource, ImportSummary, PhoneReader, RowProblem,
    add_email, add_phone, finish, insert_batch,
};
use crate::domain::phone::StoredPhone;
use crate::domain::{ContactRow, Source};
use crate::store::{Store, StoreError};

/// One contact to import: a customer as the file states it. A row that
/// updates a customer leaves what it does not say as the store holds it.
pub type ContactImport = ContactRow;

impl Store {
    /// Imports contacts held whole; see [`Store::import_contacts_from`].
    pub fn import_contacts(
        &mut self,
        source: &ImportSource,
        rows: &[ContactImport],
        dry_run: bool,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportSummary, ImportError> {
        self.import_contacts_from(source, &mut HeldRows::new(rows, progress), dry_run)
    }

    /// Imports the contacts of a file as they are read, in one transaction;
    /// with `dry_run` it is rolled back. A file with a bad row, or a
    /// `referred_by` naming no customer in the file or the store, writes
    /// nothing, and every such row is named. The rows of a bad file are still
    /// written as they come (and rolled back), so that every `referred_by`
    /// is judged against every ref of the file, a bad row's too.
    pub fn import_contacts_from(
        &mut self,
        source: &ImportSource,
        file: &mut dyn ImportFile<ContactImport>,
        dry_run: bool,
    ) -> Result<ImportSummary, ImportError> {
        let country = source.default_country.as_str();
        let tx = self.write()?;
        let batch_id = insert_batch(&tx, source)?;
        // A contacts file writes no order: the change log gets one line for
        // the whole import instead of one for each of its rows.
        let suspended = Suspended::start(&tx)?;
        let mut known = Known::load(&tx, country, batch_id)?;
        let mut created = HashSet::new();
        let mut updated = HashSet::new();
        let mut problems = Vec::new();
        // Rows whose referrer was not met yet: (line, customer, referrer).
        let mut waiting: Vec<(usize, i64, String)> = Vec::new();
        let mut reader = PhoneReader::new(country);
        while let Some(row) = file.next_row() {
            let mut phones = Vec::new();
            for written in &row.phones {
                match reader.read(row.line, written) {
                    Ok(phone) => phones.extend(phone),
                    Err(problem) => problems.push(problem),
                }
            }
            let id = match known.find(&row)? {
                Some(id) => {
                    if update_customer(&tx, id, &row, &phones)? && !created.contains(&id) {
                        updated.insert(id);
                    }
                    id
                }
                None => {
                    let id = insert_customer(&tx, &row, batch_id, &phones)?;
                    created.insert(id);
                    id
                }
            };
            known.remember(id, &row);
            if let Some(referrer) = row.referred_by {
                match known.by_ref.get(&referrer) {
                    Some(by) => {
                        if let Some(problem) = refer(&tx, row.line, id, by, &created, &mut updated)?
                        {
                            problems.push(problem);
                        }
                    }
                    None => waiting.push((row.line, id, referrer)),
                }
            }
        }
        for (line, id, referrer) in waiting {
            match known.by_ref.get(&referrer) {
                Some(by) => {
                    if let Some(problem) = refer(&tx, line, id, by, &created, &mut updated)? {
                        problems.push(problem);
                    }
                }
                None => problems.push(RowProblem {
                    line,
                    column: "referred_by".into(),
                    reason: format!("no customer has the ref {referrer:?}"),
                }),
            }
        }
        problems.extend(file.problems());
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(ImportError::Rows(problems));
        }
        let summary = ImportSummary {
            customers_added: created.len() as u64,
            customers_updated: updated.len() as u64,
            ..ImportSummary::default()
        };
        suspended.resume(&tx, Touched::NoOrders)?;
        finish(tx, batch_id, summary, dry_run)
    }
}

/// Records that customer `by` referred customer `id`, or why not.
fn refer(
    tx: &Transaction<'_>,
    line: usize,
    id: i64,
    by: i64,
    created: &HashSet<i64>,
    updated: &mut HashSet<i64>,
) -> Result<Option<RowProblem>, StoreError> {
    if by == id {
        return Ok(Some(RowProblem {
            line,
            column: "referred_by".into(),
            reason: "a customer cannot refer themselves".into(),
        }));
    }
    let changed = tx
        .prepare_cached(
            "UPDATE customers SET referred_by = ?2 WHERE id = ?1 AND referred_by IS NOT ?2",
        )?
        .execute(params![id, by])?;
    if changed > 0 && !created.contains(&id) {
        updated.insert(id);
    }
    Ok(None)
}

fn insert_customer(
    tx: &Transaction<'_>,
    row: &ContactImport,
    batch_id: i64,
    phones: &[StoredPhone],
) -> Result<i64, StoreError> {
    // A row without a ref gets `K` and its id, once the id is known.
    let placeholder = format!("\u{1}import {batch_id} {}", row.line);
    let reference = row.reference.clone().unwrap_or(placeholder);
    tx.prepare_cached(
        "INSERT INTO customers (ref, name, company, address, city, source, notes, batch_id, \
         marketing_consent, prospect, advocate, contact_every_days) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, ''), ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        reference,
        row.display_name().unwrap_or(""),
        row.company,
        row.address,
        row.city,
        row.source.map(Source::code),
        row.notes_with_birthday(),
        batch_id,
        row.marketing_consent.unwrap_or(false),
        row.prospect.unwrap_or(false),
        row.advocate.unwrap_or(false),
        row.contact_every_days
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
    phones: &[StoredPhone],
) -> Result<bool, StoreError> {
    let changed = tx
        .prepare_cached(
            "UPDATE customers SET name = coalesce(?2, name), company = coalesce(?3, company), \
             address = coalesce(?4, address), city = coalesce(?5, city), \
             source = coalesce(?6, source), notes = coalesce(?7, notes), \
             marketing_consent = coalesce(?8, marketing_consent), \
             prospect = coalesce(?9, prospect), advocate = coalesce(?10, advocate), \
             contact_every_days = coalesce(?11, contact_every_days), \
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
             WHERE id = ?1 AND (name IS NOT coalesce(?2, name) \
             OR company IS NOT coalesce(?3, company) OR address IS NOT coalesce(?4, address) \
             OR city IS NOT coalesce(?5, city) OR source IS NOT coalesce(?6, source) \
             OR notes IS NOT coalesce(?7, notes) \
             OR marketing_consent IS NOT coalesce(?8, marketing_consent) \
             OR prospect IS NOT coalesce(?9, prospect) OR advocate IS NOT coalesce(?10, advocate) \
             OR contact_every_days IS NOT coalesce(?11, contact_every_days))",
        )?
        .execute(params![
            id,
            row.name,
            row.company,
            row.address,
            row.city,
            row.source.map(Source::code),
            row.notes_with_birthday(),
            row.marketing_consent,
            row.prospect,
            row.advocate,
            row.contact_every_days
        ])?;
    let added = add_lists(tx, id, row, phones)?;
    Ok(changed > 0 || added)
}

/// Adds the row's emails, phones and tags the customer does not have yet.
fn add_lists(
    tx: &Transaction<'_>,
    id: i64,
    row: &ContactImport,
    phones: &[StoredPhone],
) -> Result<bool, StoreError> {
    let mut added = false;
    for email in &row.emails {
        added |= add_email(tx, id, email)?;
    }
    for phone in phones {
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
