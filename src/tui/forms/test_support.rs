//! Driving forms with keys and drawing them into a `TestBackend` in tests.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Frame, layout::Position};

use super::FormOutcome;

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn press(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Types `text` one char at a time; every key must leave the form open.
pub fn typing<F>(form: &mut F, text: &str, handle: fn(&mut F, KeyEvent) -> FormOutcome) {
    for c in text.chars() {
        assert_eq!(
            handle(form, press(c)),
            FormOutcome::Continue,
            "typing {c:?}"
        );
    }
}

/// The screen after one draw, as text, one line a row, trailing spaces cut.
pub fn draw(width: u16, height: u16, render: impl FnOnce(&mut Frame, Rect)) -> String {
    draw_with_cursor(width, height, render).0
}

/// The screen and where the terminal cursor was left.
pub fn draw_with_cursor(
    width: u16,
    height: u16,
    render: impl FnOnce(&mut Frame, Rect),
) -> (String, Option<Position>) {
    let Ok(mut terminal) = Terminal::new(TestBackend::new(width, height));
    if terminal.draw(|frame| render(frame, frame.area())).is_err() {
        return (String::new(), None);
    }
    let cursor = terminal.get_cursor_position().ok();
    let buffer = terminal.backend().buffer();
    let mut screen = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        screen.push_str(line.trim_end());
        screen.push('\n');
    }
    (screen, cursor)
}
