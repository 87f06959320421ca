use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::{add, date, order};
use crate::store::schema::{APPLICATION_ID, LATEST_VERSION};
use crate::store::{Store, StoreError};

fn file_in(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

/// Opening `path` fails as `check` expects, and leaves the file as it was.
fn assert_refused_untouched(path: &Path, check: impl Fn(&StoreError) -> bool) {
    let before = std::fs::read(path).unwrap();
    let dir = path.parent().unwrap();
    let listing = || {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let files_before = listing();
    let err = Store::open(path).unwrap_err();
    assert!(check(&err), "unexpected error: {err:?}");
    assert!(err.is_user_error());
    let err = Store::open_or_create(path).unwrap_err();
    assert!(check(&err), "unexpected error: {err:?}");
    assert_eq!(std::fs::read(path).unwrap(), before, "the file was changed");
    assert_eq!(
        listing(),
        files_before,
        "something was written beside the file"
    );
}

/// A store on file with some customers and orders, closed again.
fn filled_store(path: &Path) {
    let mut store = Store::open_or_create(path).unwrap();
    for i in 0..200 {
        let id = add(
            &mut store,
            &format!("Customer number {i} with a longish name"),
        );
        store
            .add_order(&order(id, date(2024, 1, 1 + i % 28), 1000 + i64::from(i)))
            .unwrap();
    }
}

#[test]
fn a_new_store_is_private_in_wal_mode_and_at_the_latest_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "sub/kanta.db");
    let store = Store::open_or_create(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let conn = store.connection();
    let journal: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    let foreign_keys: i64 = conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert_eq!(foreign_keys, 1);
    let secure: i64 = conn
        .pragma_query_value(None, "secure_delete", |r| r.get(0))
        .unwrap();
    assert_eq!(secure, 1);
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, APPLICATION_ID);
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
}

#[test]
fn a_missing_store_is_not_created_by_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "none.db");
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::Missing { .. })
    ));
    assert!(!path.exists());
}

#[test]
fn an_empty_file_is_migrated_from_version_0_to_the_latest() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "empty.db");
    std::fs::write(&path, b"").unwrap();
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    add(&mut store, "First");
    drop(store);
    // Reopening an up-to-date store keeps its data and version.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.customers().unwrap().len(), 1);
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
}

#[test]
fn a_text_file_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "notes.txt");
    std::fs::write(&path, "customer,date,amount\nK1,2024-01-01,10\n".repeat(50)).unwrap();
    assert_refused_untouched(&path, |e| matches!(e, StoreError::NotSqlite { .. }));
}

#[test]
fn another_programs_database_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "other.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('Kaunis')")
        .unwrap();
    drop(conn);
    assert_refused_untouched(&path, |e| matches!(e, StoreError::Foreign { .. }));
}

#[test]
fn another_programs_database_in_wal_mode_is_refused_with_nothing_written_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "other.db");
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "wal").unwrap();
    conn.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('Kaunis')")
        .unwrap();
    drop(conn);
    assert_refused_untouched(&path, |e| matches!(e, StoreError::Foreign { .. }));
}

#[test]
fn a_truncated_store_is_refused_as_damaged_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "kanta.db");
    filled_store(&path);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8 * 4096, "the store should span many pages");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    assert_refused_untouched(&path, |e| matches!(e, StoreError::Damaged { .. }));
}

#[test]
fn a_store_of_a_newer_kanta_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "kanta.db");
    filled_store(&path);
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    assert_refused_untouched(
        &path,
        |e| matches!(e, StoreError::TooNew { found: 99, known, .. } if *known == LATEST_VERSION),
    );
}

#[test]
fn the_v1_fixture_opens_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "v1.db");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store/v1.db");
    std::fs::copy(&fixture, &path).unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    let maija = store.customer_by_ref("C-1").unwrap().unwrap();
    assert_eq!(maija.name, "Maija Meikäläinen");
    assert_eq!(maija.emails, vec!["maija@example.fi"]);
    let facts = store.load_facts().unwrap();
    assert_eq!(facts.len(), 2);
    assert_eq!(facts[0].days.len(), 2);
    assert_eq!(store.open_followups().unwrap().len(), 1);
}

/// Writes `tests/fixtures/store/v1.db` again. Run by hand when the fixture
/// must change: `cargo test --lib write_v1_fixture -- --ignored`.
#[test]
#[ignore]
fn write_v1_fixture() {
    use crate::domain::{CustomerDraft, InteractionKind};
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store/v1.db");
    let _ = std::fs::remove_file(&path);
    let mut store = Store::open_or_create(&path).unwrap();
    let maija = store
        .insert_customer(&CustomerDraft {
            reference: Some("C-1".into()),
            name: "Maija Meikäläinen".into(),
            emails: vec!["maija@example.fi".into()],
            phones: vec!["040 123 4567".into()],
            city: Some("Tampere".into()),
            tags: vec!["vip".into()],
            ..CustomerDraft::default()
        })
        .unwrap();
    let matti = add(&mut store, "Matti Virtanen");
    store
        .add_order(&order(maija.id, date(2024, 1, 5), 2500))
        .unwrap();
    store
        .add_order(&order(maija.id, date(2024, 3, 9), 4000))
        .unwrap();
    store
        .add_order(&order(matti, date(2024, 2, 1), 990))
        .unwrap();
    let at = date(2024, 3, 10).and_hms_opt(12, 0, 0).unwrap().and_utc();
    store
        .log_interaction(matti, InteractionKind::Call, None, "asked about prices", at)
        .unwrap();
    store
        .add_followup(maija.id, date(2024, 4, 1), "thank for the order")
        .unwrap();
    store
        .connection()
        .pragma_update(None, "journal_mode", "delete")
        .unwrap();
    store.connection().execute_batch("VACUUM").unwrap();
}

#[test]
fn two_connections_on_one_file_both_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "kanta.db");
    drop(Store::open_or_create(&path).unwrap());
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                for i in 0..40 {
                    let id = add(&mut store, &format!("writer {w} customer {i}"));
                    store.add_order(&order(id, date(2024, 5, 1), 100)).unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.customers().unwrap().len(), 80);
    assert_eq!(store.orders().unwrap().len(), 80);
}

#[test]
fn rows_written_by_a_script_are_real_and_change_data_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "kanta.db");
    let store = Store::open_or_create(&path).unwrap();
    let before = store.data_version().unwrap();
    assert!(store.load_facts().unwrap().is_empty());
    // What an outside script does with `sqlite3`: plain SQL, default columns.
    let script = Connection::open(&path).unwrap();
    script
        .execute_batch(
            "INSERT INTO customers (ref, name) VALUES ('SHOP-7', 'Script Customer');
             INSERT INTO orders (customer_id, order_date, amount_cents)
                 SELECT id, '2024-06-01', 1999 FROM customers WHERE ref = 'SHOP-7';",
        )
        .unwrap();
    assert_ne!(store.data_version().unwrap(), before);
    let facts = store.load_facts().unwrap();
    assert_eq!(facts.len(), 1);
    assert_eq!(facts[0].reference, "SHOP-7");
    assert_eq!(facts[0].days.len(), 1);
    assert_eq!(facts[0].days[0].date, date(2024, 6, 1));
    assert_eq!(facts[0].days[0].amount_cents, 1999);
    assert!(store.customer_by_ref("SHOP-7").unwrap().is_some());
}

#[test]
fn a_file_with_an_sqlite_header_and_garbage_after_it_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "kanta.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend((0..8192u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    std::fs::write(&path, &bytes).unwrap();
    assert_refused_untouched(&path, |e| matches!(e, StoreError::Damaged { .. }));
}

/// A store whose damage is on a page the opening does not read: an index of
/// the orders, overwritten in the middle.
fn store_with_a_damaged_index(path: &Path) {
    filled_store(path);
    let conn = Connection::open(path).unwrap();
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'orders' \
             ORDER BY rootpage DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let page_size: i64 = conn
        .pragma_query_value(None, "page_size", |r| r.get(0))
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(path).unwrap();
    let start = usize::try_from((root - 1) * page_size).unwrap();
    for byte in &mut bytes[start..start + usize::try_from(page_size).unwrap()] {
        *byte = 0x5a;
    }
    std::fs::write(path, &bytes).unwrap();
}

#[test]
fn a_damaged_store_is_never_written_to() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_in(&dir, "kanta.db");
    store_with_a_damaged_index(&path);
    let before = std::fs::read(&path).unwrap();
    let check: String = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .unwrap();
    assert_ne!(check, "ok", "the damage should be found by quick_check");
    let mut store = Store::open(&path).unwrap();
    let err = store
        .insert_customer(&super::draft("New"))
        .expect_err("a write to a damaged store");
    assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("kanta.db"), "{err}");
    drop(store);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the damaged file was written to"
    );
}
