//! Imports against an in-memory store; expectations counted by hand.

use chrono::NaiveDate;

use super::*;
use crate::domain::Source;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn source(kind: &str) -> ImportSource {
    ImportSource {
        kind: kind.into(),
        file_name: format!("{kind}.csv"),
        sha256: "00".into(),
        default_country: "FI".into(),
    }
}

fn order(line: usize, key: &str, day: u32, cents: i64) -> OrderImport {
    OrderImport {
        line,
        customer_key: key.into(),
        date: date(2026, 1, day),
        amount_cents: cents,
        ..Default::default()
    }
}

fn count(store: &Store, sql: &str) -> i64 {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn import(store: &mut Store, rows: &[OrderImport], dry_run: bool) -> ImportSummary {
    store
        .import_orders(&source("orders"), rows, dry_run, &mut |_| {})
        .unwrap()
}

#[test]
fn orders_create_customers_and_a_batch() {
    let mut store = Store::open_in_memory().unwrap();
    let mut first = order(2, "A", 1, 1000);
    first.name = Some("Aino".into());
    first.email = Some("aino@example.com".into());
    let rows = vec![first, order(3, "B", 2, 500), order(4, "A", 3, -200)];
    let summary = import(&mut store, &rows, false);
    assert_eq!(summary.customers_added, 2);
    assert_eq!(summary.orders_added, 3);
    assert_eq!(summary.orders_skipped, 0);
    let batch = summary.batch_id.unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 2);
    assert_eq!(
        count(
            &store,
            "SELECT sum(amount_cents) FROM orders WHERE batch_id IS NOT NULL"
        ),
        1300
    );
    let name: String = store
        .connection()
        .query_row("SELECT name FROM customers WHERE ref = 'A'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name, "Aino");
    let name_b: String = store
        .connection()
        .query_row("SELECT name FROM customers WHERE ref = 'B'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(name_b, "B");
    assert_eq!(count(&store, "SELECT count(*) FROM customer_emails"), 1);
    let batches = store.import_batches().unwrap();
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].id, batch);
    assert_eq!(batches[0].orders_added, 3);
    assert_eq!(batches[0].customers_added, 2);
}

#[test]
fn the_same_file_twice_adds_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    // Two identical rows are two orders; the second import recognises both.
    let rows = vec![order(2, "A", 1, 1000), order(3, "A", 1, 1000)];
    assert_eq!(import(&mut store, &rows, false).orders_added, 2);
    let again = import(&mut store, &rows, false);
    assert_eq!(again.orders_added, 0);
    assert_eq!(again.orders_skipped, 2);
    assert_eq!(again.batch_id, None);
    assert_eq!(count(&store, "SELECT count(*) FROM orders"), 2);
    assert_eq!(count(&store, "SELECT count(*) FROM import_batches"), 1);
}

#[test]
fn an_overlapping_file_adds_only_new_rows() {
    let mut store = Store::open_in_memory().unwrap();
    import(
        &mut store,
        &[order(2, "A", 1, 1000), order(3, "B", 2, 10)],
        false,
    );
    let mut with_id = order(4, "C", 5, 700);
    with_id.order_id = Some("#1001".into());
    let overlap = vec![
        order(2, "B", 2, 10),
        order(3, "A", 1, 1000),
        order(4, "A", 1, 1000),
        with_id.clone(),
    ];
    let summary = import(&mut store, &overlap, false);
    // A's second identical order is new: the first file had only one.
    assert_eq!(summary.orders_added, 2);
    assert_eq!(summary.orders_skipped, 2);
    assert_eq!(summary.customers_added, 1);
    // An order id is recognised whatever else changed on the row.
    with_id.amount_cents = 800;
    let summary = import(&mut store, &[with_id], false);
    assert_eq!((summary.orders_added, summary.orders_skipped), (0, 1));
    let external: String = store
        .connection()
        .query_row(
            "SELECT external_id FROM orders WHERE amount_cents = 700",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(external, "#1001");
}

#[test]
fn a_dry_run_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let summary = import(&mut store, &[order(2, "A", 1, 1000)], true);
    assert_eq!((summary.customers_added, summary.orders_added), (1, 1));
    assert_eq!(summary.batch_id, None);
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM import_batches"), 0);
}

#[test]
fn undo_removes_orders_and_the_customers_it_created() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &[order(2, "A", 1, 1000)], false);
    let second = import(
        &mut store,
        &[order(2, "A", 2, 50), order(3, "B", 2, 70)],
        false,
    );
    let batch = second.batch_id.unwrap();
    let undone = store.undo_import(batch).unwrap();
    // A came from the first import and stays; B goes with its only order.
    assert_eq!(undone.orders_removed, 2);
    assert_eq!(undone.customers_removed, 1);
    assert_eq!(count(&store, "SELECT count(*) FROM orders"), 1);
    assert_eq!(
        count(&store, "SELECT count(*) FROM customers WHERE ref = 'A'"),
        1
    );
    assert!(store.import_batches().unwrap()[1].undone);
    assert!(matches!(
        store.undo_import(batch),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(store.undo_import(99), Err(StoreError::Invalid(_))));
}

#[test]
fn undo_keeps_a_created_customer_with_later_orders() {
    let mut store = Store::open_in_memory().unwrap();
    let first = import(&mut store, &[order(2, "A", 1, 1000)], false);
    import(&mut store, &[order(2, "A", 9, 5)], false);
    let undone = store.undo_import(first.batch_id.unwrap()).unwrap();
    assert_eq!((undone.orders_removed, undone.customers_removed), (1, 0));
}

#[test]
fn a_date_sqlite_would_refuse_is_a_row_error() {
    let mut store = Store::open_in_memory().unwrap();
    let mut far = order(7, "A", 1, 1);
    far.date = date(10000, 1, 1);
    match store.import_orders(&source("orders"), &[far], false, &mut |_| {}) {
        Err(ImportError::Rows(rows)) => assert_eq!(rows[0].line, 7),
        other => panic!("{other:?}"),
    }
}

fn contact(line: usize, reference: Option<&str>, name: &str) -> ContactImport {
    ContactImport {
        line,
        reference: reference.map(str::to_string),
        name: Some(name.into()),
        ..Default::default()
    }
}

fn import_contacts(
    store: &mut Store,
    rows: &[ContactImport],
) -> Result<ImportSummary, ImportError> {
    store.import_contacts(&source("contacts"), rows, false, &mut |_| {})
}

#[test]
fn contacts_create_update_and_resolve_referrals() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, &[order(2, "A", 1, 1000)], false);
    let mut a = contact(2, Some("A"), "Aino Virtanen");
    a.emails = vec!["aino@example.com".into()];
    a.tags = vec!["vip".into()];
    let mut b = contact(3, None, "Bertta");
    b.phones = vec!["040 123 4567".into()];
    b.referred_by = Some("C".into());
    b.source = Some(Source::Referral);
    let c = contact(4, Some("C"), "Cecilia");
    let summary = import_contacts(&mut store, &[a.clone(), b.clone(), c.clone()]).unwrap();
    assert_eq!((summary.customers_added, summary.customers_updated), (2, 1));
    let (name, referrer): (String, String) = store
        .connection()
        .query_row(
            "SELECT c.name, r.ref FROM customers c JOIN customers r ON r.id = c.referred_by",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((name.as_str(), referrer.as_str()), ("Bertta", "C"));
    let assigned: i64 = count(
        &store,
        "SELECT count(*) FROM customers WHERE ref GLOB 'K[0-9]*'",
    );
    assert_eq!(assigned, 1);
    // Again: nothing changes, and a phone written differently finds Bertta.
    b.phones = vec!["0401234567".into()];
    b.reference = None;
    let again = import_contacts(&mut store, &[a, b, c]).unwrap();
    assert_eq!((again.customers_added, again.customers_updated), (0, 0));
    assert_eq!(again.batch_id, None);
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 3);
}

#[test]
fn an_unknown_referrer_fails_the_whole_import() {
    let mut store = Store::open_in_memory().unwrap();
    let mut b = contact(3, Some("B"), "Bertta");
    b.referred_by = Some("nobody".into());
    let rows = vec![contact(2, Some("A"), "Aino"), b];
    match import_contacts(&mut store, &rows) {
        Err(ImportError::Rows(problems)) => {
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].line, 3);
            assert_eq!(problems[0].column, "referred_by");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 0);
}

#[test]
fn an_unknown_referrer_is_named_without_its_control_characters() {
    // Found by the property tests: the ref was echoed raw, ESC and all.
    let mut store = Store::open_in_memory().unwrap();
    let mut a = contact(2, Some("A"), "Aino");
    a.referred_by = Some("\u{1b}[2J\u{202e}".into());
    match import_contacts(&mut store, &[a]) {
        Err(ImportError::Rows(problems)) => assert_eq!(
            problems[0].reason,
            "no customer has the ref \"\\u{1b}[2J\\u{202e}\""
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_is_known_by_its_bytes_until_its_import_is_undone() {
    let mut store = Store::open_in_memory().unwrap();
    let mut file = source("contacts");
    file.sha256 = "5e1f".into();
    assert_eq!(store.import_of_file("5e1f").unwrap(), None);
    let summary = store
        .import_contacts(&file, &[contact(2, None, "Aino")], false, &mut |_| {})
        .unwrap();
    assert_eq!(store.import_of_file("5e1f").unwrap(), summary.batch_id);
    store.undo_import(summary.batch_id.unwrap()).unwrap();
    assert_eq!(store.import_of_file("5e1f").unwrap(), None);
}

#[test]
fn a_contact_matched_by_email_is_updated_not_duplicated() {
    let mut store = Store::open_in_memory().unwrap();
    let mut first = contact(2, Some("X1"), "Old Name");
    first.emails = vec!["Same@Example.com".into()];
    import_contacts(&mut store, &[first]).unwrap();
    let mut second = contact(2, None, "New Name");
    second.emails = vec!["same@example.com".into()];
    second.city = Some("Tampere".into());
    let summary = import_contacts(&mut store, &[second]).unwrap();
    assert_eq!((summary.customers_added, summary.customers_updated), (0, 1));
    let (name, city): (String, String) = store
        .connection()
        .query_row(
            "SELECT name, city FROM customers WHERE ref = 'X1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((name.as_str(), city.as_str()), ("New Name", "Tampere"));
    assert_eq!(count(&store, "SELECT count(*) FROM customer_emails"), 1);
}

#[test]
fn an_orders_key_that_is_a_known_email_finds_that_customer() {
    let mut store = Store::open_in_memory().unwrap();
    let mut aino = contact(2, Some("K1"), "Aino");
    aino.emails = vec!["Aino@Example.com".into()];
    import_contacts(&mut store, &[aino]).unwrap();
    let mut by_key = order(2, "aino@example.com", 1, 100);
    by_key.email = Some("aino@example.com".into());
    let mut by_column = order(3, "X9", 2, 200);
    by_column.email = Some("AINO@example.com".into());
    let summary = import(&mut store, &[by_key, by_column], false);
    assert_eq!((summary.customers_added, summary.orders_added), (0, 2));
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.ref = 'K1'"
        ),
        2
    );
}

#[test]
fn a_large_import_restores_the_connection_settings() {
    let mut store = Store::open_in_memory().unwrap();
    // 60,000 rows over 600 customers: past the bulk threshold.
    let rows: Vec<OrderImport> = (0..60_000)
        .map(|i| order(i + 2, &format!("C{:03}", i % 600), 1 + (i % 28) as u32, 100))
        .collect();
    let summary = import(&mut store, &rows, false);
    assert_eq!(summary.customers_added, 600);
    // Each customer has 100 rows over 28 days, so repeats of a (day, amount)
    // are numbered occurrences, and all 60,000 are distinct orders.
    assert_eq!(summary.orders_added, 60_000);
    let foreign_keys: bool = store
        .connection()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert!(foreign_keys);
    let cache: i64 = store
        .connection()
        .query_row("PRAGMA cache_size", [], |r| r.get(0))
        .unwrap();
    assert_eq!(cache, -2000);
    let temp_store: i64 = store
        .connection()
        .query_row("PRAGMA temp_store", [], |r| r.get(0))
        .unwrap();
    assert_eq!(temp_store, 0);
    assert_eq!(import(&mut store, &rows, false).orders_skipped, 60_000);
}

#[test]
fn undo_removes_a_created_customer_whose_only_follow_up_came_from_a_rule() {
    let mut store = Store::open_in_memory().unwrap();
    let batch = import(
        &mut store,
        &[order(2, "A", 1, 10), order(3, "B", 1, 20)],
        false,
    )
    .batch_id
    .unwrap();
    store
        .connection()
        .execute_batch(
            "INSERT INTO followups (customer_id, due, rule, anchor) \
             SELECT id, '2026-01-04', 'thank-you', '2026-01-01' FROM customers WHERE ref = 'A';\
             INSERT INTO followups (customer_id, due) \
             SELECT id, '2026-01-09' FROM customers WHERE ref = 'B';",
        )
        .unwrap();
    let undone = store.undo_import(batch).unwrap();
    // A goes with its rule's follow-up; B stays for the one written by hand.
    assert_eq!((undone.orders_removed, undone.customers_removed), (2, 1));
    assert_eq!(
        count(&store, "SELECT count(*) FROM customers WHERE ref = 'B'"),
        1
    );
    assert_eq!(count(&store, "SELECT count(*) FROM followups"), 1);
}

#[test]
fn orders_are_written_in_the_files_order() {
    // Exported by date then id, so the file's order must be the ids' order:
    // rows were once written by customer key, and an export imported into an
    // empty store came out in another order.
    let mut store = Store::open_in_memory().unwrap();
    let rows = [
        order(2, "K2", 1, 500),
        order(3, "K1", 1, 500),
        order(4, "K2", 1, 500),
        order(5, "K1", 1, 700),
    ];
    let summary = import(&mut store, &rows, false);
    assert_eq!(summary.orders_added, 4, "identical rows are two orders");
    let listed: Vec<(String, i64)> = store
        .order_listing()
        .unwrap()
        .into_iter()
        .map(|o| (o.customer, o.amount_cents))
        .collect();
    assert_eq!(
        listed,
        [
            ("K2".into(), 500),
            ("K1".into(), 500),
            ("K2".into(), 500),
            ("K1".into(), 700)
        ]
    );
    // The same rows again, in another file: nothing new.
    let mut again = source("orders");
    again.sha256 = "01".into();
    let summary = store
        .import_orders(&again, &rows, false, &mut |_| {})
        .unwrap();
    assert_eq!((summary.orders_added, summary.orders_skipped), (0, 4));
    // One more identical row than before: only it is new, at the end.
    let mut more = rows.to_vec();
    more.insert(1, order(9, "K2", 1, 500));
    again.sha256 = "02".into();
    let summary = store
        .import_orders(&again, &more, false, &mut |_| {})
        .unwrap();
    assert_eq!((summary.orders_added, summary.orders_skipped), (1, 4));
}

#[test]
fn a_large_import_numbers_identical_rows_as_a_small_one_does() {
    // Rows without an order id, every identity (customer, day, amount) many
    // times over: written row by row against the live index, or written as
    // firsts of their kind and numbered when the index is built again, the
    // import keys and the counts are the same.
    let rows: Vec<OrderImport> = (0..BIG_IMPORT_ROWS as usize + 500)
        .map(|i| {
            order(
                i + 2,
                &format!("C{}", i % 70),
                1 + (i % 28) as u32,
                100 + (i % 3) as i64,
            )
        })
        .collect();
    let earlier = &rows[..40];
    let keys_of = |store: &Store, batch: Option<i64>| -> Vec<String> {
        let mut statement = store
            .connection()
            .prepare("SELECT import_key FROM orders WHERE batch_id = ?1 ORDER BY id")
            .unwrap();
        statement
            .query_map([batch], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let mut sources = (10..).map(|n| {
        let mut s = source("orders");
        s.sha256 = format!("{n}");
        s
    });
    let mut import_as = |store: &mut Store, rows: &[OrderImport]| {
        store
            .import_orders(&sources.next().unwrap(), rows, false, &mut |_| {})
            .unwrap()
    };
    // Into a store holding fewer orders than the file: the indexes are rebuilt.
    let mut small = Store::open_in_memory().unwrap();
    import_as(&mut small, earlier);
    let rebuilt = import_as(&mut small, &rows);
    // Into a store holding more: row by row against the live index.
    let mut large = Store::open_in_memory().unwrap();
    let filler: Vec<OrderImport> = (0..rows.len() + 100)
        .map(|i| {
            let mut row = order(i + 2, "FILLER", 1, 1);
            row.order_id = Some(format!("F{i}"));
            row
        })
        .collect();
    import_as(&mut large, &filler);
    import_as(&mut large, earlier);
    let live = import_as(&mut large, &rows);
    assert_eq!(
        (rebuilt.orders_added, rebuilt.orders_skipped),
        (rows.len() as u64 - 40, 40)
    );
    assert_eq!(
        (live.orders_added, live.orders_skipped),
        (rebuilt.orders_added, rebuilt.orders_skipped)
    );
    assert_eq!(
        keys_of(&small, rebuilt.batch_id),
        keys_of(&large, live.batch_id)
    );
    assert!(
        keys_of(&small, rebuilt.batch_id)
            .iter()
            .any(|k| k.ends_with("\u{1f}5"))
    );
    // Everything is in place again, and a third import adds nothing.
    let again = import_as(&mut small, &rows);
    assert_eq!(
        (again.orders_added, again.orders_skipped),
        (0, rows.len() as u64)
    );
    // Rows imported before whose customer has since been merged into another
    // keep their keys: found by the keys themselves, not by the customer.
    let mut merged = Store::open_in_memory().unwrap();
    import_as(&mut merged, earlier);
    merged
        .connection()
        .execute_batch(
            "INSERT INTO customers (ref, name) VALUES ('KEEP', 'Keep'); \
             UPDATE orders SET customer_id = (SELECT id FROM customers WHERE ref = 'KEEP');",
        )
        .unwrap();
    let after_merge = import_as(&mut merged, &rows);
    assert_eq!(
        (after_merge.orders_added, after_merge.orders_skipped),
        (rebuilt.orders_added, rebuilt.orders_skipped)
    );
    assert_eq!(
        keys_of(&merged, after_merge.batch_id),
        keys_of(&small, rebuilt.batch_id)
    );
}

#[test]
fn a_phone_extension_is_no_part_of_the_number() {
    let with_extension = PhoneReader::new("FI")
        .read(2, "+358 9 123 4567 ext. 12")
        .unwrap()
        .unwrap();
    assert_eq!(with_extension.normalized, "+35891234567");
    assert_eq!(with_extension.extension.as_deref(), Some("12"));
    let national = PhoneReader::new("FI")
        .read(3, "09 123 4567")
        .unwrap()
        .unwrap();
    assert_eq!(national.normalized, "+35891234567");
}

#[test]
fn iso_dates_are_written_as_chrono_would() {
    for text in [
        "2024-02-29",
        "0001-01-01",
        "9999-12-31",
        "2026-11-23",
        "1999-10-05",
    ] {
        let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        assert_eq!(super::iso_date(date), text);
        assert_eq!(super::iso_date(date), date.to_string());
    }
}

#[test]
fn a_large_import_into_an_empty_store_rebuilds_the_order_indexes() {
    // BIG_IMPORT_ROWS rows into an empty store: the non-unique order indexes are
    // dropped for the load and built again; a dry run and a failed import leave
    // them as they were; the second import of the same rows skips them all.
    let rows: Vec<OrderImport> = (0..BIG_IMPORT_ROWS as usize)
        .map(|i| {
            let mut row = order(i + 2, &format!("C{}", i % 500), 1 + (i % 28) as u32, 100);
            row.order_id = Some(format!("O{i}"));
            row
        })
        .collect();
    let indexes = |store: &Store| {
        count(
            store,
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' \
             AND name IN ('orders_customer_date', 'orders_batch')",
        )
    };
    let mut store = Store::open_in_memory().unwrap();
    let summary = import(&mut store, &rows, true);
    assert_eq!(summary.orders_added, BIG_IMPORT_ROWS);
    assert_eq!(indexes(&store), 2, "a dry run leaves the indexes");
    assert_eq!(count(&store, "SELECT count(*) FROM orders"), 0);

    let summary = import(&mut store, &rows, false);
    assert_eq!(summary.orders_added, BIG_IMPORT_ROWS);
    assert_eq!(indexes(&store), 2, "built again after the load");
    let check: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    // The index serves the facts: one customer's days read back in order.
    let plan: String = store
        .connection()
        .query_row(
            "EXPLAIN QUERY PLAN SELECT order_date FROM orders WHERE customer_id = 1 ORDER BY order_date",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("orders_customer_date"), "{plan}");

    let summary = import(&mut store, &rows, false);
    assert_eq!(summary.orders_added, 0);
    assert_eq!(summary.orders_skipped, BIG_IMPORT_ROWS);
    assert_eq!(indexes(&store), 2);
}

fn customers(store: &Store) -> Vec<(String, String)> {
    let mut statement = store
        .connection()
        .prepare("SELECT ref, name FROM customers ORDER BY id")
        .unwrap();
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn with_phone(line: usize, reference: Option<&str>, name: &str, phone: &str) -> ContactImport {
    let mut row = contact(line, reference, name);
    row.phones = vec![phone.into()];
    row
}

#[test]
fn a_ref_kanta_does_not_know_is_a_new_customer_whatever_it_shares() {
    // Before: the row was merged into K1 by its phone, and its ref was lost.
    let mut store = Store::open_in_memory().unwrap();
    let mut first = with_phone(2, Some("K1"), "Aino Virtanen", "040 123 4567");
    first.emails = vec!["aino@example.fi".into()];
    import_contacts(&mut store, &[first]).unwrap();
    let mut other = with_phone(2, Some("R9"), "Aino Virtanen", "+358 40 123 4567");
    other.emails = vec!["aino@example.fi".into()];
    let summary = import_contacts(&mut store, &[other]).unwrap();
    assert_eq!((summary.customers_added, summary.customers_updated), (1, 0));
    assert_eq!(
        customers(&store),
        [
            ("K1".to_string(), "Aino Virtanen".to_string()),
            ("R9".to_string(), "Aino Virtanen".to_string())
        ]
    );
    // Offered as a pair, not merged.
    let pairs = store.duplicate_candidates().unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert!(
        pairs[0].reason.contains("same phone"),
        "{}",
        pairs[0].reason
    );
}

#[test]
fn two_people_on_one_landline_stay_two_with_their_own_names() {
    // Before: Bertta's row found Aino by the phone and wrote her name over Aino's.
    let mut store = Store::open_in_memory().unwrap();
    let aino = with_phone(2, None, "Aino Virtanen", "09 123 4567");
    let bertta = with_phone(3, None, "Bertta Virtanen", "09 123 4567");
    let summary = import_contacts(&mut store, &[aino.clone(), bertta.clone()]).unwrap();
    assert_eq!(summary.customers_added, 2);
    let names: Vec<String> = customers(&store).into_iter().map(|c| c.1).collect();
    assert_eq!(names, ["Aino Virtanen", "Bertta Virtanen"]);
    let pairs = store.duplicate_candidates().unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert!(
        pairs[0].reason.contains("same phone"),
        "{}",
        pairs[0].reason
    );
    // Each is found again by phone and name, spelt as it may be.
    let mut again = with_phone(2, None, "aino  VIRTANEN", "+358 9 123 4567");
    again.city = Some("Espoo".into());
    let summary = import_contacts(&mut store, &[again, bertta]).unwrap();
    assert_eq!((summary.customers_added, summary.customers_updated), (0, 1));
    assert_eq!(customers(&store).len(), 2);
}

#[test]
fn a_row_with_an_email_is_not_matched_by_its_phone() {
    // SPEC: the phone counts only for a row with neither ref nor email.
    let mut store = Store::open_in_memory().unwrap();
    import_contacts(&mut store, &[with_phone(2, None, "Aino", "040 123 4567")]).unwrap();
    let mut row = with_phone(2, None, "Aino", "040 123 4567");
    row.emails = vec!["new@example.fi".into()];
    let summary = import_contacts(&mut store, &[row.clone()]).unwrap();
    assert_eq!(summary.customers_added, 1);
    // And the email finds that second customer from then on.
    row.phones.clear();
    let summary = import_contacts(&mut store, &[row]).unwrap();
    assert_eq!((summary.customers_added, summary.customers_updated), (0, 0));
}

#[test]
fn rows_with_only_a_name_are_not_duplicated_by_a_second_import() {
    // Before: rows with no ref, email or phone matched no one, so the same rows
    // in another file (a later export) made every customer again.
    let mut store = Store::open_in_memory().unwrap();
    let mut cafe = contact(3, None, "Kahvila Kanta");
    cafe.city = Some("Tampere".into());
    // Two namesakes in one file are two people.
    let rows = vec![contact(2, None, "Matti"), cafe, contact(4, None, "Matti")];
    assert_eq!(
        import_contacts(&mut store, &rows).unwrap().customers_added,
        3
    );
    let summary = import_contacts(&mut store, &rows).unwrap();
    assert_eq!((summary.customers_added, summary.customers_updated), (0, 0));
    assert_eq!(customers(&store).len(), 3);
    // A third Matti is a third customer; a namesake elsewhere is someone else.
    let mut elsewhere = contact(3, None, "Kahvila Kanta");
    elsewhere.city = Some("Oulu".into());
    let more = vec![
        contact(2, None, "Matti"),
        contact(3, None, "Matti"),
        contact(4, None, "Matti"),
        elsewhere,
    ];
    let summary = import_contacts(&mut store, &more).unwrap();
    assert_eq!(summary.customers_added, 2);
    assert_eq!(customers(&store).len(), 5);
}

#[test]
fn every_referrer_problem_is_named_and_nothing_is_written() {
    let mut store = Store::open_in_memory().unwrap();
    import_contacts(&mut store, &[contact(2, Some("A"), "Aino")]).unwrap();
    let mut b = contact(2, Some("B"), "Bertta");
    b.referred_by = Some("A".into());
    let mut c = contact(3, Some("C"), "Cecilia");
    c.referred_by = Some("nobody".into());
    let mut d = contact(4, Some("D"), "Daniel");
    d.referred_by = Some("D".into());
    let mut e = contact(5, None, "Eeva");
    e.referred_by = Some("B".into());
    let Err(ImportError::Rows(problems)) = import_contacts(&mut store, &[b, c, d, e]) else {
        panic!("the referrers were not judged");
    };
    let found: Vec<(usize, &str)> = problems
        .iter()
        .map(|p| (p.line, p.reason.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (3, "no customer has the ref \"nobody\""),
            (4, "a customer cannot refer themselves")
        ]
    );
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM import_batches"), 1);
}

#[test]
fn an_email_with_letters_beyond_ascii_finds_its_customer_again() {
    // Found by the properties: SQLite's `lower` left `ÄÖ` as it was, so the
    // same row imported again was a new customer, and `NOCASE` let a second
    // spelling of the address in beside the first.
    let mut store = Store::open_in_memory().unwrap();
    let mut row = contact(2, None, "Äijä");
    row.emails = vec!["ÄÖ2@example.fi".into()];
    import_contacts(&mut store, std::slice::from_ref(&row)).unwrap();
    row.emails = vec!["äö2@example.fi".into()];
    let summary = import_contacts(&mut store, &[row]).unwrap();
    assert_eq!((summary.customers_added, summary.customers_updated), (0, 0));
    assert_eq!(count(&store, "SELECT count(*) FROM customer_emails"), 1);
    let by_key = order(2, "äö2@example.fi", 1, 100);
    assert_eq!(import(&mut store, &[by_key], false).customers_added, 0);
}

#[test]
fn a_phone_no_plan_has_is_a_bad_row_in_the_forms_words() {
    let mut store = Store::open_in_memory().unwrap();
    let sentence = |written: &str| {
        crate::domain::phone::parse(written, "FI")
            .unwrap_err()
            .to_string()
    };
    let mut bad = order(3, "B", 2, 500);
    bad.phone = Some("040 12".into());
    let mut good = order(2, "A", 1, 1000);
    good.phone = Some("+358 040 765 4321;ext=12".into());
    let result = store.import_orders(&source("orders"), &[good.clone(), bad], false, &mut |_| {});
    match result {
        Err(ImportError::Rows(problems)) => assert_eq!(
            problems,
            vec![RowProblem {
                line: 3,
                column: "phone".into(),
                reason: sentence("040 12"),
            }]
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&store, "SELECT count(*) FROM customers"), 0);
    // The good row alone: kept as written, as E.164 and with its extension.
    import(&mut store, &[good], false);
    let stored: (String, String, Option<String>) = store
        .connection()
        .query_row(
            "SELECT phone, phone_normalized, phone_extension FROM customer_phones",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        stored,
        (
            "+358 040 765 4321;ext=12".into(),
            "+358407654321".into(),
            Some("12".into())
        )
    );

    let mut c = contact(5, None, "Cecilia");
    c.phones = vec!["call me".into(), "040 765 4321".into()];
    let mut d = contact(6, Some("D"), "Dan");
    d.referred_by = Some("nobody".into());
    match import_contacts(&mut store, &[c, d]) {
        Err(ImportError::Rows(problems)) => {
            let lines: Vec<(usize, &str)> = problems
                .iter()
                .map(|p| (p.line, p.column.as_str()))
                .collect();
            assert_eq!(lines, vec![(5, "phone"), (6, "referred_by")]);
            assert_eq!(problems[0].reason, sentence("call me"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_large_import_with_order_ids_keeps_the_keys_of_rows_imported_without() {
    // Rows without an order id (two of them alike) are keyed by what they
    // hold; a large import whose rows all have order ids writes no key and
    // builds the keys' index again without numbering anything. The keys held
    // before stay unique and found: the first file again adds nothing.
    let keyed = vec![
        order(2, "K1", 1, 500),
        order(3, "K1", 1, 500),
        order(4, "K2", 2, 700),
    ];
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(import(&mut store, &keyed, false).orders_added, 3);
    let with_ids: Vec<OrderImport> = (0..BIG_IMPORT_ROWS as usize)
        .map(|i| {
            // Alike in what they hold, told apart by their ids.
            let mut row = order(i + 2, &format!("C{}", i % 50), 1, 100);
            row.order_id = Some(format!("O{i}"));
            row
        })
        .collect();
    let summary = import(&mut store, &with_ids, false);
    assert_eq!(summary.orders_added, BIG_IMPORT_ROWS);
    let unique_keys = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' \
                       AND name = 'orders_import_key' AND sql LIKE 'CREATE UNIQUE INDEX%'";
    assert_eq!(count(&store, unique_keys), 1);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM orders WHERE import_key IS NOT NULL"
        ),
        3
    );
    let again = import(&mut store, &keyed, false);
    assert_eq!((again.orders_added, again.orders_skipped), (0, 3));
    let check: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
