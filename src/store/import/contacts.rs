//! Importing contacts: a row whose ref, email or phone is known updates that
//! customer (non-empty fields overwrite; emails, phones and tags are added),
//! any other row creates a customer.

use std::collections::{HashMap, HashSet};

use rusqlite::{Transaction, params};

use super::{
    ImportError, ImportSource, ImportSummary, Phones, RowProblem, add_email, add_phone,
    customer_ids_by_ref, finish, insert_batch, read_phones,
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
    /// The name a new customer gets: the name, else the company, else an email.
    fn display_name(&self) -> Option<&str> {
        self.name
            .as_deref()
            .or(self.company.as_deref())
            .or(self.emails.first().map(String::as_str))
            .or(self.reference.as_deref())
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

/// Who is already known, by each key a contact can match on.
struct Known<'a> {
    /// The file's phones, each read once.
    phones: &'a Phones,
    by_ref: HashMap<String, i64>,
    by_email: HashMap<String, i64>,
    by_phone: HashMap<String, i64>,
}

impl<'a> Known<'a> {
    fn load(tx: &Transaction<'_>, phones: &'a Phones) -> Result<Known<'a>, StoreError> {
        let by_ref = customer_ids_by_ref(tx)?;
        let mut by_email = HashMap::new();
        let mut statement = tx.prepare("SELECT lower(email), customer_id FROM customer_emails")?;
        for row in statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
            let (email, id) = row?;
            by_email.entry(email).or_insert(id);
        }
        let mut by_phone = HashMap::new();
        let mut statement =
            tx.prepare("SELECT phone_normalized, customer_id FROM customer_phones")?;
        for row in statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
            let (phone, id) = row?;
            by_phone.entry(phone).or_insert(id);
        }
        Ok(Known {
            phones,
            by_ref,
            by_email,
            by_phone,
        })
    }

    fn find(&self, row: &ContactImport) -> Option<i64> {
        let by_ref = row
            .reference
            .as_ref()
            .and_then(|r| self.by_ref.get(r.as_str()));
        let by_email = || {
            row.emails
                .iter()
                .find_map(|e| self.by_email.get(&e.to_lowercase()))
        };
        let by_phone = || {
            row.phones
                .iter()
                .filter_map(|p| self.phones.get(p.trim()))
                .find_map(|p| self.by_phone.get(&p.normalized))
        };
        by_ref.or_else(by_email).or_else(by_phone).copied()
    }

    fn remember(&mut self, id: i64, row: &ContactImport) {
        for email in &row.emails {
            self.by_email.entry(email.to_lowercase()).or_insert(id);
        }
        for phone in row.phones.iter().filter_map(|p| self.phones.get(p.trim())) {
            self.by_phone.entry(phone.normalized.clone()).or_insert(id);
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
        let batch_id = insert_batch(&tx, source)?;
        let mut known = Known::load(&tx, &phones)?;
        let mut summary = ImportSummary::default();
        let mut created = HashSet::new();
        let mut updated = HashSet::new();
        let mut referrals = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            if i % 1024 == 0 {
                progress(i as u64);
            }
            let id = match known.find(row) {
                Some(id) => {
                    if update_customer(&tx, id, row, known.phones)? && !created.contains(&id) {
                        updated.insert(id);
                    }
                    id
                }
                None => {
                    let id = insert_customer(&tx, row, batch_id, known.phones)?;
                    created.insert(id);
                    id
                }
            };
            if let Some(reference) = &row.reference {
                known.by_ref.entry(reference.clone()).or_insert(id);
            }
            known.remember(id, row);
            if let Some(referrer) = &row.referred_by {
                referrals.push((row.line, id, referrer.as_str()));
            }
        }
        for (line, id, referrer) in referrals {
            let problem = |reason: String| RowProblem {
                line,
                column: "referred_by".into(),
                reason,
            };
            match known.by_ref.get(referrer) {
                None => problems.push(problem(format!("no customer has the ref {referrer:?}"))),
                Some(&by) if by == id => {
                    problems.push(problem("a customer cannot refer themselves".into()))
                }
                Some(&by) => {
                    let changed = tx
                        .prepare_cached(
                            "UPDATE customers SET referred_by = ?2 \
                             WHERE id = ?1 AND referred_by IS NOT ?2",
                        )?
                        .execute(params![id, by])?;
                    if changed > 0 && !created.contains(&id) {
                        updated.insert(id);
                    }
                }
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(ImportError::Rows(problems));
        }
        progress(rows.len() as u64);
        summary.customers_added = created.len() as u64;
        summary.customers_updated = updated.len() as u64;
        finish(tx, batch_id, summary, dry_run)
    }
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
