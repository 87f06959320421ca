//! Tests of the store, on in-memory stores and on temporary files.

mod backups;
mod crud;
mod erase_export;
mod facts_load;
mod followups_interactions;
mod locks;
mod merge_duplicates;
mod open_ritual;
mod summaries;
mod undo;
mod who;

use chrono::NaiveDate;

use crate::domain::{CustomerDraft, CustomerId, OrderDraft};
use crate::store::Store;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn draft(name: &str) -> CustomerDraft {
    CustomerDraft {
        name: name.to_string(),
        ..CustomerDraft::default()
    }
}

fn order(customer_id: CustomerId, order_date: NaiveDate, amount_cents: i64) -> OrderDraft {
    OrderDraft {
        customer_id,
        order_date,
        amount_cents,
        ..OrderDraft::default()
    }
}

fn add(store: &mut Store, name: &str) -> CustomerId {
    store.insert_customer(&draft(name)).unwrap().id
}
