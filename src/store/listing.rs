//! Every order and every contact, flat, for `kanta export`.

use serde::Serialize;

use super::customers::source_of_code;
use super::{Store, StoreError};
use crate::domain::ContactRow;

/// One order with its customer's ref: every field of an order kanta holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderListing {
    pub customer: String,
    pub date: String,
    pub amount_cents: i64,
    pub quantity: Option<i64>,
    pub order_id: Option<String>,
    pub discount: bool,
    pub note: Option<String>,
}

/// A list the query gathered as a JSON array (`json_group_array`): no
/// separator can be mistaken for part of an item, whatever the item holds.
fn list(json: Option<String>) -> rusqlite::Result<Vec<String>> {
    match json {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str(&json).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        }),
    }
}

impl Store {
    /// Every order, by date then id, held whole.
    pub fn order_listing(&self) -> Result<Vec<OrderListing>, StoreError> {
        let mut orders = Vec::new();
        self.each_order(|o| {
            orders.push(o);
            Ok::<(), StoreError>(())
        })?;
        Ok(orders)
    }

    /// Every order, by date then id, handed to `each` as it is read: an
    /// export of any size takes the same memory.
    pub fn each_order<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(OrderListing) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT c.ref, o.order_date, o.amount_cents, o.quantity, o.external_id, \
                 o.discount, o.note FROM orders o JOIN customers c ON c.id = o.customer_id \
                 ORDER BY o.order_date, o.id",
            )
            .map_err(StoreError::from)?;
        let mut rows = statement.query([]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let order = (|| {
                Ok::<_, rusqlite::Error>(OrderListing {
                    customer: r.get(0)?,
                    date: r.get(1)?,
                    amount_cents: r.get(2)?,
                    quantity: r.get(3)?,
                    order_id: r.get(4)?,
                    discount: r.get(5)?,
                    note: r.get(6)?,
                })
            })()
            .map_err(StoreError::from)?;
            each(order)?;
        }
        Ok(())
    }

    /// Every customer as a file states them (every field of a customer an
    /// owner keeps; the store's own bookkeeping, such as ids and batches,
    /// aside), by id, handed to `each` as they are read: an export of any
    /// size takes the same memory. Every field a customer always has is
    /// there, and the notes are absent when empty, as an import reads them.
    pub fn each_contact<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(ContactRow) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT c.ref, c.name, c.company, \
                 (SELECT json_group_array(email) FROM \
                   (SELECT email FROM customer_emails WHERE customer_id = c.id ORDER BY position)), \
                 (SELECT json_group_array(phone) FROM \
                   (SELECT phone FROM customer_phones WHERE customer_id = c.id ORDER BY position)), \
                 c.address, c.city, \
                 (SELECT json_group_array(tag) FROM \
                   (SELECT tag FROM customer_tags WHERE customer_id = c.id ORDER BY tag)), \
                 c.source, r.ref, c.notes, c.marketing_consent, c.prospect, c.advocate, \
                 c.contact_every_days \
                 FROM customers c LEFT JOIN customers r ON r.id = c.referred_by ORDER BY c.id",
            )
            .map_err(StoreError::from)?;
        let mut rows = statement.query([]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let contact = (|| {
                let source: Option<String> = r.get(8)?;
                let notes: String = r.get(10)?;
                Ok::<_, rusqlite::Error>(ContactRow {
                    line: 0,
                    reference: Some(r.get(0)?),
                    name: Some(r.get(1)?),
                    company: r.get(2)?,
                    emails: list(r.get(3)?)?,
                    phones: list(r.get(4)?)?,
                    address: r.get(5)?,
                    city: r.get(6)?,
                    tags: list(r.get(7)?)?,
                    source: source.as_deref().and_then(source_of_code),
                    referred_by: r.get(9)?,
                    birthday: None,
                    notes: Some(notes).filter(|n| !n.is_empty()),
                    marketing_consent: Some(r.get(11)?),
                    prospect: Some(r.get(12)?),
                    advocate: Some(r.get(13)?),
                    contact_every_days: r.get(14)?,
                })
            })()
            .map_err(StoreError::from)?;
            each(contact)?;
        }
        Ok(())
    }
}

#[cfg(test)]
impl Store {
    /// Every customer, by id, held whole: what the contacts exports list.
    pub(crate) fn contact_listing(&self) -> Result<Vec<crate::domain::Customer>, StoreError> {
        self.customers()
    }
}

fn instant(text: Option<String>) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(&text?)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

fn date(text: Option<String>) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(&text?, "%Y-%m-%d").ok()
}

impl Store {
    /// Every follow-up, open or done, with the local date it was done on.
    pub fn followup_listing(
        &self,
    ) -> Result<Vec<(crate::domain::FollowUp, Option<chrono::NaiveDate>)>, StoreError> {
        use crate::domain::{FollowUp, FollowUpStatus};
        let mut statement = self.conn.prepare(
            "SELECT id, customer_id, due, status, rule, anchor, reason, note, created_at, \
             done_at, figures, created_by, acted_by FROM followups ORDER BY due, id",
        )?;
        let rows = statement.query_map([], |r| {
            let status: String = r.get(3)?;
            let done_at = instant(r.get(9)?);
            let rule: Option<String> = r.get(4)?;
            let anchor = date(r.get(5)?);
            let reason: String = r.get(6)?;
            let stored: Option<String> = r.get(10)?;
            let figures =
                super::followups::figures_of(rule.as_deref(), anchor, &reason, stored.as_deref());
            let followup = FollowUp {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                // A due date a script wrote unreadably sorts first rather than failing.
                due: date(r.get(2)?).unwrap_or_default(),
                status: if status == "done" {
                    FollowUpStatus::Done
                } else {
                    FollowUpStatus::Open
                },
                rule,
                anchor,
                figures,
                reason,
                note: r.get(7)?,
                created_at: instant(r.get(8)?).unwrap_or_default(),
                done_at,
                created_by: r.get(11)?,
                acted_by: r.get(12)?,
            };
            let done_on = done_at.map(|t| t.with_timezone(&chrono::Local).date_naive());
            Ok((followup, done_on))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl Store {
    /// The ref and name of every customer, by id: what a report needs to name people.
    pub fn customer_names(
        &self,
    ) -> Result<std::collections::HashMap<crate::domain::CustomerId, (String, String)>, StoreError>
    {
        let mut statement = self.conn.prepare("SELECT id, ref, name FROM customers")?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
