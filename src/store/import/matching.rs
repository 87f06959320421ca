//! Which customer a contact row is (SPEC section 7), decided row by row as
//! the file is read: the customer with the row's ref; else, with no ref, the
//! one with one of its emails; else, with neither, the one with one of its
//! phones and the same name. The store is the truth for names; the keys are
//! kept at hand, the store's and those of the rows written so far.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension};

use super::{ContactImport, customer_ids_by_email, customer_ids_by_ref};
use crate::store::StoreError;

/// A name as two spellings of one person compare: case and spacing aside.
fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
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
/// and the ones the rows written so far made or changed.
pub(super) struct Known<'a> {
    conn: &'a Connection,
    country: &'a str,
    /// The import's own batch: its customers are no stored namesakes.
    batch_id: i64,
    pub(super) by_ref: super::refs::RefIds,
    by_email: HashMap<String, i64>,
    by_phone: HashMap<String, Vec<i64>>,
    /// Stored customers by `name_key`, loaded when a row has only a name.
    namesakes: Option<HashMap<String, Vec<Namesake>>>,
    /// Namesakes a row of this file already is.
    claimed: HashSet<i64>,
}

impl<'a> Known<'a> {
    pub(super) fn load(
        conn: &'a Connection,
        country: &'a str,
        batch_id: i64,
    ) -> Result<Known<'a>, StoreError> {
        let by_ref = customer_ids_by_ref(conn)?;
        let by_email = customer_ids_by_email(conn)?;
        let mut by_phone: HashMap<String, Vec<i64>> = HashMap::new();
        let mut statement = conn.prepare(
            "SELECT phone_normalized, customer_id FROM customer_phones ORDER BY customer_id",
        )?;
        for row in statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
            let (phone, id) = row?;
            let sharing = by_phone.entry(phone).or_default();
            if !sharing.contains(&id) {
                sharing.push(id);
            }
        }
        Ok(Known {
            conn,
            country,
            batch_id,
            by_ref,
            by_email,
            by_phone,
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

    /// A customer's name as the import has left it so far, by `name_key`.
    fn name_of(&self, id: i64) -> Result<Option<String>, StoreError> {
        let name: Option<String> = self
            .conn
            .prepare_cached("SELECT name FROM customers WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(name.as_deref().map(name_key))
    }

    /// SPEC section 7: the customer with the row's ref; else, with no ref,
    /// the one with one of its emails; else, with neither, the one with one
    /// of its phones and the same name. A ref kanta does not know is a new
    /// customer whatever else it shares, and so is a namesake on a shared
    /// phone: `customer duplicates` offers such pairs, nothing merges them.
    pub(super) fn find(&mut self, row: &ContactImport) -> Result<Option<i64>, StoreError> {
        if let Some(reference) = &row.reference {
            return Ok(self.by_ref.get(reference));
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
                for id in sharing {
                    if self.name_of(id)?.as_deref() == Some(name.as_str()) {
                        return Ok(Some(id));
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
    /// namesakes in one file stay two (the customers this import makes are
    /// no stored namesakes).
    fn namesake(&mut self, row: &ContactImport, name: &str) -> Result<Option<i64>, StoreError> {
        if self.namesakes.is_none() {
            let mut by_name: HashMap<String, Vec<Namesake>> = HashMap::new();
            let mut statement = self.conn.prepare(
                "SELECT id, name, company, city FROM customers \
                 WHERE erased = 0 AND batch_id IS NOT ?1 ORDER BY id",
            )?;
            let rows = statement.query_map([self.batch_id], |r| {
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
        Ok(found)
    }

    /// What a row written to customer `id` tells of it for the rows after it.
    pub(super) fn remember(&mut self, id: i64, row: &ContactImport) {
        if let Some(reference) = &row.reference {
            self.by_ref.add(reference, id);
        }
        for email in &row.emails {
            self.by_email.entry(email.to_lowercase()).or_insert(id);
        }
        for phone in self.phones(row) {
            let sharing = self.by_phone.entry(phone).or_default();
            if !sharing.contains(&id) {
                sharing.push(id);
            }
        }
    }
}
