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

/// Every place in the program that opens a file outside SQLite, and why it
/// can never be a file of an open store. A new one fails this test until it
/// is added here with its reason: that is the moment to check it against the
/// rule above (stat, rename and remove open no descriptor and are free).
const FILES_OPENED_OUTSIDE_SQLITE: &[(&str, usize, &str)] = &[
    (
        "src/store/open.rs",
        2,
        "the header check, only while no connection of the process is open on the file \
         (held::Opening::first_look); creating a store file that does not exist yet",
    ),
    (
        "src/store/backup.rs",
        1,
        "syncing a finished backup copy, a file of its own",
    ),
    (
        "src/store/copies.rs",
        2,
        "writing exports and output files, which refuse the store by identity; the header \
         of a backup destination, after the same identity check",
    ),
    (
        "src/cli/import.rs",
        1,
        "the file being imported, read as a stream (once for its fingerprint, once for its \
         rows while the store is open), after it is refused by identity when it is a file \
         of the store (copies::is_part_of_store)",
    ),
    ("src/config.rs", 1, "the config file"),
    ("src/tui/bench.rs", 1, "the scheduler's counters in /proc"),
    (
        "src/cli/replicate.rs",
        2,
        "the Litestream configuration kanta wrote beside the store, and process \
         command lines in /proc",
    ),
    (
        "src/store/place.rs",
        1,
        "the kernel's mount table in /proc, to refuse a network filesystem",
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "tests") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs")
            && !path.to_string_lossy().ends_with("tests.rs")
        {
            out.push(path);
        }
    }
}

#[test]
fn no_new_place_opens_a_file_outside_sqlite_unnoticed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let opening = [
        "File::open(",
        "File::create(",
        "OpenOptions::new()",
        "fs::read(",
        "fs::read_to_string(",
        "fs::write(",
        "fs::copy(",
    ];
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Unit tests at the end of a file are not the program.
        let program = text.split("#[cfg(test)]").next().unwrap_or_default();
        let count = program
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .map(|l| opening.iter().filter(|p| l.contains(*p)).count())
            .sum::<usize>();
        if count > 0 {
            let name = file
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            found.push((name, count));
        }
    }
    found.sort();
    let mut allowed: Vec<(String, usize)> = FILES_OPENED_OUTSIDE_SQLITE
        .iter()
        .map(|(f, n, _)| ((*f).to_string(), *n))
        .collect();
    allowed.sort();
    assert_eq!(
        found, allowed,
        "files opened outside SQLite changed: check each new one cannot be a file of an open \
         store, then list it in FILES_OPENED_OUTSIDE_SQLITE with the reason"
    );
}

#[test]
fn the_check_for_damage_runs_once_while_others_wait_for_its_answer() {
    use crate::store::held::Check;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanta.db");
    let first = Store::open_or_create(&path).unwrap();
    let second = Store::open(&path).unwrap();
    assert_eq!(first.held.check_state(), Check::NotYet);
    let runs = AtomicUsize::new(0);
    let answers: Vec<Check> = std::thread::scope(|scope| {
        let asking: Vec<_> = [&first.held, &second.held, &first.held]
            .into_iter()
            .map(|held| {
                let runs = &runs;
                scope.spawn(move || {
                    held.check(|| {
                        runs.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(200));
                        Ok::<_, ()>(None)
                    })
                    .unwrap()
                })
            })
            .collect();
        asking.into_iter().map(|a| a.join().unwrap()).collect()
    });
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "one scan of every page, not three"
    );
    assert!(answers.iter().all(|a| *a == Check::Sound), "{answers:?}");
    assert!(second.is_known_sound());
    // Closed by every connection, the file is checked anew at the next open.
    drop((first, second));
    assert!(!Store::open(&path).unwrap().is_known_sound());
}

/// A call rings on the check of the dashboard open on the store, which says
/// it is open only once that check passed: it does not read every page of
/// the store again first. Without an open dashboard it checks as any
/// first write does.
#[test]
fn a_call_to_an_open_dashboard_rings_without_a_check_of_its_own() {
    use crate::store::held::Check;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanta.db");
    let mut store = Store::open_or_create(&path).unwrap();
    assert_eq!(store.held.check_state(), Check::NotYet);
    // A dashboard of a live process (this one) is open.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO dashboards (pid, started_at) VALUES (?1, '2026-12-02T10:00:00Z')",
            [std::process::id()],
        )
        .unwrap();
    let now = chrono::Utc::now();
    store.ring("+358 40 123 4567", now).unwrap();
    assert_eq!(store.held.check_state(), Check::NotYet);
    assert_eq!(store.calls_after(0).unwrap().len(), 1);
    // Closed, nobody vouches: the call waits for the check.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("DELETE FROM dashboards", [])
        .unwrap();
    store.ring("+358 40 123 4567", now).unwrap();
    assert_eq!(store.held.check_state(), Check::Sound);
}
