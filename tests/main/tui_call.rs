//! The phone call end to end: `kanta call` reaching an open dashboard, and a
//! call logged from the card with a follow-up, typed like a person.

use crate::pty;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use kanta::domain::{CustomerDraft, Direction, FollowUpStatus, InteractionKind};
use kanta::store::Store;
use pty::Session;

const LONG: Duration = Duration::from_secs(10);

fn customer(name: &str, phone: &str) -> CustomerDraft {
    CustomerDraft {
        name: name.to_string(),
        phones: vec![phone.to_string()],
        ..CustomerDraft::default()
    }
}

fn call(db: &Path, home: &Path, number: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kanta"))
        .arg("--db")
        .arg(db)
        .arg("call")
        .arg(number)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .expect("kanta call runs")
}

/// Waits until the dashboard has said it is open (once its check for damage
/// is done), as a softphone's call would find it some moments after opening.
fn wait_until_registered(db: &Path) {
    let start = Instant::now();
    while start.elapsed() < LONG {
        let count: i64 = rusqlite::Connection::open(db)
            .and_then(|c| c.query_row("SELECT count(*) FROM dashboards", [], |r| r.get(0)))
            .unwrap_or(0);
        if count > 0 {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the dashboard never said it is open");
}

/// A store holding these customers (name, phone as written).
fn store_with(dir: &Path, people: &[(&str, &str)]) -> std::path::PathBuf {
    let db = dir.join("kanta.db");
    let mut store = Store::open_or_create(&db).expect("store");
    for (name, phone) in people {
        store
            .insert_customer(&customer(name, phone))
            .expect("insert");
    }
    db
}

#[test]
fn a_call_shows_the_callers_card_in_the_open_dashboard_within_a_second() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Stored in the national form, called in the caller-ID form.
    let db = store_with(
        dir.path(),
        &[
            ("Aino Virtanen", "040-4803684"),
            ("Bertil Ek", "050 765 4321"),
        ],
    );
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    wait_until_registered(&db);
    // On another pane, as a dashboard is when the phone rings.
    s.send(b"3");
    let start = Instant::now();
    let out = call(&db, dir.path(), "+358 40 480 3684");
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("shown in the open dashboard"), "{said}");
    s.wait_for("Customer: Aino Virtanen", LONG);
    let took = start.elapsed();
    eprintln!("kanta call to the card on screen: {took:?}");
    assert!(
        took < Duration::from_secs(1),
        "the card took {took:?} to reach the screen"
    );
    s.wait_for("Call from Aino Virtanen", LONG);

    // Logging the call: `c`, the note, Tab, `1w`, Enter.
    s.send(b"c");
    s.wait_for("Log contact: call", LONG);
    s.type_text("asked about the spring order");
    s.send(b"\t");
    s.type_text("1w");
    s.send(b"\r");
    s.wait_for("Contact logged: Aino Virtanen; follow-up on", LONG);

    // A number nobody has opens the new-customer form with it filled in.
    let out = call(&db, dir.path(), "0451112223");
    assert!(out.status.success(), "{out:?}");
    s.wait_for("nobody has this number", LONG);
    s.wait_for("0451112223", LONG);
    s.send(b"\x1b");
    s.wait_for("Discard", LONG);
    s.send(b"y");
    s.send(b"\x1b");
    s.quit();

    let store = Store::open(&db).expect("store");
    let aino = store.find_by_phone("+358404803684").expect("query")[0];
    let logged = store.interactions_of(aino).expect("interactions");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0].kind, InteractionKind::Call);
    assert_eq!(logged[0].direction, Some(Direction::Inbound));
    assert_eq!(logged[0].text, "asked about the spring order");
    let followups = store.followups_of(aino).expect("followups");
    let open: Vec<_> = followups
        .iter()
        .filter(|f| f.status == FollowUpStatus::Open)
        .collect();
    let week = chrono::Local::now().date_naive() + chrono::Days::new(7);
    assert!(open.iter().any(|f| f.due == week), "{followups:?}");
}

#[test]
fn a_call_with_no_dashboard_open_prints_the_card() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = store_with(dir.path(), &[("Aino Virtanen", "040-4803684")]);
    let out = call(&db, dir.path(), "+358404803684");
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Aino Virtanen"), "{said}");
    assert!(said.contains("040-4803684"), "{said}");

    let out = call(&db, dir.path(), "+46 70 123 45 67");
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("no customer has the number"),
        "{out:?}"
    );

    let out = call(&db, dir.path(), "not a number");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a phone number"));
}

#[test]
fn a_dashboard_killed_without_closing_is_not_counted_as_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = store_with(dir.path(), &[("Aino Virtanen", "040-4803684")]);
    let s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    wait_until_registered(&db);
    s.kill_nine();
    let out = call(&db, dir.path(), "0404803684");
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Aino Virtanen"), "{said}");
}
