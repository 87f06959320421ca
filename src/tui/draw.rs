//! The frame: tabs, the pane or the view on top, overlays and the footer.
//! A function of the state; it notes where it put what a click can choose.

use std::cmp::Reverse;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::action::{Action, Pane};
use super::app::{App, Status};
use super::forms::FormKeys;
use super::keymap::{Chord, rank};
use super::mouse::Target;
use super::overlays::{draw_help, draw_palette};
use super::prompt::draw_prompt;
use super::search_box::draw_search;
use super::text::{cells, date, fit_cells, terminal_safe};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn draw(frame: &mut Frame, app: &App) {
    app.screen.borrow_mut().clear();
    let area = frame.area();
    let s = app.strings();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        frame.render_widget(
            Paragraph::new(format!("{} ({}x{})", s.too_small, area.width, area.height))
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let [tabs, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, tabs, app);
    let ctx = app.draw_context();
    match app.stack.last() {
        Some(view) => view.pane().render(frame, body, &ctx),
        // Only the pyramid is drawn from the first look at the store.
        None if app.data.pending && app.pane != Pane::Pyramid => {
            frame.render_widget(
                Paragraph::new(s.loading).block(Block::bordered().title(app.pane.title(s))),
                body,
            );
        }
        None => app.tab_pane().render(frame, body, &ctx),
    }
    draw_footer(frame, footer, app);
    if let Some(modal) = app.modal.as_ref() {
        modal.render(frame, body, &FormKeys::of(&app.keymap));
    }
    if let Some(search) = app.search.as_ref() {
        draw_search(frame, body, search, &ctx);
    }
    if let Some(prompt) = app.prompt.as_ref() {
        draw_prompt(frame, body, prompt);
    }
    if let Some(palette) = app.palette.as_ref() {
        draw_palette(frame, body, app, palette);
    }
    if app.help {
        draw_help(frame, body, app);
    }
}

/// The tabs, as wide as they fit: with the program's name, without it, then
/// closer together; never cut while a narrower form fits.
fn draw_tabs(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings();
    let today = date(app.data.as_of, app.lang);
    let date_width = cells(&today) as u16 + 1;
    let room = usize::from(area.width.saturating_sub(date_width));
    let tab = |i: usize, pane: Pane, pad: &str| format!("{pad}{} {}{pad}", i + 1, pane.title(s));
    let width_of = |title: bool, pad: &str| {
        let tabs: usize = Pane::ALL
            .iter()
            .enumerate()
            .map(|(i, p)| cells(&tab(i, *p, pad)) + usize::from(pad.is_empty()))
            .sum();
        tabs + if title { cells(s.app_title) + 2 } else { 0 }
    };
    let (title, pad) = [(true, " "), (false, " "), (false, "")]
        .into_iter()
        .find(|(title, pad)| width_of(*title, pad) <= room)
        .unwrap_or((false, ""));
    let mut spans = Vec::new();
    let mut x = area.x;
    if title {
        let text = format!(" {} ", s.app_title);
        x += cells(&text) as u16;
        spans.push(Span::styled(
            text,
            Style::new().add_modifier(Modifier::BOLD),
        ));
    }
    let mut screen = app.screen.borrow_mut();
    for (i, pane) in Pane::ALL.into_iter().enumerate() {
        let style = if pane == app.pane {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        };
        let text = tab(i, pane, pad);
        let width = cells(&text) as u16;
        screen.add(Rect { x, width, ..area }, Target::Tab(pane));
        x = x.saturating_add(width);
        spans.push(Span::styled(text, style));
        if pad.is_empty() {
            spans.push(Span::raw(" "));
            x = x.saturating_add(1);
        }
    }
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(date_width)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(Paragraph::new(today).right_aligned(), right);
}

/// The cells a footer key takes: `? help  `.
fn item_width(chord: Chord, action: Action, app: &App) -> usize {
    cells(&chord.label()) + 1 + cells(action.label(app.strings())) + 2
}

/// The footer's keys at `width` cells: only those that do something here,
/// the least important dropped first until they fit; help is never dropped.
pub fn footer_items(app: &App, width: usize) -> Vec<(Chord, Action)> {
    let mut items: Vec<(Chord, Action, u8)> = app
        .keymap
        .footer_ranked(app.context())
        .into_iter()
        .filter(|(_, action, _)| app.does_something(*action))
        .collect();
    loop {
        let used: usize = items.iter().map(|(c, a, _)| item_width(*c, *a, app)).sum();
        if used <= width {
            break;
        }
        let drop = items
            .iter()
            .enumerate()
            .filter(|(_, (_, _, r))| *r < rank::HELP)
            .min_by_key(|(i, (_, _, r))| (*r, Reverse(*i)))
            .map(|(i, _)| i);
        match drop {
            Some(i) => {
                items.remove(i);
            }
            None => break,
        }
    }
    items.into_iter().map(|(c, a, _)| (c, a)).collect()
}

fn draw_footer(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings();
    let width = usize::from(area.width);
    let mut spans = Vec::new();
    // Help is kept whatever the status says: the status is cut first.
    let help = app
        .keymap
        .footer_ranked(app.context())
        .into_iter()
        .filter(|(_, a, r)| *r == rank::HELP && app.does_something(*a))
        .map(|(c, a, _)| item_width(c, a, app))
        .sum::<usize>();
    let mut used = 0;
    if let Some(status) = &app.status {
        let (text, color) = match status {
            // Store errors can quote data (a ref, a name): escape it too.
            Status::Info(t) => (terminal_safe(t).into_owned(), Color::Green),
            Status::Error(t) => (
                format!("{}: {}", s.error_prefix, terminal_safe(t)),
                Color::Red,
            ),
        };
        let text = format!("{}  ", fit_cells(&text, width.saturating_sub(help + 2)));
        used = cells(&text);
        spans.push(Span::styled(
            text,
            Style::new().fg(color).add_modifier(Modifier::BOLD),
        ));
    }
    for (chord, action) in footer_items(app, width.saturating_sub(used)) {
        spans.push(Span::styled(
            chord.label(),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(format!(" {}  ", action.label(s))));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
