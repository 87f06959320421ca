//! A one-line text editor: cursor, Home/End, Backspace/Delete, Left/Right,
//! word moves, Ctrl-U, Ctrl-K, Ctrl-W. Written here rather than taken from a
//! crate because the forms must show control characters escaped, and the
//! cursor column has to follow the escaped text.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::text::Span;

use crate::domain::terminal::push_terminal_safe;

/// The text of one field and a cursor counted in chars (never inside a char).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    value: String,
    cursor: usize,
}

impl TextField {
    /// A field holding `value`, cursor at the end.
    pub fn new(value: impl Into<String>) -> Self {
        let value = value.into();
        let cursor = value.chars().count();
        TextField { value, cursor }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    /// Cursor position in chars from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_blank(&self) -> bool {
        self.value.trim().is_empty()
    }

    /// Edits the text for a key; false when the key is not an editing key.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            // AltGr arrives as Ctrl+Alt on Windows; Finnish keyboards type `@` with it.
            KeyCode::Char(c) if ctrl == alt => {
                if c.is_control() {
                    return false;
                }
                self.insert(c);
            }
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.len(),
            KeyCode::Char('u') if ctrl => self.delete_range(0, self.cursor),
            KeyCode::Char('k') if ctrl => self.delete_range(self.cursor, self.len()),
            KeyCode::Char('w') if ctrl => self.delete_range(self.word_start(), self.cursor),
            KeyCode::Backspace if ctrl || alt => self.delete_range(self.word_start(), self.cursor),
            KeyCode::Backspace => self.delete_range(self.cursor.saturating_sub(1), self.cursor),
            KeyCode::Delete => self.delete_range(self.cursor, (self.cursor + 1).min(self.len())),
            KeyCode::Left if ctrl || alt => self.cursor = self.word_start(),
            KeyCode::Right if ctrl || alt => self.cursor = self.word_end(),
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.len(),
            _ => return false,
        }
        true
    }

    /// Inserts pasted text at the cursor. A field holds one line, so line
    /// breaks and tabs become spaces and other control characters are dropped.
    pub fn insert_text(&mut self, text: &str) {
        let mut last_was_break = false;
        for c in text.chars() {
            match c {
                '\r' | '\n' | '\t' => {
                    // `\r\n` is one break, not two spaces.
                    if !(last_was_break && c == '\n') {
                        self.insert(' ');
                    }
                    last_was_break = c == '\r';
                    continue;
                }
                c if c.is_control() => {}
                c => self.insert(c),
            }
            last_was_break = false;
        }
    }

    /// The visible part of the escaped text in `width` columns, and the cursor's
    /// column in it; scrolled horizontally so that the cursor stays visible.
    pub fn view(&self, width: usize) -> (String, usize) {
        if width == 0 {
            return (String::new(), 0);
        }
        let cells: Vec<(String, usize)> = self
            .value
            .chars()
            .map(|c| {
                let mut shown = String::new();
                push_terminal_safe(&mut shown, c);
                let w = display_width(&shown);
                (shown, w)
            })
            .collect();
        let cursor_col: usize = cells.iter().take(self.cursor).map(|(_, w)| w).sum();
        // Skip whole chars from the left until the cursor (one cell wide) fits.
        let mut skipped = 0;
        let mut first = 0;
        while cursor_col - skipped >= width && first < cells.len() {
            skipped += cells[first].1;
            first += 1;
        }
        let mut text = String::new();
        let mut used = 0;
        for (shown, w) in &cells[first..] {
            if used + w > width {
                break;
            }
            text.push_str(shown);
            used += w;
        }
        (text, (cursor_col - skipped).min(width - 1))
    }

    fn len(&self) -> usize {
        self.value.chars().count()
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.value
            .char_indices()
            .nth(char_index)
            .map_or(self.value.len(), |(i, _)| i)
    }

    fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
    }

    fn delete_range(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        let (a, b) = (self.byte_at(from), self.byte_at(to));
        self.value.replace_range(a..b, "");
        self.cursor = from;
    }

    /// Start of the word before the cursor, skipping whitespace and separators first.
    fn word_start(&self) -> usize {
        let chars: Vec<char> = self.value.chars().collect();
        let mut i = self.cursor.min(chars.len());
        while i > 0 && !chars[i - 1].is_alphanumeric() {
            i -= 1;
        }
        while i > 0 && chars[i - 1].is_alphanumeric() {
            i -= 1;
        }
        i
    }

    fn word_end(&self) -> usize {
        let chars: Vec<char> = self.value.chars().collect();
        let mut i = self.cursor.min(chars.len());
        while i < chars.len() && !chars[i].is_alphanumeric() {
            i += 1;
        }
        while i < chars.len() && chars[i].is_alphanumeric() {
            i += 1;
        }
        i
    }
}

/// Terminal columns taken by `text` (wide chars count two).
pub fn display_width(text: &str) -> usize {
    Span::raw(text).width()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(text: &str) -> TextField {
        let mut field = TextField::default();
        for c in text.chars() {
            field.handle_key(key(KeyCode::Char(c)));
        }
        field
    }

    #[test]
    fn typing_inserts_at_the_cursor_in_non_ascii_text() {
        let mut field = typed("Häkkinen");
        field.handle_key(key(KeyCode::Home));
        field.handle_key(key(KeyCode::Right));
        field.handle_key(key(KeyCode::Char('ö')));
        assert_eq!(field.value(), "Höäkkinen");
        assert_eq!(field.cursor(), 2);
    }

    #[test]
    fn backspace_and_delete_at_the_ends_do_nothing() {
        let mut field = typed("ab");
        field.handle_key(key(KeyCode::Delete));
        assert_eq!(field.value(), "ab");
        field.handle_key(key(KeyCode::Home));
        field.handle_key(key(KeyCode::Backspace));
        field.handle_key(key(KeyCode::Left));
        assert_eq!((field.value(), field.cursor()), ("ab", 0));
        field.handle_key(key(KeyCode::Delete));
        assert_eq!(field.value(), "b");
        field.handle_key(key(KeyCode::End));
        field.handle_key(key(KeyCode::Right));
        field.handle_key(key(KeyCode::Backspace));
        assert_eq!((field.value(), field.cursor()), ("", 0));
    }

    #[test]
    fn ctrl_w_deletes_the_previous_word_and_ctrl_u_the_start() {
        let mut field = typed("call back, äiti");
        field.handle_key(ctrl('w'));
        assert_eq!(field.value(), "call back, ");
        field.handle_key(ctrl('w'));
        assert_eq!(field.value(), "call ");
        field.handle_key(key(KeyCode::Char('x')));
        field.handle_key(key(KeyCode::Left));
        field.handle_key(ctrl('u'));
        assert_eq!((field.value(), field.cursor()), ("x", 0));
        field.handle_key(ctrl('k'));
        assert_eq!(field.value(), "");
    }

    #[test]
    fn ctrl_arrows_move_by_words_and_ctrl_a_e_to_the_ends() {
        let mut field = typed("soita, Äänekoski");
        let ctrl_key = |code| KeyEvent::new(code, KeyModifiers::CONTROL);
        field.handle_key(ctrl_key(KeyCode::Left));
        assert_eq!(field.cursor(), 7);
        field.handle_key(ctrl_key(KeyCode::Left));
        assert_eq!(field.cursor(), 0);
        field.handle_key(ctrl_key(KeyCode::Right));
        assert_eq!(field.cursor(), 5);
        field.handle_key(ctrl('e'));
        assert_eq!(field.cursor(), 16);
        field.handle_key(ctrl('a'));
        assert_eq!(field.cursor(), 0);
    }

    #[test]
    fn altgr_characters_are_typed_but_ctrl_letters_are_not() {
        let mut field = TextField::default();
        let altgr = KeyModifiers::CONTROL | KeyModifiers::ALT;
        field.handle_key(KeyEvent::new(KeyCode::Char('@'), altgr));
        assert!(!field.handle_key(ctrl('s')));
        assert_eq!(field.value(), "@");
    }

    #[test]
    fn pasted_lines_become_one_line_without_control_characters() {
        let mut field = typed("ab");
        field.handle_key(key(KeyCode::Left));
        field.insert_text("1\r\n2\n3\t\u{1b}[31m4");
        assert_eq!(field.value(), "a1 2 3 [31m4b");
        assert_eq!(field.cursor(), 12);
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let field = TextField::new("x\u{1b}\u{85}\u{202e}");
        assert_eq!(field.view(20), ("x^[\\u{85}\\u{202e}".to_string(), 17));
    }

    #[test]
    fn view_scrolls_to_keep_the_cursor_visible() {
        let mut field = typed("abcdefghij");
        assert_eq!(field.view(4), ("hij".to_string(), 3));
        field.handle_key(key(KeyCode::Home));
        assert_eq!(field.view(4), ("abcd".to_string(), 0));
        assert_eq!(field.view(0), (String::new(), 0));
        let wide = TextField::new("日本語");
        assert_eq!(wide.view(4), ("語".to_string(), 2));
    }
}
