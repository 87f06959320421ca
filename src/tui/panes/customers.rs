//! The customer list and the drill-down lists: name, company, phone, stage,
//! last purchase, revenue, P(alive) and the next 12 months' expectations,
//! sortable by any column, filtered as one types.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use crate::domain::CustomerId;
use crate::i18n::{Lang, Strings, stage_name};
use crate::tui::action::Action;
use crate::tui::data::{CustomerRow, DashboardData};
use crate::tui::text::{date, money};

use super::list::{self, Column, ListView, Ranked, Rows, SortBy, SortKey};
use super::{DrawContext, DrillList, PaneState, Step};

/// The columns, in order; sorting cycles through them.
pub fn columns(s: &Strings) -> [Column; COLUMNS] {
    [
        Column::text(s.name, 8, 3),
        Column::text(s.company, 6, 2).optional(4),
        Column::text(s.phones, 8, 1).optional(5),
        Column::text(s.stage, 6, 1),
        Column::figure(s.last_purchase),
        Column::figure(s.revenue),
        Column::figure(s.p_alive).optional(3),
        Column::figure(s.col_expected_365d).optional(1),
        Column::figure(s.col_expected_revenue).optional(2),
    ]
}

pub const BY_NAME: SortBy = SortBy {
    column: 0,
    descending: false,
};

/// The column P(alive) is in: the churn model's order of who is still there.
pub const P_ALIVE: usize = 6;

/// A list's customers: every customer, or the members of a drill-down.
pub struct CustomerRows<'a> {
    pub data: &'a DashboardData,
    pub members: Option<&'a [CustomerId]>,
    pub lang: Lang,
}

impl CustomerRows<'_> {
    pub fn row(&self, item: usize) -> Option<&CustomerRow> {
        match self.members {
            Some(ids) => ids.get(item).and_then(|id| self.data.row(*id)),
            None => self.data.customers.get(item),
        }
    }
}

impl Rows for CustomerRows<'_> {
    fn count(&self) -> usize {
        self.members.map_or(self.data.customers.len(), <[_]>::len)
    }

    fn haystack(&self, item: usize) -> String {
        self.row(item).map_or(String::new(), |r| {
            let digits: String = r.phone.chars().filter(char::is_ascii_digit).collect();
            format!(
                "{} {} {} {digits} {}",
                r.name,
                r.company,
                r.phone,
                if r.awaiting {
                    AWAITING
                } else {
                    stage_name(self.lang, r.stage)
                }
            )
        })
    }

    fn sort_key(&self, column: usize, item: usize) -> SortKey {
        self.row(item)
            .map_or(SortKey::Missing, |r| crate::tui::rows::sort_key(r, column))
    }

    fn identity(&self, item: usize) -> i64 {
        self.row(item).map_or(-1, |r| r.id)
    }

    fn rank(&self, column: usize, item: usize) -> Option<u32> {
        let at = match self.members {
            Some(ids) => *self.data.index_of.get(ids.get(item)?)?,
            None => item,
        };
        // Ranks of other rows than these (rows changed in place and not
        // ranked again) would sort wrongly: then the keys sort.
        let ranks = &self.data.customer_ranks.get(column)?.ranks;
        if ranks.len() != self.data.customers.len() {
            return None;
        }
        ranks.get(at).copied()
    }

    fn ranked(&self, column: usize) -> Option<&Ranked> {
        // Its items are every customer, in the rows' order, only without members.
        if self.members.is_some() {
            return None;
        }
        self.data
            .customer_ranks
            .get(column)
            .filter(|r| r.ranks.len() == self.data.customers.len())
    }
}

use crate::tui::rows::{AWAITING, COLUMNS};

/// One customer's cells, in the columns' order.
pub fn cells_of(row: &CustomerRow, lang: Lang, currency: &str) -> Vec<String> {
    let p_alive = row
        .p_alive
        .map(|p| format!("{:.0} %", p * 100.0))
        .unwrap_or_default();
    let expected = row
        .expected_365d
        .map(|e| decimal(e, lang))
        .unwrap_or_default();
    let revenue = row
        .expected_revenue_365d
        .map(|r| money((r * 100.0).round() as i64, lang, currency))
        .unwrap_or_default();
    // Figures that rank the customer among everyone, waiting for a load.
    let figure = |text: String| {
        if row.awaiting {
            AWAITING.to_string()
        } else {
            text
        }
    };
    vec![
        row.name.clone(),
        row.company.clone(),
        row.phone.clone(),
        figure(stage_name(lang, row.stage).to_string()),
        row.last_purchase.map(|d| date(d, lang)).unwrap_or_default(),
        money(row.monetary_cents, lang, currency),
        figure(p_alive),
        figure(expected),
        figure(revenue),
    ]
}

/// A small expectation with one decimal, in the language's decimal mark.
fn decimal(value: f64, lang: Lang) -> String {
    let text = format!("{value:.1}");
    match lang {
        Lang::Fi => text.replace('.', ","),
        Lang::En => text,
    }
}

/// The customer list pane.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerListState {
    pub list: ListView,
}

impl Default for CustomerListState {
    fn default() -> Self {
        CustomerListState {
            list: ListView::new(BY_NAME),
        }
    }
}

fn rows(data: &DashboardData, lang: Lang) -> CustomerRows<'_> {
    CustomerRows {
        data,
        members: None,
        lang,
    }
}

impl CustomerListState {
    /// Computes the order again (on load, never per frame).
    pub fn refresh(&mut self, data: &DashboardData, lang: Lang) {
        self.list.refresh(&rows(data, lang));
    }

    pub fn current<'a>(&self, data: &'a DashboardData) -> Option<&'a CustomerRow> {
        self.list.current().and_then(|i| data.customers.get(i))
    }

    pub fn paste_filter(&mut self, text: &str, data: &DashboardData, lang: Lang) {
        self.list.paste(text, &rows(data, lang));
    }
}

/// The filter box's keys, while it is open, and Esc on a filtered list.
pub fn filter_key(list: &mut ListView, action: Action, rows: &dyn Rows) -> bool {
    match action {
        Action::SearchInput(c) if list.typing => list.type_char(c, rows),
        Action::SearchErase if list.typing => list.erase(rows),
        Action::KeepFilter if list.typing => list.typing = false,
        Action::Back | Action::ClearFilter if list.typing || !list.filter.is_empty() => {
            list.clear_filter(rows)
        }
        _ => return false,
    }
    true
}

impl DrillList {
    pub fn new(title: String, members: Vec<CustomerId>) -> DrillList {
        DrillList {
            title,
            members,
            list: ListView::new(BY_NAME),
        }
    }

    fn rows<'a>(&'a self, data: &'a DashboardData, lang: Lang) -> CustomerRows<'a> {
        CustomerRows {
            data,
            members: Some(&self.members),
            lang,
        }
    }

    pub fn refresh(&mut self, data: &DashboardData, lang: Lang) {
        let rows = CustomerRows {
            data,
            members: Some(&self.members),
            lang,
        };
        self.list.refresh(&rows);
    }

    /// The customer under the cursor.
    pub fn current(&self) -> Option<CustomerId> {
        self.list
            .current()
            .and_then(|i| self.members.get(i).copied())
    }

    pub fn paste_filter(&mut self, text: &str, data: &DashboardData, lang: Lang) {
        let rows = CustomerRows {
            data,
            members: Some(&self.members),
            lang,
        };
        self.list.paste(text, &rows);
    }
}

/// The title of a list with how many it shows (of how many, when narrowed)
/// and what it is sorted by.
pub fn list_title(
    name: &str,
    view: &ListView,
    total: usize,
    narrowed: bool,
    columns: &[Column],
    s: &Strings,
) -> String {
    let count = if view.len() == total && !narrowed {
        total.to_string()
    } else {
        format!("{}/{total}", view.len())
    };
    let sorted = columns.get(view.sort.column).map_or("", |c| c.title);
    let arrow = if view.sort.descending { "▼" } else { "▲" };
    format!("{name} ({count}) · {} {sorted} {arrow}", s.sorted_by)
}

/// Draws a customer list: the pane's or a drill-down's.
pub fn draw_customer_list(
    frame: &mut Frame,
    area: Rect,
    ctx: &DrawContext,
    view: &ListView,
    rows: &CustomerRows<'_>,
    name: &str,
) {
    let s = ctx.strings;
    let columns = columns(s);
    let title = list_title(name, view, rows.count(), false, &columns, s);
    let block = view.block(title, s.views.filter);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if rows.count() == 0 {
        let empty = if rows.members.is_none() {
            s.no_customers
        } else {
            s.empty_list
        };
        frame.render_widget(Paragraph::new(empty), inner);
        return;
    }
    let shown = view.visible(usize::from(inner.height).saturating_sub(1));
    let texts: Vec<(usize, Vec<String>)> = shown
        .clone()
        .filter_map(|at| {
            let row = rows.row(*view.shown.get(at)?)?;
            Some((at, cells_of(row, ctx.lang, &ctx.data.currency)))
        })
        .collect();
    list::draw_rows(
        frame,
        inner,
        &columns,
        &texts,
        view,
        s.empty_list,
        &mut ctx.screen.borrow_mut(),
    );
}
impl PaneState for CustomerListState {
    fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> Step {
        let rows = rows(data, lang);
        if filter_key(&mut self.list, action, &rows)
            || self.list.handle(action, &rows, &columns(lang.strings()))
        {
            return Step::Nothing;
        }
        match action {
            Action::Open => self
                .current(data)
                .map_or(Step::Nothing, |r| Step::OpenCard(r.id)),
            _ => Step::Nothing,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, ctx: &DrawContext) {
        let rows = rows(ctx.data, ctx.lang);
        draw_customer_list(
            frame,
            area,
            ctx,
            &self.list,
            &rows,
            ctx.strings.pane_customers,
        );
    }
}

impl PaneState for DrillList {
    fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> Step {
        let rows = CustomerRows {
            data,
            members: Some(&self.members),
            lang,
        };
        if filter_key(&mut self.list, action, &rows)
            || self.list.handle(action, &rows, &columns(lang.strings()))
        {
            return Step::Nothing;
        }
        match (action, self.current()) {
            (Action::Open, Some(id)) => Step::OpenCard(id),
            _ => Step::Nothing,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, ctx: &DrawContext) {
        let rows = self.rows(ctx.data, ctx.lang);
        draw_customer_list(frame, area, ctx, &self.list, &rows, &self.title);
    }
}
