//! What erasing a customer does to every table of the store (SPEC section
//! 9), and the erasure itself: one plan, applied to the store and to each of
//! its copies alike.

use rusqlite::{Connection, params};

use crate::domain::CustomerId;

use super::StoreError;
use super::values::now_text;

/// What erasing a customer does with one column of a row that stays.
#[derive(Debug, Clone, Copy)]
pub(super) enum Column {
    /// Set to this SQL value (`?1` is the customer's id).
    Blanked(&'static str),
    /// Set to the time of the erasure.
    Stamped,
    /// Left as it is, for the reason given.
    Kept(
        #[cfg_attr(not(test), expect(dead_code, reason = "a reason for the reader"))] &'static str,
    ),
}

/// What erasing a customer does with a table.
#[derive(Debug, Clone, Copy)]
pub(super) enum Rows {
    /// The rows matching this condition (`?1` is the customer's id) are deleted.
    Deleted(&'static str),
    /// The rows matching the condition stay; each of their columns is named.
    Stay(&'static str, &'static [(&'static str, Column)]),
    /// The table holds nothing of a customer, for the reason given.
    NotPersonal(
        #[cfg_attr(not(test), expect(dead_code, reason = "a reason for the reader"))] &'static str,
    ),
}

use Column::{Blanked, Kept, Stamped};

/// Every table of the store and what the erasure does to it, in the order
/// it is done. A test reads the migrated schema and fails on any table or
/// column not named here, so a new column cannot be missed by an erasure.
pub(super) const ERASURE: &[(&str, Rows)] = &[
    (
        "customers",
        Rows::Stay(
            "id = ?1",
            &[
                (
                    "id",
                    Kept("the row stays, so every aggregate stays the same"),
                ),
                // An import may have taken the ref from an email address.
                ("ref", Blanked("'erased-' || id")),
                ("name", Blanked("'erased'")),
                ("company", Blanked("NULL")),
                ("address", Blanked("NULL")),
                ("city", Blanked("NULL")),
                (
                    "source",
                    Kept("how customers came to us, counted in the figures"),
                ),
                (
                    "referred_by",
                    Kept("the id of another customer, not this one's data"),
                ),
                (
                    "prospect",
                    Kept("a stage of the pyramid, counted in the figures"),
                ),
                (
                    "advocate",
                    Kept("a stage of the pyramid, counted in the figures"),
                ),
                ("marketing_consent", Blanked("0")),
                ("notes", Blanked("''")),
                ("contact_every_days", Blanked("NULL")),
                ("erased", Blanked("1")),
                (
                    "batch_id",
                    Kept("which import wrote the row: the owner's record"),
                ),
                (
                    "created_at",
                    Kept("when the customer came, counted in the figures"),
                ),
                ("updated_at", Stamped),
                ("updated_by", Kept("the staff's record, not the customer's")),
            ],
        ),
    ),
    // A call from one of their numbers names them too; before their phones go.
    (
        "calls",
        Rows::Deleted(
            "number_normalized IN \
             (SELECT phone_normalized FROM customer_phones WHERE customer_id = ?1)",
        ),
    ),
    ("customer_emails", Rows::Deleted("customer_id = ?1")),
    ("customer_phones", Rows::Deleted("customer_id = ?1")),
    ("customer_tags", Rows::Deleted("customer_id = ?1")),
    ("interactions", Rows::Deleted("customer_id = ?1")),
    ("followups", Rows::Deleted("customer_id = ?1")),
    (
        "orders",
        Rows::Stay(
            "customer_id = ?1",
            &[
                (
                    "id",
                    Kept("the orders stay, so every aggregate stays the same"),
                ),
                ("customer_id", Kept("the erased row's id")),
                ("order_date", Kept("a figure of the purchase")),
                ("amount_cents", Kept("a figure of the purchase")),
                ("quantity", Kept("a figure of the purchase")),
                (
                    "external_id",
                    Kept("the shop's order number, not the customer's"),
                ),
                ("discount", Kept("a figure of the purchase")),
                ("note", Blanked("NULL")),
                // The import key of a row may hold the customer key (an email).
                ("import_key", Blanked("NULL")),
                (
                    "batch_id",
                    Kept("which import wrote the row: the owner's record"),
                ),
                ("created_at", Kept("when the order was written")),
                ("entered_by", Kept("the staff's record, not the customer's")),
            ],
        ),
    ),
    (
        "import_batches",
        Rows::NotPersonal("the owner's files: their names, hashes and counts"),
    ),
    (
        "dashboards",
        Rows::NotPersonal("the dashboards open on the store"),
    ),
    (
        "pyramid_frames",
        Rows::NotPersonal("counts of customers per stage, naming nobody"),
    ),
    (
        "order_summaries",
        Rows::Stay(
            "customer_id = ?1",
            &[
                ("customer_id", Kept("the customer's row stays, erased")),
                ("first_purchase", Kept("of the orders, which stay")),
                ("second_purchase", Kept("of the orders, which stay")),
                ("last_purchase", Kept("of the orders, which stay")),
                ("purchase_days", Kept("of the orders, which stay")),
                ("monetary_cents", Kept("of the orders, which stay")),
                ("first_order", Kept("of the orders, which stay")),
                ("last_order", Kept("of the orders, which stay")),
                ("unreadable", Kept("of the orders, which stay")),
            ],
        ),
    ),
    (
        "customer_changes",
        Rows::Stay(
            "customer_id = ?1",
            &[
                ("seq", Kept("a number")),
                // The erasure's own writes are logged here: an open window
                // reads the customer again and shows them erased.
                ("customer_id", Kept("the customer's row stays, erased")),
            ],
        ),
    ),
];

/// The erasure itself, by customer id, inside the caller's transaction, as
/// [`ERASURE`] says: name, contact fields, notes, lists, interactions,
/// follow-ups and order notes go; the row and its orders stay, so every
/// aggregate stays the same. The store and each of its backups are erased by
/// this one function.
pub(super) fn erase_personal_data(tx: &Connection, id: CustomerId) -> Result<(), StoreError> {
    let now = now_text();
    for (table, rows) in ERASURE {
        match rows {
            Rows::Deleted(matching) => {
                tx.execute(&format!("DELETE FROM {table} WHERE {matching}"), [id])?;
            }
            Rows::Stay(matching, columns) => {
                let set: Vec<String> = columns
                    .iter()
                    .filter_map(|(column, fate)| match fate {
                        Blanked(value) => Some(format!("{column} = {value}")),
                        Stamped => Some(format!("{column} = ?2")),
                        Kept(_) => None,
                    })
                    .collect();
                // Every column kept: nothing to write.
                if set.is_empty() {
                    continue;
                }
                let sql = format!("UPDATE {table} SET {} WHERE {matching}", set.join(", "));
                if columns.iter().any(|(_, fate)| matches!(fate, Stamped)) {
                    tx.execute(&sql, params![id, now])?;
                } else {
                    tx.execute(&sql, [id])?;
                }
            }
            Rows::NotPersonal(_) => {}
        }
    }
    Ok(())
}
