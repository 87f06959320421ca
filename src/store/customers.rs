//! Customers and their emails, phones and tags.

use crate::store::Record;

use rusqlite::{Connection, OptionalExtension, ToSql, params_from_iter};

use crate::domain::phone;
use crate::domain::{Customer, CustomerDraft, CustomerId, Listing, Source};

use super::draft::{CleanDraft, assign_ref, check_in_store, clean, write_lists};
use super::values::{Cols, now_text};
use super::{Store, StoreError};

const CUSTOMER_COLUMNS: &str = "id, ref, name, company, address, city, source, referred_by, \
     prospect, advocate, marketing_consent, notes, contact_every_days, created_at, updated_at, \
     updated_by";

/// The code of a source as stored; only the exact codes, since the column's
/// CHECK allows nothing else.
pub(crate) fn source_of_code(code: &str) -> Option<Source> {
    Source::ALL.into_iter().find(|s| s.code() == code)
}

/// How many columns a draft writes.
const EDITED: usize = 12;

/// The columns a draft writes, in the order of [`edited_values`].
const EDITED_COLUMNS: [&str; EDITED] = [
    "ref",
    "name",
    "company",
    "address",
    "city",
    "source",
    "referred_by",
    "prospect",
    "advocate",
    "marketing_consent",
    "notes",
    "contact_every_days",
];

/// The values a draft writes to [`EDITED_COLUMNS`], its ref as given.
fn edited_values<'a>(
    reference: Option<&'a String>,
    clean: &'a CleanDraft,
    draft: &'a CustomerDraft,
) -> [Box<dyn ToSql + 'a>; EDITED] {
    [
        Box::new(reference),
        Box::new(&clean.name),
        Box::new(&clean.company),
        Box::new(&clean.address),
        Box::new(&clean.city),
        Box::new(draft.source.map(Source::code)),
        Box::new(draft.referred_by),
        Box::new(draft.prospect),
        Box::new(draft.advocate),
        Box::new(draft.marketing_consent),
        Box::new(&draft.notes),
        Box::new(draft.contact_every_days),
    ]
}

fn read_customer(row: &rusqlite::Row<'_>) -> Result<Customer, StoreError> {
    let c = Cols::new(row, "customers", 0)?;
    Ok(Customer {
        id: c.id,
        reference: c.text(1)?,
        name: c.text(2)?,
        company: c.opt_text(3)?,
        emails: Vec::new(),
        phones: Vec::new(),
        phones_e164: Vec::new(),
        address: c.opt_text(4)?,
        city: c.opt_text(5)?,
        tags: Vec::new(),
        source: c.opt_code(6, source_of_code)?,
        referred_by: c.opt_i64(7)?,
        prospect: c.bool(8)?,
        advocate: c.bool(9)?,
        marketing_consent: c.bool(10)?,
        notes: c.text(11)?,
        contact_every_days: c.opt_u32(12)?,
        created_at: c.instant(13)?,
        updated_at: c.instant(14)?,
        updated_by: c.opt_text(15)?,
    })
}

/// Reads customers matching `filter` (a WHERE clause on `customers`, or empty)
/// with their lists.
/// The customer as the open transaction wrote them. Read before the commit:
/// once committed, the save has landed and nothing may report it failed.
fn read_back(tx: &Connection, id: CustomerId) -> Result<Customer, StoreError> {
    load_customers(tx, "WHERE id = ?1", &[&id])?
        .pop()
        .ok_or(StoreError::NotFound {
            what: Record::Customer,
            id,
        })
}

pub(crate) fn load_customers(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Customer>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers {filter} ORDER BY id"
    ))?;
    let mut rows = stmt.query(args)?;
    let mut customers = Vec::new();
    while let Some(row) = rows.next()? {
        customers.push(read_customer(row)?);
    }
    read_lists(conn, &mut customers)?;
    Ok(customers)
}

/// What carries a customer's emails, phones and tags: a whole customer, or
/// their listing.
trait WithLists {
    fn id(&self) -> CustomerId;
    fn emails(&mut self) -> &mut Vec<String>;
    /// The phones as written, and their E.164 keys.
    fn phones(&mut self) -> (&mut Vec<String>, &mut Vec<Option<phone::Number>>);
    fn tags(&mut self) -> &mut Vec<String>;
}

/// The same fields of both records.
macro_rules! with_lists {
    ($($record:ty),*) => {$(
        impl WithLists for $record {
            fn id(&self) -> CustomerId {
                self.id
            }
            fn emails(&mut self) -> &mut Vec<String> {
                &mut self.emails
            }
            fn phones(&mut self) -> (&mut Vec<String>, &mut Vec<Option<phone::Number>>) {
                (&mut self.phones, &mut self.phones_e164)
            }
            fn tags(&mut self) -> &mut Vec<String> {
                &mut self.tags
            }
        }
    )*};
}

with_lists!(Customer, Listing);

/// Fills the emails, phones and tags of `records`, ordered by id.
fn read_lists<T: WithLists>(conn: &Connection, records: &mut [T]) -> Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    // Ordered by id, as every list is: a merge, not a map.
    let position = |records: &[T], id: CustomerId| records.binary_search_by_key(&id, T::id).ok();
    // One customer: look up its lists by key; many: one scan of each list.
    let (scope, key): (&str, Option<i64>) = if records.len() == 1 {
        ("WHERE customer_id = ?1", Some(records[0].id()))
    } else {
        ("", None)
    };
    let lists = [
        ("customer_emails", "email", "ORDER BY customer_id, position"),
        (
            "customer_phones",
            "phone, phone_normalized",
            "ORDER BY customer_id, position",
        ),
        ("customer_tags", "tag", "ORDER BY customer_id, tag"),
    ];
    for (list, (table, column, order)) in lists.iter().enumerate() {
        let mut stmt = conn.prepare(&format!(
            "SELECT customer_id, {column} FROM {table} {scope} {order}"
        ))?;
        let mut rows = match key {
            Some(id) => stmt.query([id])?,
            None => stmt.query([])?,
        };
        while let Some(row) = rows.next()? {
            let c = Cols::new(row, table, 0)?;
            let Some(at) = position(records, c.id) else {
                continue;
            };
            let value = c.text(1)?;
            let record = &mut records[at];
            match list {
                0 => record.emails().push(value),
                1 => {
                    let e164 = phone::Number::from_e164(&c.text(2)?);
                    let (phones, keys) = record.phones();
                    phones.push(value);
                    keys.push(e164);
                }
                _ => record.tags().push(value),
            }
        }
    }
    Ok(())
}

/// The listings of every customer, or of the one `id`, ordered by id.
fn read_listings(conn: &Connection, id: Option<CustomerId>) -> Result<Vec<Listing>, StoreError> {
    let mut stmt = conn.prepare_cached(match id {
        Some(_) => "SELECT id, ref, name, company, city FROM customers WHERE id = ?1",
        None => "SELECT id, ref, name, company, city FROM customers ORDER BY id",
    })?;
    let mut rows = match id {
        Some(id) => stmt.query([id])?,
        None => stmt.query([])?,
    };
    let mut listings = Vec::new();
    while let Some(row) = rows.next()? {
        let c = Cols::new(row, "customers", 0)?;
        listings.push(Listing {
            id: c.id,
            reference: c.text(1)?,
            name: c.text(2)?,
            company: c.opt_text(3)?,
            city: c.opt_text(4)?,
            ..Listing::default()
        });
    }
    read_lists(conn, &mut listings)?;
    Ok(listings)
}

/// A customer's phones as written.
fn phones_of(conn: &Connection, id: CustomerId) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT phone FROM customer_phones WHERE customer_id = ?1 ORDER BY position",
    )?;
    let phones = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(phones)
}

pub(crate) fn exists(conn: &Connection, id: CustomerId) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

pub(crate) fn require(conn: &Connection, id: CustomerId) -> Result<(), StoreError> {
    if exists(conn, id)? {
        Ok(())
    } else {
        Err(StoreError::NotFound {
            what: Record::Customer,
            id,
        })
    }
}

impl Store {
    /// Inserts a customer in its own transaction. A draft without a ref gets one
    /// assigned (`K000123`). An empty name or a ref in use is `StoreError::Invalid`.
    pub fn insert_customer(&mut self, draft: &CustomerDraft) -> Result<Customer, StoreError> {
        let clean = clean(draft, None, &[], &self.default_country)?;
        let user = self.user.clone();
        let tx = self.write()?;
        check_in_store(&tx, draft, &clean, None)?;
        let id: CustomerId =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM customers", [], |r| {
                r.get(0)
            })?;
        let reference = match &clean.reference {
            Some(reference) => reference.clone(),
            None => assign_ref(&tx, id)?,
        };
        let now = now_text();
        let edited = edited_values(Some(&reference), &clean, draft);
        tx.execute(
            &format!(
                "INSERT INTO customers ({}, id, created_at, updated_at, updated_by)
                 VALUES ({}, ?{}, ?{at}, ?{at}, ?{})",
                EDITED_COLUMNS.join(", "),
                (1..=EDITED)
                    .map(|i| format!("?{i}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                EDITED + 1,
                EDITED + 3,
                at = EDITED + 2,
            ),
            params_from_iter(edited.iter().map(|v| v.as_ref()).chain([
                &id as &dyn ToSql,
                &now,
                &user,
            ])),
        )?;
        write_lists(&tx, id, &clean)?;
        let saved = read_back(&tx, id)?;
        tx.commit()?;
        Ok(saved)
    }

    /// Replaces the editable fields of a customer (emails, phones and tags too).
    /// A draft without a ref keeps the customer's ref.
    pub fn update_customer(
        &mut self,
        id: CustomerId,
        draft: &CustomerDraft,
    ) -> Result<Customer, StoreError> {
        self.update_customer_seen(id, draft, None)
    }

    /// As [`Store::update_customer`], but only while the customer is still as
    /// `seen` (when the edit form opened): a change by another window or a
    /// script since then is [`StoreError::ChangedElsewhere`], checked inside
    /// the save's own transaction, so no edit silently overwrites another.
    pub fn update_customer_seen(
        &mut self,
        id: CustomerId,
        draft: &CustomerDraft,
        seen: Option<&Customer>,
    ) -> Result<Customer, StoreError> {
        let kept = phones_of(&self.conn, id)?;
        let clean = clean(draft, Some(id), &kept, &self.default_country)?;
        let user = self.user.clone();
        let tx = self.write()?;
        require(&tx, id)?;
        if let Some(seen) = seen {
            let current = load_customers(&tx, "WHERE id = ?1", &[&id])?.pop();
            if let Some(current) = current.filter(|c| c != seen) {
                return Err(StoreError::ChangedElsewhere {
                    current: Box::new(current),
                });
            }
        }
        check_in_store(&tx, draft, &clean, Some(id))?;
        let now = now_text();
        let edited = edited_values(clean.reference.as_ref(), &clean, draft);
        // A draft without a ref keeps the customer's.
        let set: Vec<String> = EDITED_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, column)| match *column {
                "ref" => format!("ref = coalesce(?{}, ref)", i + 1),
                _ => format!("{column} = ?{}", i + 1),
            })
            .collect();
        tx.execute(
            &format!(
                "UPDATE customers SET {}, updated_at = ?{}, updated_by = ?{} WHERE id = ?{}",
                set.join(", "),
                EDITED + 1,
                EDITED + 2,
                EDITED + 3,
            ),
            params_from_iter(edited.iter().map(|v| v.as_ref()).chain([
                &now as &dyn ToSql,
                &user,
                &id,
            ])),
        )?;
        write_lists(&tx, id, &clean)?;
        let saved = read_back(&tx, id)?;
        tx.commit()?;
        Ok(saved)
    }

    /// Deletes a customer with their orders, interactions and follow-ups.
    /// Customers they referred keep their record, without the link.
    pub fn delete_customer(&mut self, id: CustomerId) -> Result<(), StoreError> {
        let tx = self.write()?;
        if tx.execute("DELETE FROM customers WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::NotFound {
                what: Record::Customer,
                id,
            });
        }
        tx.commit()?;
        Ok(())
    }

    pub fn customer(&self, id: CustomerId) -> Result<Option<Customer>, StoreError> {
        let _snapshot = self.snapshot()?;
        Ok(load_customers(&self.conn, "WHERE id = ?1", &[&id])?.pop())
    }

    pub fn customer_by_ref(&self, reference: &str) -> Result<Option<Customer>, StoreError> {
        let _snapshot = self.snapshot()?;
        Ok(load_customers(&self.conn, "WHERE ref = ?1", &[&reference])?.pop())
    }

    /// Every customer, ordered by id, with emails, phones and tags.
    pub fn customers(&self) -> Result<Vec<Customer>, StoreError> {
        let _snapshot = self.snapshot()?;
        load_customers(&self.conn, "", &[])
    }

    /// Every customer's listing, by id: what the dashboard's lists and search
    /// need, without reading addresses, notes and timestamps.
    pub fn listings(&self) -> Result<Vec<Listing>, StoreError> {
        let _snapshot = self.snapshot()?;
        read_listings(&self.conn, None)
    }

    /// `listings` (ordered by id, as [`Store::listings`] gives them) with
    /// those of the customers `changed` read again, in one snapshot, as
    /// `Store::patch_facts` does the facts.
    pub fn patch_listings(
        &self,
        listings: Vec<Listing>,
        changed: &[CustomerId],
    ) -> Result<Vec<Listing>, StoreError> {
        super::patch::patch(
            self,
            super::patch::Old::Owned(listings),
            changed,
            |l| l.id,
            || self.listings(),
            |id| read_listings(&self.conn, Some(id)),
        )
    }

    /// The listing of customer `id`, `None` when there is none.
    pub(crate) fn listing_of(&self, id: CustomerId) -> Result<Option<Listing>, StoreError> {
        Ok(read_listings(&self.conn, Some(id))?.pop())
    }

    /// The customers `id` referred, by id.
    pub fn referrals_of(&self, id: CustomerId) -> Result<Vec<CustomerId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM customers WHERE referred_by = ?1 ORDER BY id")?;
        let ids = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }

    /// The customer with this email, compared case-insensitively (the lowest id
    /// when, unusually, several share it).
    pub fn find_by_email(&self, email: &str) -> Result<Option<CustomerId>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT customer_id FROM customer_emails WHERE email = ?1 COLLATE NOCASE
                 ORDER BY customer_id LIMIT 1",
                [email.trim()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Customers with a phone whose normalised form is `normalized`, by id.
    pub fn find_by_phone(&self, normalized: &str) -> Result<Vec<CustomerId>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT customer_id FROM customer_phones WHERE phone_normalized = ?1
             ORDER BY customer_id",
        )?;
        let ids = stmt
            .query_map([normalized], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }
}

impl Store {
    /// How many customers the store holds.
    pub fn customer_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
