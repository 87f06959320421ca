//! The summaries the triggers keep equal a full rescan of the orders after
//! any mix of writes: kanta's own, an import and its undo, a merge, and a
//! script's through plain SQL (foreign keys off, odd amounts).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::{add, date, order};
use crate::domain::{CustomerId, StoredHistory};
use crate::store::import::{ImportSource, OrderImport};
use crate::store::{Changes, Store};

/// Each customer's history folded by hand from every order, the way SPEC
/// section 4 words it: a purchase day has an order of at least 0; the
/// monetary value sums every order.
fn rescan(store: &Store) -> BTreeMap<CustomerId, StoredHistory> {
    let mut statement = store
        .connection()
        .prepare("SELECT customer_id, order_date, amount_cents FROM orders WHERE typeof(customer_id) = 'integer'")
        .unwrap();
    let mut orders: BTreeMap<CustomerId, Vec<(NaiveDate, i64)>> = BTreeMap::new();
    for row in statement
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .unwrap()
    {
        let (id, day, amount) = row.unwrap();
        orders
            .entry(id)
            .or_default()
            .push((day.parse().unwrap(), amount));
    }
    orders
        .into_iter()
        .map(|(id, orders)| {
            let mut purchase_days: Vec<NaiveDate> = orders
                .iter()
                .filter(|(_, amount)| *amount >= 0)
                .map(|(day, _)| *day)
                .collect();
            purchase_days.sort_unstable();
            purchase_days.dedup();
            let history = StoredHistory {
                id,
                first_purchase: purchase_days.first().copied(),
                second_purchase: purchase_days.get(1).copied(),
                last_purchase: purchase_days.last().copied(),
                purchase_days: purchase_days.len() as u32,
                monetary_cents: orders.iter().map(|(_, amount)| amount).sum(),
            };
            (id, history)
        })
        .collect()
}

fn stored(store: &Store) -> BTreeMap<CustomerId, StoredHistory> {
    let ids: Vec<CustomerId> = store
        .connection()
        .prepare("SELECT customer_id FROM order_summaries")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    ids.into_iter()
        .map(|id| (id, store.stored_summary_row(id).unwrap().unwrap()))
        .collect()
}

fn assert_current(store: &Store, after: &str) {
    assert_eq!(stored(store), rescan(store), "after {after}");
}

fn source() -> ImportSource {
    ImportSource {
        kind: "orders".into(),
        file_name: "orders.csv".into(),
        sha256: "00".into(),
        default_country: "FI".into(),
    }
}

/// One write, with small numbers chosen by proptest.
#[derive(Debug, Clone)]
enum Write {
    Add {
        customer: usize,
        day: u32,
        cents: i64,
    },
    Change {
        order: usize,
        day: u32,
        cents: i64,
    },
    Delete {
        order: usize,
    },
    DeleteCustomer {
        customer: usize,
    },
    Merge {
        keep: usize,
        other: usize,
    },
    Import {
        customer: usize,
        days: Vec<u32>,
        cents: i64,
    },
    UndoLastImport,
    ScriptInsert {
        customer: usize,
        day: u32,
        cents: i64,
    },
    ScriptMove {
        order: usize,
        customer: usize,
    },
    ScriptDeleteDay {
        customer: usize,
        day: u32,
    },
    /// A script renames a customer and gives them a tag and an email.
    ScriptEdit {
        customer: usize,
    },
}

fn write_strategy() -> impl Strategy<Value = Write> {
    let customer = 0usize..6;
    let day = 1u32..12;
    // Refunds, free orders and ordinary ones, each day often shared.
    let cents = prop_oneof![Just(0i64), Just(-500i64), 1i64..5_000];
    prop_oneof![
        (customer.clone(), day.clone(), cents.clone()).prop_map(|(customer, day, cents)| {
            Write::Add {
                customer,
                day,
                cents,
            }
        }),
        (0usize..40, day.clone(), cents.clone()).prop_map(|(order, day, cents)| Write::Change {
            order,
            day,
            cents
        }),
        (0usize..40).prop_map(|order| Write::Delete { order }),
        (customer.clone()).prop_map(|customer| Write::DeleteCustomer { customer }),
        (customer.clone(), customer.clone()).prop_map(|(keep, other)| Write::Merge { keep, other }),
        (
            customer.clone(),
            proptest::collection::vec(day.clone(), 1..4),
            cents.clone()
        )
            .prop_map(|(customer, days, cents)| Write::Import {
                customer,
                days,
                cents
            }),
        Just(Write::UndoLastImport),
        (customer.clone(), day.clone(), cents.clone()).prop_map(|(customer, day, cents)| {
            Write::ScriptInsert {
                customer,
                day,
                cents,
            }
        }),
        (0usize..40, customer.clone())
            .prop_map(|(order, customer)| Write::ScriptMove { order, customer }),
        (customer.clone(), day)
            .prop_map(|(customer, day)| Write::ScriptDeleteDay { customer, day }),
        customer.prop_map(|customer| Write::ScriptEdit { customer }),
    ]
}

fn nth_order(store: &Store, n: usize) -> Option<i64> {
    let ids: Vec<i64> = store
        .connection()
        .prepare("SELECT id FROM orders ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (!ids.is_empty()).then(|| ids[n % ids.len()])
}

fn apply(store: &mut Store, customers: &mut Vec<CustomerId>, imports: &mut Vec<i64>, w: &Write) {
    let day = |d: u32| date(2026, 1, d);
    let who = |customers: &Vec<CustomerId>, i: usize| customers[i % customers.len()];
    match w {
        Write::Add {
            customer,
            day: d,
            cents,
        } => {
            store
                .add_order(&order(who(customers, *customer), day(*d), *cents))
                .unwrap();
        }
        Write::Change {
            order: n,
            day: d,
            cents,
        } => {
            if let Some(id) = nth_order(store, *n) {
                let customer: i64 = store
                    .connection()
                    .query_row("SELECT customer_id FROM orders WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })
                    .unwrap();
                // An order of a customer a script left behind cannot be
                // edited through kanta; a script changes it instead.
                if store
                    .update_order(id, &order(customer, day(*d), *cents))
                    .is_err()
                {
                    store
                        .connection()
                        .execute(
                            "UPDATE orders SET order_date = ?2, amount_cents = ?3 WHERE id = ?1",
                            rusqlite::params![id, day(*d).to_string(), cents],
                        )
                        .unwrap();
                }
            }
        }
        Write::Delete { order: n } => {
            if let Some(id) = nth_order(store, *n) {
                store.delete_order(id).unwrap();
            }
        }
        Write::DeleteCustomer { customer } => {
            if customers.len() > 1 {
                let id = customers.remove(customer % customers.len());
                store.delete_customer(id).unwrap();
            }
        }
        Write::Merge { keep, other } => {
            let (keep, other) = (who(customers, *keep), who(customers, *other));
            if keep != other {
                store.merge_customers(keep, other).unwrap();
                customers.retain(|c| *c != other);
            }
        }
        Write::Import {
            customer,
            days,
            cents,
        } => {
            let key: String = store
                .connection()
                .query_row(
                    "SELECT ref FROM customers WHERE id = ?1",
                    [who(customers, *customer)],
                    |r| r.get(0),
                )
                .unwrap();
            let rows: Vec<OrderImport> = days
                .iter()
                .enumerate()
                .map(|(line, d)| OrderImport {
                    line: line + 2,
                    customer_key: key.clone(),
                    date: day(*d),
                    amount_cents: *cents,
                    order_id: Some(format!("O{}-{line}-{d}-{cents}", imports.len())),
                    ..OrderImport::default()
                })
                .collect();
            let summary = store
                .import_orders(&source(), &rows, false, &mut |_| {})
                .unwrap();
            imports.extend(summary.batch_id);
        }
        Write::UndoLastImport => {
            if let Some(batch) = imports.pop() {
                store.undo_import(batch).unwrap();
                // The undo may take away a customer the import created.
                customers.retain(|c| {
                    store
                        .connection()
                        .query_row("SELECT count(*) FROM customers WHERE id = ?1", [c], |r| {
                            r.get::<_, i64>(0)
                        })
                        .unwrap()
                        == 1
                });
            }
        }
        Write::ScriptInsert {
            customer,
            day: d,
            cents,
        } => {
            store
                .connection()
                .execute(
                    "INSERT INTO orders (customer_id, order_date, amount_cents) VALUES (?1, ?2, ?3)",
                    rusqlite::params![who(customers, *customer), day(*d).to_string(), cents],
                )
                .unwrap();
        }
        Write::ScriptMove { order: n, customer } => {
            if let Some(id) = nth_order(store, *n) {
                store
                    .connection()
                    .execute(
                        "UPDATE orders SET customer_id = ?2 WHERE id = ?1",
                        rusqlite::params![id, who(customers, *customer)],
                    )
                    .unwrap();
            }
        }
        Write::ScriptDeleteDay { customer, day: d } => {
            store
                .connection()
                .execute(
                    "DELETE FROM orders WHERE customer_id = ?1 AND order_date = ?2",
                    rusqlite::params![who(customers, *customer), day(*d).to_string()],
                )
                .unwrap();
        }
        Write::ScriptEdit { customer } => {
            store
                .connection()
                .execute_batch(&format!(
                    "UPDATE customers SET name = name || ' Jr' WHERE id = {id};
                     INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES ({id}, 'vip');
                     INSERT INTO customer_emails (customer_id, position, email)
                     SELECT {id}, coalesce(max(position) + 1, 0), 'x' || count(*) || '@example.com'
                     FROM customer_emails WHERE customer_id = {id};",
                    id = who(customers, *customer)
                ))
                .unwrap();
        }
    }
    if customers.is_empty() {
        customers.push(add(store, "New"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_summaries_equal_a_rescan_after_any_writes(
        writes in proptest::collection::vec(write_strategy(), 1..30)
    ) {
        let mut store = Store::open_in_memory().unwrap();
        let mut customers: Vec<CustomerId> =
            ["Aino", "Bertil", "Cecilia"].iter().map(|n| add(&mut store, n)).collect();
        let mut imports = Vec::new();
        // The records a window read at the start, and those it keeps up to
        // date by the change log after each write.
        let first = (
            store.load_facts().unwrap(),
            store.listings().unwrap(),
            store.last_change().unwrap(),
        );
        let mut kept = first.clone();
        for w in &writes {
            apply(&mut store, &mut customers, &mut imports, w);
            assert_current(&store, &format!("{w:?}"));
            let now = store.records_after(&kept.0, Some(kept.1.clone()), kept.2).unwrap();
            kept = (
                now.facts,
                now.listings.unwrap_or_else(|| store.listings().unwrap()),
                now.mark,
            );
            prop_assert_eq!(&kept.0, &store.load_facts().unwrap(), "after {:?}", w);
            prop_assert_eq!(&kept.1, &store.listings().unwrap(), "after {:?}", w);
        }
        let caught_up = store.records_after(&first.0, Some(first.1.clone()), first.2).unwrap();
        prop_assert_eq!(caught_up.facts, store.load_facts().unwrap());
        if let Some(listings) = caught_up.listings {
            prop_assert_eq!(listings, store.listings().unwrap());
        }
        // Listings a load took and did not give back are read again.
        let taken = store.records_after(&first.0, None, first.2).unwrap();
        prop_assert!(taken.listings.is_none());
        prop_assert_eq!(taken.facts, store.load_facts().unwrap());
        // The one pass of a large write says what the triggers said.
        let before = stored(&store);
        crate::store::summaries::refresh_all(store.connection()).unwrap();
        prop_assert_eq!(stored(&store), before);
    }
}

#[test]
fn a_script_with_foreign_keys_off_keeps_the_summary_of_an_unknown_customer() {
    let store = Store::open_in_memory().unwrap();
    store
        .connection()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO orders (customer_id, order_date, amount_cents) VALUES
                 (99, '2026-01-02', 100), (99, '2026-01-02', -40), (99, '2026-01-05', -10);",
        )
        .unwrap();
    assert_current(&store, "orders of no customer");
    let history = store.stored_summary_row(99).unwrap().unwrap();
    assert_eq!(history.purchase_days, 1);
    assert_eq!(history.monetary_cents, 50);
}

#[test]
fn amounts_too_large_for_an_exact_float_sum_send_readers_to_the_orders() {
    let mut store = Store::open_in_memory().unwrap();
    let a = add(&mut store, "Aino");
    store.add_order(&order(a, date(2026, 1, 2), 100)).unwrap();
    assert!(store.stored_histories(date(2026, 1, 31)).unwrap().is_some());
    store
        .connection()
        .execute(
            "INSERT INTO orders (customer_id, order_date, amount_cents) VALUES (?1, '2026-01-03', ?2)",
            rusqlite::params![a, i64::MAX],
        )
        .unwrap();
    assert!(store.stored_histories(date(2026, 1, 31)).unwrap().is_none());
}

#[test]
fn an_unreadable_order_sends_readers_to_the_orders() {
    let mut store = Store::open_in_memory().unwrap();
    let a = add(&mut store, "Aino");
    store.add_order(&order(a, date(2026, 1, 2), 100)).unwrap();
    store
        .connection()
        .execute(
            "INSERT INTO orders (customer_id, order_date, amount_cents) VALUES (?1, '2026-02-30', 5)",
            [a],
        )
        .unwrap();
    assert!(store.stored_histories(date(2026, 3, 31)).unwrap().is_none());
}

#[test]
fn the_change_log_names_each_customer_written_and_a_large_write_names_all() {
    let mut store = Store::open_in_memory().unwrap();
    let a = add(&mut store, "Aino");
    let b = add(&mut store, "Bertil");
    let mark = store.last_change().unwrap();
    assert_eq!(store.changes_since(mark).unwrap().0, Changes::None);
    store.add_order(&order(b, date(2026, 1, 2), 100)).unwrap();
    store
        .connection()
        .execute("UPDATE customers SET city = 'Turku' WHERE id = ?1", [a])
        .unwrap();
    let (changes, next) = store.changes_since(mark).unwrap();
    assert_eq!(changes, Changes::Customers(vec![a, b]));
    // A small import names the customers it wrote: the one it created and
    // the one it gave an order.
    let known = store.customer(a).unwrap().unwrap().reference;
    let row = |line: usize, key: &str| OrderImport {
        line,
        customer_key: key.into(),
        date: date(2026, 1, 3),
        amount_cents: 10,
        ..OrderImport::default()
    };
    store
        .import_orders(
            &source(),
            &[row(2, "new"), row(3, &known)],
            false,
            &mut |_| {},
        )
        .unwrap();
    let created = store.customer_by_ref("new").unwrap().unwrap().id;
    let (changes, next) = store.changes_since(next).unwrap();
    assert_eq!(changes, Changes::Customers(vec![a, created]));
    assert_current(&store, "a small import");
    // A large one says anyone may have changed.
    let rows: Vec<OrderImport> = (0..=crate::store::summaries::NAMED_AT_MOST)
        .map(|i| row(i + 2, &format!("many-{i}")))
        .collect();
    store
        .import_orders(&source(), &rows, false, &mut |_| {})
        .unwrap();
    assert_eq!(store.changes_since(next).unwrap().0, Changes::All);
    assert_current(&store, "an import");
}

#[test]
fn a_history_cut_off_by_the_as_of_date_is_read_from_the_orders() {
    let mut store = Store::open_in_memory().unwrap();
    let a = add(&mut store, "Aino");
    for (day, cents) in [(2, 100), (5, 200), (9, 300)] {
        store
            .add_order(&order(a, date(2026, 1, day), cents))
            .unwrap();
    }
    let histories = store.stored_histories(date(2026, 1, 6)).unwrap().unwrap();
    let [row] = histories.as_slice() else {
        panic!("{histories:?}");
    };
    let crate::domain::Stored::Days(id, days) = &row.history else {
        panic!("{row:?}");
    };
    assert_eq!(*id, a);
    assert_eq!(
        days.iter().map(|d| d.amount_cents).collect::<Vec<_>>(),
        [100, 200]
    );
}

/// A window reads the store again only when a customer changed: a call rung
/// or another window opening is no news to its figures.
#[test]
fn a_call_or_a_window_opening_changes_no_customer() {
    let mut store = Store::open_in_memory().unwrap();
    add(&mut store, "Aino");
    let mark = store.last_change().unwrap();
    let now = chrono::Utc::now();
    store.ring("+358 40 123 4567", now).unwrap();
    store.register_dashboard(4242, now).unwrap();
    store.unregister_dashboard(4242).unwrap();
    assert_eq!(store.changes_since(mark).unwrap(), (Changes::None, mark));
}

/// A script may write an order whose customer id is text: the write is not
/// refused by the triggers, and a large write's one pass passes over it.
#[test]
fn an_order_of_a_text_customer_id_is_written_and_summarised_as_nobodys() {
    let mut store = Store::open_in_memory().unwrap();
    let a = add(&mut store, "Aino");
    store.add_order(&order(a, date(2026, 1, 2), 100)).unwrap();
    store
        .connection()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO orders (customer_id, order_date, amount_cents) VALUES ('abc', '2026-01-03', 5);",
        )
        .unwrap();
    crate::store::summaries::refresh_all(store.connection()).unwrap();
    assert_current(&store, "a text customer id");
}
