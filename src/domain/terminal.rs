//! Text made safe for a terminal: the one rule every face (dashboard, command
//! line tables, error messages, JSON) uses, so data from the store or a file
//! never drives the terminal and never reorders what is shown around it.
//!
//! Escaped visibly, in the dashboard's style:
//! - C0 controls and DEL in caret notation: ESC is `^[`, TAB `^I`, DEL `^?`;
//! - C1 controls (U+0080..U+009F, among them the one-byte CSI U+009B) as `\u{9b}`;
//! - bidirectional controls (the embeddings, overrides and isolates
//!   U+202A..U+202E and U+2066..U+2069, and the marks U+200E, U+200F, U+061C) as
//!   `\u{202e}`, because they make a name read as something else ("Trojan
//!   Source").
//!
//! Everything else (wide characters, emoji, combining marks, Finnish letters)
//! passes unchanged.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is shown escaped.
pub(crate) fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Appends `c` to `out`, escaped when it must be.
pub(crate) fn push_terminal_safe(out: &mut String, c: char) {
    match c {
        '\u{0}'..='\u{1f}' => {
            out.push('^');
            out.push(char::from(c as u8 ^ 0x40));
        }
        '\u{7f}' => out.push_str("^?"),
        c if needs_escape(c) => {
            // Writing to a String cannot fail.
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// `text` with every control character escaped, line breaks included: for one
/// line of a table, a list, a title or a field.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    escape_where(text, needs_escape)
}

/// `text` with every control character escaped but its line breaks (`\n`, and
/// `\r\n`): for text laid out on several lines on purpose, such as a whole
/// report, a CSV file or an error naming several rows.
pub(crate) fn terminal_safe_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && needs_escape(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\r' if chars.peek() == Some(&'\n') => out.push('\r'),
            c => push_terminal_safe(&mut out, c),
        }
    }
    Cow::Owned(out)
}

fn escape_where(text: &str, escaped: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            push_terminal_safe(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Serialized JSON with DEL, the C1 controls and the bidirectional controls
/// written as `\u009b`-style escapes, which the JSON writer leaves raw: the
/// JSON reads back to exactly the same strings, and is harmless on a terminal.
/// Such characters can only occur inside JSON strings, where an escape means
/// the same character.
pub(crate) fn json_terminal_safe(json: &str) -> Cow<'_, str> {
    let escaped = |c: char| c >= '\u{7f}' && needs_escape(c);
    if !json.chars().any(escaped) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escaped(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c0_controls_and_del_in_caret_notation() {
        assert_eq!(terminal_safe("Ann\u{1b}[31mRed"), "Ann^[[31mRed");
        assert_eq!(terminal_safe("a\tb\u{7f}"), "a^Ib^?");
        assert_eq!(terminal_safe("\u{0}\u{7}\r\n"), "^@^G^M^J");
    }

    #[test]
    fn c1_controls_as_unicode_escapes() {
        assert_eq!(terminal_safe("x\u{9b}2J"), "x\\u{9b}2J");
        assert_eq!(terminal_safe("\u{80}\u{85}\u{9f}"), "\\u{80}\\u{85}\\u{9f}");
        // U+00A0 (no-break space) is the first character past C1: not a control.
        assert_eq!(terminal_safe("1\u{a0}234"), "1\u{a0}234");
    }

    #[test]
    fn bidi_controls_are_shown_not_obeyed() {
        assert_eq!(terminal_safe("Eve\u{202e}gnp.exe"), "Eve\\u{202e}gnp.exe");
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{61c}',
        ] {
            let shown = terminal_safe(&c.to_string()).into_owned();
            assert_eq!(shown, format!("\\u{{{:x}}}", u32::from(c)));
        }
        // Zero-width joiners and the neighbours of the bidi ranges are text.
        assert_eq!(
            terminal_safe("\u{200d}\u{2029}\u{206a}"),
            "\u{200d}\u{2029}\u{206a}"
        );
    }

    #[test]
    fn letters_wide_characters_and_combining_marks_pass_unchanged() {
        for text in [
            "Äänekoski, Mäkinen, Öljymäki, Åström",
            "東京 🎉 日本語",
            "e\u{301}la\u{308}",
            "שלום عربى",
            "",
        ] {
            assert!(matches!(terminal_safe(text), Cow::Borrowed(_)), "{text}");
            assert!(matches!(terminal_safe_lines(text), Cow::Borrowed(_)));
            assert!(matches!(json_terminal_safe(text), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn lines_keep_their_breaks_and_nothing_else() {
        assert_eq!(terminal_safe_lines("a\nb\r\nc"), "a\nb\r\nc");
        assert!(matches!(terminal_safe_lines("a\nb"), Cow::Borrowed(_)));
        assert_eq!(
            terminal_safe_lines("a\rb\n\u{1b}[2J\u{202e}\n"),
            "a^Mb\n^[[2J\\u{202e}\n"
        );
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let once = terminal_safe("x\u{1b}\u{9b}\u{202e}").into_owned();
        assert_eq!(terminal_safe(&once), once);
        assert_eq!(terminal_safe_lines(&once), once);
    }

    #[test]
    fn json_escapes_read_back_exactly() {
        let name = "Eve\u{1b}[31m\u{9b}2J\u{7f}\u{202e}gnp\u{2066}";
        let json = serde_json::to_string(&serde_json::json!({ "name": name })).unwrap_or_default();
        let safe = json_terminal_safe(&json);
        assert_eq!(
            safe,
            "{\"name\":\"Eve\\u001b[31m\\u009b2J\\u007f\\u202egnp\\u2066\"}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back["name"], name);
    }
}
