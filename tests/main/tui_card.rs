//! The customer card as a call needs it: every item reachable and acted on
//! there, long text wrapped whole, and a call answered from anywhere.

use crate::common;

use chrono::{TimeZone, Utc};
use common::{app, card, render};
use kanta::domain::{Direction, Interaction, InteractionKind};
use kanta::i18n::Lang;
use kanta::tui::action::{Action, Pane};
use kanta::tui::app::{App, Effect, View};
use kanta::tui::panes::card::CardItem;

/// Aino's card, with a long contact note, open over the customer list.
fn card_open(lang: Lang) -> App {
    let mut a = app(lang);
    a.update(Action::GoTo(Pane::Customers));
    let mut data = card();
    data.interactions.insert(
        0,
        Interaction {
            id: 2,
            customer_id: 1,
            at: Utc
                .with_ymd_and_hms(2026, 11, 25, 9, 30, 0)
                .single()
                .unwrap_or_default(),
            kind: InteractionKind::Email,
            direction: Some(Direction::Outbound),
            text: "Sent the Christmas catering offer: three courses for forty people, \
                   delivered on the 18th, with the vegan option she asked about and a \
                   note on the deposit."
                .into(),
            logged_by: None,
        },
    );
    if let Effect::LoadCard(id) = a.update(Action::Open) {
        a.set_card(id, Some(data));
    }
    a
}

fn open_card(a: &App) -> &kanta::tui::app::CardState {
    match a.stack.last() {
        Some(View::Card(c)) => c,
        other => panic!("no card on top: {other:?}"),
    }
}

#[test]
fn card_at_80x24_and_120x40_in_both_languages() {
    for (lang, name) in [(Lang::En, "en"), (Lang::Fi, "fi")] {
        let a = card_open(lang);
        insta::assert_snapshot!(format!("card_80x24_{name}"), render(&a, 80, 24));
        insta::assert_snapshot!(format!("card_120x40_{name}"), render(&a, 120, 40));
    }
}

#[test]
fn the_whole_contact_text_is_on_the_card_wrapped_at_any_width() {
    for width in [60u16, 80, 120] {
        let mut a = card_open(Lang::En);
        // Down to the end: the text is there whole, over several lines.
        for _ in 0..60 {
            a.update(Action::Down);
        }
        let screen = render(&a, width, 60);
        let joined: String = screen
            .lines()
            .map(|l| l.trim_matches(|c| c == '│' || c == ' ' || c == '"'))
            .collect::<Vec<_>>()
            .join(" ");
        for word in ["three", "courses", "deposit."] {
            assert!(joined.contains(word), "{word} at {width}:\n{screen}");
        }
    }
}

#[test]
fn the_card_scrolls_and_says_where_it_stands() {
    let mut a = card_open(Lang::En);
    let top = render(&a, 80, 24);
    assert!(top.contains("Stage"), "{top}");
    for _ in 0..10 {
        a.update(Action::PageDown);
    }
    let bottom = render(&a, 80, 24);
    assert!(!bottom.contains("Stage  "), "{bottom}");
    assert!(bottom.contains("deposit."), "{bottom}");
    assert!(bottom.contains('/'), "a position: {bottom}");
    a.update(Action::PageUp);
    a.update(Action::PageUp);
    a.update(Action::PageUp);
    a.update(Action::PageUp);
    assert!(render(&a, 80, 24).contains("Stage"));
}

#[test]
fn follow_ups_orders_and_contacts_are_acted_on_from_the_card() {
    let mut a = card_open(Lang::En);
    // Without a selection the item keys say how to select.
    assert!(matches!(a.update(Action::Done), Effect::Status(_)));
    a.update(Action::NextItem);
    let first = open_card(&a).current();
    let Some(CardItem::FollowUp(id)) = first else {
        panic!("the first item is a follow-up: {first:?}");
    };
    assert_eq!(a.update(Action::Done), Effect::FollowUpDone(id));
    assert!(matches!(
        a.update(Action::SnoozeWeek),
        Effect::Snooze { id: i, .. } if i == id
    ));
    a.update(Action::Reschedule);
    assert!(a.modal.is_some(), "the date form");
    a.modal = None;

    // To the first order: edit opens the order form filled in.
    while !matches!(open_card(&a).current(), Some(CardItem::Order(_))) {
        a.update(Action::NextItem);
    }
    a.update(Action::EditItem);
    let screen = render(&a, 100, 30);
    assert!(screen.contains("Correct the order"), "{screen}");
    assert!(screen.contains("400.00"), "{screen}");
    a.modal = None;

    // Delete asks, then deletes that one item.
    a.update(Action::DeleteItem);
    assert!(render(&a, 100, 30).contains("Delete this order?"));
    let yes =
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char('y'));
    assert_eq!(a.handle_key(yes), Effect::DeleteItem(CardItem::Order(3)));

    // The last item is the oldest contact; edit opens its form.
    for _ in 0..20 {
        a.update(Action::NextItem);
    }
    assert_eq!(open_card(&a).current(), Some(CardItem::Interaction(1)));
    a.update(Action::EditItem);
    assert!(render(&a, 100, 30).contains("Correct the contact"));
}

#[test]
fn phone_email_and_referrals_are_one_key_away() {
    let mut a = card_open(Lang::En);
    assert_eq!(
        a.update(Action::CopyPhone),
        Effect::Copy("+358 40 123 4567".into())
    );
    assert_eq!(
        a.update(Action::CopyEmail),
        Effect::Copy("aino@kahvila.fi".into())
    );
    // Aino referred Bertil; nobody referred Aino.
    assert!(matches!(a.update(Action::OpenReferrer), Effect::Status(_)));
    assert_eq!(a.update(Action::OpenReferred), Effect::LoadCard(2));
}

#[test]
fn a_call_opens_the_card_or_the_form_or_the_search() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Cohorts));
    assert_eq!(a.incoming_call("+358401234567", &[1]), Effect::LoadCard(1));
    assert!(matches!(a.stack.last(), Some(View::Card(c)) if c.id == 1));

    let mut a = app(Lang::En);
    assert_eq!(a.incoming_call("0451112223", &[]), Effect::None);
    let screen = render(&a, 100, 30);
    assert!(screen.contains("0451112223"), "{screen}");
    assert!(screen.contains("nobody has this number"), "{screen}");

    let mut a = app(Lang::En);
    a.incoming_call("040 123", &[1, 2]);
    assert_eq!(a.search.as_ref().map(|s| s.query.as_str()), Some("040 123"));
}

#[test]
fn from_a_search_hit_one_key_logs_a_call_and_one_makes_a_new_customer() {
    let mut a = app(Lang::En);
    a.update(Action::Search);
    for c in "Aino".chars() {
        a.update(Action::SearchInput(c));
    }
    a.update(Action::LogCall);
    assert!(a.search.is_none());
    let screen = render(&a, 100, 30);
    assert!(screen.contains("Log contact: call"), "{screen}");
    assert!(screen.contains("in"), "{screen}");

    let mut a = app(Lang::En);
    a.update(Action::Search);
    for c in "0409998877".chars() {
        a.update(Action::SearchInput(c));
    }
    a.update(Action::NewWithNumber);
    let screen = render(&a, 100, 30);
    assert!(screen.contains("0409998877"), "{screen}");
}

#[test]
fn the_follow_up_list_and_the_card_say_who_did_it() {
    let mut a = app(Lang::En);
    a.data.followups[0].by = Some("Aino".into());
    a.update(Action::GoTo(Pane::FollowUps));
    let screen = render(&a, 120, 40);
    assert!(screen.contains("(by Aino)"), "{screen}");
    let card = card_open(Lang::En);
    let screen = render(&card, 120, 60);
    assert!(screen.contains("(logged by Aino)"), "{screen}");
}
