//! A one-line text prompt: a follow-up's note, a new due date.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::app::Effect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Note(i64),
    Reschedule(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub title: &'static str,
    pub text: String,
    pub invalid: bool,
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
            invalid: false,
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> PromptOutcome {
        match key.code {
            KeyCode::Esc => PromptOutcome::Cancel,
            KeyCode::Enter => match self.kind {
                PromptKind::Note(id) => PromptOutcome::Submit(Effect::SetNote {
                    id,
                    note: self.text.trim().to_string(),
                }),
                PromptKind::Reschedule(id) => {
                    match NaiveDate::parse_from_str(self.text.trim(), "%Y-%m-%d")
                        .or_else(|_| NaiveDate::parse_from_str(self.text.trim(), "%d.%m.%Y"))
                    {
                        Ok(due) => PromptOutcome::Submit(Effect::Reschedule { id, due }),
                        Err(_) => {
                            self.invalid = true;
                            PromptOutcome::Continue
                        }
                    }
                }
            },
            KeyCode::Backspace => {
                self.text.pop();
                self.invalid = false;
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
                self.invalid = false;
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
    let style = if prompt.invalid {
        Style::new().fg(Color::Red)
    } else {
        Style::new()
    };
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
        Paragraph::new(line).block(Block::bordered().title(prompt.title).border_style(style)),
        rect,
    );
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
    fn reschedule_accepts_iso_and_finnish_dates_only() {
        let mut p = Prompt::new(PromptKind::Reschedule(7), "r", "");
        typed(&mut p, "2026-13-01");
        assert_eq!(p.handle_key(key(KeyCode::Enter)), PromptOutcome::Continue);
        assert!(p.invalid);
        p.text.clear();
        typed(&mut p, "1.12.2026");
        let due = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        assert_eq!(
            p.handle_key(key(KeyCode::Enter)),
            PromptOutcome::Submit(Effect::Reschedule { id: 7, due })
        );
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
