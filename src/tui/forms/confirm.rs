//! A yes/no question, such as "Delete this customer?".

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::popup::{self, Popup};
use super::{FormInput, FormOutcome, FormResult, FormStrings, Lang};
use crate::domain::terminal::terminal_safe;

#[derive(Debug, Clone)]
pub struct ConfirmDialog {
    lang: Lang,
    message: String,
}

impl ConfirmDialog {
    pub fn new(message: String, lang: Lang) -> Self {
        ConfirmDialog { lang, message }
    }

    /// `y` confirms; `n` or Esc cancels; any other key is ignored, so that a
    /// stray Enter never confirms a deletion.
    pub fn handle_key(&mut self, key: KeyEvent) -> FormOutcome {
        if !super::is_press(&key) {
            return FormOutcome::Continue;
        }
        self.input(FormInput::default_for(key))
    }

    /// A question, not a form: Save (Enter) answers nothing, cancel is no.
    pub fn input(&mut self, input: FormInput) -> FormOutcome {
        let answer = match input {
            FormInput::Cancel => Some(false),
            FormInput::Key(key) => super::yes_no(&key, self.lang),
            _ => None,
        };
        match answer {
            Some(true) => FormOutcome::Submit(FormResult::Confirmed),
            Some(false) => FormOutcome::Cancel,
            None => FormOutcome::Continue,
        }
    }

    /// Pasted text answers nothing: only a typed `y` confirms.
    pub fn paste(&mut self, _text: &str) {}

    pub fn keys(&self) -> Vec<(&'static str, String)> {
        let l = self.lang;
        vec![
            (yes_key(l), FormStrings::of(l).key_yes.to_string()),
            (no_key(l), FormStrings::of(l).key_no.to_string()),
        ]
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let l = self.lang;
        let message = terminal_safe(&self.message).into_owned();
        let width = (super::text_field::display_width(&message) as u16 + 4).clamp(30, 70);
        let popup = Popup {
            title: format!(" {} ", FormStrings::of(l).confirm),
            rows: Vec::new(),
            focus: None,
            intro: vec![Line::raw(message)],
            footer: popup::keys_line(&[
                (yes_key(l), FormStrings::of(l).key_yes),
                (no_key(l), FormStrings::of(l).key_no),
            ]),
            width,
        };
        popup::render(frame, area, &popup);
    }
}

fn yes_key(l: Lang) -> &'static str {
    match l {
        Lang::En => "y",
        Lang::Fi => "k/y",
    }
}

fn no_key(l: Lang) -> &'static str {
    match l {
        Lang::En => "n",
        Lang::Fi => "e/n",
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyEventKind};

    use super::*;
    use crate::tui::forms::test_support::{self, key, press};

    #[test]
    fn y_confirms_n_and_esc_cancel_other_keys_do_nothing() {
        let mut dialog = ConfirmDialog::new("Delete Aino?".into(), Lang::En);
        assert_eq!(
            dialog.handle_key(key(KeyCode::Enter)),
            FormOutcome::Continue
        );
        assert_eq!(dialog.handle_key(press('k')), FormOutcome::Continue);
        assert_eq!(dialog.handle_key(press('n')), FormOutcome::Cancel);
        assert_eq!(dialog.handle_key(key(KeyCode::Esc)), FormOutcome::Cancel);
        let mut release = press('y');
        release.kind = KeyEventKind::Release;
        assert_eq!(dialog.handle_key(release), FormOutcome::Continue);
        assert_eq!(
            dialog.handle_key(press('y')),
            FormOutcome::Submit(FormResult::Confirmed)
        );
    }

    #[test]
    fn finnish_answers_k_and_e() {
        let mut dialog = ConfirmDialog::new("Poistetaanko?".into(), Lang::Fi);
        assert_eq!(dialog.handle_key(press('e')), FormOutcome::Cancel);
        assert_eq!(
            dialog.handle_key(press('k')),
            FormOutcome::Submit(FormResult::Confirmed)
        );
    }

    #[test]
    fn snapshot_escapes_control_characters_in_the_message() {
        let dialog = ConfirmDialog::new("Delete \u{1b}[31mMallory?".into(), Lang::En);
        let screen = test_support::draw(50, 7, |f, a| dialog.render(f, a));
        assert!(screen.contains("^[[31m"), "{screen}");
        insta::assert_snapshot!(screen);
    }
}
