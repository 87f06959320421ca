//! What the dashboard asks of the store: the effects `update` returns for
//! the loop to perform, and the items they name. Plain data, below the panes
//! and the forms that produce it.

use chrono::NaiveDate;

use crate::domain::CustomerId;
use crate::store::DuplicatePair;

use super::forms::FormResult;

/// What the loop must do against the store after an update.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    None,
    Quit,
    LoadCard(CustomerId),
    FollowUpDone(i64),
    /// A new due date chosen in the date form.
    Reschedule {
        id: i64,
        due: NaiveDate,
    },
    /// A day or a week later.
    Snooze {
        id: i64,
        due: NaiveDate,
    },
    SetNote {
        id: i64,
        note: String,
    },
    /// Read this customer and open the edit form on them.
    EditCustomer(CustomerId),
    /// Write a submitted form.
    Save(Box<FormResult>),
    DeleteCustomer(CustomerId),
    /// Erase the customer's personal data (SPEC section 9).
    EraseCustomer(CustomerId),
    /// Write everything held about the customer to a JSON file.
    ExportCustomer(CustomerId),
    /// Look for duplicates, compare a pair or merge one.
    Duplicates(DuplicatesEffect),
    /// Put this text on the clipboard of the terminal (OSC 52, so it works
    /// over SSH too).
    Copy(String),
    /// Say this on the status line.
    Status(String),
    /// Delete one order, contact or follow-up of the open card, once confirmed.
    DeleteItem(CardItem),
    /// Put back what the last undoable change changed (the app holds it).
    Undo,
}

/// One thing on the card the cursor can be on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardItem {
    FollowUp(i64),
    Order(i64),
    Interaction(i64),
}

/// What the duplicates views ask of the store.
#[derive(Debug, Clone, PartialEq)]
pub enum DuplicatesEffect {
    /// Look for candidate pairs (slow on a big store: a status is shown first).
    Find,
    /// Read both customers of a pair for the comparison.
    Compare(DuplicatePair),
    /// Merge `other` into `keep`, in one transaction.
    Merge { keep: CustomerId, other: CustomerId },
}
