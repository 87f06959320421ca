//! Who did it: every contact, follow-up action, order entered by hand and
//! customer edit records the person, the GDPR export carries it, and erasing
//! the customer keeps what is the staff's.

use chrono::Utc;

use super::{add, date, draft, order};
use crate::domain::{Direction, InteractionKind};
use crate::store::Store;

fn column(store: &Store, sql: &str) -> Option<String> {
    store.conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn each_write_records_who_made_it() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_user("Aino");
    let id = add(&mut store, "Bertil Ek");
    let (logged, follow_up) = store
        .log_contact(
            id,
            InteractionKind::Call,
            Some(Direction::Inbound),
            "wants a quote",
            Utc::now(),
            Some(date(2026, 12, 9)),
        )
        .unwrap();
    assert_eq!(logged.logged_by.as_deref(), Some("Aino"));
    let follow_up = follow_up.unwrap();
    assert_eq!(follow_up.created_by.as_deref(), Some("Aino"));

    // Another person acts on it: the last one to act is kept.
    store.set_user("Eero");
    store
        .reschedule_followup(follow_up.id, date(2026, 12, 10))
        .unwrap();
    assert_eq!(
        column(&store, "SELECT acted_by FROM followups").as_deref(),
        Some("Eero")
    );
    store
        .complete_followup(follow_up.id, date(2026, 12, 10))
        .unwrap();
    assert_eq!(
        store.followups_of(id).unwrap()[0].acted_by.as_deref(),
        Some("Eero")
    );
    let entered = store
        .add_order(&order(id, date(2026, 12, 1), 4_990))
        .unwrap();
    assert_eq!(entered.entered_by.as_deref(), Some("Eero"));
    let edited = store.update_customer(id, &draft("Bertil Ek Jr")).unwrap();
    assert_eq!(edited.updated_by.as_deref(), Some("Eero"));
}

#[test]
fn the_export_carries_who_and_erasure_keeps_the_staffs_record() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_user("Aino");
    let id = add(&mut store, "Bertil Ek");
    store
        .log_interaction(
            id,
            InteractionKind::Note,
            None,
            "likes oat milk",
            Utc::now(),
        )
        .unwrap();
    store
        .add_order(&order(id, date(2026, 12, 1), 4_990))
        .unwrap();
    let export = store.export_customer(id).unwrap().to_string();
    assert!(export.contains("\"logged_by\":\"Aino\""), "{export}");
    assert!(export.contains("\"entered_by\":\"Aino\""), "{export}");
    store.erase_customer(id).unwrap();
    // The order stays, anonymised, with who entered it.
    assert_eq!(
        column(&store, "SELECT entered_by FROM orders").as_deref(),
        Some("Aino")
    );
}

#[test]
fn without_a_configured_user_the_os_user_name_is_recorded() {
    let store = Store::open_in_memory().unwrap();
    assert!(!store.user().trim().is_empty());
    // Without $USER (a service, a container) the account's name still is.
    #[cfg(unix)]
    assert_ne!(super::super::open::os_user(), "unknown");
    let mut store = store;
    store.set_user("   ");
    assert_ne!(store.user(), "   ");
}
