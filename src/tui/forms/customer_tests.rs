use chrono::{TimeZone, Utc};
use ratatui::crossterm::event::KeyModifiers;

use super::*;
use crate::tui::forms::test_support::{self, ctrl, key, press, typing};

fn aino() -> Customer {
    let at = Utc
        .with_ymd_and_hms(2026, 1, 2, 10, 0, 0)
        .single()
        .unwrap_or_default();
    Customer {
        id: 42,
        reference: "SHOP-0042".into(),
        name: "Aino Häkkinen".into(),
        company: Some("Kahvila Aino".into()),
        emails: vec!["aino@example.fi".into()],
        phones: vec!["040 123 4567".into()],
        phones_e164: vec![crate::domain::phone::Number::from_e164("+358401234567")],
        address: None,
        city: Some("Tampere".into()),
        tags: vec!["kahvi".into(), "vip".into()],
        source: Some(Source::Referral),
        referred_by: Some(7),
        prospect: false,
        advocate: true,
        marketing_consent: true,
        notes: "Prefers mornings".into(),
        contact_every_days: Some(30),
        created_at: at,
        updated_at: at,
        updated_by: None,
    }
}

fn save(form: &mut CustomerForm) -> FormOutcome {
    form.handle_key(ctrl('s'))
}

/// Moves the focus forward to `field`.
fn go_to(form: &mut CustomerForm, field: Field) {
    while FIELDS[form.focus] != field {
        form.handle_key(key(KeyCode::Tab));
    }
}

#[test]
fn a_new_customer_is_typed_and_saved() {
    let mut form = CustomerForm::new(None, Lang::En);
    typing(&mut form, "Väinö Ääninen", CustomerForm::handle_key);
    form.handle_key(key(KeyCode::Tab));
    form.handle_key(key(KeyCode::Tab));
    typing(
        &mut form,
        "v@example.fi, ,vaino@work.fi",
        CustomerForm::handle_key,
    );
    go_to(&mut form, Field::Tags);
    typing(&mut form, "kahvi, Kahvi, tee", CustomerForm::handle_key);
    go_to(&mut form, Field::Source);
    form.handle_key(key(KeyCode::Right));
    form.handle_key(key(KeyCode::Right));
    go_to(&mut form, Field::Prospect);
    form.handle_key(press(' '));
    go_to(&mut form, Field::ContactEvery);
    typing(&mut form, "14", CustomerForm::handle_key);
    let FormOutcome::Submit(FormResult::Customer { id, draft, .. }) = save(&mut form) else {
        panic!("the form did not submit");
    };
    assert_eq!(id, None);
    assert_eq!(
        draft,
        CustomerDraft {
            name: "Väinö Ääninen".into(),
            emails: vec!["v@example.fi".into(), "vaino@work.fi".into()],
            tags: vec!["kahvi".into(), "tee".into()],
            source: Some(Source::WalkIn),
            prospect: true,
            contact_every_days: Some(14),
            ..CustomerDraft::default()
        }
    );
}

#[test]
fn editing_keeps_the_ref_id_and_untouched_fields() {
    let customer = aino();
    let mut form = CustomerForm::new(Some(&customer), Lang::En);
    go_to(&mut form, Field::City);
    form.handle_key(ctrl('u'));
    typing(&mut form, "Oulu", CustomerForm::handle_key);
    let FormOutcome::Submit(FormResult::Customer { id, draft, .. }) =
        form.handle_key(key(KeyCode::F(2)))
    else {
        panic!("the form did not submit");
    };
    assert_eq!(id, Some(42));
    assert_eq!(draft.reference.as_deref(), Some("SHOP-0042"));
    assert_eq!(draft.city.as_deref(), Some("Oulu"));
    assert_eq!(draft.referred_by, Some(7));
    assert_eq!(draft.emails, customer.emails);
    assert_eq!(draft.tags, customer.tags);
    assert_eq!(draft.contact_every_days, Some(30));
    assert!(draft.advocate && draft.marketing_consent && !draft.prospect);
}

#[test]
fn saving_is_refused_while_a_field_is_invalid_and_focus_jumps_there() {
    let mut form = CustomerForm::new(None, Lang::En);
    assert_eq!(save(&mut form), FormOutcome::Continue);
    assert_eq!(FIELDS[form.focus], Field::Name);
    typing(&mut form, "Aino", CustomerForm::handle_key);
    go_to(&mut form, Field::ContactEvery);
    typing(&mut form, "0", CustomerForm::handle_key);
    go_to(&mut form, Field::Emails);
    typing(
        &mut form,
        "aino@example.fi, aino(at)example",
        CustomerForm::handle_key,
    );
    go_to(&mut form, Field::Notes);
    assert_eq!(save(&mut form), FormOutcome::Continue);
    assert_eq!(FIELDS[form.focus], Field::Emails);
    let screen = test_support::draw(70, 24, |f, a| form.render(f, a));
    // The message wraps under the value: it names the bad address.
    assert!(screen.contains("! not an email address:"), "{screen}");
    assert!(screen.contains("\"aino(at)example\""), "{screen}");
    assert!(
        screen.contains("! a whole number of days, 1 or more"),
        "{screen}"
    );
    for _ in 0..3 {
        form.handle_key(ctrl('w'));
    }
    assert_eq!(form.text(Field::Emails).value(), "aino@example.fi, ");
    go_to(&mut form, Field::ContactEvery);
    form.handle_key(key(KeyCode::Backspace));
    assert!(matches!(save(&mut form), FormOutcome::Submit(_)));
}

#[test]
fn a_message_waits_until_the_field_is_left() {
    let mut form = CustomerForm::new(None, Lang::En);
    go_to(&mut form, Field::Emails);
    typing(&mut form, "a", CustomerForm::handle_key);
    let typing_screen = test_support::draw(70, 24, |f, a| form.render(f, a));
    assert!(!typing_screen.contains("not an email"), "{typing_screen}");
    form.handle_key(key(KeyCode::Down));
    let left_screen = test_support::draw(70, 24, |f, a| form.render(f, a));
    assert!(
        left_screen.contains("! not an email address: \"a\""),
        "{left_screen}"
    );
}

#[test]
fn esc_asks_before_discarding_changes() {
    let mut untouched = CustomerForm::new(Some(&aino()), Lang::En);
    assert_eq!(untouched.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel);

    let mut form = CustomerForm::new(Some(&aino()), Lang::En);
    go_to(&mut form, Field::Advocate);
    form.handle_key(press(' '));
    assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Continue);
    let screen = test_support::draw(70, 24, |f, a| form.render(f, a));
    assert!(screen.contains("Discard changes? y/n"), "{screen}");
    assert_eq!(form.handle_key(press('x')), FormOutcome::Continue);
    assert_eq!(form.handle_key(press('n')), FormOutcome::Continue);
    assert!(!form.asking_discard && form.has_changes());
    form.handle_key(key(KeyCode::Esc));
    assert_eq!(form.handle_key(press('y')), FormOutcome::Cancel);
}

#[test]
fn undoing_an_edit_leaves_nothing_to_discard() {
    let mut form = CustomerForm::new(Some(&aino()), Lang::En);
    typing(&mut form, "x", CustomerForm::handle_key);
    form.handle_key(key(KeyCode::Backspace));
    assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel);
}

#[test]
fn the_referrer_is_picked_by_the_app_and_cleared_by_delete() {
    let mut form = CustomerForm::new(Some(&aino()), Lang::En);
    go_to(&mut form, Field::Referrer);
    // Space picks, as it ticks or changes the other fields; Enter saves.
    assert_eq!(
        form.handle_key(key(KeyCode::Char(' '))),
        FormOutcome::PickReferrer
    );
    form.set_referrer(Some(9), "Eero Virtanen (SHOP-0009)".into());
    let screen = test_support::draw(70, 24, |f, a| form.render(f, a));
    assert!(screen.contains("Eero Virtanen (SHOP-0009)"), "{screen}");
    assert!(matches!(
        form.clone().handle_key(ctrl('s')),
        FormOutcome::Submit(FormResult::Customer { draft, .. }) if draft.referred_by == Some(9)
    ));
    form.handle_key(key(KeyCode::Delete));
    assert!(matches!(
        form.handle_key(ctrl('s')),
        FormOutcome::Submit(FormResult::Customer { draft, .. }) if draft.referred_by.is_none()
    ));
}

#[test]
fn a_paste_counts_as_a_change_and_skips_non_text_fields() {
    let mut form = CustomerForm::new(Some(&aino()), Lang::En);
    go_to(&mut form, Field::Prospect);
    form.paste("x");
    assert!(!form.has_changes());
    go_to(&mut form, Field::Phones);
    form.paste(", +358 50 765 4321");
    assert!(matches!(
        form.handle_key(ctrl('s')),
        FormOutcome::Submit(FormResult::Customer { draft, .. })
            if draft.phones == ["040 123 4567", "+358 50 765 4321"]
    ));
}

#[test]
fn source_cycles_both_ways_through_not_known() {
    let mut form = CustomerForm::new(None, Lang::En);
    go_to(&mut form, Field::Source);
    form.handle_key(key(KeyCode::Left));
    assert_eq!(form.source, Some(Source::Other));
    form.handle_key(press(' '));
    assert_eq!(form.source, None);
    form.handle_key(press(' '));
    assert_eq!(form.source, Some(Source::Offer));
}

#[test]
fn shift_tab_and_up_wrap_backwards() {
    let mut form = CustomerForm::new(None, Lang::En);
    form.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    assert_eq!(FIELDS[form.focus], Field::Notes);
    form.handle_key(key(KeyCode::Up));
    assert_eq!(FIELDS[form.focus], Field::ContactEvery);
    form.handle_key(key(KeyCode::Down));
    form.handle_key(key(KeyCode::Down));
    assert_eq!(FIELDS[form.focus], Field::Name);
}

#[test]
fn control_characters_from_the_store_are_shown_escaped() {
    let mut customer = aino();
    customer.name = "Mallory\u{1b}]0;pwned\u{7}".into();
    customer.notes = "line one\nline two".into();
    let form = CustomerForm::new(Some(&customer), Lang::En);
    let screen = test_support::draw(70, 24, |f, a| form.render(f, a));
    assert!(screen.contains("Mallory^[]0;pwned^G"), "{screen}");
    assert!(screen.contains("line one^Jline two"), "{screen}");
}

#[test]
fn tiny_areas_do_not_panic_and_keep_the_focus_visible() {
    let mut form = CustomerForm::new(Some(&aino()), Lang::Fi);
    go_to(&mut form, Field::Notes);
    for (w, h) in [(0, 0), (1, 1), (3, 2), (10, 4), (20, 3)] {
        test_support::draw(w, h, |f, a| form.render(f, a));
    }
    let screen = test_support::draw(40, 8, |f, a| form.render(f, a));
    assert!(screen.contains("> Muistiinpanot"), "{screen}");
}

#[test]
fn the_cursor_sits_in_the_focused_field() {
    let mut form = CustomerForm::new(None, Lang::En);
    typing(&mut form, "Äö", CustomerForm::handle_key);
    let (_, cursor) = test_support::draw_with_cursor(70, 24, |f, a| form.render(f, a));
    // A 66x17 popup centred in 70x24 starts at (2, 3); then the border and padding, the labels
    // (24 columns) and the two chars typed.
    assert_eq!(cursor.map(|p| (p.x, p.y)), Some((2 + 2 + 24 + 2, 3 + 1)));
}

#[test]
fn in_a_narrow_terminal_the_field_scrolls_and_the_cursor_stays_on_screen() {
    let mut form = CustomerForm::new(None, Lang::En);
    typing(
        &mut form,
        "Aino Häkkinen, Kahvila Aino Oy",
        CustomerForm::handle_key,
    );
    let (screen, cursor) = test_support::draw_with_cursor(40, 24, |f, a| form.render(f, a));
    assert_eq!(cursor.map(|p| p.x), Some(40 - 3), "{screen}");
    assert!(screen.contains("Aino Oy"), "{screen}");
}

#[test]
fn keys_list_the_forms_own_keys_and_leave_save_and_cancel_to_the_keymap() {
    let keys = CustomerForm::new(None, Lang::Fi).keys();
    assert!(keys.iter().any(|(k, _)| *k == "Space"));
    assert!(
        !keys
            .iter()
            .any(|(k, _)| *k == "Esc" || k.contains("Ctrl-S"))
    );
}

#[test]
fn enter_saves_the_customer_form_as_it_does_every_form() {
    let mut form = CustomerForm::new(None, Lang::En);
    for c in "Kaisa".chars() {
        form.handle_key(key(KeyCode::Char(c)));
    }
    assert!(matches!(
        form.handle_key(key(KeyCode::Enter)),
        FormOutcome::Submit(FormResult::Customer { draft, .. }) if draft.name == "Kaisa"
    ));
}

#[test]
fn snapshot_new_customer() {
    let form = CustomerForm::new(None, Lang::En);
    insta::assert_snapshot!(test_support::draw(70, 24, |f, a| form.render(f, a)));
}

#[test]
fn snapshot_existing_customer_finnish_with_an_error() {
    let mut form = CustomerForm::new(Some(&aino()), Lang::Fi);
    form.handle_key(ctrl('u'));
    form.handle_key(ctrl('s'));
    insta::assert_snapshot!(test_support::draw(70, 24, |f, a| form.render(f, a)));
}

#[test]
fn a_save_refused_for_a_change_elsewhere_asks_to_reload_or_overwrite() {
    let mut form = CustomerForm::new(Some(&aino()), Lang::En);
    go_to(&mut form, Field::City);
    typing(&mut form, "-Pirkkala", CustomerForm::handle_key);
    let FormOutcome::Submit(FormResult::Customer { seen, .. }) = save(&mut form) else {
        panic!("the form should submit");
    };
    assert_eq!(seen.as_deref(), Some(&aino()));
    let mut theirs = aino();
    theirs.name = "Aino Virtanen".into();
    form.changed_elsewhere(theirs.clone());
    let screen = test_support::draw(80, 24, |f, area| form.render(f, area));
    assert!(screen.contains("r reload, o overwrite"), "{screen}");
    // Other keys leave the question on screen.
    assert_eq!(form.handle_key(press('x')), FormOutcome::Continue);
    assert!(form.is_asking_changed_elsewhere());
    // Overwrite: what was typed, saved against the customer as they are now.
    let FormOutcome::Submit(FormResult::Customer { draft, seen, .. }) = form.handle_key(press('o'))
    else {
        panic!("o should save over the other change");
    };
    assert_eq!(seen.as_deref(), Some(&theirs));
    assert_eq!(draft.city.as_deref(), Some("Tampere-Pirkkala"));
    // Reload: the form shows the customer as saved elsewhere.
    form.changed_elsewhere(theirs.clone());
    assert_eq!(form.handle_key(press('r')), FormOutcome::Continue);
    assert!(!form.is_asking_changed_elsewhere());
    assert!(!form.has_changes());
    let FormOutcome::Submit(FormResult::Customer { draft, .. }) = save(&mut form) else {
        panic!("the reloaded form should submit");
    };
    assert_eq!(draft.name, "Aino Virtanen");
    assert_eq!(draft.city.as_deref(), Some("Tampere"));
}

#[test]
fn a_phone_is_checked_by_the_imports_rule_in_the_stores_country() {
    let import_says = |written: &str, country: &str| {
        crate::domain::phone::parse(written, country)
            .unwrap_err()
            .to_string()
    };
    let mut form = CustomerForm::new(None, Lang::En).in_country("SE");
    typing(&mut form, "Bertil", CustomerForm::handle_key);
    go_to(&mut form, Field::Phones);
    typing(&mut form, "070-123 45 67, 040 12", CustomerForm::handle_key);
    form.handle_key(key(KeyCode::Down));
    assert_eq!(form.error(Field::Phones), Some(import_says("040 12", "SE")));
    assert_eq!(save(&mut form), FormOutcome::Continue);
    assert_eq!(FIELDS[form.focus], Field::Phones);
    for _ in 0..2 {
        form.handle_key(ctrl('w'));
    }
    assert_eq!(form.error(Field::Phones), None);
    assert!(matches!(save(&mut form), FormOutcome::Submit(_)));
    // In Finnish, the same said in Finnish.
    let mut fi = CustomerForm::new(None, Lang::Fi);
    go_to(&mut fi, Field::Phones);
    typing(&mut fi, "n/a", CustomerForm::handle_key);
    assert_eq!(
        fi.error(Field::Phones).as_deref(),
        Some("\"n/a\" ei ole puhelinnumero")
    );
}

#[test]
fn a_phone_the_customer_already_had_is_kept_as_it_is() {
    let mut customer = aino();
    customer.phones = vec!["+44 7700 900123".into()];
    let mut form = CustomerForm::new(Some(&customer), Lang::En);
    assert_eq!(form.error(Field::Phones), None);
    go_to(&mut form, Field::Phones);
    form.paste(", +44 7700 900124");
    assert!(
        form.error(Field::Phones)
            .is_some_and(|e| e.contains("+44 7700 900124")),
        "{:?}",
        form.error(Field::Phones)
    );
}
