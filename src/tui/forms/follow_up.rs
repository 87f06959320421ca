//! Adding a follow-up by hand: a due date and a reason.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::popup::{self, Popup, Row, Value};
use super::text_field::TextField;
use super::{FormInput, FormKeys, FormOutcome, FormResult, FormStrings, Lang};
use crate::domain::CustomerId;

const DUE: usize = 0;
const REASON: usize = 1;

#[derive(Debug, Clone)]
pub struct FollowUpForm {
    lang: Lang,
    customer_id: CustomerId,
    today: NaiveDate,
    due: TextField,
    reason: TextField,
    focus: usize,
    tried_to_save: bool,
    asking_discard: bool,
}

impl FollowUpForm {
    pub fn new(customer_id: CustomerId, today: NaiveDate, lang: Lang) -> Self {
        FollowUpForm {
            lang,
            customer_id,
            today,
            due: TextField::default(),
            reason: TextField::default(),
            focus: DUE,
            tried_to_save: false,
            asking_discard: false,
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> FormOutcome {
        if !super::is_press(&key) {
            return FormOutcome::Continue;
        }
        self.input(FormInput::default_for(key))
    }

    pub fn input(&mut self, input: FormInput) -> FormOutcome {
        if self.asking_discard {
            return super::answer_discard(&mut self.asking_discard, input, self.lang);
        }
        if let Some(step) = input.focus_step() {
            self.focus = super::step_focus(self.focus, step, 2);
            return FormOutcome::Continue;
        }
        let key = match input {
            FormInput::Save => return self.submit(),
            FormInput::Cancel if self.due.is_blank() && self.reason.is_blank() => {
                return FormOutcome::Cancel;
            }
            FormInput::Cancel => {
                self.asking_discard = true;
                return FormOutcome::Continue;
            }
            FormInput::Key(key) => key,
            FormInput::NextField | FormInput::PreviousField => return FormOutcome::Continue,
        };
        match self.focus {
            DUE => self.due.handle_key(key),
            REASON => self.reason.handle_key(key),
            _ => false,
        };
        FormOutcome::Continue
    }

    /// Text pasted in one piece (bracketed paste) goes into the focused field.
    pub fn paste(&mut self, text: &str) {
        if self.asking_discard {
            return;
        }
        match self.focus {
            DUE => self.due.insert_text(text),
            REASON => self.reason.insert_text(text),
            _ => {}
        }
    }

    /// The form's own keys, for help: its fields' editing keys.
    pub fn keys(&self) -> Vec<(&'static str, String)> {
        super::text_keys(self.lang)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        self.render_with(frame, area, FormKeys::defaults());
    }

    pub fn render_with(&self, frame: &mut Frame, area: Rect, keys: &FormKeys) {
        let l = self.lang;
        let due = self.read_due();
        let rows = vec![
            Row {
                label: FormStrings::of(l).due_date,
                value: Value::Text {
                    field: &self.due,
                    placeholder: Some(FormStrings::of(l).date_examples.to_string()),
                },
                hint: due.as_ref().ok().map(|d| super::date_hint(*d, l)),
                // Not while the date is being typed: `14.` is on its way to `14.3.`.
                error: due
                    .err()
                    .filter(|_| self.tried_to_save || (self.focus != DUE && !self.due.is_blank())),
            },
            Row {
                label: FormStrings::of(l).reason,
                value: Value::Text {
                    field: &self.reason,
                    placeholder: None,
                },
                hint: None,
                error: None,
            },
        ];
        let footer = popup::form_footer(self.asking_discard, keys, l);
        let popup = Popup {
            title: format!(" {} ", FormStrings::of(l).new_follow_up),
            rows,
            focus: Some(self.focus),
            intro: Vec::new(),
            footer,
            width: 56,
        };
        popup::render(frame, area, &popup);
    }

    fn read_due(&self) -> Result<NaiveDate, String> {
        super::read_date(self.due.value(), self.today, self.lang, true)?
            .ok_or_else(|| FormStrings::of(self.lang).date_required.to_string())
    }

    fn submit(&mut self) -> FormOutcome {
        match self.read_due() {
            Ok(due) => FormOutcome::Submit(FormResult::FollowUp {
                customer_id: self.customer_id,
                due,
                reason: self.reason.value().trim().to_string(),
            }),
            Err(_) => {
                self.tried_to_save = true;
                self.focus = DUE;
                FormOutcome::Continue
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::tui::forms::test_support::{self, key, press, typing};
    use ratatui::crossterm::event::KeyCode;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
    }

    #[test]
    fn a_due_date_and_a_reason_make_a_follow_up() {
        let mut form = FollowUpForm::new(7, today(), Lang::En);
        typing(&mut form, "+1w", FollowUpForm::handle_key);
        form.handle_key(key(KeyCode::Tab));
        typing(&mut form, "Kiitos-soitto", FollowUpForm::handle_key);
        assert_eq!(
            form.handle_key(key(KeyCode::Enter)),
            FormOutcome::Submit(FormResult::FollowUp {
                customer_id: 7,
                due: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default(),
                reason: "Kiitos-soitto".into(),
            })
        );
    }

    #[test]
    fn a_missing_or_past_due_date_is_refused_at_the_field() {
        let mut form = FollowUpForm::new(7, today(), Lang::En);
        form.handle_key(key(KeyCode::Tab));
        assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Continue);
        assert_eq!(form.focus, DUE);
        typing(&mut form, "1.1.2026", FollowUpForm::handle_key);
        assert_eq!(form.handle_key(key(KeyCode::Enter)), FormOutcome::Continue);
        let screen = test_support::draw(60, 10, |f, a| form.render(f, a));
        assert!(screen.contains("in the past"), "{screen}");
    }

    #[test]
    fn esc_asks_before_dropping_typed_text() {
        let mut form = FollowUpForm::new(7, today(), Lang::Fi);
        assert_eq!(
            form.clone().handle_key(key(KeyCode::Esc)),
            FormOutcome::Cancel
        );
        typing(&mut form, "huomenna", FollowUpForm::handle_key);
        assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Continue);
        assert_eq!(form.handle_key(press('e')), FormOutcome::Continue);
        assert_eq!(form.due.value(), "huomenna");
        form.handle_key(key(KeyCode::Esc));
        assert_eq!(form.handle_key(press('k')), FormOutcome::Cancel);
    }

    #[test]
    fn snapshot_with_a_resolved_date() {
        let mut form = FollowUpForm::new(7, today(), Lang::En);
        typing(&mut form, "+1m", FollowUpForm::handle_key);
        insta::assert_snapshot!(test_support::draw(60, 10, |f, a| form.render(f, a)));
    }

    #[test]
    fn snapshot_finnish() {
        let mut form = FollowUpForm::new(7, today(), Lang::Fi);
        typing(&mut form, "tänään", FollowUpForm::handle_key);
        form.handle_key(key(KeyCode::Tab));
        insta::assert_snapshot!(test_support::draw(60, 10, |f, a| form.render(f, a)));
    }
}
