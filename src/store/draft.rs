//! Checking a customer draft before it is written, and writing its lists.

use crate::store::Refusal;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::domain::phone::{self, StoredPhone};
use crate::domain::{CustomerDraft, CustomerId};

use super::StoreError;
use crate::domain::email::check_email;

/// A draft whose fields have been trimmed and checked.
pub(crate) struct CleanDraft {
    pub reference: Option<String>,
    pub name: String,
    pub company: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<StoredPhone>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub tags: Vec<String>,
}

fn field(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// Checks what can be checked without the store. `self_id` is the customer
/// being updated, if any, and `kept` the phones they have now, as written: a
/// number stored before numbers were checked is kept as it is, not refused
/// at every later edit of the customer.
pub(crate) fn clean(
    draft: &CustomerDraft,
    self_id: Option<CustomerId>,
    kept: &[String],
    default_country: &str,
) -> Result<CleanDraft, StoreError> {
    let name = draft.name.trim();
    if name.is_empty() {
        return Err(StoreError::Refused(Refusal::NameBlank));
    }
    let mut emails: Vec<String> = Vec::new();
    for email in draft
        .emails
        .iter()
        .map(|e| e.trim())
        .filter(|e| !e.is_empty())
    {
        if let Err(bad) = check_email(email) {
            return Err(StoreError::Refused(Refusal::Email(bad)));
        }
        if !emails.iter().any(|e| e.eq_ignore_ascii_case(email)) {
            emails.push(email.to_string());
        }
    }
    let mut phones: Vec<StoredPhone> = Vec::new();
    for written in draft
        .phones
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        let stored = match phone::parse(written, default_country) {
            Ok(number) => StoredPhone::of(written, number),
            Err(refused) => kept
                .iter()
                .any(|k| k.trim() == written)
                .then(|| StoredPhone::lenient(written, default_country))
                .flatten()
                .ok_or_else(|| StoreError::Refused(Refusal::Phone(refused)))?,
        };
        let same =
            |p: &StoredPhone| p.normalized == stored.normalized && p.extension == stored.extension;
        if !phones.iter().any(same) {
            phones.push(stored);
        }
    }
    let mut tags: Vec<String> = Vec::new();
    for tag in draft
        .tags
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    if draft.contact_every_days == Some(0) {
        return Err(StoreError::Refused(Refusal::CadenceZero));
    }
    if self_id.is_some() && draft.referred_by == self_id {
        return Err(StoreError::Refused(Refusal::RefersThemselves));
    }
    Ok(CleanDraft {
        reference: field(&draft.reference),
        name: name.to_string(),
        company: field(&draft.company),
        emails,
        phones,
        address: field(&draft.address),
        city: field(&draft.city),
        tags,
    })
}

/// Checks what needs the store: the ref is free and the referrer exists.
pub(crate) fn check_in_store(
    tx: &Transaction<'_>,
    draft: &CustomerDraft,
    clean: &CleanDraft,
    self_id: Option<CustomerId>,
) -> Result<(), StoreError> {
    if let Some(reference) = &clean.reference {
        let holder: Option<i64> = tx
            .query_row(
                "SELECT id FROM customers WHERE ref = ?1",
                [reference],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(holder) = holder.filter(|h| Some(*h) != self_id) {
            return Err(StoreError::Refused(Refusal::RefTaken {
                reference: reference.clone(),
                holder,
            }));
        }
    }
    if let Some(referrer) = draft.referred_by {
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?1)",
            [referrer],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(StoreError::Refused(Refusal::NoSuchReferrer(referrer)));
        }
    }
    Ok(())
}

/// A ref for a customer without one: `K` and the zero-padded id, with a
/// suffix in the rare case an imported customer already holds it.
pub(crate) fn assign_ref(tx: &Transaction<'_>, id: CustomerId) -> Result<String, StoreError> {
    let base = format!("K{id:06}");
    let mut candidate = base.clone();
    let mut suffix = 1;
    loop {
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE ref = ?1)",
            [&candidate],
            |r| r.get(0),
        )?;
        if !taken {
            return Ok(candidate);
        }
        suffix += 1;
        candidate = format!("{base}-{suffix}");
    }
}

/// Replaces a customer's emails, phones and tags.
pub(crate) fn write_lists(
    tx: &Transaction<'_>,
    id: CustomerId,
    clean: &CleanDraft,
) -> Result<(), StoreError> {
    tx.execute("DELETE FROM customer_emails WHERE customer_id = ?1", [id])?;
    tx.execute("DELETE FROM customer_phones WHERE customer_id = ?1", [id])?;
    tx.execute("DELETE FROM customer_tags WHERE customer_id = ?1", [id])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO customer_emails (customer_id, position, email) VALUES (?1, ?2, ?3)",
    )?;
    for (position, email) in clean.emails.iter().enumerate() {
        insert.execute(params![id, position as i64, email])?;
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO customer_phones (customer_id, position, phone, phone_normalized,
             phone_extension)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (position, phone) in clean.phones.iter().enumerate() {
        insert.execute(params![
            id,
            position as i64,
            phone.written,
            phone.normalized,
            phone.extension
        ])?;
    }
    let mut insert = tx
        .prepare_cached("INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?1, ?2)")?;
    for tag in &clean.tags {
        insert.execute(params![id, tag])?;
    }
    Ok(())
}
