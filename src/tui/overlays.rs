//! What opens over any view: help that scrolls, the command palette (its
//! state in `palette`) that finds an action of the view by name and runs
//! it, and the list a key's filter typing goes to.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::action::{Action, Pane};
use super::app::{App, Effect, View};
use super::keymap::Context;
use super::palette::{Palette, offered};
use super::panes::list::ListView;
use super::text::{cells, fit_cells};

impl App {
    /// The list of the view on top, if it is one.
    pub fn active_list(&self) -> Option<&ListView> {
        match self.stack.last() {
            Some(View::List(l)) => Some(&l.list),
            Some(View::Duplicates(d)) => d.candidates.as_ref().map(|_| &d.list),
            Some(_) => None,
            None if self.data.pending => None,
            None => match self.pane {
                Pane::Customers => Some(&self.customers.list),
                Pane::FollowUps => Some(&self.followups.list),
                _ => None,
            },
        }
    }

    /// Pasted text into the filter being typed.
    pub(super) fn paste_filter(&mut self, text: &str) {
        let (data, lang) = (&self.data, self.lang);
        match self.stack.last_mut() {
            Some(View::List(l)) => l.paste_filter(text, data, lang),
            Some(View::Duplicates(d)) => d.paste_filter(text, data, lang),
            Some(_) => {}
            None => match self.pane {
                Pane::Customers => self.customers.paste_filter(text, data, lang),
                Pane::FollowUps => self.followups.paste_filter(text, data, lang),
                _ => {}
            },
        }
    }

    pub(super) fn open_help(&mut self) {
        self.help = true;
        self.help_scroll.set(0);
        self.help_end.set(usize::MAX);
    }

    /// Keys while help is open: it scrolls, and closes.
    pub(super) fn update_help(&mut self, action: Action) {
        let at = self.help_scroll.get();
        let page = super::panes::PAGE;
        let to = match action {
            Action::Back | Action::Help => {
                self.help = false;
                return;
            }
            Action::Up => at.saturating_sub(1),
            Action::Down => at + 1,
            Action::PageUp => at.saturating_sub(page),
            Action::PageDown => at + page,
            Action::First => 0,
            Action::Last => usize::MAX / 2,
            _ => at,
        };
        // Drawing brings it back in range.
        self.help_scroll.set(to);
    }

    /// The palette over the view on top, offering what does something there.
    pub(super) fn open_palette(&mut self) {
        let context = self.context();
        let s = self.strings();
        let entries = self
            .keymap
            .help(context)
            .into_iter()
            .filter(|(_, action)| offered(*action) && self.does_something(*action))
            .map(|(chords, action)| (action, chords.first().copied(), action.label(s)))
            .collect();
        self.palette = Some(Palette::new(entries));
    }

    pub(super) fn update_palette(&mut self, action: Action) -> Effect {
        let Some(palette) = self.palette.as_mut() else {
            return Effect::None;
        };
        match action {
            Action::Back => self.palette = None,
            Action::SearchInput(c) => palette.type_char(c),
            Action::SearchErase => palette.erase(),
            Action::Up => palette.selected = palette.selected.saturating_sub(1),
            Action::Down => {
                palette.selected =
                    (palette.selected + 1).min(palette.matches.len().saturating_sub(1))
            }
            Action::Open => {
                let chosen = palette.chosen();
                self.palette = None;
                if let Some(action) = chosen {
                    return self.update(action);
                }
            }
            _ => {}
        }
        Effect::None
    }
}

/// The help overlay: every key of the view under it, and a form's own keys.
pub fn draw_help(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings();
    let context = app.context_without_help();
    let entries = app.keymap.help(context);
    // The five pane keys read better as one line.
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut pane_keys: Vec<String> = Vec::new();
    let mut panes_row = None;
    for (chords, action) in &entries {
        let keys = chords
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(" ");
        match action {
            Action::GoTo(_) => {
                if panes_row.is_none() {
                    panes_row = Some(rows.len());
                    rows.push((String::new(), s.act_panes.to_string()));
                }
                pane_keys.push(keys);
            }
            Action::SearchInput(_) => {}
            _ => rows.push((keys, action.label(s).to_string())),
        }
    }
    if let Some(row) = panes_row.and_then(|i| rows.get_mut(i)) {
        row.0 = pane_keys.join(" ");
    }
    let mut heading = None;
    if context == Context::Form {
        // The rule every form follows, then the form's own keys.
        rows.push((String::new(), s.views.form_rule.to_string()));
        let own = match (&app.prompt, &app.modal) {
            (Some(_), _) => Vec::new(),
            (None, Some(modal)) => modal.keys(),
            (None, None) => Vec::new(),
        };
        if !own.is_empty() {
            heading = Some(rows.len());
            rows.push((String::new(), s.views.form_keys.to_string()));
            rows.extend(own.into_iter().map(|(k, text)| (k.to_string(), text)));
        }
    }
    let key_width = rows
        .iter()
        .map(|(k, _)| cells(k))
        .max()
        .unwrap_or(0)
        .min(24);
    let width = area.width.min(76);
    let text_width = usize::from(width.saturating_sub(4)).saturating_sub(key_width + 2);
    // Long descriptions wrap under themselves.
    let mut lines: Vec<Line> = Vec::new();
    for (i, (keys, label)) in rows.iter().enumerate() {
        let style = if Some(i) == heading {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            Style::new()
        };
        for (n, piece) in super::panes::card::wrap(label, text_width.max(8))
            .into_iter()
            .enumerate()
        {
            let key = if n == 0 { keys.as_str() } else { "" };
            let pad = key_width.saturating_sub(cells(key));
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {}{}  ", " ".repeat(pad), fit_cells(key, key_width)),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::styled(piece, style),
            ]));
        }
    }
    let total = lines.len();
    let height = (total as u16).saturating_add(2).min(area.height);
    let rect = Rect {
        x: area.x + area.width.saturating_sub(width) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    };
    let shown = usize::from(height.saturating_sub(2));
    let end = total.saturating_sub(shown);
    let scroll = app.help_scroll.get().min(end);
    app.help_scroll.set(scroll);
    app.help_end.set(end);
    let mut block = Block::bordered()
        .title(s.help_title)
        .title_bottom(s.views.help_keys);
    if total > shown {
        block = block.title_bottom(
            Line::raw(format!(
                " {}-{}/{total} ",
                scroll + 1,
                (scroll + shown).min(total)
            ))
            .right_aligned(),
        );
    }
    frame.render_widget(Clear, rect);
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(shown).collect();
    frame.render_widget(Paragraph::new(visible).block(block), rect);
}

/// The palette: what is typed, and the actions that match with their keys.
pub fn draw_palette(frame: &mut Frame, area: Rect, app: &App, palette: &Palette) {
    let s = app.strings();
    let width = area.width.saturating_sub(4).min(60);
    let height = area.height.saturating_sub(2).min(16);
    let rect = Rect {
        x: area.x + area.width.saturating_sub(width) / 2,
        y: area.y + 1.min(area.height),
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(s.views.palette_title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let mut lines = vec![Line::from(vec![
        Span::raw("> "),
        Span::styled(
            crate::tui::text::clean(&palette.query),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        Span::raw("▏"),
    ])];
    let hint = if palette.matches.is_empty() {
        s.views.palette_none
    } else if palette.query.is_empty() {
        s.views.palette_prompt
    } else {
        ""
    };
    lines.push(Line::styled(hint, Style::new().add_modifier(Modifier::DIM)));
    let room = usize::from(inner.height).saturating_sub(2);
    let start = palette.selected.saturating_sub(room.saturating_sub(1));
    let text_width = usize::from(inner.width);
    for (at, &i) in palette.matches.iter().enumerate().skip(start).take(room) {
        let Some((_, chord, name)) = palette.entries.get(i) else {
            continue;
        };
        let key = chord.map(|c| c.label()).unwrap_or_default();
        let name_width = text_width.saturating_sub(cells(&key) + 1);
        let pad = name_width.saturating_sub(cells(&fit_cells(name, name_width)));
        let text = format!("{}{} {key}", fit_cells(name, name_width), " ".repeat(pad));
        let style = if at == palette.selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
