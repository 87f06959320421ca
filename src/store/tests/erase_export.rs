use chrono::{TimeZone, Utc};

use super::{add, date, draft, order};
use crate::domain::{CustomerDraft, InteractionKind, OrderDraft};
use crate::store::Store;

const NAME: &str = "Zyxwvut Qwertyson";
const EMAIL: &str = "zyxwvut.unique@example.org";
const PHONE: &str = "+358 40 987 6543";
const PHONE_NORMALIZED: &str = "+358409876543";

fn person() -> CustomerDraft {
    CustomerDraft {
        name: NAME.into(),
        emails: vec![EMAIL.into()],
        phones: vec![PHONE.into()],
        company: Some("Qwertyson Consulting".into()),
        city: Some("Kuopio".into()),
        tags: vec!["vip".into()],
        notes: format!("{NAME} prefers mornings"),
        ..draft(NAME)
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn erasing_leaves_no_trace_in_the_file_or_the_log_and_keeps_the_aggregates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanta.db");
    let mut store = Store::open_or_create(&path).unwrap();
    let other = add(&mut store, "Somebody Else");
    let id = store.insert_customer(&person()).unwrap().id;
    // An edit leaves an older copy of the row behind in the log.
    let edited = CustomerDraft {
        city: Some("Joensuu".into()),
        ..person()
    };
    store.update_customer(id, &edited).unwrap();
    for (day, amount) in [(date(2024, 1, 5), 2500), (date(2024, 2, 5), -500)] {
        store
            .add_order(&OrderDraft {
                note: Some(format!("for {NAME}")),
                ..order(id, day, amount)
            })
            .unwrap();
    }
    store
        .add_order(&order(other, date(2024, 1, 5), 900))
        .unwrap();
    let at = Utc.with_ymd_and_hms(2024, 1, 6, 10, 0, 0).unwrap();
    store
        .log_interaction(
            id,
            InteractionKind::Call,
            None,
            &format!("{NAME} called, {EMAIL}"),
            at,
        )
        .unwrap();
    store
        .add_followup(id, date(2024, 2, 1), &format!("call {NAME} at {PHONE}"))
        .unwrap();
    let facts_before = store.load_facts().unwrap();
    let wal = dir.path().join("kanta.db-wal");
    let mut traces = std::fs::read(&path).unwrap();
    traces.extend(std::fs::read(&wal).unwrap_or_default());
    assert!(
        contains(&traces, NAME) && contains(&traces, EMAIL),
        "the test must see traces before"
    );

    store.erase_customer(id).unwrap();

    let erased = store.customer(id).unwrap().unwrap();
    assert_eq!(erased.name, "erased");
    assert_eq!(erased.reference, format!("erased-{id}"));
    assert!(erased.emails.is_empty() && erased.phones.is_empty() && erased.tags.is_empty());
    assert_eq!(
        (erased.company, erased.city, erased.notes.as_str()),
        (None, None, "")
    );
    assert!(store.interactions_of(id).unwrap().is_empty());
    assert!(store.followups_of(id).unwrap().is_empty());
    let orders = store.orders_of(id).unwrap();
    assert_eq!(orders.len(), 2);
    assert!(orders.iter().all(|o| o.note.is_none()));
    let facts_after = store.load_facts().unwrap();
    assert_eq!(facts_after[1].days, facts_before[1].days);
    assert_eq!(facts_after[0], facts_before[0]);

    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(&wal).unwrap_or_default());
    for trace in [
        NAME,
        EMAIL,
        PHONE,
        PHONE_NORMALIZED,
        "Qwertyson",
        "Joensuu",
        "Kuopio",
    ] {
        assert!(
            !contains(&bytes, trace),
            "{trace:?} is still in the store's files"
        );
    }
    // The other customer is intact.
    assert_eq!(
        store.customer(other).unwrap().unwrap().name,
        "Somebody Else"
    );
}

#[test]
fn export_holds_everything_about_the_person() {
    let mut store = Store::open_in_memory().unwrap();
    let referrer = add(&mut store, "Referrer");
    let id = store
        .insert_customer(&CustomerDraft {
            referred_by: Some(referrer),
            ..person()
        })
        .unwrap()
        .id;
    let friend = store
        .insert_customer(&CustomerDraft {
            referred_by: Some(id),
            ..draft("Friend")
        })
        .unwrap();
    store.add_order(&order(id, date(2024, 1, 5), 2500)).unwrap();
    let at = Utc.with_ymd_and_hms(2024, 1, 6, 10, 0, 0).unwrap();
    store
        .log_interaction(id, InteractionKind::Email, None, "sent the catalogue", at)
        .unwrap();
    store
        .add_followup(id, date(2024, 2, 1), "call back")
        .unwrap();
    let export = store.export_customer(id).unwrap();
    assert_eq!(export["customer"]["name"], NAME);
    assert_eq!(export["customer"]["emails"][0], EMAIL);
    assert_eq!(export["customer"]["phones"][0], PHONE);
    assert_eq!(export["customer"]["tags"][0], "vip");
    assert_eq!(export["erased"], false);
    assert_eq!(export["orders"][0]["amount_cents"], 2500);
    assert_eq!(export["orders"][0]["order_date"], "2024-01-05");
    assert_eq!(export["interactions"][0]["text"], "sent the catalogue");
    assert_eq!(export["followups"][0]["reason"], "call back");
    assert_eq!(export["referred_by"]["name"], "Referrer");
    assert_eq!(export["referred"][0]["ref"], friend.reference);
    assert!(store.export_customer(999).is_err());
}

#[test]
fn erasing_reaches_the_stores_backups_and_its_exports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanta.db");
    let backups = dir.path().join("backups");
    let exports = dir.path().join("exports");
    let mut store = Store::open_or_create(&path).unwrap();
    let other = add(&mut store, "Somebody Else");
    let id = store
        .insert_customer(&CustomerDraft {
            reference: Some(EMAIL.into()),
            ..person()
        })
        .unwrap()
        .id;
    store.add_order(&order(id, date(2024, 1, 5), 2500)).unwrap();
    store.daily_backup(&backups, 7, date(2024, 5, 1)).unwrap();
    store.daily_backup(&backups, 7, date(2024, 5, 2)).unwrap();
    // As the dashboard named exports before they were named by id.
    std::fs::create_dir_all(&exports).unwrap();
    let legacy = exports.join("zyxwvut_unique_example_org-2024-05-01.json");
    std::fs::write(&legacy, format!("{{\"name\": \"{NAME}\"}}")).unwrap();
    let notes = exports.join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();

    let result = store.erase_customer(id);

    let error = result.unwrap_err().to_string();
    assert!(error.contains("notes.txt"), "{error}");
    for day in ["2024-05-01", "2024-05-02"] {
        let backup = backups.join(format!("kanta-{day}.db"));
        let bytes = std::fs::read(&backup).unwrap();
        for trace in [NAME, EMAIL, PHONE_NORMALIZED, "Qwertyson", "Kuopio"] {
            assert!(!contains(&bytes, trace), "{trace:?} is still in {day}");
        }
        let copy = Store::open(&backup).unwrap();
        assert_eq!(copy.customer(id).unwrap().unwrap().name, "erased");
        assert_eq!(copy.orders_of(id).unwrap().len(), 1);
        assert_eq!(copy.customer(other).unwrap().unwrap().name, "Somebody Else");
    }
    assert!(!legacy.exists());
    assert!(notes.exists());
}

#[cfg(unix)]
#[test]
fn an_erasure_says_what_it_did_to_each_copy_and_leaves_other_stores_be() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    let mut store = Store::open_or_create(&dir.path().join("kanta.db")).unwrap();
    let id = store
        .insert_customer(&CustomerDraft {
            reference: Some(EMAIL.into()),
            ..person()
        })
        .unwrap()
        .id;
    // Another store in the folder, whose customer has the same id.
    let mut shop = Store::open_or_create(&dir.path().join("shop.db")).unwrap();
    assert_eq!(shop.insert_customer(&person()).unwrap().id, id);
    let shops = shop
        .daily_backup(&backups, 7, date(2024, 5, 1))
        .unwrap()
        .unwrap();
    let ours = store
        .daily_backup(&backups, 7, date(2024, 5, 1))
        .unwrap()
        .unwrap();
    let export = store.export_customer_to_file(id, date(2024, 5, 1)).unwrap();
    assert_eq!(
        export.file_name().unwrap().to_str().unwrap(),
        format!("kanta-customer-{id}-2024-05-01.json")
    );
    assert_eq!(
        (mode(export.parent().unwrap()), mode(&export)),
        (0o700, 0o600)
    );
    let shops_export = shop.export_customer_to_file(id, date(2024, 5, 1)).unwrap();
    let broken = backups.join("kanta-2024-04-30.db");
    std::fs::write(&broken, "not a database").unwrap();

    let swept = store.erase_customer_everywhere(id).unwrap();

    assert_eq!(swept.rewritten, vec![ours.clone()]);
    assert_eq!(swept.deleted, vec![export]);
    assert_eq!(swept.unvouched.len(), 1, "{:?}", swept.unvouched);
    assert!(swept.unvouched[0].contains("kanta-2024-04-30.db"));
    assert_eq!(mode(&ours), 0o600);
    assert!(contains(&std::fs::read(&shops).unwrap(), NAME));
    assert!(shops_export.exists());
    assert_eq!(shop.customer(id).unwrap().unwrap().name, NAME);
}
