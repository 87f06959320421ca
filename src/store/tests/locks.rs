//! The store's locks survive everything the process does while a connection is
//! open. POSIX drops every fcntl lock a process holds on a file when any
//! descriptor of that file is closed; a second process closing its connection
//! then believes it is the last one and deletes the write-ahead log under us
//! (SQLite's "How To Corrupt An SQLite Database File", section 2.2).
//!
//! The other process is this test binary run again on one ignored test.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;

use super::{add, date, order};
use crate::store::Store;

const CHILD_DB: &str = "KANTA_TEST_CHILD_DB";

/// Run only as the child of the tests below: one connection opened, read and
/// closed, as a `sqlite3` shell or another kanta command would.
#[test]
#[ignore = "run by the lock tests as their other process"]
fn child_reads_the_store_and_closes() {
    let Some(path) = std::env::var_os(CHILD_DB) else {
        return;
    };
    let conn = rusqlite::Connection::open(PathBuf::from(path)).unwrap();
    let customers: i64 = conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    println!("customers={customers}");
}

/// Another process opens the store, counts its customers and closes.
fn count_from_another_process(path: &Path) -> i64 {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "store::tests::locks::child_reads_the_store_and_closes",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DB, path)
        .output()
        .unwrap();
    assert!(output.status.success(), "the other process failed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .find_map(|l| l.split_once("customers=")?.1.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count in the other process's output: {stdout}"))
}

fn wal_of(path: &Path) -> PathBuf {
    let mut wal = path.as_os_str().to_os_string();
    wal.push("-wal");
    PathBuf::from(wal)
}

/// `during` runs while the dashboard-like first connection is open; afterwards
/// another process opens and closes the store, and the first connection's
/// later writes must still be seen by everyone.
fn locks_survive(during: impl FnOnce(&Path, &mut Store)) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanta.db");
    let mut store = Store::open_or_create(&path).unwrap();
    add(&mut store, "Before");
    during(&path, &mut store);
    let before = count_from_another_process(&path);
    assert!(
        wal_of(&path).exists(),
        "the other process deleted the write-ahead log under an open connection"
    );
    add(&mut store, "After");
    assert_eq!(
        count_from_another_process(&path),
        before + 1,
        "a write of the open connection went into a deleted log"
    );
}

#[test]
fn a_second_store_opened_and_closed_keeps_the_first_ones_locks() {
    locks_survive(|path, _| drop(Store::open(path).unwrap()));
}

#[test]
fn opening_from_another_thread_keeps_the_locks() {
    locks_survive(|path, _| {
        let path = path.to_path_buf();
        std::thread::spawn(move || drop(Store::open_or_create(&path).unwrap()))
            .join()
            .unwrap();
    });
}

#[test]
fn loading_facts_in_parallel_keeps_the_locks() {
    locks_survive(|_, store| {
        let id = add(store, "Buyer");
        store.add_order(&order(id, date(2024, 1, 2), 100)).unwrap();
        store.load_facts_in_parallel().unwrap();
    });
}

#[test]
fn backups_keep_the_locks() {
    locks_survive(|path, store| {
        let dir = path.parent().unwrap().join("backups");
        store
            .daily_backup(&dir, 3, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
            .unwrap();
        store.backup_to(&dir.join("copy.db")).unwrap();
    });
}
