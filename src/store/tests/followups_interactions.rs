use chrono::{Local, TimeZone, Utc};

use super::{add, date};
use crate::domain::rules::{ProposedFollowUp, Rule};
use crate::domain::{Direction, FollowUpStatus, InteractionKind};
use crate::store::{Store, StoreError};

#[test]
fn interactions_round_trip_newest_first() {
    let mut store = Store::open_in_memory().unwrap();
    let anna = add(&mut store, "Anna");
    let early = Utc.with_ymd_and_hms(2024, 3, 1, 9, 30, 0).unwrap();
    let late = Utc.with_ymd_and_hms(2024, 3, 5, 15, 0, 0).unwrap();
    let call = store
        .log_interaction(
            anna,
            InteractionKind::Call,
            Some(Direction::Inbound),
            "asked for prices",
            early,
        )
        .unwrap();
    assert_eq!(call.at, early);
    assert_eq!(call.kind, InteractionKind::Call);
    assert_eq!(call.direction, Some(Direction::Inbound));
    assert_eq!(call.text, "asked for prices");
    let note = store
        .log_interaction(anna, InteractionKind::Note, None, "", late)
        .unwrap();
    assert_eq!(
        store.interactions_of(anna).unwrap(),
        vec![note.clone(), call.clone()]
    );
    let first_day = early.with_timezone(&Local).date_naive();
    let last_day = late.with_timezone(&Local).date_naive();
    assert_eq!(
        store.interactions_between(first_day, first_day).unwrap(),
        vec![call.clone()]
    );
    assert_eq!(
        store.interactions_between(first_day, last_day).unwrap(),
        vec![call, note]
    );
    assert!(matches!(
        store.log_interaction(99, InteractionKind::Call, None, "", early),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn followups_are_done_reopened_rescheduled_and_noted() {
    let mut store = Store::open_in_memory().unwrap();
    let anna = add(&mut store, "Anna");
    let bea = add(&mut store, "Bea");
    let later = store
        .add_followup(anna, date(2024, 5, 1), " call back ")
        .unwrap();
    let sooner = store.add_followup(bea, date(2024, 4, 1), "thank").unwrap();
    assert_eq!(later.reason, "call back");
    assert_eq!(later.status, FollowUpStatus::Open);
    assert_eq!(
        (later.rule.as_deref(), later.anchor, later.done_at),
        (None, None, None)
    );
    let ids =
        |list: Vec<crate::domain::FollowUp>| list.into_iter().map(|f| f.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.open_followups().unwrap()),
        vec![sooner.id, later.id]
    );

    store.set_followup_done(sooner.id, true).unwrap();
    assert_eq!(ids(store.open_followups().unwrap()), vec![later.id]);
    let done = store.followups_of(bea).unwrap().remove(0);
    assert_eq!(done.status, FollowUpStatus::Done);
    let done_at = done.done_at.unwrap();
    let done_day = done_at.with_timezone(&Local).date_naive();
    assert_eq!(
        ids(store.followups_done_between(done_day, done_day).unwrap()),
        vec![sooner.id]
    );
    assert!(
        store
            .followups_done_between(date(2000, 1, 1), date(2000, 1, 2))
            .unwrap()
            .is_empty()
    );
    store.set_followup_done(sooner.id, false).unwrap();
    let reopened = store.followups_of(bea).unwrap().remove(0);
    assert_eq!(
        (reopened.status, reopened.done_at),
        (FollowUpStatus::Open, None)
    );

    store
        .reschedule_followup(later.id, date(2024, 3, 1))
        .unwrap();
    store.set_followup_note(later.id, "left a message").unwrap();
    let moved = store.followups_of(anna).unwrap().remove(0);
    assert_eq!(
        (moved.due, moved.note.as_str()),
        (date(2024, 3, 1), "left a message")
    );
    assert_eq!(
        ids(store.open_followups().unwrap()),
        vec![later.id, sooner.id]
    );
    assert!(matches!(
        store.set_followup_done(999, true),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn a_customers_followups_list_open_ones_first() {
    let mut store = Store::open_in_memory().unwrap();
    let anna = add(&mut store, "Anna");
    let early = store.add_followup(anna, date(2024, 1, 1), "a").unwrap();
    let late = store.add_followup(anna, date(2024, 9, 1), "b").unwrap();
    store.set_followup_done(early.id, true).unwrap();
    let list: Vec<i64> = store
        .followups_of(anna)
        .unwrap()
        .iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(list, vec![late.id, early.id]);
}

#[test]
fn rule_followups_read_back_with_rule_and_anchor() {
    let mut store = Store::open_in_memory().unwrap();
    let anna = add(&mut store, "Anna");
    let thank = ProposedFollowUp {
        rule: Rule::ThankYou,
        customer_id: anna,
        anchor: date(2024, 1, 5),
        due: date(2024, 1, 8),
        figures: crate::domain::RuleFigures::ThankYou {
            first_purchase: date(2024, 1, 5),
        },
    };
    store
        .apply_generated_followups(std::slice::from_ref(&thank))
        .unwrap();
    let stored = store.open_followups().unwrap().remove(0);
    assert_eq!(stored.rule.as_deref(), Some(Rule::ThankYou.code()));
    assert_eq!(
        (stored.anchor, stored.due),
        (Some(date(2024, 1, 5)), date(2024, 1, 8))
    );
    assert_eq!(stored.figures, Some(thank.figures));
    assert_eq!(stored.reason, "");
}

/// The weekly review reads the week's done follow-ups on every load: a range
/// of the index on status and done date, not every done one looked at (on
/// a large store, a quarter of a second each load), and no sort after.
#[test]
fn the_weeks_done_follow_ups_are_a_range_of_an_index() {
    let store = Store::open_in_memory().unwrap();
    let plan: Vec<String> = store
        .connection()
        .prepare(&format!(
            "EXPLAIN QUERY PLAN SELECT * FROM followups {}",
            crate::store::followups::DONE_BETWEEN
        ))
        .unwrap()
        .query_map(["2026-11-25", "2026-12-02"], |r| r.get(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        plan,
        ["SEARCH followups USING INDEX followups_done (status=? AND done_at>? AND done_at<?)"],
        "{plan:?}"
    );
}
