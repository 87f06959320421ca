//! The real binary in a pseudo-terminal, typed at like a person.

use crate::pty;

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

use kanta::domain::CustomerDraft;
use kanta::store::Store;
use pty::{COLS, ROWS, Session};

const LONG: Duration = Duration::from_secs(10);

fn draft(name: &str, phone: &str) -> CustomerDraft {
    CustomerDraft {
        name: name.to_string(),
        phones: vec![phone.to_string()],
        ..CustomerDraft::default()
    }
}

fn store_with(db: &Path, customers: &[CustomerDraft]) {
    let mut store = Store::open_or_create(db).expect("store");
    for c in customers {
        store.insert_customer(c).expect("insert");
    }
}

#[test]

fn phone_digits_in_search_open_the_card() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(
        &db,
        &[
            draft("Aino Virtanen", "+358 40 123 4567"),
            draft("Bertil Ek", "050 765 4321"),
        ],
    );
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.send(b"/");
    s.wait_for("Search", LONG);
    s.type_text("0401234");
    s.wait_for("Aino Virtanen", LONG);
    assert!(!s.contents().contains("Bertil Ek"));
    s.send(b"\r");
    s.wait_for("Customer: Aino Virtanen", LONG);
    s.wait_for("+358 40 123 4567", LONG);
    s.send(b"\x1b");
    // A number pasted from elsewhere finds the customer too.
    s.send(b"/");
    s.send(b"\x1b[200~050-765 4321\x1b[201~");
    s.wait_for("Bertil Ek", LONG);
    s.send(b"\x1b");
    s.quit();
}

#[test]

fn a_customer_added_in_the_form_is_there_after_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(&db, &[]);
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.send(b"n");
    s.type_text("Kaisa Koivisto");
    // Ctrl-S saves the form.
    s.send(b"\x13");
    s.wait_for("Saved", LONG);
    s.send(b"\x1b");
    s.quit();

    // Opening the dashboard took the day's automatic backup beside the store,
    // one file a day, and it is a sound copy.
    let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .expect("a backups folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let name = backups[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("kanta-") && name.ends_with(".db"),
        "{name}"
    );
    let check: String = rusqlite::Connection::open(&backups[0])
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");

    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.send(b"/");
    s.type_text("koivisto");
    s.wait_for("Kaisa Koivisto", LONG);
    s.send(b"\x1b");
    s.quit();
    // The second opening the same day adds no second backup.
    assert_eq!(
        std::fs::read_dir(dir.path().join("backups"))
            .unwrap()
            .count(),
        1
    );
}

#[test]

fn a_row_written_by_another_connection_appears_within_two_seconds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(&db, &[draft("Aino Virtanen", "0401234567")]);
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.send(b"5");
    s.wait_for("Aino Virtanen", LONG);
    // Another program writes; the dashboard is idle, nobody presses a key.
    store_with(&db, &[draft("Outi Ulkopuolinen", "0501112223")]);
    s.wait_for("Outi Ulkopuolinen", Duration::from_millis(2500));
    s.quit();
}

#[test]
fn an_idle_dashboard_draws_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(&db, &[draft("Aino Virtanen", "0401234567")]);
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    // The customer list fills in once the background load is done: only then
    // is the dashboard idle.
    s.send(b"5");
    s.wait_for("Aino Virtanen", LONG);
    // Let the frame settle, then watch: two data checks pass, no bytes.
    // Any draw writes at least the hide-cursor sequence, so a redraw shows here.
    std::thread::sleep(Duration::from_millis(500));
    let before = s.written.load(Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(
        s.written.load(Ordering::SeqCst),
        before,
        "redrew while idle"
    );
    s.quit();
}

#[test]
fn a_too_small_terminal_gets_a_message_and_recovers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(&db, &[]);
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.resize(12, 50);
    s.wait_for("Terminal too small", LONG);
    s.resize(ROWS, COLS);
    s.wait_for("Pyramid", LONG);
    s.quit();
}
