//! Choosing one date: snoozing a follow-up to a date, rescheduling it.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::popup::{self, Popup, Row, Value};
use super::text_field::TextField;
use super::{FormInput, FormKeys, FormOutcome, FormResult, FormStrings, Lang};

#[derive(Debug, Clone)]
pub struct DateForm {
    lang: Lang,
    title: String,
    today: NaiveDate,
    date: TextField,
    tried_to_save: bool,
}

impl DateForm {
    pub fn new(title: String, today: NaiveDate, lang: Lang) -> Self {
        DateForm {
            lang,
            title,
            today,
            date: TextField::default(),
            tried_to_save: false,
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> FormOutcome {
        if !super::is_press(&key) {
            return FormOutcome::Continue;
        }
        self.input(FormInput::default_for(key))
    }

    /// Save submits a valid date; cancel closes at once (one field, little to lose).
    pub fn input(&mut self, input: FormInput) -> FormOutcome {
        match input {
            FormInput::Cancel => FormOutcome::Cancel,
            FormInput::Save => match self.read() {
                Ok(date) => FormOutcome::Submit(FormResult::Date(date)),
                Err(_) => {
                    self.tried_to_save = true;
                    FormOutcome::Continue
                }
            },
            FormInput::Key(key) => {
                self.date.handle_key(key);
                FormOutcome::Continue
            }
            FormInput::NextField | FormInput::PreviousField => FormOutcome::Continue,
        }
    }

    /// Text pasted in one piece (bracketed paste) goes into the date field.
    pub fn paste(&mut self, text: &str) {
        self.date.insert_text(text);
    }

    /// The form's own keys, for help: its field's editing keys.
    pub fn keys(&self) -> Vec<(&'static str, String)> {
        super::text_keys(self.lang)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        self.render_with(frame, area, FormKeys::defaults());
    }

    pub fn render_with(&self, frame: &mut Frame, area: Rect, keys: &FormKeys) {
        let l = self.lang;
        let read = self.read();
        let rows = vec![Row {
            label: FormStrings::of(l).date,
            value: Value::Text {
                field: &self.date,
                placeholder: Some(FormStrings::of(l).date_examples.to_string()),
            },
            hint: read.as_ref().ok().map(|d| super::date_hint(*d, l)),
            error: read.err().filter(|_| self.tried_to_save),
        }];
        let popup = Popup {
            title: format!(" {} ", self.title),
            rows,
            focus: Some(0),
            intro: Vec::new(),
            footer: popup::one_field_footer(keys, l),
            width: 60,
        };
        popup::render(frame, area, &popup);
    }

    fn read(&self) -> Result<NaiveDate, String> {
        super::read_date(self.date.value(), self.today, self.lang, true)?
            .ok_or_else(|| FormStrings::of(self.lang).date_required.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::forms::test_support::{self, key, typing};
    use ratatui::crossterm::event::KeyCode;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2028, 1, 31).unwrap_or_default()
    }

    #[test]
    fn enter_gives_the_typed_date() {
        let mut form = DateForm::new("Snooze".into(), today(), Lang::En);
        typing(&mut form, "+1m", DateForm::handle_key);
        let feb_29 = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap_or_default();
        assert_eq!(
            form.handle_key(key(KeyCode::Enter)),
            FormOutcome::Submit(FormResult::Date(feb_29))
        );
    }

    #[test]
    fn an_unreadable_date_stays_in_the_form_with_a_message() {
        let mut form = DateForm::new("Snooze".into(), today(), Lang::En);
        assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Continue);
        typing(&mut form, "31.2.", DateForm::handle_key);
        assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Continue);
        let screen = test_support::draw(50, 8, |f, a| form.render(f, a));
        assert!(screen.contains("no date 31.2."), "{screen}");
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel);
    }

    #[test]
    fn snapshot_with_an_error() {
        let mut form = DateForm::new("Reschedule".into(), today(), Lang::En);
        typing(&mut form, "next friday", DateForm::handle_key);
        form.handle_key(key(KeyCode::Enter));
        insta::assert_snapshot!(test_support::draw(60, 8, |f, a| form.render(f, a)));
    }
}
