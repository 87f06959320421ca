//! A customer's fields, in one place: the customer as stored, the fields a
//! form or a script edits, and a customer as a file states it. A new customer
//! column is added here, in the schema, and in the places that truly differ:
//! the store's statements, each file format's columns and the form.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{CustomerId, Source, phone};

/// A customer as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    /// Stable identifier (`ref` in the store and in reports).
    #[serde(rename = "ref")]
    pub reference: String,
    pub name: String,
    pub company: Option<String>,
    pub emails: Vec<String>,
    /// Phone numbers as the owner wrote them.
    pub phones: Vec<String>,
    /// The same numbers in E.164 as the store keys them ([`phone`]), in the
    /// order of `phones`; `None` for one kept as its digits, no number.
    /// Derived from them, so not exported.
    #[serde(skip)]
    pub phones_e164: Vec<Option<phone::Number>>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub tags: Vec<String>,
    pub source: Option<Source>,
    pub referred_by: Option<CustomerId>,
    pub prospect: bool,
    pub advocate: bool,
    pub marketing_consent: bool,
    pub notes: String,
    /// "Contact every N days" cadence (follow-up rule), if set.
    pub contact_every_days: Option<u32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Who last edited the customer in a form (or merged another into them).
    pub updated_by: Option<String>,
}

/// What the lists and the search know of a customer: who they are and how
/// they are found, without their address, notes or history. A dashboard
/// load reads these rather than whole customers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Listing {
    pub id: CustomerId,
    pub reference: String,
    pub name: String,
    pub company: Option<String>,
    pub city: Option<String>,
    pub emails: Vec<String>,
    /// As written.
    pub phones: Vec<String>,
    /// In E.164 as the store keys them, in the order of `phones`.
    pub phones_e164: Vec<Option<phone::Number>>,
    pub tags: Vec<String>,
}

impl Listing {
    /// The listing of `id` in `listings` ordered by id, as the store gives them.
    pub fn find(listings: &[Listing], id: CustomerId) -> Option<&Listing> {
        listings
            .binary_search_by_key(&id, |l| l.id)
            .ok()
            .and_then(|at| listings.get(at))
    }

    /// The listing of a whole customer.
    pub fn of(customer: &Customer) -> Listing {
        Listing {
            id: customer.id,
            reference: customer.reference.clone(),
            name: customer.name.clone(),
            company: customer.company.clone(),
            city: customer.city.clone(),
            emails: customer.emails.clone(),
            phones: customer.phones.clone(),
            phones_e164: customer.phones_e164.clone(),
            tags: customer.tags.clone(),
        }
    }
}

/// The editable fields of a customer, for inserts and updates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerDraft {
    /// `None` lets the store assign a ref.
    pub reference: Option<String>,
    pub name: String,
    pub company: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub tags: Vec<String>,
    pub source: Option<Source>,
    pub referred_by: Option<CustomerId>,
    pub prospect: bool,
    pub advocate: bool,
    pub marketing_consent: bool,
    pub notes: String,
    pub contact_every_days: Option<u32>,
}

/// A customer as a file states it: what an import reads (CSV, vCard, JSON)
/// and what an export writes. Every field may be absent, since a file may
/// leave it out; the ref of the customer who referred them stands for them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactRow {
    /// 1-based physical line in the file (a vCard's `BEGIN` line); 0 for a
    /// row read from the store.
    pub(crate) line: usize,
    pub(crate) reference: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) company: Option<String>,
    pub(crate) emails: Vec<String>,
    /// As written; the importer normalizes them (`domain::phone`).
    pub(crate) phones: Vec<String>,
    pub(crate) address: Option<String>,
    pub(crate) city: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) source: Option<Source>,
    /// The `ref` of the customer who recommended this one.
    pub(crate) referred_by: Option<String>,
    pub(crate) birthday: Option<NaiveDate>,
    /// As written, spaces and line breaks kept.
    pub(crate) notes: Option<String>,
    /// None when the file does not say (an update keeps what the store holds).
    pub(crate) marketing_consent: Option<bool>,
    pub(crate) prospect: Option<bool>,
    pub(crate) advocate: Option<bool>,
    /// Days between contacts the owner wants with this customer.
    pub(crate) contact_every_days: Option<u32>,
}

impl ContactRow {
    /// The name a new customer gets: the name, else the company, else an
    /// email, the ref or a phone.
    pub(crate) fn display_name(&self) -> Option<&str> {
        self.name
            .as_deref()
            .or(self.company.as_deref())
            .or(self.emails.first().map(String::as_str))
            .or(self.reference.as_deref())
            .or(self.phones.first().map(String::as_str))
    }

    /// The notes as the store keeps them: it has no birthday field, so the
    /// birthday is written into the notes, where the owner still sees it.
    pub(crate) fn notes_with_birthday(&self) -> Option<String> {
        match (&self.notes, self.birthday) {
            (notes, None) => notes.clone(),
            (None, Some(day)) => Some(format!("Birthday {day}")),
            (Some(notes), Some(day)) => Some(format!("{notes}\nBirthday {day}")),
        }
    }
}
