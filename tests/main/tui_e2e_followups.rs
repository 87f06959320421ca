//! The real binary in a pseudo-terminal: `kanta demo` opening its own store,
//! and the follow-up list worked through with its keys.

use crate::pty;

use std::path::Path;
use std::time::Duration;

use chrono::{Days, Local};
use kanta::domain::CustomerDraft;
use kanta::i18n::Lang;
use kanta::i18n::followups::snoozed_message;
use kanta::store::Store;
use pty::Session;

const LONG: Duration = Duration::from_secs(20);

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn kanta_demo_opens_the_dashboard_on_its_own_store_and_the_same_one_again() {
    let home = tempfile::tempdir().unwrap();
    let demo = home.path().join("data/kanta/demo.db");
    let s = Session::start_with(&["demo", "--customers", "40"], home.path());
    s.wait_for("Pyramid", LONG);
    s.wait_for("Customers: 40", LONG);
    s.quit();
    assert_eq!(count(&demo, "SELECT count(*) FROM customers"), 40);
    // No daily backups beside the demo: that folder is the real store's.
    assert!(!home.path().join("data/kanta/backups").exists());
    rusqlite::Connection::open(&demo)
        .unwrap()
        .execute(
            "INSERT INTO customers (ref, name) VALUES ('MINE', 'Merkki Mies')",
            [],
        )
        .unwrap();

    // The second time the same store opens, with what was added to it.
    let mut s = Session::start_with(&["demo"], home.path());
    s.wait_for("Pyramid", LONG);
    s.send(b"5");
    s.send(b"/");
    s.type_text("merkki");
    s.wait_for("Merkki Mies", LONG);
    s.send(b"\x1b");
    s.quit();
    assert_eq!(count(&demo, "SELECT count(*) FROM customers"), 41);
    assert!(!home.path().join("data/kanta/kanta.db").exists());
}

#[test]
fn the_follow_up_list_is_narrowed_acted_on_and_a_contact_logged_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kanta.db");
    let today = Local::now().date_naive();
    {
        let mut store = Store::open_or_create(&db).unwrap();
        let mut add = |name: &str| {
            store
                .insert_customer(&CustomerDraft {
                    name: name.into(),
                    ..CustomerDraft::default()
                })
                .unwrap()
                .id
        };
        let (aino, bertil) = (add("Aino Virtanen"), add("Bertil Ek"));
        let three_days_ago = today.checked_sub_days(Days::new(3)).unwrap();
        store
            .add_followup(aino, three_days_ago, "call back")
            .unwrap();
        store
            .add_followup(bertil, today, "thank for the order")
            .unwrap();
    }
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.send(b"4");
    s.wait_for("Follow-ups (2)", LONG);
    // `v`: the overdue ones only.
    s.send(b"v");
    s.wait_for("Follow-ups · overdue (1/2)", LONG);
    s.send(b"d");
    s.wait_for("Done: Aino Virtanen", LONG);
    s.wait_for("None here", LONG);
    // Today's: Bertil's, snoozed a day.
    s.send(b"v");
    s.wait_for("Follow-ups · today (1/1)", LONG);
    s.send(b"z");
    let tomorrow = today.checked_add_days(Days::new(1)).unwrap();
    s.wait_for(&snoozed_message(Lang::En, tomorrow, today), LONG);
    // Upcoming: there it is; `c` logs a call with Bertil from the list.
    s.send(b"v");
    s.wait_for("Follow-ups · upcoming (1/1)", LONG);
    s.send(b"c");
    s.wait_for("Log contact: call", LONG);
    s.type_text("thanked them");
    s.send(b"\r");
    s.wait_for("Contact logged: Bertil Ek", LONG);
    s.quit();
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM interactions WHERE text = 'thanked them'"
        ),
        1
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM followups WHERE status = 'done'"),
        1
    );
}

#[test]
fn lc_messages_in_finnish_gives_a_finnish_dashboard_and_lc_all_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kanta.db");
    Store::open_or_create(&db).unwrap();
    let db = db.to_string_lossy().into_owned();
    let args = ["--db", db.as_str()];
    let s = Session::start_in_locale(
        &args,
        dir.path(),
        &[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "fi_FI.UTF-8")],
    );
    s.wait_for("Pyramidi", LONG);
    s.quit();
    let s = Session::start_in_locale(
        &args,
        dir.path(),
        &[("LC_ALL", "en_GB.UTF-8"), ("LC_MESSAGES", "fi_FI.UTF-8")],
    );
    s.wait_for("RFM matrix", LONG);
    s.quit();
}
