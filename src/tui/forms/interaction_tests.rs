use chrono::NaiveDate;

use super::*;
use crate::tui::forms::test_support::{self, ctrl, key, press, typing};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

fn form(lang: Lang) -> InteractionForm {
    InteractionForm::new(42, lang).with_today(today())
}

#[test]
fn a_call_is_two_keys_plus_the_text() {
    let mut form = form(Lang::En);
    assert_eq!(form.handle_key(press('c')), FormOutcome::Continue);
    typing(
        &mut form,
        "Asked about the Christmas menu",
        InteractionForm::handle_key,
    );
    assert_eq!(
        form.handle_key(key(KeyCode::Enter)),
        FormOutcome::Submit(FormResult::Interaction {
            customer_id: 42,
            kind: InteractionKind::Call,
            direction: None,
            text: "Asked about the Christmas menu".into(),
            follow_up: None,
        })
    );
}

#[test]
fn direction_and_follow_up_date_are_optional_extras() {
    let mut form = form(Lang::En);
    form.handle_key(press('e'));
    typing(&mut form, "Sent the offer", InteractionForm::handle_key);
    // The follow-up comes right after the text, the direction last.
    form.handle_key(key(KeyCode::Tab));
    typing(&mut form, "+3d", InteractionForm::handle_key);
    form.handle_key(key(KeyCode::Tab));
    form.handle_key(press(' '));
    form.handle_key(press(' '));
    assert_eq!(
        form.handle_key(ctrl('s')),
        FormOutcome::Submit(FormResult::Interaction {
            customer_id: 42,
            kind: InteractionKind::Email,
            direction: Some(Direction::Outbound),
            text: "Sent the offer".into(),
            follow_up: NaiveDate::from_ymd_opt(2026, 11, 26),
        })
    );
}

#[test]
fn meetings_and_notes_have_no_direction_and_notes_need_text() {
    let mut meeting = form(Lang::En);
    meeting.handle_key(press('m'));
    assert_eq!(meeting.fields(), vec![Field::Text, Field::FollowUp]);
    assert!(matches!(
        meeting.handle_key(key(KeyCode::Enter)),
        FormOutcome::Submit(FormResult::Interaction {
            kind: InteractionKind::Meeting,
            ..
        })
    ));

    let mut note = form(Lang::En);
    note.handle_key(press('n'));
    note.handle_key(key(KeyCode::Tab));
    assert_eq!(note.handle_key(key(KeyCode::Enter)), FormOutcome::Continue);
    assert_eq!(note.focus, 0);
    let screen = test_support::draw(64, 10, |f, a| note.render(f, a));
    assert!(screen.contains("! a note needs its text"), "{screen}");
}

#[test]
fn a_bad_follow_up_date_is_refused_at_its_field() {
    let mut form = form(Lang::En);
    form.handle_key(press('c'));
    typing(&mut form, "Call back", InteractionForm::handle_key);
    form.handle_key(key(KeyCode::Tab));
    typing(&mut form, "someday", InteractionForm::handle_key);
    assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Continue);
    assert_eq!(form.fields()[form.focus], Field::FollowUp);
    let screen = test_support::draw(64, 10, |f, a| form.render(f, a));
    assert!(screen.contains("! not a date"), "{screen}");
}

#[test]
fn other_keys_before_the_kind_do_nothing_and_esc_cancels() {
    let mut form = form(Lang::En);
    assert_eq!(form.handle_key(press('x')), FormOutcome::Continue);
    assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Continue);
    assert!(form.kind.is_none());
    assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel);
}

#[test]
fn esc_with_text_typed_asks_first() {
    let mut form = form(Lang::En);
    form.handle_key(press('c'));
    assert_eq!(
        form.clone().handle_key(key(KeyCode::Esc)),
        FormOutcome::Cancel
    );
    typing(&mut form, "y", InteractionForm::handle_key);
    assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Continue);
    assert_eq!(form.handle_key(press('y')), FormOutcome::Cancel);
}

#[test]
fn a_pasted_message_lands_in_the_text_as_one_line() {
    let mut form = form(Lang::En);
    form.paste("ignored before the kind");
    form.handle_key(press('e'));
    form.paste("Hello,\r\nthanks for the order");
    assert!(matches!(
        form.handle_key(key(KeyCode::Enter)),
        FormOutcome::Submit(FormResult::Interaction { text, .. }) if text == "Hello, thanks for the order"
    ));
}

#[test]
fn keys_follow_the_step() {
    let mut form = form(Lang::En);
    assert!(form.keys().contains(&("c", "call".to_string())));
    form.handle_key(press('c'));
    assert!(form.keys().iter().any(|(k, _)| *k == "Space"));
    assert!(!form.keys().iter().any(|(k, _)| *k == "c"));
}

#[test]
fn snapshot_kind_choice() {
    let form = form(Lang::En);
    insta::assert_snapshot!(test_support::draw(64, 10, |f, a| form.render(f, a)));
}

#[test]
fn snapshot_call_finnish() {
    let mut form = form(Lang::Fi);
    form.handle_key(press('c'));
    typing(&mut form, "Kysyi joulumenusta", InteractionForm::handle_key);
    form.handle_key(key(KeyCode::Tab));
    form.handle_key(press(' '));
    form.handle_key(key(KeyCode::Tab));
    typing(&mut form, "huomenna", InteractionForm::handle_key);
    insta::assert_snapshot!(test_support::draw(64, 10, |f, a| form.render(f, a)));
}

#[test]
fn a_call_opens_inbound_with_the_text_focused() {
    let mut form = InteractionForm::call(42, Lang::En).with_today(today());
    typing(&mut form, "Wants a quote", InteractionForm::handle_key);
    form.handle_key(key(KeyCode::Tab));
    typing(&mut form, "1w", InteractionForm::handle_key);
    assert_eq!(
        form.handle_key(key(KeyCode::Enter)),
        FormOutcome::Submit(FormResult::Interaction {
            customer_id: 42,
            kind: InteractionKind::Call,
            direction: Some(Direction::Inbound),
            text: "Wants a quote".into(),
            follow_up: today().checked_add_days(chrono::Days::new(7)),
        })
    );
    // Opened and closed untouched, it asks nothing.
    let mut form = InteractionForm::call(42, Lang::En);
    assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel);
}
