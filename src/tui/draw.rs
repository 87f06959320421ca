//! The frame: tabs, the pane or the view on top, overlays and the footer.
//! A pure function of the state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::action::{Action, Pane};
use super::app::{App, Status, View};
use super::panes::{card, cohorts, customers, duplicates, followups, list, pyramid, rfm, weekly};
use super::prompt::draw_prompt;
use super::search_box::draw_search;
use super::text::{date, terminal_safe};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn draw(frame: &mut Frame, app: &App) {
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
    match app.stack.last() {
        Some(View::List(l)) => list::draw_list(frame, body, app, l),
        Some(View::Card(c)) => card::draw_card(frame, body, app, c),
        Some(View::Weekly(w)) => weekly::draw_weekly(
            frame,
            body,
            &app.data.weekly,
            w,
            app.lang,
            &app.data.currency,
        ),
        Some(View::Duplicates(d)) => {
            duplicates::draw_duplicates(frame, body, d, &app.data, app.lang)
        }
        Some(View::Compare(c)) => {
            duplicates::draw_comparison(frame, body, c, app.lang, &app.data.currency)
        }
        // Only the pyramid is drawn from the first look at the store.
        None if app.data.pending && app.pane != Pane::Pyramid => {
            frame.render_widget(
                Paragraph::new(s.loading).block(Block::bordered().title(app.pane.title(s))),
                body,
            );
        }
        None => match app.pane {
            Pane::Pyramid => pyramid::draw_pyramid(frame, body, app),
            Pane::Rfm => rfm::draw_rfm(frame, body, app),
            Pane::Cohorts => cohorts::draw_cohorts(frame, body, app),
            Pane::FollowUps => followups::draw_followups(frame, body, app),
            Pane::Customers => customers::draw_customers(frame, body, app),
        },
    }
    draw_footer(frame, footer, app);
    if let Some(modal) = app.modal.as_ref() {
        modal.render(frame, body);
    }
    if app.search.is_some() {
        draw_search(frame, body, app);
    }
    if let Some(prompt) = app.prompt.as_ref() {
        draw_prompt(frame, body, prompt);
    }
    if app.help {
        draw_help(frame, body, app);
    }
}

fn draw_tabs(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings();
    let mut spans = vec![Span::styled(
        format!(" {} ", s.app_title),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for (i, pane) in Pane::ALL.into_iter().enumerate() {
        let style = if pane == app.pane {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        };
        spans.push(Span::styled(
            format!(" {} {} ", i + 1, pane.title(s)),
            style,
        ));
    }
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(12)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(
        Paragraph::new(date(app.data.as_of, app.lang)).right_aligned(),
        right,
    );
}

fn draw_footer(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings();
    let mut spans = Vec::new();
    if let Some(status) = &app.status {
        let (text, color) = match status {
            // Store errors can quote data (a ref, a name): escape it too.
            Status::Info(t) => (terminal_safe(t).into_owned(), Color::Green),
            Status::Error(t) => (
                format!("{}: {}", s.error_prefix, terminal_safe(t)),
                Color::Red,
            ),
        };
        spans.push(Span::styled(
            format!("{text}  "),
            Style::new().fg(color).add_modifier(Modifier::BOLD),
        ));
    }
    if app.prompt.is_some() {
        spans.push(Span::raw(s.prompt_keys));
    }
    // A form lists its own keys; the dashboard's do not apply under it.
    let typing = app.prompt.is_some() || (app.modal.is_some() && app.search.is_none());
    let footer = if typing {
        Vec::new()
    } else {
        app.keymap.footer(app.context())
    };
    for (chord, action) in footer {
        spans.push(Span::styled(
            chord.label(),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        spans.push(Span::raw(format!(" {}  ", action.label(s))));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_help(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings();
    // Help describes the view under it, not itself.
    let entries = app.keymap.help(app.context_without_help());
    // The five pane keys read better as one line.
    let mut rows: Vec<(String, &str)> = Vec::new();
    let mut pane_keys: Vec<String> = Vec::new();
    for (chords, action) in &entries {
        let keys = chords
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(" ");
        match action {
            Action::GoTo(_) => {
                if pane_keys.is_empty() {
                    rows.push((String::new(), s.act_panes));
                }
                pane_keys.push(keys);
            }
            _ => rows.push((keys, action.label(s))),
        }
    }
    if let Some(row) = rows.iter_mut().find(|(_, label)| *label == s.act_panes) {
        row.0 = pane_keys.join(" ");
    }
    let lines: Vec<Line> = rows
        .iter()
        .map(|(keys, label)| {
            Line::from(vec![
                Span::styled(
                    format!("{keys:>12}  "),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(*label),
            ])
        })
        .collect();
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = 48.min(area.width);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(s.help_title)
                .title_bottom(s.help_close),
        ),
        rect,
    );
}
