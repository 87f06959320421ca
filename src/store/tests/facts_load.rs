use chrono::{Local, TimeZone, Utc};

use super::{add, date, draft, order};
use crate::domain::{CustomerDraft, DayTotal, InteractionKind, Source};
use crate::store::Store;

fn local_noon(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Local
        .from_local_datetime(&date(y, m, d).and_hms_opt(12, 0, 0).unwrap())
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn orders_fold_per_day_refund_days_are_not_purchases_zero_amounts_are() {
    let mut store = Store::open_in_memory().unwrap();
    let anna = add(&mut store, "Anna");
    let bea = store
        .insert_customer(&CustomerDraft {
            source: Some(Source::Referral),
            referred_by: Some(anna),
            prospect: true,
            advocate: true,
            contact_every_days: Some(14),
            ..draft("Bea")
        })
        .unwrap()
        .id;
    for (day, amount) in [
        (date(2024, 1, 5), 1000),
        (date(2024, 1, 5), 500),
        (date(2024, 1, 5), -200),
        (date(2024, 2, 1), -300),
        (date(2024, 2, 1), -50),
        (date(2024, 3, 1), 0),
        (date(2023, 12, 31), 700),
    ] {
        store.add_order(&order(anna, day, amount)).unwrap();
    }
    store
        .log_interaction(
            bea,
            InteractionKind::Call,
            None,
            "",
            local_noon(2024, 3, 10),
        )
        .unwrap();
    store
        .log_interaction(bea, InteractionKind::Note, None, "", local_noon(2024, 3, 2))
        .unwrap();
    let facts = store.load_facts().unwrap();
    assert_eq!(facts.len(), 2);
    let a = &facts[0];
    assert_eq!((a.id, a.reference.as_str()), (anna, "K000001"));
    let day = |date, amount_cents, is_purchase| DayTotal {
        date,
        amount_cents,
        is_purchase,
    };
    assert_eq!(
        a.days,
        vec![
            day(date(2023, 12, 31), 700, true),
            day(date(2024, 1, 5), 1300, true),
            day(date(2024, 2, 1), -350, false),
            day(date(2024, 3, 1), 0, true),
        ]
    );
    assert!(a.interaction_dates.is_empty());
    assert!(!a.prospect && !a.advocate && a.source.is_none() && a.referred_by.is_none());
    let b = &facts[1];
    assert!(b.days.is_empty());
    assert_eq!(
        b.interaction_dates,
        vec![date(2024, 3, 2), date(2024, 3, 10)]
    );
    assert_eq!(b.source, Some(Source::Referral));
    assert_eq!(b.referred_by, Some(anna));
    assert!(b.prospect && b.advocate);
    assert_eq!(b.contact_every_days, Some(14));
    assert_eq!(
        a.purchase_days(date(2024, 2, 29)).collect::<Vec<_>>(),
        vec![date(2023, 12, 31), date(2024, 1, 5)]
    );
}

#[test]
fn orders_of_a_customer_that_does_not_exist_are_skipped() {
    let mut store = Store::open_in_memory().unwrap();
    let anna = add(&mut store, "Anna");
    store
        .add_order(&order(anna, date(2024, 1, 5), 100))
        .unwrap();
    let conn = store.connection();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    conn.execute(
        "INSERT INTO orders (customer_id, order_date, amount_cents) VALUES (555, '2024-01-01', 9)",
        [],
    )
    .unwrap();
    let facts = store.load_facts().unwrap();
    assert_eq!(facts.len(), 1);
    assert_eq!(facts[0].days.len(), 1);
}

#[test]
fn created_at_is_loaded_as_its_local_date() {
    let mut store = Store::open_in_memory().unwrap();
    let anna = add(&mut store, "Anna");
    let at = local_noon(2024, 2, 29);
    store
        .connection()
        .execute(
            "UPDATE customers SET created_at = ?1 WHERE id = ?2",
            rusqlite::params![at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(), anna],
        )
        .unwrap();
    let facts = store.load_facts().unwrap();
    assert_eq!(facts[0].created_on, date(2024, 2, 29));
}

#[test]
fn the_parallel_load_reads_the_same_facts_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_or_create(&dir.path().join("kanta.db")).unwrap();
    let anna = add(&mut store, "Anna");
    let _nobody = add(&mut store, "Bea");
    let cid = add(&mut store, "Cid");
    for (who, day, amount) in [
        (anna, date(2024, 1, 5), 1000),
        (anna, date(2024, 1, 5), -200),
        (cid, date(2024, 2, 1), 300),
        (cid, date(2024, 3, 1), 0),
    ] {
        store.add_order(&order(who, day, amount)).unwrap();
    }
    store
        .log_interaction(cid, InteractionKind::Call, None, "", local_noon(2024, 3, 2))
        .unwrap();
    let parallel = store.load_facts_in_parallel().unwrap();
    assert_eq!(parallel, store.load_facts().unwrap());
    assert_eq!(parallel[1].days, Vec::new());
    assert_eq!(parallel[2].days.len(), 2);
    // A store in memory has no file for a second connection: read in one go.
    let memory = Store::open_in_memory().unwrap();
    assert_eq!(memory.load_facts_in_parallel().unwrap(), Vec::new());
}
