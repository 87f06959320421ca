use chrono::{TimeZone, Utc};

use super::{add, date, draft, order};
use crate::domain::rules::{ProposedFollowUp, Rule};
use crate::domain::{CustomerDraft, InteractionKind};
use crate::store::{Store, StoreError};

#[test]
fn merging_moves_history_unions_lists_fills_fields_and_deletes_the_other() {
    let mut store = Store::open_in_memory().unwrap();
    let keep = store
        .insert_customer(&CustomerDraft {
            emails: vec!["anna@example.fi".into()],
            tags: vec!["vip".into()],
            notes: "keep's note".into(),
            ..draft("Anna Virtanen")
        })
        .unwrap()
        .id;
    let other = store
        .insert_customer(&CustomerDraft {
            emails: vec!["ANNA@example.fi".into(), "anna.v@work.fi".into()],
            phones: vec!["040 111 2222".into()],
            tags: vec!["vip".into(), "coffee".into()],
            city: Some("Oulu".into()),
            company: Some("Work Oy".into()),
            advocate: true,
            notes: "other's note".into(),
            ..draft("Anna V.")
        })
        .unwrap()
        .id;
    let friend = store
        .insert_customer(&CustomerDraft {
            referred_by: Some(other),
            ..draft("Friend")
        })
        .unwrap()
        .id;
    store
        .add_order(&order(keep, date(2024, 1, 1), 100))
        .unwrap();
    store
        .add_order(&order(other, date(2024, 2, 1), 200))
        .unwrap();
    let at = Utc.with_ymd_and_hms(2024, 2, 2, 10, 0, 0).unwrap();
    store
        .log_interaction(other, InteractionKind::Call, None, "hello", at)
        .unwrap();
    let thank = |customer_id| ProposedFollowUp {
        rule: Rule::ThankYou,
        customer_id,
        anchor: date(2024, 1, 1),
        due: date(2024, 1, 4),
        figures: crate::domain::RuleFigures::ThankYou {
            first_purchase: date(2024, 1, 1),
        },
    };
    store
        .apply_generated_followups(&[thank(keep), thank(other)])
        .unwrap();
    store
        .add_followup(other, date(2024, 3, 1), "by hand")
        .unwrap();

    store.merge_customers(keep, other).unwrap();

    assert!(store.customer(other).unwrap().is_none());
    let merged = store.customer(keep).unwrap().unwrap();
    assert_eq!(merged.name, "Anna Virtanen");
    assert_eq!(merged.emails, vec!["anna@example.fi", "anna.v@work.fi"]);
    assert_eq!(merged.phones, vec!["040 111 2222"]);
    assert_eq!(merged.tags, vec!["coffee", "vip"]);
    assert_eq!(merged.city.as_deref(), Some("Oulu"));
    assert_eq!(merged.company.as_deref(), Some("Work Oy"));
    assert!(merged.advocate);
    assert_eq!(merged.notes, "keep's note\n\nother's note");
    assert_eq!(store.orders_of(keep).unwrap().len(), 2);
    assert_eq!(store.interactions_of(keep).unwrap().len(), 1);
    let followups = store.followups_of(keep).unwrap();
    assert_eq!(
        followups.len(),
        2,
        "the colliding rule follow-up is dropped"
    );
    assert_eq!(
        store.customer(friend).unwrap().unwrap().referred_by,
        Some(keep)
    );
    assert_eq!(store.find_by_phone("+358401112222").unwrap(), vec![keep]);
    assert!(matches!(
        store.merge_customers(keep, keep),
        Err(StoreError::Refused(
            crate::store::Refusal::MergeIntoThemselves
        ))
    ));
    assert!(matches!(
        store.merge_customers(keep, other),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn merging_a_referrer_into_the_one_they_referred_leaves_no_self_reference() {
    let mut store = Store::open_in_memory().unwrap();
    let other = add(&mut store, "Referrer");
    let keep = store
        .insert_customer(&CustomerDraft {
            referred_by: Some(other),
            ..draft("Referred")
        })
        .unwrap()
        .id;
    store.merge_customers(keep, other).unwrap();
    assert_eq!(store.customer(keep).unwrap().unwrap().referred_by, None);
}

#[test]
fn duplicate_candidates_come_from_email_phone_and_names_most_likely_first() {
    let mut store = Store::open_in_memory().unwrap();
    let person = |name: &str, city: &str, email: Option<&str>, phone: Option<&str>| CustomerDraft {
        city: Some(city.into()),
        emails: email.into_iter().map(String::from).collect(),
        phones: phone.into_iter().map(String::from).collect(),
        ..draft(name)
    };
    let mut ids = Vec::new();
    for d in [
        person("Matti Virtanen", "Helsinki", Some("matti@x.fi"), None),
        person("matti  VIRTANEN", "helsinki", Some("MATTI@x.fi"), None),
        person("Maija Mäkelä", "Tampere", None, Some("040-1234567")),
        person("Maija Makela", "Tampere", None, Some("+358 40 123 4567")),
        person("Jonathan Smith", "Espoo", None, None),
        person("Jonathon Smith", "Espoo", None, None),
        person("Jonathan Smith", "Turku", None, None),
        person("Liisa Korhonen", "Espoo", Some("liisa@x.fi"), None),
    ] {
        ids.push(store.insert_customer(&d).unwrap().id);
    }
    let pairs = store.duplicate_candidates().unwrap();
    let found: Vec<(i64, i64)> = pairs.iter().map(|p| (p.a, p.b)).collect();
    assert_eq!(
        found,
        vec![(ids[0], ids[1]), (ids[2], ids[3]), (ids[4], ids[5])]
    );
    assert!(pairs[0].reason.contains("same email") && pairs[0].reason.contains("same name"));
    assert!(pairs[1].reason.contains("same phone"));
    assert!(pairs[2].reason.contains("similar name"));
    assert!(pairs[0].score > pairs[1].score && pairs[1].score > pairs[2].score);
    assert!(pairs.iter().all(|p| (0.0..=1.0).contains(&p.score)));
    // Erased customers are not candidates.
    store.erase_customer(ids[1]).unwrap();
    let pairs = store.duplicate_candidates().unwrap();
    assert!(pairs.iter().all(|p| p.b != ids[1]));
}
