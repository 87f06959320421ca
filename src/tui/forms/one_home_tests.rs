//! One rule, one sentence: a value an import refuses is refused by the form
//! with the same words (in English, the import's language), because both ask
//! the same function.

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;

use super::customer::CustomerForm;
use super::order::OrderForm;
use super::test_support::{self, ctrl, key, typing};
use crate::formats::contacts_csv::parse_contacts_csv;
use crate::formats::orders_csv::parse_orders;
use crate::i18n::Lang;

fn import_errors(result: Result<impl Sized, crate::formats::ParseErrors>) -> String {
    match result {
        Ok(_) => String::new(),
        Err(e) => e
            .errors
            .iter()
            .map(|e| e.reason.clone())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_bad_email_gets_the_same_sentence_in_an_import_and_in_the_form() {
    for bad in ["eve@localhost", "aino(at)example.fi", "a@b@c.fi"] {
        let import = import_errors(parse_contacts_csv(
            format!("name,email\nEve,{bad}\n").as_bytes(),
        ));
        assert!(!import.is_empty(), "the import took {bad}");
        let mut form = CustomerForm::new(None, Lang::En);
        typing(&mut form, "Eve", CustomerForm::handle_key);
        form.handle_key(key(KeyCode::Tab));
        form.handle_key(key(KeyCode::Tab));
        typing(&mut form, bad, CustomerForm::handle_key);
        form.handle_key(ctrl('s'));
        let screen = test_support::draw(100, 30, |f, a| form.render(f, a));
        // The message may wrap under the field: compare the words.
        let shown = squeezed(&screen.replace('│', " "));
        assert!(
            shown.contains(&squeezed(&import)),
            "{bad}: {import:?} not in\n{screen}"
        );
    }
}

#[test]
fn a_bad_amount_gets_the_same_sentence_in_an_import_and_in_the_form() {
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    for bad in ["12,345", "12.3.4", "abc"] {
        let import = import_errors(parse_orders(
            format!("customer,date,amount\nK1,2026-01-01,\"{bad}\"\n").as_bytes(),
        ));
        assert!(!import.is_empty(), "the import took {bad}");
        let mut form = OrderForm::new(1, today, Lang::En);
        typing(&mut form, bad, OrderForm::handle_key);
        form.handle_key(key(KeyCode::Enter));
        let screen = test_support::draw(120, 30, |f, a| form.render(f, a));
        let shown = squeezed(&screen.replace(['│', '"'], " "));
        let said = squeezed(&import.replace('"', " "));
        assert!(shown.contains(&said), "{bad}: {said:?} not in\n{screen}");
    }
}
