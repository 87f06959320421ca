//! A one-line text prompt: a follow-up's note, a new due date.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::effect::Effect;
use super::forms::FormInput;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Note(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub title: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PromptOutcome {
    Continue,
    Cancel,
    Submit(Effect),
}

/// Longest text a prompt accepts; a note is a line, not a letter.
const MAX_CHARS: usize = 500;

impl Prompt {
    pub fn new(kind: PromptKind, title: &'static str, text: &str) -> Prompt {
        Prompt {
            kind,
            title,
            text: text.to_string(),
        }
    }

    /// Pasted text as one line, control characters (newlines too) dropped.
    pub fn paste(&mut self, text: &str) {
        let room = MAX_CHARS.saturating_sub(self.text.chars().count());
        self.text
            .extend(text.chars().filter(|c| !c.is_control()).take(room));
    }

    /// A key with the default keymap.
    pub fn handle_key(&mut self, key: KeyEvent) -> PromptOutcome {
        self.input(FormInput::default_for(key))
    }

    /// A key as the keymap read it: save and cancel as in every form.
    pub fn input(&mut self, input: FormInput) -> PromptOutcome {
        let key = match input {
            FormInput::Cancel => return PromptOutcome::Cancel,
            FormInput::Save => {
                return match self.kind {
                    PromptKind::Note(id) => PromptOutcome::Submit(Effect::SetNote {
                        id,
                        note: self.text.trim().to_string(),
                    }),
                };
            }
            FormInput::NextField | FormInput::PreviousField => return PromptOutcome::Continue,
            FormInput::Key(key) => key,
        };
        match key.code {
            KeyCode::Backspace => {
                self.text.pop();
                PromptOutcome::Continue
            }
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && !c.is_control()
                    && self.text.chars().count() < MAX_CHARS =>
            {
                self.text.push(c);
                PromptOutcome::Continue
            }
            _ => PromptOutcome::Continue,
        }
    }
}

pub fn draw_prompt(frame: &mut Frame, area: Rect, prompt: &Prompt) {
    let width = area.width.saturating_sub(4).min(70);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + area.height / 3,
        width,
        height: 3.min(area.height),
    };
    frame.render_widget(Clear, rect);
    // Show the end of long text, where the cursor is.
    let inner = usize::from(width.saturating_sub(3));
    let count = prompt.text.chars().count();
    let shown: String = prompt
        .text
        .chars()
        .skip(count.saturating_sub(inner))
        .collect();
    let line = Line::from(format!("{shown}▏"));
    frame.render_widget(
        Paragraph::new(line).block(Block::bordered().title(prompt.title)),
        rect,
    );
}

/// A prompt for a note on the selected follow-up.
pub fn note_prompt(id: i64, current: &str, s: &crate::i18n::Strings) -> Prompt {
    Prompt::new(PromptKind::Note(id), s.act_note, current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(prompt: &mut Prompt, text: &str) {
        for c in text.chars() {
            prompt.handle_key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn note_edits_and_cancels() {
        let mut p = Prompt::new(PromptKind::Note(3), "N", "ab");
        p.handle_key(key(KeyCode::Backspace));
        typed(&mut p, "c ");
        assert_eq!(
            p.handle_key(key(KeyCode::Enter)),
            PromptOutcome::Submit(Effect::SetNote {
                id: 3,
                note: "ac".into()
            })
        );
        assert_eq!(p.handle_key(key(KeyCode::Esc)), PromptOutcome::Cancel);
    }
}
