//! GDPR erasure and access (SPEC section 9).

use crate::store::Record;
use serde_json::{Value, json};

use crate::domain::CustomerId;

use super::customers::{load_customers, require};
use super::erasure::erase_personal_data;
#[cfg(test)]
use super::erasure::{Column, ERASURE, Rows};
use super::followups::load_followups;
use super::interactions::load_interactions;
use super::orders::load_orders;
use super::sweep::{CopiesSwept, erase_from_copies};
use super::{Store, StoreError};

#[cfg(test)]
#[path = "erase_tests.rs"]
mod tests;

impl Store {
    /// Erases a customer's personal data from the store and from every copy
    /// kanta made of it ([`Store::erase_customer_everywhere`]). A copy it cannot
    /// vouch for is an error naming each such file, after the erasure.
    pub fn erase_customer(&mut self, id: CustomerId) -> Result<(), StoreError> {
        let swept = self.erase_customer_everywhere(id)?;
        if swept.unvouched.is_empty() {
            return Ok(());
        }
        Err(StoreError::Invalid(format!(
            "the customer is erased, but kanta cannot vouch for {}",
            swept.unvouched.join("; ")
        )))
    }

    /// Erases a customer's personal data in one transaction (see
    /// [`erase_personal_data`]), then from the store's backups, and deletes
    /// their exports ([`erase_from_copies`]). Returns what it did to the copies
    /// and every file it cannot vouch for.
    ///
    /// Secure delete (on for every connection) zeroes the old content in the
    /// file; the truncating checkpoint afterwards empties the write-ahead log,
    /// which still holds older copies of the pages.
    pub fn erase_customer_everywhere(&mut self, id: CustomerId) -> Result<CopiesSwept, StoreError> {
        let former_ref: String = {
            let tx = self.write()?;
            require(&tx, id)?;
            let former_ref =
                tx.query_row("SELECT ref FROM customers WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            erase_personal_data(&tx, id)?;
            tx.commit()?;
            former_ref
        };
        // The erasure has landed: from here on nothing may report it failed.
        // A checkpoint that cannot run counts as one another reader blocked.
        // Litestream holds a read of its own on a replicated store and must
        // not be fought with a truncating checkpoint: a passive one then.
        let replicated = super::copies::is_replicated(self.path());
        let mode = if replicated { "PASSIVE" } else { "TRUNCATE" };
        let busy = self
            .conn
            .query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap_or(1);
        // A store in memory (the tests') has no folder and no copies.
        let mut swept = if self.path().is_file() {
            erase_from_copies(self.path(), id, &former_ref)
        } else {
            CopiesSwept::default()
        };
        if replicated {
            swept.unvouched.push(format!(
                "the off-site replica of {} (Litestream) keeps older copies of their data until its retention removes them",
                self.path().display()
            ));
        } else if busy != 0 {
            swept.unvouched.insert(
                0,
                format!(
                    "{}-wal: another program reading the store kept older copies in its journal; \
                     close other kanta windows and erase again to remove them",
                    self.path().display()
                ),
            );
        }
        Ok(swept)
    }

    /// Everything held about a customer, as JSON (GDPR access): the customer
    /// with emails, phones and tags, orders, interactions, follow-ups, who
    /// referred them and whom they referred.
    pub fn export_customer(&self, id: CustomerId) -> Result<Value, StoreError> {
        require(&self.conn, id)?;
        let customer = load_customers(&self.conn, "WHERE id = ?1", &[&id])?
            .pop()
            .ok_or(StoreError::NotFound {
                what: Record::Customer,
                id,
            })?;
        let brief = |other: Option<CustomerId>| -> Result<Value, StoreError> {
            let Some(other) = other else {
                return Ok(Value::Null);
            };
            Ok(self.customer(other)?.map_or(
                Value::Null,
                |c| json!({"id": c.id, "ref": c.reference, "name": c.name}),
            ))
        };
        let referred_by = brief(customer.referred_by)?;
        let referred = self
            .referrals_of(id)?
            .into_iter()
            .map(|r| brief(Some(r)))
            .collect::<Result<Vec<_>, _>>()?;
        let erased: bool = self.conn.query_row(
            "SELECT erased != 0 FROM customers WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let orders = load_orders(
            &self.conn,
            "WHERE customer_id = ?1 ORDER BY order_date, id",
            &[&id],
        )?;
        let interactions =
            load_interactions(&self.conn, "WHERE customer_id = ?1 ORDER BY at, id", &[&id])?;
        let followups = load_followups(
            &self.conn,
            "WHERE customer_id = ?1 ORDER BY due, id",
            &[&id],
        )?;
        let to_json =
            |v: serde_json::Result<Value>| v.map_err(|e| StoreError::Invalid(e.to_string()));
        Ok(json!({
            "customer": to_json(serde_json::to_value(&customer))?,
            "erased": erased,
            "orders": to_json(serde_json::to_value(&orders))?,
            "interactions": to_json(serde_json::to_value(&interactions))?,
            "followups": to_json(serde_json::to_value(&followups))?,
            "referred_by": referred_by,
            "referred": referred,
        }))
    }
}
