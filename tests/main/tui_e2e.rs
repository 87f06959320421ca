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

/// A left click at a screen cell (1-based, as terminals count), pressed and
/// released, in the SGR encoding terminals send once the mouse is captured.
fn click(s: &mut Session, column: u16, row: u16) {
    s.send(format!("\x1b[<0;{column};{row}M").as_bytes());
    s.send(format!("\x1b[<0;{column};{row}m").as_bytes());
}

fn wheel_down(s: &mut Session, column: u16, row: u16) {
    s.send(format!("\x1b[<65;{column};{row}M").as_bytes());
}

/// The first cell (1-based column, row) where `text` is on screen.
fn find(s: &Session, text: &str) -> (u16, u16) {
    let screen = s.contents();
    for (row, line) in screen.lines().enumerate() {
        if let Some(at) = line.find(text) {
            let column = line[..at].chars().count();
            return (column as u16 + 1, row as u16 + 1);
        }
    }
    panic!("{text:?} not on screen:\n{screen}");
}

#[test]
fn a_click_selects_a_tab_and_a_row_a_second_click_opens_it_and_the_wheel_scrolls() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    let people: Vec<CustomerDraft> = (0..40)
        .map(|i| draft(&format!("Asiakas {i:02}"), &format!("040 555 {i:04}")))
        .collect();
    store_with(&db, &people);
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    let (column, row) = find(&s, "5 Customers");
    click(&mut s, column, row);
    s.wait_for("Customers (40)", LONG);
    s.wait_for("1/40", LONG);
    // One click selects the row, a second on it opens the card.
    let (column, row) = find(&s, "Asiakas 03");
    click(&mut s, column, row);
    s.wait_for("4/40", LONG);
    click(&mut s, column, row);
    s.wait_for("Customer: Asiakas 03", LONG);
    s.send(b"\x1b");
    s.wait_for("4/40", LONG);
    // The wheel moves three rows a turn.
    wheel_down(&mut s, column, row);
    s.wait_for("7/40", LONG);
    s.quit();
}

#[test]
fn with_mouse_false_a_click_does_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(&db, &[draft("Aino Virtanen", "0401234567")]);
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "mouse = false\n").expect("config");
    let args = [
        "--config",
        config.to_str().unwrap_or_default(),
        "--db",
        db.to_str().unwrap_or_default(),
    ];
    let mut s = Session::start_with(&args, dir.path());
    s.wait_for("Pyramid", LONG);
    let (column, row) = find(&s, "5 Customers");
    click(&mut s, column, row);
    // A key still works; the click before it did not switch the pane.
    s.send(b"2");
    s.wait_for("RFM matrix ·", LONG);
    assert!(!s.contents().contains("Customers (1)"));
    s.quit();
}

#[test]
fn a_deleted_customer_comes_back_with_one_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(
        &db,
        &[
            draft("Aino Virtanen", "0401234567"),
            draft("Bertil Ek", "0507654321"),
        ],
    );
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.send(b"5");
    s.wait_for("Customers (2)", LONG);
    s.send(b"D");
    s.send(b"y");
    s.wait_for("Deleted · U undoes", LONG);
    s.wait_for("Customers (1)", LONG);
    s.send(b"U");
    s.wait_for("Undone: deleting Aino Virtanen", LONG);
    s.wait_for("Customers (2)", LONG);
    s.quit();
    let store = Store::open(&db).expect("store");
    let names: Vec<String> = store
        .customers()
        .expect("customers")
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Aino Virtanen", "Bertil Ek"]);
    let phones: Vec<Vec<String>> = store
        .customers()
        .expect("customers")
        .into_iter()
        .map(|c| c.phones)
        .collect();
    assert_eq!(phones[0], ["0401234567"]);
}

/// `kanta report pyramid` today: the counts by stage, comma-separated, in
/// the order the store keeps them (suspect first, lapsed last).
fn reported_pyramid(db: &Path, home: &Path) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kanta"))
        .args(["--db"])
        .arg(db)
        .args(["report", "pyramid", "--format", "csv"])
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .expect("kanta report runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .skip(1)
        .map(|line| line.split(',').nth(1).expect("a count").to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Waits until the store keeps today's pyramid at the change log's mark
/// as it is now, and gives its counts.
fn kept_pyramid(db: &Path) -> String {
    let start = std::time::Instant::now();
    let conn = rusqlite::Connection::open(db).expect("open");
    loop {
        let kept: Option<String> = conn
            .query_row(
                "SELECT now FROM pyramid_frames
                 WHERE as_of = date('now', 'localtime')
                   AND mark = (SELECT max(seq) FROM customer_changes)",
                [],
                |r| r.get(0),
            )
            .ok();
        if let Some(kept) = kept {
            return kept;
        }
        assert!(start.elapsed() < LONG, "no pyramid kept for today");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A window keeps the pyramid of today and the next days once loaded, equal
/// to the report's; a script's order moves the change log past it, and the
/// window, having read the order, keeps the new pyramid.
#[test]
fn the_pyramid_a_window_keeps_is_the_reports_before_and_after_a_script_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(
        &db,
        &[
            draft("Aino Virtanen", "0401234567"),
            draft("Bertil Ek", "0507654321"),
        ],
    );
    let script = rusqlite::Connection::open(&db).expect("open");
    script
        .execute(
            "INSERT INTO orders (customer_id, order_date, amount_cents)
             VALUES (1, date('now', 'localtime', '-10 days'), 2500)",
            [],
        )
        .expect("an order");
    let s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    let before = kept_pyramid(&db);
    assert_eq!(before, reported_pyramid(&db, dir.path()));
    let days: i64 = script
        .query_row("SELECT count(*) FROM pyramid_frames", [], |r| r.get(0))
        .unwrap();
    assert_eq!(days, 7, "today and the next six");
    script
        .execute(
            "INSERT INTO orders (customer_id, order_date, amount_cents)
             VALUES (2, date('now', 'localtime'), 900)",
            [],
        )
        .expect("a second order");
    let after = kept_pyramid(&db);
    assert_eq!(after, reported_pyramid(&db, dir.path()));
    assert_ne!(after, before, "Bertil became a customer");
    s.quit();
}
