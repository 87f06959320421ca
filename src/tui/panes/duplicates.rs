//! Possible duplicate customers, most likely first, and a side-by-side
//! comparison of one pair that merges them into the one chosen to keep.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::domain::{Customer, CustomerId, Order};
use crate::i18n::Lang;
use crate::i18n::review::{ReviewStrings, duplicate_reason};
use crate::store::{DuplicatePair, Store, StoreError};
use crate::tui::action::Action;
use crate::tui::data::DashboardData;
use crate::tui::effect::Effect;
use crate::tui::forms::ConfirmDialog;
use crate::tui::modal::Modal;
use crate::tui::text::{clean, date, ellipsize, money};

use super::customers::{filter_key, list_title};
use super::list::{self, Column, ListView, Rows, SortBy, SortKey};
use super::{DrawContext, PaneState, Step};

pub use crate::tui::effect::DuplicatesEffect;

/// What a duplicates view asks for after an action.
#[derive(Debug, Clone, PartialEq)]
pub enum DuplicatesStep {
    Nothing,
    Effect(DuplicatesEffect),
    /// Ask before merging `other` into `keep`.
    Confirm {
        keep: CustomerId,
        other: CustomerId,
        message: String,
    },
}

/// The columns: the score, each customer's name and ref, the reason.
pub fn columns(lang: Lang) -> [Column; 6] {
    let r = ReviewStrings::of(lang);
    let v = lang.strings().views;
    let name = lang.strings().name;
    [
        Column::figure(r.score),
        Column::text(name, 8, 1),
        Column::text(v.ref_column, 0, 0),
        Column::text(name, 8, 1),
        Column::text(v.ref_column, 0, 0),
        Column::text(r.reason, 8, 1),
    ]
}

/// Most likely first.
pub const BY_SCORE: SortBy = SortBy {
    column: 0,
    descending: true,
};

/// The pairs as a list's rows.
pub struct PairRows<'a> {
    pub pairs: &'a [DuplicatePair],
    pub data: &'a DashboardData,
    pub lang: Lang,
}

impl PairRows<'_> {
    pub fn cells(&self, pair: &DuplicatePair) -> Vec<String> {
        let (name_a, ref_a) = name_and_ref(self.data, pair.a);
        let (name_b, ref_b) = name_and_ref(self.data, pair.b);
        vec![
            format!("{:.0} %", (pair.score * 100.0).round()),
            name_a,
            ref_a,
            name_b,
            ref_b,
            duplicate_reason(self.lang, &pair.reason),
        ]
    }
}

impl Rows for PairRows<'_> {
    fn count(&self) -> usize {
        self.pairs.len()
    }

    fn haystack(&self, item: usize) -> String {
        self.pairs
            .get(item)
            .map_or(String::new(), |p| self.cells(p).join(" "))
    }

    fn sort_key(&self, column: usize, item: usize) -> SortKey {
        let Some(pair) = self.pairs.get(item) else {
            return SortKey::Missing;
        };
        match column {
            0 => SortKey::Float(pair.score),
            _ => self
                .cells(pair)
                .get(column)
                .map_or(SortKey::Missing, |t| SortKey::text(t)),
        }
    }

    fn identity(&self, item: usize) -> i64 {
        // A pair is its two customers.
        self.pairs
            .get(item)
            .map_or(-1, |p| p.a.wrapping_mul(1 << 32).wrapping_add(p.b))
    }
}

/// The list of candidate pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicatesState {
    /// `None` while they are being looked for.
    pub candidates: Option<Vec<DuplicatePair>>,
    pub list: ListView,
}

impl Default for DuplicatesState {
    fn default() -> Self {
        DuplicatesState {
            candidates: None,
            list: ListView::new(BY_SCORE),
        }
    }
}

impl DuplicatesState {
    pub fn set_candidates(&mut self, pairs: Vec<DuplicatePair>, data: &DashboardData, lang: Lang) {
        self.candidates = Some(pairs);
        self.refresh(data, lang);
    }

    /// The order again, after new data (names may have changed).
    pub fn refresh(&mut self, data: &DashboardData, lang: Lang) {
        if let Some(pairs) = self.candidates.as_deref() {
            self.list.refresh(&PairRows { pairs, data, lang });
        }
    }

    /// The pair under the cursor.
    pub fn current(&self) -> Option<&DuplicatePair> {
        let pairs = self.candidates.as_ref()?;
        pairs.get(self.list.current()?)
    }

    pub fn paste_filter(&mut self, text: &str, data: &DashboardData, lang: Lang) {
        if let Some(pairs) = self.candidates.as_deref() {
            self.list.paste(text, &PairRows { pairs, data, lang });
        }
    }

    pub fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> DuplicatesStep {
        let Some(pairs) = self.candidates.as_deref() else {
            return DuplicatesStep::Nothing;
        };
        let rows = PairRows { pairs, data, lang };
        if filter_key(&mut self.list, action, &rows)
            || self.list.handle(action, &rows, &columns(lang))
        {
            return DuplicatesStep::Nothing;
        }
        match (action, self.current()) {
            (Action::Open, Some(pair)) => {
                DuplicatesStep::Effect(DuplicatesEffect::Compare(pair.clone()))
            }
            _ => DuplicatesStep::Nothing,
        }
    }
}

/// One customer of a pair, with their orders summed up.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareSide {
    pub customer: Customer,
    pub orders: usize,
    pub revenue_cents: i64,
    pub first_purchase: Option<NaiveDate>,
    pub last_purchase: Option<NaiveDate>,
}

impl CompareSide {
    pub fn new(customer: Customer, orders: &[Order]) -> CompareSide {
        let purchases = orders.iter().filter(|o| o.amount_cents >= 0);
        CompareSide {
            customer,
            orders: orders.len(),
            revenue_cents: orders
                .iter()
                .fold(0i64, |sum, o| sum.saturating_add(o.amount_cents)),
            first_purchase: purchases.clone().map(|o| o.order_date).min(),
            last_purchase: purchases.map(|o| o.order_date).max(),
        }
    }
}

/// Two customers side by side; `keep` (0 or 1) is the one that stays.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub pair: DuplicatePair,
    pub sides: [CompareSide; 2],
    pub keep: usize,
}

impl Comparison {
    /// Keeps by default the one with more orders; on a tie the older record.
    pub fn new(pair: DuplicatePair, left: CompareSide, right: CompareSide) -> Comparison {
        let keep = usize::from(right.orders > left.orders);
        Comparison {
            pair,
            sides: [left, right],
            keep,
        }
    }

    fn kept(&self) -> &CompareSide {
        &self.sides[self.keep.min(1)]
    }

    fn merged_away(&self) -> &CompareSide {
        &self.sides[1 - self.keep.min(1)]
    }

    /// Left and right choose which record to keep; merging asks first.
    pub fn handle(&mut self, action: Action, lang: Lang) -> DuplicatesStep {
        match action {
            Action::KeepLeft | Action::Left => self.keep = 0,
            Action::KeepRight | Action::Right => self.keep = 1,
            Action::Merge => return self.merge(lang),
            _ => {}
        }
        DuplicatesStep::Nothing
    }

    /// Asks before merging the other record into the one kept.
    pub fn merge(&self, lang: Lang) -> DuplicatesStep {
        DuplicatesStep::Confirm {
            keep: self.kept().customer.id,
            other: self.merged_away().customer.id,
            message: self.confirm_message(lang),
        }
    }

    /// "Merge K2 into K1? K2 is deleted." The names are on screen behind the
    /// question; the refs keep it on one line of the dialog.
    pub fn confirm_message(&self, lang: Lang) -> String {
        let r = ReviewStrings::of(lang);
        let reference = |s: &CompareSide| ellipsize(&clean(&s.customer.reference), 20).into_owned();
        let (keep, other) = (reference(self.kept()), reference(self.merged_away()));
        format!(
            "{} {other} {} {keep}? {other} {}.",
            r.confirm_merge, r.confirm_merge_into, r.confirm_merge_deleted
        )
    }
}

/// Reads both customers of a pair; `None` when either is gone.
pub fn load_comparison(
    store: &Store,
    pair: &DuplicatePair,
) -> Result<Option<Comparison>, StoreError> {
    let side = |id| -> Result<Option<CompareSide>, StoreError> {
        Ok(match store.customer(id)? {
            Some(c) => Some(CompareSide::new(c, &store.orders_of(id)?)),
            None => None,
        })
    };
    Ok(match (side(pair.a)?, side(pair.b)?) {
        (Some(left), Some(right)) => Some(Comparison::new(pair.clone(), left, right)),
        _ => None,
    })
}

/// A customer's name and ref, or `#id` when they are gone.
fn name_and_ref(data: &DashboardData, id: CustomerId) -> (String, String) {
    match data.index_of.get(&id) {
        Some(&i) => {
            let name = data.customers.get(i).map_or("", |r| r.name.as_str());
            let reference = data
                .facts
                .get(i)
                .map_or(String::new(), |f| clean(&f.reference));
            (name.to_string(), reference)
        }
        None => (format!("#{id}"), String::new()),
    }
}

pub fn draw_duplicates<'a>(
    frame: &mut Frame,
    area: Rect,
    state: &DuplicatesState,
    data: &DashboardData,
    ctx: impl Into<DrawContext<'a>>,
) {
    let ctx = ctx.into();
    let lang = ctx.lang;
    let r = ReviewStrings::of(lang);
    let Some(pairs) = state.candidates.as_deref() else {
        frame.render_widget(
            Paragraph::new(r.looking_for_duplicates)
                .block(Block::bordered().title(r.duplicates_title)),
            area,
        );
        return;
    };
    let view = &state.list;
    let columns = columns(lang);
    let s = lang.strings();
    let title = list_title(r.duplicates_title, view, pairs.len(), false, &columns, s);
    let block = view.block(title, s.views.filter);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if pairs.is_empty() {
        frame.render_widget(Paragraph::new(r.no_duplicates), inner);
        return;
    }
    let rows = PairRows { pairs, data, lang };
    let shown = view.visible(usize::from(inner.height).saturating_sub(1));
    let texts: Vec<(usize, Vec<String>)> = shown
        .filter_map(|at| Some((at, rows.cells(pairs.get(*view.shown.get(at)?)?))))
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

/// What a duplicates view's step asks of the app: a merge is confirmed first.
fn pane_step(step: DuplicatesStep, lang: Lang) -> Step {
    match step {
        DuplicatesStep::Nothing => Step::Nothing,
        DuplicatesStep::Effect(effect) => Step::Effect(Effect::Duplicates(effect)),
        DuplicatesStep::Confirm {
            keep,
            other,
            message,
        } => Step::Modal(Box::new(Modal::Merge {
            keep,
            other,
            dialog: Box::new(ConfirmDialog::new(message, lang)),
        })),
    }
}

impl PaneState for DuplicatesState {
    fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> Step {
        // The state's own `handle`, whose step says what the store is asked.
        pane_step(DuplicatesState::handle(self, action, data, lang), lang)
    }

    fn render(&self, frame: &mut Frame, area: Rect, ctx: &DrawContext) {
        draw_duplicates(frame, area, self, ctx.data, *ctx);
    }
}

impl PaneState for Comparison {
    fn handle(&mut self, action: Action, _: &DashboardData, lang: Lang) -> Step {
        pane_step(Comparison::handle(self, action, lang), lang)
    }

    fn render(&self, frame: &mut Frame, area: Rect, ctx: &DrawContext) {
        draw_comparison(frame, area, self, ctx.lang, &ctx.data.currency);
    }
}

/// The fields compared, as (label, left value, right value).
fn compare_rows(c: &Comparison, lang: Lang, currency: &str) -> Vec<(&'static str, [String; 2])> {
    let r = ReviewStrings::of(lang);
    let none = || "—".to_string();
    let text = |v: &str| if v.is_empty() { none() } else { clean(v) };
    let opt = |v: &Option<String>| v.as_deref().map_or_else(none, text);
    let list = |v: &[String]| text(&v.join(", "));
    let day = |d: Option<NaiveDate>| d.map_or_else(none, |d| date(d, lang));
    let both = |f: &dyn Fn(&CompareSide) -> String| [f(&c.sides[0]), f(&c.sides[1])];
    vec![
        (r.field_ref, both(&|s| text(&s.customer.reference))),
        (r.field_name, both(&|s| text(&s.customer.name))),
        (r.field_company, both(&|s| opt(&s.customer.company))),
        (r.field_emails, both(&|s| list(&s.customer.emails))),
        (r.field_phones, both(&|s| list(&s.customer.phones))),
        (r.field_city, both(&|s| opt(&s.customer.city))),
        (r.field_orders, both(&|s| s.orders.to_string())),
        (
            r.field_revenue,
            both(&|s| money(s.revenue_cents, lang, currency)),
        ),
        (r.field_first, both(&|s| day(s.first_purchase))),
        (r.field_last, both(&|s| day(s.last_purchase))),
    ]
}

pub fn draw_comparison(frame: &mut Frame, area: Rect, c: &Comparison, lang: Lang, currency: &str) {
    let r = ReviewStrings::of(lang);
    let block = Block::bordered()
        .title(format!(
            "{}: {} ({:.0} %)",
            r.compare_title,
            duplicate_reason(lang, &c.pair.reason),
            c.pair.score * 100.0
        ))
        .title_bottom(r.compare_keys);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [labels, left, right] = Layout::horizontal([
        Constraint::Length(16),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ])
    .spacing(1)
    .areas(inner);
    let rows = compare_rows(c, lang, currency);
    let dim = Style::new().add_modifier(Modifier::DIM);
    let mut label_lines = vec![Line::raw(""), Line::raw("")];
    label_lines.extend(rows.iter().map(|(l, _)| Line::styled(*l, dim)));
    frame.render_widget(Paragraph::new(label_lines), labels);
    for (side, area) in [(0, left), (1, right)] {
        let width = usize::from(area.width);
        let kept = side == c.keep;
        let (marker, style) = if kept {
            (
                format!("▶ {}", r.keep),
                Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            )
        } else {
            (r.merged_away.to_string(), dim)
        };
        let mut lines = vec![Line::styled(marker, style), Line::raw("")];
        for (_, values) in &rows {
            let value = ellipsize(&values[side], width).into_owned();
            // Fields the two records disagree on stand out.
            let differs = values[0] != values[1];
            let style = match (differs, kept) {
                (true, true) => Style::new().fg(Color::Yellow),
                (true, false) => Style::new().fg(Color::Yellow).add_modifier(Modifier::DIM),
                (false, _) => Style::new(),
            };
            lines.push(Line::from(Span::styled(value, style)));
        }
        frame.render_widget(Paragraph::new(lines), area);
    }
}
