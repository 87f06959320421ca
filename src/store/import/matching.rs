//! Which customer a contact row is (SPEC section 7), decided for a whole
//! file before anything is written: the customer with the row's ref; else,
//! with no ref, the one with one of its emails; else, with neither, the one
//! with one of its phones and the same name. Reads the store, writes nothing.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension};

use super::{ContactImport, RowProblem, customer_ids_by_email, customer_ids_by_ref};
use crate::store::StoreError;

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
pub(super) enum Target {
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
            .filter_map(|p| crate::domain::phone::StoredPhone::lenient(p, self.country))
            .map(|p| p.normalized)
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
pub(super) struct Plan {
    pub(super) targets: Vec<Target>,
    /// Every ref of the store and the file, and who has it.
    pub(super) by_ref: HashMap<String, Target>,
    /// Every `referred_by` that names no one, or the row itself.
    pub(super) problems: Vec<RowProblem>,
}

/// Who each row is, and every `referred_by` that names no one or the row
/// itself. Reads the store, writes nothing.
pub(super) fn plan(
    conn: &Connection,
    country: &str,
    rows: &[ContactImport],
) -> Result<Plan, StoreError> {
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
