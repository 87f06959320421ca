//! Merging two records of one person into one.

use crate::store::Refusal;
use rusqlite::params;

use crate::domain::CustomerId;

use super::customers::require;
use super::values::now_text;
use super::{Store, StoreError};

impl Store {
    /// Moves everything of `other` to `keep` and deletes `other`, in one
    /// transaction: orders, interactions, follow-ups (a rule's follow-up that
    /// `keep` already has for the same anchor is dropped), the customers
    /// `other` referred, and the emails, phones and tags `keep` lacks. Empty
    /// fields of `keep` are filled from `other`, notes are joined, flags OR'd.
    pub fn merge_customers(
        &mut self,
        keep: CustomerId,
        other: CustomerId,
    ) -> Result<(), StoreError> {
        if keep == other {
            return Err(StoreError::Refused(Refusal::MergeIntoThemselves));
        }
        let user = self.user.clone();
        let tx = self.write()?;
        merge_in(&tx, keep, other, &user)?;
        tx.commit()?;
        Ok(())
    }
}

/// The merge inside the caller's transaction (see [`Store::merge_customers`]).
pub(super) fn merge_in(
    tx: &rusqlite::Connection,
    keep: CustomerId,
    other: CustomerId,
    user: &str,
) -> Result<(), StoreError> {
    if keep == other {
        return Err(StoreError::Refused(Refusal::MergeIntoThemselves));
    }
    require(tx, keep)?;
    require(tx, other)?;
    for table in ["orders", "interactions"] {
        tx.execute(
            &format!("UPDATE {table} SET customer_id = ?1 WHERE customer_id = ?2"),
            params![keep, other],
        )?;
    }
    tx.execute(
        "UPDATE followups SET customer_id = ?1 WHERE customer_id = ?2 AND NOT EXISTS (
                 SELECT 1 FROM followups k WHERE k.customer_id = ?1
                     AND k.rule = followups.rule AND k.anchor = followups.anchor)",
        params![keep, other],
    )?;
    tx.execute(
        "UPDATE customers SET referred_by = ?1 WHERE referred_by = ?2 AND id != ?1",
        params![keep, other],
    )?;
    tx.execute(
            "INSERT INTO customer_emails (customer_id, position, email)
             SELECT ?1, (SELECT coalesce(max(position), -1) FROM customer_emails WHERE customer_id = ?1)
                        + row_number() OVER (ORDER BY o.position), o.email
             FROM customer_emails o WHERE o.customer_id = ?2 AND NOT EXISTS (
                 SELECT 1 FROM customer_emails k WHERE k.customer_id = ?1
                     AND k.email = o.email COLLATE NOCASE)",
            params![keep, other],
        )?;
    tx.execute(
            "INSERT INTO customer_phones (customer_id, position, phone, phone_normalized,
                 phone_extension)
             SELECT ?1, (SELECT coalesce(max(position), -1) FROM customer_phones WHERE customer_id = ?1)
                        + row_number() OVER (ORDER BY o.position), o.phone, o.phone_normalized,
                        o.phone_extension
             FROM customer_phones o WHERE o.customer_id = ?2 AND NOT EXISTS (
                 SELECT 1 FROM customer_phones k WHERE k.customer_id = ?1
                     AND k.phone_normalized = o.phone_normalized
                     AND k.phone_extension IS o.phone_extension)",
            params![keep, other],
        )?;
    tx.execute(
        "INSERT OR IGNORE INTO customer_tags (customer_id, tag)
             SELECT ?1, tag FROM customer_tags WHERE customer_id = ?2",
        params![keep, other],
    )?;
    tx.execute(
        "UPDATE customers AS c SET
                 company = coalesce(nullif(c.company, ''), o.company),
                 address = coalesce(nullif(c.address, ''), o.address),
                 city = coalesce(nullif(c.city, ''), o.city),
                 source = coalesce(c.source, o.source),
                 referred_by = CASE
                     WHEN c.referred_by = ?2 THEN nullif(o.referred_by, ?1)
                     ELSE coalesce(c.referred_by, nullif(o.referred_by, ?1)) END,
                 prospect = c.prospect OR o.prospect,
                 advocate = c.advocate OR o.advocate,
                 marketing_consent = c.marketing_consent OR o.marketing_consent,
                 notes = CASE
                     WHEN o.notes = '' OR o.notes = c.notes THEN c.notes
                     WHEN c.notes = '' THEN o.notes
                     ELSE c.notes || char(10) || char(10) || o.notes END,
                 contact_every_days = coalesce(c.contact_every_days, o.contact_every_days),
                 created_at = min(c.created_at, o.created_at),
                 updated_at = ?3,
                 updated_by = ?4
             FROM (SELECT * FROM customers WHERE id = ?2) AS o
             WHERE c.id = ?1",
        params![keep, other, now_text(), user],
    )?;
    tx.execute("DELETE FROM customers WHERE id = ?1", [other])?;
    Ok(())
}
