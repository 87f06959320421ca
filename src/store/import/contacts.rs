//! Importing contacts: a row that is a known customer (SPEC section 7, "Which
//! customer a contact row is") updates that customer (non-empty fields
//! overwrite; emails, phones and tags are added), any other row creates one.
//! Who each row is, and whether its `referred_by` names someone, is decided
//! first, reading the store only; then the rows are written.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{
    ImportError, ImportSource, ImportSummary, RowProblem, add_email, add_phone,
    customer_ids_by_email, customer_ids_by_ref, finish, insert_batch, normalized_phone,
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
    fn display_name(&self) -> Option<&str> {
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

/// A name as two spellings of one person compare: case and spacing aside.
fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Who a row of the file is: a customer in the store, or the one the row at
/// this index of the file creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Stored(i64),
    New(usize),
}

/// A stored customer a row with nothing but a name may be.
struct Namesake {
    id: i64,
    company: Option<String>,
    city: Option<String>,
}

impl Namesake {
    fn agrees_with(&self, row: &ContactImport) -> bool {
        let same = |stored: &Option<String>, given: &Option<String>| match (stored, given) {
            (Some(s), Some(g)) => name_key(s) == name_key(g),
            (_, None) => true,
            (None, Some(_)) => false,
        };
        same(&self.company, &row.company) && same(&self.city, &row.city)
    }
}

/// Who is known, by each key a contact can match on: the store's customers,
/// and the ones the rows read so far create.
struct Known<'a> {
    conn: &'a Connection,
    country: &'a str,
    by_ref: HashMap<String, Target>,
    by_email: HashMap<String, Target>,
    by_phone: HashMap<String, Vec<Target>>,
    /// Each target's name as the import leaves it, by `name_key`.
    names: HashMap<Target, String>,
    /// Stored customers by `name_key`, loaded when a row has only a name.
    namesakes: Option<HashMap<String, Vec<Namesake>>>,
    /// Namesakes a row of this file already is.
    claimed: HashSet<i64>,
}

impl<'a> Known<'a> {
    fn load(conn: &'a Connection, country: &'a str) -> Result<Known<'a>, StoreError> {
        let by_ref = customer_ids_by_ref(conn)?
            .into_iter()
            .map(|(reference, id)| (reference, Target::Stored(id)))
            .collect();
        let by_email = customer_ids_by_email(conn)?
            .into_iter()
            .map(|(email, id)| (email, Target::Stored(id)))
            .collect();
        let mut by_phone: HashMap<String, Vec<Target>> = HashMap::new();
        let mut statement = conn.prepare(
            "SELECT phone_normalized, customer_id FROM customer_phones ORDER BY customer_id",
        )?;
        for row in statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
            let (phone, id) = row?;
            let sharing = by_phone.entry(phone).or_default();
            if !sharing.contains(&Target::Stored(id)) {
                sharing.push(Target::Stored(id));
            }
        }
        Ok(Known {
            conn,
            country,
            by_ref,
            by_email,
            by_phone,
            names: HashMap::new(),
            namesakes: None,
            claimed: HashSet::new(),
        })
    }

    fn phones(&self, row: &ContactImport) -> Vec<String> {
        row.phones
            .iter()
            .map(|p| normalized_phone(p, self.country))
            .filter(|p| p.len() >= 5)
            .collect()
    }

    fn name_of(&mut self, target: Target) -> Result<Option<String>, StoreError> {
        if let Some(name) = self.names.get(&target) {
            return Ok(Some(name.clone()));
        }
        let Target::Stored(id) = target else {
            return Ok(None);
        };
        let name: Option<String> = self
            .conn
            .prepare_cached("SELECT name FROM customers WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let key = name.as_deref().map(name_key);
        if let Some(key) = &key {
            self.names.insert(target, key.clone());
        }
        Ok(key)
    }

    /// SPEC section 7: the customer with the row's ref; else, with no ref,
    /// the one with one of its emails; else, with neither, the one with one
    /// of its phones and the same name. A ref kanta does not know is a new
    /// customer whatever else it shares, and so is a namesake on a shared
    /// phone: `customer duplicates` offers such pairs, nothing merges them.
    fn find(&mut self, row: &ContactImport) -> Result<Option<Target>, StoreError> {
        if let Some(reference) = &row.reference {
            return Ok(self.by_ref.get(reference.as_str()).copied());
        }
        if !row.emails.is_empty() {
            return Ok(row
                .emails
                .iter()
                .find_map(|e| self.by_email.get(&e.to_lowercase()).copied()));
        }
        let Some(name) = row.display_name().map(name_key) else {
            return Ok(None);
        };
        if !row.phones.is_empty() {
            for phone in self.phones(row) {
                let sharing = self.by_phone.get(&phone).cloned().unwrap_or_default();
                for target in sharing {
                    if self.name_of(target)?.as_deref() == Some(name.as_str()) {
                        return Ok(Some(target));
                    }
                }
            }
            return Ok(None);
        }
        self.namesake(row, &name)
    }

    /// A row with only a name (and perhaps a company or city) is the first
    /// stored namesake that agrees with it and no earlier row of the file is:
    /// importing the file again finds each such customer once, while two
    /// namesakes in one file stay two.
    fn namesake(&mut self, row: &ContactImport, name: &str) -> Result<Option<Target>, StoreError> {
        if self.namesakes.is_none() {
            let mut by_name: HashMap<String, Vec<Namesake>> = HashMap::new();
            let mut statement = self.conn.prepare(
                "SELECT id, name, company, city FROM customers WHERE erased = 0 ORDER BY id",
            )?;
            let rows = statement.query_map([], |r| {
                Ok((
                    r.get::<_, String>(1)?,
                    Namesake {
                        id: r.get(0)?,
                        company: r.get(2)?,
                        city: r.get(3)?,
                    },
                ))
            })?;
            for row in rows {
                let (stored_name, namesake) = row?;
                by_name
                    .entry(name_key(&stored_name))
                    .or_default()
                    .push(namesake);
            }
            self.namesakes = Some(by_name);
        }
        let found = self
            .namesakes
            .as_ref()
            .and_then(|by_name| by_name.get(name))
            .and_then(|candidates| {
                candidates
                    .iter()
                    .find(|c| !self.claimed.contains(&c.id) && c.agrees_with(row))
                    .map(|c| c.id)
            });
        if let Some(id) = found {
            self.claimed.insert(id);
        }
        Ok(found.map(Target::Stored))
    }

    /// What row `index` tells of its target for the rows after it.
    fn remember(&mut self, index: usize, target: Target, row: &ContactImport) {
        if let Some(reference) = &row.reference {
            self.by_ref.entry(reference.clone()).or_insert(target);
        }
        for email in &row.emails {
            self.by_email.entry(email.to_lowercase()).or_insert(target);
        }
        for phone in self.phones(row) {
            let sharing = self.by_phone.entry(phone).or_default();
            if !sharing.contains(&target) {
                sharing.push(target);
            }
        }
        // The row names the customer it creates, or writes its name over one.
        let name = if target == Target::New(index) {
            row.display_name()
        } else {
            row.name.as_deref()
        };
        if let Some(name) = name {
            self.names.insert(target, name_key(name));
        }
    }
}

/// Who each row of a file is, as decided before anything is written.
struct Plan {
    targets: Vec<Target>,
    /// Every ref of the store and the file, and who has it.
    by_ref: HashMap<String, Target>,
    /// Every `referred_by` that names no one, or the row itself.
    problems: Vec<RowProblem>,
}

/// Who each row is, and every `referred_by` that names no one or the row
/// itself. Reads the store, writes nothing.
fn plan(conn: &Connection, country: &str, rows: &[ContactImport]) -> Result<Plan, StoreError> {
    let mut known = Known::load(conn, country)?;
    let mut targets = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let target = known.find(row)?.unwrap_or(Target::New(i));
        known.remember(i, target, row);
        targets.push(target);
    }
    let mut problems = Vec::new();
    for (row, target) in rows.iter().zip(&targets) {
        let Some(referrer) = &row.referred_by else {
            continue;
        };
        let problem = |reason: String| RowProblem {
            line: row.line,
            column: "referred_by".into(),
            reason,
        };
        match known.by_ref.get(referrer.as_str()) {
            None => problems.push(problem(format!("no customer has the ref {referrer:?}"))),
            Some(by) if by == target => {
                problems.push(problem("a customer cannot refer themselves".into()))
            }
            Some(_) => {}
        }
    }
    Ok(Plan {
        targets,
        by_ref: known.by_ref,
        problems,
    })
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
        let tx = self.write()?;
        let Plan {
            targets,
            by_ref,
            problems,
        } = plan(&tx, &source.default_country, rows)?;
        if !problems.is_empty() {
            return Err(ImportError::Rows(problems));
        }
        let batch_id = insert_batch(&tx, source)?;
        let country = source.default_country.as_str();
        let mut made: HashMap<usize, i64> = HashMap::new();
        let mut created = HashSet::new();
        let mut updated = HashSet::new();
        for (i, (row, target)) in rows.iter().zip(&targets).enumerate() {
            if i % 1024 == 0 {
                progress(i as u64);
            }
            let id = match *target {
                Target::New(k) if k == i => {
                    let id = insert_customer(&tx, row, batch_id, country)?;
                    created.insert(id);
                    made.insert(i, id);
                    continue;
                }
                Target::New(k) => made.get(&k).copied().ok_or_else(unplanned)?,
                Target::Stored(id) => id,
            };
            if update_customer(&tx, id, row, country)? && !created.contains(&id) {
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
        Ok(plan(&self.conn, default_country, rows)?.problems)
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
    country: &str,
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
    add_lists(tx, id, row, country)?;
    Ok(id)
}

/// Overwrites the fields the row fills; true when anything changed.
fn update_customer(
    tx: &Transaction<'_>,
    id: i64,
    row: &ContactImport,
    country: &str,
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
    let added = add_lists(tx, id, row, country)?;
    Ok(changed > 0 || added)
}

/// Adds the row's emails, phones and tags the customer does not have yet.
fn add_lists(
    tx: &Transaction<'_>,
    id: i64,
    row: &ContactImport,
    country: &str,
) -> Result<bool, StoreError> {
    let mut added = false;
    for email in &row.emails {
        added |= add_email(tx, id, email)?;
    }
    for phone in &row.phones {
        added |= add_phone(tx, id, phone, &normalized_phone(phone, country))?;
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
