//! The erasure names every table and column of the store: a column added by a
//! migration and forgotten by [`ERASURE`] fails here.

use std::collections::BTreeSet;

use rusqlite::Connection;

use super::{Column, ERASURE, Rows};
use crate::store::Store;

fn tables(conn: &Connection) -> Vec<String> {
    let mut statement = conn
        .prepare(
            "SELECT name FROM pragma_table_list \
             WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .unwrap();
    statement
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn columns(conn: &Connection, table: &str) -> BTreeSet<String> {
    let mut statement = conn
        .prepare("SELECT name FROM pragma_table_info(?1)")
        .unwrap();
    statement
        .query_map([table], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Every way the erasure and the schema disagree, one sentence each.
fn disagreements(conn: &Connection) -> Vec<String> {
    let mut wrong = Vec::new();
    let stored = tables(conn);
    for table in &stored {
        let Some((_, rows)) = ERASURE.iter().find(|(t, _)| t == table) else {
            wrong.push(format!(
                "table {table}: erase neither deletes, keeps nor passes it"
            ));
            continue;
        };
        let have = columns(conn, table);
        match rows {
            Rows::Stay(_, named) => {
                for column in &have {
                    if !named.iter().any(|(c, _)| c == column) {
                        wrong.push(format!(
                            "{table}.{column}: erase neither blanks it nor says why it is kept"
                        ));
                    }
                }
                for (column, fate) in named.iter() {
                    if !have.contains(*column) {
                        wrong.push(format!(
                            "{table}.{column}: named by erase, not in the store"
                        ));
                    }
                    if let Column::Kept(why) = fate
                        && why.trim().is_empty()
                    {
                        wrong.push(format!("{table}.{column}: kept without a reason"));
                    }
                }
            }
            Rows::NotPersonal(why) => {
                if have.contains("customer_id") {
                    wrong.push(format!(
                        "table {table}: names a customer, so it is not free of their data"
                    ));
                }
                if why.trim().is_empty() {
                    wrong.push(format!("table {table}: passed over without a reason"));
                }
            }
            Rows::Deleted(_) => {}
        }
    }
    for (table, _) in ERASURE {
        if !stored.iter().any(|t| t == table) {
            wrong.push(format!("table {table}: named by erase, not in the store"));
        }
    }
    wrong
}

#[test]
fn erase_names_every_table_and_column_of_a_fresh_store() {
    let store = Store::open_in_memory().unwrap();
    let wrong = disagreements(store.connection());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_column_erase_does_not_name_is_found() {
    let store = Store::open_in_memory().unwrap();
    store
        .connection()
        .execute_batch(
            "ALTER TABLE customers ADD COLUMN birthday TEXT; \
             CREATE TABLE customer_letters (customer_id INTEGER, text TEXT);",
        )
        .unwrap();
    assert_eq!(
        disagreements(store.connection()),
        [
            "table customer_letters: erase neither deletes, keeps nor passes it",
            "customers.birthday: erase neither blanks it nor says why it is kept",
        ]
    );
}
