use chrono::NaiveDate;

use super::*;
use crate::tui::forms::test_support::{self, key, press, typing};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

#[test]
fn an_amount_and_enter_is_an_order_dated_today() {
    let mut form = OrderForm::new(42, today(), Lang::Fi);
    typing(&mut form, "1 234,50", OrderForm::handle_key);
    assert_eq!(
        form.handle_key(key(KeyCode::Enter)),
        FormOutcome::Submit(FormResult::Order(OrderDraft {
            customer_id: 42,
            order_date: today(),
            amount_cents: 123_450,
            ..OrderDraft::default()
        }))
    );
}

#[test]
fn every_field_reaches_the_draft() {
    let mut form = OrderForm::new(42, today(), Lang::En);
    form.handle_key(key(KeyCode::Up));
    typing(&mut form, "14.3.", OrderForm::handle_key);
    form.handle_key(key(KeyCode::Tab));
    typing(&mut form, "-5", OrderForm::handle_key);
    form.handle_key(key(KeyCode::Tab));
    typing(&mut form, "2", OrderForm::handle_key);
    form.handle_key(key(KeyCode::Tab));
    form.handle_key(press(' '));
    form.handle_key(key(KeyCode::Tab));
    typing(&mut form, " returned one ", OrderForm::handle_key);
    assert_eq!(
        form.handle_key(key(KeyCode::F(2))),
        FormOutcome::Submit(FormResult::Order(OrderDraft {
            customer_id: 42,
            order_date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap_or_default(),
            amount_cents: -500,
            quantity: Some(2),
            external_id: None,
            discount: true,
            note: Some("returned one".into()),
        }))
    );
}

#[test]
fn a_missing_amount_and_a_bad_quantity_are_refused_at_their_fields() {
    let mut form = OrderForm::new(42, today(), Lang::En);
    form.handle_key(key(KeyCode::Down));
    typing(&mut form, "2.5", OrderForm::handle_key);
    assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Continue);
    assert_eq!(FIELDS[form.focus], Field::Amount);
    let screen = test_support::draw(60, 12, |f, a| form.render(f, a));
    assert!(screen.contains("! an amount is required"), "{screen}");
    assert!(screen.contains("! a whole number, or empty"), "{screen}");
    typing(&mut form, "12,345", OrderForm::handle_key);
    assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Continue);
    let screen = test_support::draw(60, 12, |f, a| form.render(f, a));
    assert!(screen.contains("! more than 2 decimals in"), "{screen}");
}

#[test]
fn esc_asks_only_when_something_was_typed() {
    let mut form = OrderForm::new(42, today(), Lang::En);
    assert_eq!(
        form.clone().handle_key(key(KeyCode::Esc)),
        FormOutcome::Cancel
    );
    typing(&mut form, "5", OrderForm::handle_key);
    assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Continue);
    assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Continue);
    assert_eq!(form.amount.value(), "5");
    form.handle_key(key(KeyCode::Esc));
    assert_eq!(form.handle_key(press('y')), FormOutcome::Cancel);
}

#[test]
fn snapshot_with_amount_hint() {
    let mut form = OrderForm::new(42, today(), Lang::En);
    typing(&mut form, "1 234,5", OrderForm::handle_key);
    insta::assert_snapshot!(test_support::draw(60, 12, |f, a| form.render(f, a)));
}

#[test]
fn snapshot_finnish_refund_with_past_date() {
    let mut form = OrderForm::new(42, today(), Lang::Fi);
    typing(&mut form, "-19,90", OrderForm::handle_key);
    form.handle_key(key(KeyCode::Up));
    typing(&mut form, "eilen", OrderForm::handle_key);
    insta::assert_snapshot!(test_support::draw(60, 12, |f, a| form.render(f, a)));
}

#[test]
fn an_amount_over_the_bound_is_refused_with_the_import_sentence() {
    let mut form = OrderForm::new(42, today(), Lang::En);
    typing(&mut form, "1000000000.01", OrderForm::handle_key);
    assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Continue);
    assert!(
        form.error(Field::Amount)
            .is_some_and(|e| e.starts_with(crate::domain::money::AMOUNT_TOO_LARGE))
    );
    let imported = crate::formats::text::parse_cents("1000000000.01").map_err(|e| e.to_string());
    assert!(
        imported
            .err()
            .is_some_and(|e| e.starts_with(crate::domain::money::AMOUNT_TOO_LARGE)),
        "the import says the same"
    );
    let mut form = OrderForm::new(42, today(), Lang::En);
    typing(&mut form, "EUR 1 000 000 000.00", OrderForm::handle_key);
    assert!(matches!(
        form.handle_key(key(KeyCode::Enter)),
        FormOutcome::Submit(FormResult::Order(OrderDraft {
            amount_cents: 100_000_000_000,
            ..
        }))
    ));
}
