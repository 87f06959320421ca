//! Every undoable change, undone, leaves the store as it was, row for row.

use chrono::{TimeZone, Utc};

use super::{date, draft, order};
use crate::analytics::rules::{ProposedFollowUp, Rule};
use crate::domain::{CadenceFrom, CustomerDraft, CustomerId, InteractionKind, RuleFigures};
use crate::store::{Store, StoreError};

/// Every row of the tables a customer's data lives in, as text, in order.
fn dump(store: &Store) -> Vec<String> {
    let conn = store.connection();
    let mut out = Vec::new();
    for table in [
        "customers",
        "customer_emails",
        "customer_phones",
        "customer_tags",
        "orders",
        "interactions",
        "followups",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .unwrap();
        let count = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..count)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        out.extend(rows);
    }
    out
}

/// Two customers with orders, a contact, lists, a referral and follow-ups,
/// one of them on a cadence.
fn store() -> (Store, CustomerId, CustomerId) {
    let mut store = Store::open_in_memory().unwrap();
    let anna = store
        .insert_customer(&CustomerDraft {
            emails: vec!["anna@example.fi".into()],
            phones: vec!["040 111 2222".into()],
            tags: vec!["vip".into()],
            contact_every_days: Some(30),
            ..draft("Anna Virtanen")
        })
        .unwrap()
        .id;
    let other = store
        .insert_customer(&CustomerDraft {
            emails: vec!["anna.v@work.fi".into()],
            tags: vec!["coffee".into()],
            city: Some("Oulu".into()),
            notes: "met at the fair".into(),
            ..draft("Anna V.")
        })
        .unwrap()
        .id;
    store
        .insert_customer(&CustomerDraft {
            referred_by: Some(other),
            ..draft("Friend")
        })
        .unwrap();
    store
        .add_order(&order(anna, date(2024, 1, 1), 100))
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
        figures: RuleFigures::ThankYou {
            first_purchase: date(2024, 1, 1),
        },
    };
    let cadence = ProposedFollowUp {
        rule: Rule::Cadence,
        customer_id: anna,
        anchor: date(2024, 1, 1),
        due: date(2024, 1, 31),
        figures: RuleFigures::Cadence {
            every_days: 30,
            from: CadenceFrom::Contact,
            since: date(2024, 1, 1),
        },
    };
    store
        .apply_generated_followups(&[thank(anna), thank(other), cadence])
        .unwrap();
    store
        .add_followup(other, date(2024, 3, 1), "call back")
        .unwrap();
    (store, anna, other)
}

fn followup_of(store: &Store, customer: CustomerId, rule: Option<Rule>) -> i64 {
    store
        .followups_of(customer)
        .unwrap()
        .into_iter()
        .find(|f| f.rule.as_deref() == rule.map(|r| r.code()))
        .unwrap()
        .id
}

#[test]
fn a_deleted_customer_comes_back_whole_with_their_referral() {
    let (mut store, _, other) = store();
    let before = dump(&store);
    let undo = store.delete_customer_undoable(other).unwrap();
    assert!(store.customer(other).unwrap().is_none());
    store.undo(&undo).unwrap();
    assert_eq!(dump(&store), before);
}

#[test]
fn deleted_orders_contacts_and_follow_ups_come_back() {
    let (mut store, anna, other) = store();
    let before = dump(&store);
    let order = store.orders_of(anna).unwrap()[0].id;
    let undo = store.delete_order_undoable(order).unwrap();
    store.undo(&undo).unwrap();
    let contact = store.interactions_of(other).unwrap()[0].id;
    let undo = store.delete_interaction_undoable(contact).unwrap();
    store.undo(&undo).unwrap();
    let followup = followup_of(&store, other, None);
    let undo = store.delete_followup_undoable(followup).unwrap();
    store.undo(&undo).unwrap();
    assert_eq!(dump(&store), before);
    assert!(matches!(
        store.delete_order_undoable(9999),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn a_merge_is_undone_into_the_two_customers_it_was() {
    let (mut store, anna, other) = store();
    let before = dump(&store);
    let undo = store.merge_customers_undoable(anna, other).unwrap();
    assert!(store.customer(other).unwrap().is_none());
    assert_eq!(store.orders_of(anna).unwrap().len(), 2);
    store.undo(&undo).unwrap();
    assert_eq!(dump(&store), before);
}

#[test]
fn done_and_snooze_are_undone_the_cadence_next_one_removed() {
    let (mut store, anna, _) = store();
    let before = dump(&store);
    let cadence = followup_of(&store, anna, Some(Rule::Cadence));
    let (done, undo) = store
        .complete_followup_undoable(cadence, date(2024, 2, 10))
        .unwrap();
    assert_eq!(done.next, Some(date(2024, 3, 11)));
    assert!(dump(&store).len() > before.len(), "the next one is written");
    store.undo(&undo).unwrap();
    assert_eq!(dump(&store), before);
    // Done on the day a contact already re-armed it only moves the due date.
    let (_, undo) = store
        .complete_followup_undoable(cadence, date(2024, 1, 1))
        .unwrap();
    store.undo(&undo).unwrap();
    assert_eq!(dump(&store), before);
    let thank = followup_of(&store, anna, Some(Rule::ThankYou));
    let (_, undo) = store
        .complete_followup_undoable(thank, date(2024, 1, 5))
        .unwrap();
    store.undo(&undo).unwrap();
    let undo = store
        .reschedule_followup_undoable(thank, date(2024, 5, 5))
        .unwrap();
    store.undo(&undo).unwrap();
    assert_eq!(dump(&store), before);
}
