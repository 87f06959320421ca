//! Drawing a form as a centred popup: a column of labels, the values beside
//! them, a validation message under a field that has one, a line of keys at
//! the bottom. Scrolls so the focused field stays visible in short terminals.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph};

use super::FormKeys;
use super::text_field::{TextField, display_width};
use crate::domain::terminal::terminal_safe;
use crate::i18n::Lang;
use crate::i18n::forms::FormStrings;

pub(super) enum Value<'a> {
    Text {
        field: &'a TextField,
        placeholder: Option<String>,
    },
    Toggle(bool),
    /// One of several values, cycled with Left/Right or Space.
    Choice(String),
    /// A value chosen elsewhere (the referrer), shown as is.
    Picked(String),
}

pub(super) struct Row<'a> {
    pub label: &'a str,
    pub value: Value<'a>,
    pub error: Option<String>,
    pub hint: Option<String>,
}

pub(super) struct Popup<'a> {
    pub title: String,
    pub rows: Vec<Row<'a>>,
    pub focus: Option<usize>,
    /// Lines above the fields (a question, an instruction).
    pub intro: Vec<Line<'a>>,
    /// The keys line, or a question that replaces it.
    pub footer: Line<'a>,
    pub width: u16,
}

/// Where `inner` width and height sit centred in `area`, clipped to it.
pub(super) fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

pub(super) fn render(frame: &mut Frame, area: Rect, popup: &Popup) {
    let label_width = popup
        .rows
        .iter()
        .map(|r| display_width(r.label))
        .max()
        .unwrap_or(0)
        + 4;
    // In a narrow terminal the popup is narrower than asked, and the text
    // fields scroll within what is left. Border and padding take 4 columns.
    let width = popup.width.min(area.width);
    let inner_width = width.saturating_sub(4);
    let value_width = usize::from(inner_width).saturating_sub(label_width);

    let mut lines: Vec<Line> = popup.intro.clone();
    let mut focus_line = None;
    let mut cursor = None;
    for (index, row) in popup.rows.iter().enumerate() {
        let focused = popup.focus == Some(index);
        if focused {
            focus_line = Some(lines.len());
        }
        let marker = if focused { "> " } else { "  " };
        let label = format!("{marker}{}", row.label);
        let pad = label_width.saturating_sub(display_width(&label));
        let label_style = if focused {
            Style::new().add_modifier(Modifier::BOLD)
        } else {
            Style::new()
        };
        let mut spans = vec![Span::styled(
            format!("{label}{}", " ".repeat(pad)),
            label_style,
        )];
        match &row.value {
            Value::Text { field, placeholder } => {
                if field.value().is_empty() {
                    if let Some(p) = placeholder {
                        spans.push(Span::raw(p.clone()).dim());
                    }
                    if focused {
                        cursor = Some((lines.len(), 0));
                    }
                } else if focused {
                    let (shown, column) = field.view(value_width);
                    spans.push(Span::raw(shown).underlined());
                    cursor = Some((lines.len(), column));
                } else {
                    spans.push(Span::raw(terminal_safe(field.value()).into_owned()));
                }
            }
            Value::Toggle(on) => spans.push(Span::raw(if *on { "[x]" } else { "[ ]" })),
            Value::Choice(text) if focused => spans.push(Span::raw(format!("< {text} >"))),
            Value::Choice(text) | Value::Picked(text) => {
                spans.push(Span::raw(terminal_safe(text).into_owned()))
            }
        }
        lines.push(Line::from(spans));
        // Messages wrap under the value, so that a long one is read whole.
        let indent = " ".repeat(label_width);
        let note = match (&row.error, &row.hint) {
            (Some(error), _) => Some((format!("! {}", terminal_safe(error)), true)),
            (None, Some(hint)) => Some((terminal_safe(hint).into_owned(), false)),
            (None, None) => None,
        };
        if let Some((text, is_error)) = note {
            for piece in wrap(&text, value_width.max(12)) {
                let span = if is_error {
                    Span::raw(piece).red()
                } else {
                    Span::raw(piece).dim()
                };
                lines.push(Line::from(vec![Span::raw(indent.clone()), span]));
            }
        }
    }

    let content_height = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(1);
    let outer = centred(area, width, content_height.saturating_add(2));
    frame.render_widget(Clear, outer);
    let block = Block::bordered()
        .padding(Padding::horizontal(1))
        .title(terminal_safe(&popup.title).into_owned());
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let body_height = usize::from(inner.height.saturating_sub(1)).max(1);
    // Keep the focused field and the line under it (its message) on screen.
    let offset = focus_line
        .map(|l| (l + 2).saturating_sub(body_height))
        .unwrap_or(0)
        .min(lines.len().saturating_sub(body_height));
    let visible: Vec<Line> = lines.into_iter().skip(offset).take(body_height).collect();
    let body = Rect {
        height: body_height.min(usize::from(inner.height)) as u16,
        ..inner
    };
    frame.render_widget(Paragraph::new(visible), body);
    if inner.height > 1 {
        let footer = Rect {
            y: inner.y + inner.height - 1,
            height: 1,
            ..inner
        };
        frame.render_widget(Paragraph::new(popup.footer.clone()), footer);
    }
    if let Some((line, column)) = cursor
        && line >= offset
        && line - offset < usize::from(body.height)
    {
        let x = usize::from(inner.x) + label_width + column;
        let y = usize::from(inner.y) + line - offset;
        if x < usize::from(inner.right()) {
            frame.set_cursor_position(Position::new(x as u16, y as u16));
        }
    }
}

/// A keys line: `key description · key description`.
pub(super) fn keys_line(keys: &[(&str, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (key, description)) in keys.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" · ").dim());
        }
        spans.push(Span::raw(key.to_string()).bold());
        spans.push(Span::raw(format!(" {description}")));
    }
    Line::from(spans)
}

/// The footer of an edit form: the save, cancel and next-field keys, or the
/// discard question while it is asked.
pub(super) fn form_footer(asking_discard: bool, keys: &FormKeys, lang: Lang) -> Line<'static> {
    if asking_discard {
        question_line(FormStrings::of(lang).discard_changes)
    } else {
        keys_line(&[
            (&keys.save, FormStrings::of(lang).key_save),
            (&keys.cancel, FormStrings::of(lang).key_cancel),
            (&keys.next, FormStrings::of(lang).key_next_field),
        ])
    }
}

/// The footer of a form of one field: save and cancel.
pub(super) fn one_field_footer(keys: &FormKeys, lang: Lang) -> Line<'static> {
    keys_line(&[
        (&keys.save, FormStrings::of(lang).key_save),
        (&keys.cancel, FormStrings::of(lang).key_cancel),
    ])
}

/// The question that replaces the keys line, highlighted.
pub(super) fn question_line(text: &str) -> Line<'static> {
    Line::from(Span::raw(text.to_string()).reversed())
}

/// Splits `text` at spaces into lines of at most `width` columns; a word
/// longer than the width gets a line of its own (and is cut when drawn).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let needed = display_width(&line) + usize::from(!line.is_empty()) + display_width(word);
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        assert_eq!(
            wrap("not a date: try 14.3.", 11),
            ["not a date:", "try 14.3."]
        );
        assert_eq!(wrap("short", 11), ["short"]);
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            ["averyveryverylongword", "x"]
        );
    }

    #[test]
    fn centred_fits_inside_any_area() {
        let area = Rect::new(3, 4, 10, 5);
        assert_eq!(centred(area, 6, 3), Rect::new(5, 5, 6, 3));
        assert_eq!(centred(area, 80, 30), area);
        assert_eq!(centred(Rect::ZERO, 5, 5), Rect::new(0, 0, 0, 0));
    }
}
