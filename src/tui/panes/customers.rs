//! The customer list, sortable by name, last purchase, revenue and stage.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::i18n::{Lang, Strings, stage_name};
use crate::tui::action::Action;
use crate::tui::app::{App, PAGE, Step};
use crate::tui::data::{CustomerRow, DashboardData};
use crate::tui::text::{date, ellipsize, money};

use super::{step, window};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Name,
    /// Most recent first.
    LastPurchase,
    /// Highest first.
    Revenue,
    /// Top of the pyramid first.
    Stage,
    /// Highest P(alive) first, so the long-gone one-time buyers come last;
    /// customers without one (no purchase, or no model) after them.
    PAlive,
}

impl Sort {
    fn next(self) -> Sort {
        match self {
            Sort::Name => Sort::LastPurchase,
            Sort::LastPurchase => Sort::Revenue,
            Sort::Revenue => Sort::Stage,
            Sort::Stage => Sort::PAlive,
            Sort::PAlive => Sort::Name,
        }
    }

    pub fn label(self, s: &Strings) -> &'static str {
        match self {
            Sort::Name => s.name,
            Sort::LastPurchase => s.last_purchase,
            Sort::Revenue => s.revenue,
            Sort::Stage => s.stage,
            Sort::PAlive => s.p_alive,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerListState {
    pub sort: Sort,
    /// Indices into `DashboardData::customers`, in display order.
    pub order: Vec<usize>,
    pub selected: usize,
}

impl CustomerListState {
    /// Recomputes the display order (on load and on a sort change, never per frame).
    pub fn resort(&mut self, data: &DashboardData) {
        let rows = &data.customers;
        let mut order: Vec<usize> = (0..rows.len()).collect();
        let key = |i: &usize| rows.get(*i);
        match self.sort {
            Sort::Name => order.sort_by_cached_key(|i| key(i).map(|r| r.name.to_lowercase())),
            Sort::LastPurchase => {
                order.sort_by_key(|i| std::cmp::Reverse(key(i).and_then(|r| r.last_purchase)))
            }
            Sort::Revenue => {
                order.sort_by_key(|i| std::cmp::Reverse(key(i).map(|r| r.monetary_cents)))
            }
            Sort::Stage => order.sort_by_key(|i| {
                key(i).map(|r| super::pyramid::ORDER.iter().position(|&s| s == r.stage))
            }),
            Sort::PAlive => order.sort_by(|a, b| {
                let p = |i: &usize| key(i).and_then(|r| r.p_alive);
                match (p(a), p(b)) {
                    (Some(x), Some(y)) => y.total_cmp(&x),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                }
            }),
        }
        self.order = order;
        self.selected = self.selected.min(self.order.len().saturating_sub(1));
    }

    pub fn current<'a>(&self, data: &'a DashboardData) -> Option<&'a CustomerRow> {
        self.order
            .get(self.selected)
            .and_then(|&i| data.customers.get(i))
    }

    pub fn handle(&mut self, action: Action, data: &DashboardData) -> Step {
        let len = self.order.len();
        match action {
            Action::Up => self.selected = step(self.selected, -1, len),
            Action::Down => self.selected = step(self.selected, 1, len),
            Action::PageUp => self.selected = step(self.selected, -(PAGE as isize), len),
            Action::PageDown => self.selected = step(self.selected, PAGE as isize, len),
            Action::CycleSort => {
                self.sort = self.sort.next();
                self.resort(data);
            }
            Action::Open => {
                return self
                    .current(data)
                    .map_or(Step::Nothing, |r| Step::OpenCard(r.id));
            }
            _ => {}
        }
        Step::Nothing
    }
}

/// From this width on, the list also shows the churn model's expected purchase
/// days and revenue in the next 12 months (the card always shows them).
pub const WIDE: usize = 100;

/// The widths of the name and company columns at `width`.
fn text_widths(width: usize) -> (usize, usize) {
    let wide = width >= WIDE;
    let fixed = 14 + 10 + 12 + 8 + 5 + if wide { 10 + 14 + 2 } else { 0 };
    let rest = width.saturating_sub(fixed);
    ((rest * 3 / 5).max(8), (rest * 2 / 5).max(6))
}

/// One customer as a line of a list; shared by this pane and drill-down lists.
pub fn customer_line(row: &CustomerRow, width: usize, lang: Lang, currency: &str) -> String {
    let (name_w, company_w) = text_widths(width);
    let last = row.last_purchase.map(|d| date(d, lang)).unwrap_or_default();
    let p_alive = row
        .p_alive
        .map(|p| format!("{:.0} %", p * 100.0))
        .unwrap_or_default();
    let line = format!(
        "{:<name_w$} {:<company_w$} {:<14} {:<10} {:>12} {:>8}",
        ellipsize(&row.name, name_w),
        ellipsize(&row.company, company_w),
        ellipsize(stage_name(lang, row.stage), 14),
        last,
        money(row.monetary_cents, lang, currency),
        p_alive
    );
    if width < WIDE {
        return line;
    }
    let expected = row
        .expected_365d
        .map(|e| decimal(e, lang))
        .unwrap_or_default();
    let revenue = row
        .expected_revenue_365d
        .map(|r| money((r * 100.0).round() as i64, lang, currency))
        .unwrap_or_default();
    format!("{line} {expected:>10} {revenue:>14}")
}

/// A small expectation with one decimal, in the language's decimal mark.
fn decimal(value: f64, lang: Lang) -> String {
    let text = format!("{value:.1}");
    match lang {
        Lang::Fi => text.replace('.', ","),
        Lang::En => text,
    }
}

pub fn header_line(s: &Strings, width: usize) -> String {
    let (name_w, company_w) = text_widths(width);
    let line = format!(
        "{:<name_w$} {:<company_w$} {:<14} {:<10} {:>12} {:>8}",
        ellipsize(s.name, name_w),
        ellipsize(s.company, company_w),
        s.stage,
        ellipsize(s.last_purchase, 10),
        s.revenue,
        ellipsize(s.p_alive, 8)
    );
    if width < WIDE {
        return line;
    }
    format!(
        "{line} {:>10} {:>14}",
        ellipsize(s.col_expected_365d, 10),
        ellipsize(s.col_expected_revenue, 14)
    )
}

/// Draws `len` rows, the `i`-th given by `row_at(i)`, with `selected` highlighted.
/// Only the visible rows are looked up.
pub fn draw_rows<'a>(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    len: usize,
    selected: usize,
    row_at: impl Fn(usize) -> Option<&'a CustomerRow>,
) {
    let s = app.strings();
    let width = usize::from(area.width);
    let mut lines = vec![Line::styled(
        header_line(s, width),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    if len == 0 {
        lines.push(Line::raw(s.empty_list));
    }
    let rows = window(len, selected, usize::from(area.height).saturating_sub(1));
    for i in rows {
        let Some(row) = row_at(i) else {
            continue;
        };
        let style = if i == selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(
            customer_line(row, width, app.lang, &app.data.currency),
            style,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn draw_customers(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings();
    let block = Block::bordered().title(format!(
        "{} ({}) · {} {}",
        s.pane_customers,
        app.data.customers.len(),
        s.sorted_by,
        app.customers.sort.label(s)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.data.customers.is_empty() {
        frame.render_widget(Paragraph::new(s.no_customers), inner);
        return;
    }
    let order = &app.customers.order;
    draw_rows(
        frame,
        inner,
        app,
        order.len(),
        app.customers.selected,
        |i| order.get(i).and_then(|&m| app.data.customers.get(m)),
    );
}
