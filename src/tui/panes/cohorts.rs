//! The cohort triangle with repeat-purchase rates beside it.

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::analytics::{CohortRow, SourceFilter, YearMonth};
use crate::domain::CustomerFacts;
use crate::i18n::Lang;
use crate::i18n::forms::source_name;
use crate::tui::action::Action;
use crate::tui::data::{CohortView, DashboardData};
use crate::tui::mouse::Target;
use crate::tui::text::percent;

use super::{DrawContext, DrillList, PaneState, Step, step, window};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CohortState {
    pub row: usize,
    /// Month offset of the cursor.
    pub col: usize,
    pub cumulative: bool,
    /// Whose cohorts are shown: everyone, one source, or no source.
    pub source: SourceFilter,
}

fn month_index(ym: YearMonth) -> i64 {
    i64::from(ym.year) * 12 + i64::from(ym.month) - 1
}

fn month_of(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month0())
}

/// Offsets a row has: up to and including the as-of month.
fn row_len(row: &CohortRow) -> usize {
    row.active.len()
}

impl CohortState {
    fn view<'a>(&self, data: &'a DashboardData) -> Option<&'a CohortView> {
        data.cohort_view(self.source)
    }

    pub fn clamp(&mut self, data: &DashboardData) {
        let rows = self.view(data).map_or(0, |v| v.table.rows.len());
        self.row = self.row.min(rows.saturating_sub(1));
        let cols = self
            .view(data)
            .and_then(|v| v.table.rows.get(self.row))
            .map_or(0, row_len);
        self.col = self.col.min(cols.saturating_sub(1));
    }

    /// Whether a key would move the cursor or open a cell: what the footer offers.
    pub fn can(&self, action: Action, data: &DashboardData) -> bool {
        let rows = self.view(data).map_or(0, |v| v.table.rows.len());
        let cols = self
            .view(data)
            .and_then(|v| v.table.rows.get(self.row))
            .map_or(0, row_len);
        match action {
            Action::Up | Action::PageUp => self.row > 0,
            Action::Down | Action::PageDown => self.row + 1 < rows,
            Action::Left => self.col > 0,
            Action::Right => self.col + 1 < cols,
            Action::ToggleCumulative | Action::CycleSource => true,
            Action::Open => rows > 0,
            _ => false,
        }
    }

    fn drill(&self, data: &DashboardData) -> Step {
        let Some(row) = self.view(data).and_then(|v| v.table.rows.get(self.row)) else {
            return Step::Nothing;
        };
        let cohort = month_index(row.cohort);
        let target = cohort + self.col as i64;
        let members = data
            .facts
            .iter()
            .filter(|f| self.source.admits(f.source))
            .filter(|f| in_cell(f, data.as_of, cohort, target, self.cumulative))
            .map(|f| f.id)
            .collect();
        Step::OpenList(DrillList::new(
            format!(
                "{:04}-{:02} +{}",
                row.cohort.year, row.cohort.month, self.col
            ),
            members,
        ))
    }
}

/// Whether a customer of month `cohort` counts in the cell of month `target`.
fn in_cell(
    f: &CustomerFacts,
    as_of: NaiveDate,
    cohort: i64,
    target: i64,
    cumulative: bool,
) -> bool {
    let mut days = f.purchase_days(as_of);
    let Some(first) = days.next() else {
        return false;
    };
    if month_of(first) != cohort {
        return false;
    }
    if cumulative {
        days.next().is_some_and(|second| month_of(second) <= target)
    } else {
        month_of(first) == target || days.any(|d| month_of(d) == target)
    }
}

/// Shading of a rate: darker is lower.
fn shade(pct: u64) -> Style {
    let (bg, fg) = match pct {
        0 => (Color::Reset, Color::DarkGray),
        1..=9 => (Color::Indexed(22), Color::White),
        10..=24 => (Color::Indexed(28), Color::White),
        25..=49 => (Color::Indexed(34), Color::Black),
        50..=74 => (Color::Indexed(40), Color::Black),
        _ => (Color::Indexed(46), Color::Black),
    };
    Style::new().bg(bg).fg(fg)
}

const LABEL: usize = 9;
const SIZE: usize = 7;
const CELL: usize = 5;
const REPEAT: u16 = 18;

impl PaneState for CohortState {
    fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> Step {
        let _ = lang;
        let rows = self.view(data).map_or(0, |v| v.table.rows.len());
        match action {
            Action::Up => self.row = step(self.row, -1, rows),
            Action::Down => self.row = step(self.row, 1, rows),
            Action::PageUp => self.row = step(self.row, -10, rows),
            Action::PageDown => self.row = step(self.row, 10, rows),
            Action::Left => self.col = self.col.saturating_sub(1),
            Action::Right => self.col += 1,
            Action::ToggleCumulative => self.cumulative = !self.cumulative,
            Action::CycleSource => self.source = self.source.next(),
            Action::Open => return self.drill(data),
            _ => return Step::Nothing,
        }
        self.clamp(data);
        Step::Nothing
    }

    fn render(&self, frame: &mut Frame, area: Rect, ctx: &DrawContext) {
        let s = ctx.strings;
        let st = self;
        let source = match st.source {
            SourceFilter::Everyone => s.source_all,
            SourceFilter::Only(x) => source_name(ctx.lang, Some(x)),
            SourceFilter::NoSource => s.no_source,
        };
        let mode = if st.cumulative {
            s.cumulative
        } else {
            s.per_month
        };
        // The title's parts in their order of importance: the last ones go first
        // on a narrow terminal (the repeat rates' header names its columns too).
        let source = format!("{}: {source}", s.source_label);
        let parts = [
            s.pane_cohorts,
            mode,
            &source,
            s.partial_month,
            s.repeat_rates,
        ];
        let room = usize::from(area.width.saturating_sub(2));
        let mut title = String::new();
        for part in parts {
            let longer = if title.is_empty() {
                part.to_string()
            } else {
                format!("{title} · {part}")
            };
            if !title.is_empty() && longer.width() > room {
                break;
            }
            title = longer;
        }
        let block = Block::bordered().title(title);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let Some(view) = st.view(ctx.data).filter(|v| !v.table.rows.is_empty()) else {
            frame.render_widget(Paragraph::new(s.no_cohorts), inner);
            return;
        };
        // A young cohort's rates are not final: dimmed, and a line says why.
        let open = view
            .repeat
            .iter()
            .any(|r| !r.complete_90d || !r.complete_180d);
        let [body, note] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(u16::from(open))])
                .areas(inner);
        if open {
            frame.render_widget(
                Paragraph::new(s.incomplete_rates).style(Style::new().add_modifier(Modifier::DIM)),
                note,
            );
        }
        let [triangle, repeat] =
            Layout::horizontal([Constraint::Min(20), Constraint::Length(REPEAT)]).areas(body);
        let width = usize::from(triangle.width);
        let cols_fit = width.saturating_sub(LABEL + SIZE) / CELL;
        let max_cols = view.table.rows.iter().map(row_len).max().unwrap_or(0);
        let cols = window(max_cols, st.col, cols_fit.max(1));
        let body_rows = usize::from(triangle.height.saturating_sub(1));
        let rows = window(view.table.rows.len(), st.row, body_rows);

        let mut header = format!("{:<LABEL$}{:>SIZE$}", s.cohort, s.size);
        for k in cols.clone() {
            header.push_str(&format!(" {:>3} ", format!("+{k}")));
        }
        let mut lines = vec![Line::styled(
            header,
            Style::new().add_modifier(Modifier::BOLD),
        )];
        let mut repeat_lines = vec![Line::styled(
            format!(
                "{:>5} {:>5} {:>5}",
                s.repeat_90d, s.repeat_180d, s.repeat_ever
            ),
            Style::new().add_modifier(Modifier::BOLD),
        )];
        for (i, row) in view
            .table
            .rows
            .iter()
            .enumerate()
            .skip(rows.start)
            .take(rows.len())
        {
            let cursor_row = i == st.row;
            let label = format!("{:04}-{:02}", row.cohort.year, row.cohort.month);
            let mut spans = vec![
                Span::styled(
                    format!("{label:<LABEL$}"),
                    if cursor_row {
                        Style::new().add_modifier(Modifier::BOLD)
                    } else {
                        Style::new()
                    },
                ),
                Span::raw(format!("{:>SIZE$}", row.size)),
            ];
            for k in cols.clone() {
                let values = if st.cumulative {
                    &row.cumulative
                } else {
                    &row.active
                };
                let Some(&v) = values.get(k) else {
                    spans.push(Span::raw(" ".repeat(CELL)));
                    continue;
                };
                let pct = percent(u64::from(v), u64::from(row.size));
                let mark = if view.table.is_partial(row, k) {
                    "*"
                } else {
                    " "
                };
                let mut style = shade(pct);
                if cursor_row && k == st.col {
                    style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
                }
                spans.push(Span::raw(" "));
                spans.push(Span::styled(format!("{pct:>3}{mark}"), style));
                let x = LABEL + SIZE + (k - cols.start) * CELL;
                let y = 1 + i - rows.start;
                if let (Ok(x), Ok(y)) = (u16::try_from(x), u16::try_from(y)) {
                    let cell = Rect::new(triangle.x + x, triangle.y + y, CELL as u16, 1)
                        .intersection(triangle);
                    ctx.screen
                        .borrow_mut()
                        .add(cell, Target::Cohort { row: i, col: k });
                }
            }
            lines.push(Line::from(spans));
            let rates = view.repeat.iter().find(|r| r.cohort == row.cohort);
            repeat_lines.push(match rates {
                Some(r) => {
                    let size = u64::from(r.size);
                    let rate = |part: u32, complete: bool| {
                        let style = if complete {
                            Style::new()
                        } else {
                            Style::new().add_modifier(Modifier::DIM)
                        };
                        Span::styled(format!("{:>4}%", percent(u64::from(part), size)), style)
                    };
                    Line::from(vec![
                        rate(r.repeat_90d, r.complete_90d),
                        Span::raw(" "),
                        rate(r.repeat_180d, r.complete_180d),
                        Span::raw(" "),
                        rate(r.repeat_ever, true),
                    ])
                }
                None => Line::raw(""),
            });
        }
        frame.render_widget(Paragraph::new(lines), triangle);
        frame.render_widget(Paragraph::new(repeat_lines), repeat);
    }
}
