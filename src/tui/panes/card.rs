//! The customer card: contact, stage, RFM, P(alive), purchases, contacts,
//! follow-ups and referrals, as one document that scrolls.
//!
//! The card has a cursor over its items (open follow-ups, orders, contacts):
//! `]` and `[` move it, and the follow-up keys, edit and delete act on the
//! item under it. Every line is wrapped to the width it is given and measured
//! in terminal cells, so nothing is cut off and no column runs into another.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::{CustomerId, Direction};
use crate::i18n::forms::source_name;
use crate::i18n::{Lang, segment_name, stage_name};
use crate::tui::data::{CardChurn, CardData, DashboardData};
use crate::tui::effect::Effect;
use crate::tui::modal::{Modal, reschedule_form};
use crate::tui::prompt::note_prompt;
use crate::tui::rows::AWAITING;
use crate::tui::text::{date, money, terminal_safe};

use super::followups::snoozed;
use super::{DrawContext, DrillList, PaneState, Step, stage_color};
use crate::tui::action::Action;

pub use crate::tui::effect::CardItem;

/// The width of the labels in front of the card's fields.
const LABEL: usize = 14;

#[derive(Debug, Clone, PartialEq)]
pub struct CardState {
    pub id: CustomerId,
    /// `None` until the loop has read it from the store.
    pub data: Option<Box<CardData>>,
    /// The first line shown. Drawing keeps it in range and, after the cursor
    /// moved, brings the selected item into view.
    pub scroll: Cell<usize>,
    /// Index into [`items`].
    pub selected: Option<usize>,
    follow_selection: Cell<bool>,
    /// The lines the last frame showed and the last first line there was:
    /// a page is a screenful, and End goes to the end.
    page: Cell<usize>,
    last_scroll: Cell<usize>,
}

impl CardState {
    pub fn new(id: CustomerId) -> CardState {
        CardState {
            id,
            data: None,
            scroll: Cell::new(0),
            selected: None,
            follow_selection: Cell::new(false),
            page: Cell::new(0),
            last_scroll: Cell::new(usize::MAX),
        }
    }

    /// The item under the cursor.
    pub fn current(&self) -> Option<CardItem> {
        let data = self.data.as_ref()?;
        items(data).get(self.selected?).copied()
    }

    /// After the card was read again: the cursor stays on its item if it is
    /// still there, else in range.
    pub fn keep_selection(&mut self, before: Option<CardItem>) {
        let Some(data) = self.data.as_ref() else {
            return;
        };
        let now = items(data);
        self.selected = match (before, self.selected) {
            (Some(item), _) if now.contains(&item) => now.iter().position(|i| *i == item),
            (_, Some(at)) if !now.is_empty() => Some(at.min(now.len() - 1)),
            _ => None,
        };
    }

    /// Lines a page key scrolls: what the last frame showed.
    fn page(&self) -> usize {
        match self.page.get() {
            0 => PAGE_LINES,
            lines => lines,
        }
    }

    /// Whether a key would do something on this card, as it was last drawn.
    pub fn can(&self, action: Action) -> bool {
        let Some(data) = self.data.as_ref() else {
            return false;
        };
        let scroll = self.scroll.get();
        let end = self.last_scroll.get();
        let all = items(data);
        let current = self.current();
        match action {
            Action::Up | Action::PageUp | Action::First => scroll > 0,
            Action::Down | Action::PageDown | Action::Last => scroll < end,
            Action::NextItem => {
                !all.is_empty() && self.selected.is_none_or(|at| at + 1 < all.len())
            }
            Action::PreviousItem => !all.is_empty() && self.selected != Some(0),
            Action::Done
            | Action::SnoozeDay
            | Action::SnoozeWeek
            | Action::Reschedule
            | Action::Note => matches!(current, Some(CardItem::FollowUp(_))),
            Action::EditItem | Action::DeleteItem => current.is_some(),
            Action::CopyPhone | Action::CopyEmail | Action::OpenReferrer | Action::OpenReferred => {
                true
            }
            _ => false,
        }
    }

    fn act_on_item(
        &self,
        action: Action,
        card: &CardData,
        data: &DashboardData,
        lang: Lang,
    ) -> Step {
        let s = lang.strings();
        let today = data.as_of;
        let Some(item) = self.current() else {
            return Step::Effect(Effect::Status(s.call.nothing_selected.to_string()));
        };
        let followup = |id: i64| card.followups.iter().find(|f| f.id == id);
        match (item, action) {
            (CardItem::FollowUp(id), Action::Done) => Step::Effect(Effect::FollowUpDone(id)),
            (CardItem::FollowUp(id), Action::SnoozeDay | Action::SnoozeWeek) => {
                let days = if action == Action::SnoozeDay { 1 } else { 7 };
                followup(id).map_or(Step::Nothing, |f| {
                    Step::Effect(Effect::Snooze {
                        id,
                        due: snoozed(f.due, today, days),
                    })
                })
            }
            (CardItem::FollowUp(id), Action::Reschedule | Action::EditItem) => {
                Step::Modal(Box::new(reschedule_form(id, today, lang)))
            }
            (CardItem::FollowUp(id), Action::Note) => {
                followup(id).map_or(Step::Nothing, |f| Step::Prompt(note_prompt(id, &f.note, s)))
            }
            (CardItem::Order(id), Action::EditItem) => card
                .orders
                .iter()
                .find(|o| o.id == id)
                .map_or(Step::Nothing, |o| {
                    Step::Modal(Box::new(Modal::edit_order(o, today, lang)))
                }),
            (CardItem::Interaction(id), Action::EditItem) => card
                .interactions
                .iter()
                .find(|i| i.id == id)
                .map_or(Step::Nothing, |i| {
                    Step::Modal(Box::new(Modal::edit_interaction(i, lang)))
                }),
            (item, Action::DeleteItem) => Step::Modal(Box::new(Modal::delete_item(item, lang))),
            _ => Step::Nothing,
        }
    }
}

/// Lines a page key scrolls the card.
const PAGE_LINES: usize = 10;

impl PaneState for CardState {
    fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> Step {
        let s = lang.strings();
        let Some(card) = self.data.as_ref() else {
            return Step::Nothing;
        };
        let all = items(card);
        let scroll = self.scroll.get();
        let page = self.page();
        let end = self.last_scroll.get();
        match action {
            Action::Up => self.scroll.set(scroll.saturating_sub(1)),
            Action::Down => self.scroll.set((scroll + 1).min(end)),
            Action::PageUp => self.scroll.set(scroll.saturating_sub(page)),
            Action::PageDown => self.scroll.set((scroll + page).min(end)),
            Action::First => self.scroll.set(0),
            // Drawing brings it back to the last line that fills the screen.
            Action::Last => self.scroll.set(end),
            Action::NextItem | Action::PreviousItem if !all.is_empty() => {
                let last = all.len() - 1;
                self.selected = Some(match (self.selected, action) {
                    (None, Action::NextItem) => 0,
                    (None, _) => last,
                    (Some(at), Action::NextItem) => (at + 1).min(last),
                    (Some(at), _) => at.saturating_sub(1),
                });
                self.follow_selection.set(true);
            }
            Action::CopyPhone | Action::CopyEmail => {
                let list = if action == Action::CopyPhone {
                    &card.customer.phones
                } else {
                    &card.customer.emails
                };
                return Step::Effect(match list.first() {
                    Some(text) => Effect::Copy(text.clone()),
                    None => Effect::Status(s.call.nothing_to_copy.to_string()),
                });
            }
            Action::OpenReferrer => {
                return match card.referred_by {
                    Some((id, _)) => Step::OpenCard(id),
                    None => Step::Effect(Effect::Status(s.call.no_referrer.to_string())),
                };
            }
            Action::OpenReferred => {
                return match card.referred.as_slice() {
                    [] => Step::Effect(Effect::Status(s.call.no_referred.to_string())),
                    [(id, _)] => Step::OpenCard(*id),
                    many => Step::OpenList(DrillList::new(
                        format!("{}: {}", s.referred, terminal_safe(&card.customer.name)),
                        many.iter().map(|(id, _)| *id).collect(),
                    )),
                };
            }
            Action::Done
            | Action::SnoozeDay
            | Action::SnoozeWeek
            | Action::Reschedule
            | Action::Note
            | Action::EditItem
            | Action::DeleteItem => return self.act_on_item(action, card, data, lang),
            _ => {}
        }
        if matches!(
            action,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::First
                | Action::Last
        ) {
            self.follow_selection.set(false);
        }
        Step::Nothing
    }

    fn render(&self, frame: &mut Frame, area: Rect, ctx: &DrawContext) {
        let s = ctx.strings;
        let Some(data) = self.data.as_ref() else {
            frame.render_widget(
                Paragraph::new(s.loading).block(Block::bordered().title(s.card_title)),
                area,
            );
            return;
        };
        let c = &data.customer;
        let block = Block::bordered().title(format!(
            "{}: {} ({})",
            s.card_title,
            terminal_safe(&c.name),
            terminal_safe(&c.reference)
        ));
        let inner = block.inner(area);
        let doc = document(ctx, data, self.current(), usize::from(inner.width));
        let height = usize::from(inner.height);
        let total = doc.lines.len();
        let mut scroll = self.scroll.get();
        if self.follow_selection.get()
            && let Some(&(_, start, len)) = doc
                .items
                .iter()
                .find(|(item, _, _)| Some(*item) == self.current())
        {
            if start < scroll {
                scroll = start;
            } else if start + len > scroll + height {
                scroll = (start + len).saturating_sub(height).min(start);
            }
        }
        let end = total.saturating_sub(height);
        scroll = scroll.min(end);
        self.scroll.set(scroll);
        self.page.set(height.saturating_sub(1).max(1));
        self.last_scroll.set(end);
        // Where the view stands, when the card does not fit.
        let block = if total > height {
            block.title_bottom(
                Line::raw(format!(
                    " {}-{}/{total} ",
                    scroll + 1,
                    (scroll + height).min(total)
                ))
                .right_aligned(),
            )
        } else {
            block
        };
        frame.render_widget(block, area);
        let shown: Vec<Line> = doc.lines.into_iter().skip(scroll).take(height).collect();
        frame.render_widget(Paragraph::new(shown), inner);
    }
}

/// The card's items in the order they are shown.
pub fn items(data: &CardData) -> Vec<CardItem> {
    data.followups
        .iter()
        .map(|f| CardItem::FollowUp(f.id))
        .chain(data.orders.iter().map(|o| CardItem::Order(o.id)))
        .chain(
            data.interactions
                .iter()
                .map(|i| CardItem::Interaction(i.id)),
        )
        .collect()
}

/// Splits text into lines of at most `width` terminal cells, at spaces where
/// it can and inside a word only when the word alone is wider. Line breaks in
/// the text are kept.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in paragraph.split(' ') {
            let w = word.width();
            if used > 0 && used + 1 + w <= width {
                line.push(' ');
                line.push_str(word);
                used += 1 + w;
                continue;
            }
            if used > 0 {
                out.push(std::mem::take(&mut line));
                used = 0;
            }
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > width && used > 0 {
                    out.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
        }
        out.push(line);
    }
    out
}

/// The card's document: its lines, and the first line and line count of
/// each item, for the cursor.
struct Document {
    lines: Vec<Line<'static>>,
    items: Vec<(CardItem, usize, usize)>,
}

impl Document {
    fn heading(&mut self, text: String) {
        if !self.lines.is_empty() {
            self.lines.push(Line::raw(""));
        }
        self.lines.push(Line::styled(
            text,
            Style::new().add_modifier(Modifier::BOLD),
        ));
    }

    /// A labelled field, its value wrapped under itself.
    fn field(&mut self, label: &str, value: &str, width: usize, style: Style) {
        let room = width.saturating_sub(LABEL).max(8);
        // A label wider than the labels' column gets a line of its own.
        let own_line = label.width() >= LABEL;
        if own_line {
            self.lines.push(Line::styled(
                label.to_string(),
                Style::new().add_modifier(Modifier::DIM),
            ));
        }
        for (i, piece) in wrap(value, room).into_iter().enumerate() {
            let label = if i == 0 && !own_line { label } else { "" };
            let pad = LABEL.saturating_sub(label.width());
            self.lines.push(Line::from(vec![
                Span::styled(
                    format!("{label}{}", " ".repeat(pad)),
                    Style::new().add_modifier(Modifier::DIM),
                ),
                Span::styled(piece, style),
            ]));
        }
    }

    /// An item: a first part in front (date, amount) and its text wrapped
    /// beside it, hanging under the text.
    fn item(&mut self, item: CardItem, front: String, text: &str, width: usize, selected: bool) {
        let start = self.lines.len();
        let marker = if selected { "> " } else { "  " };
        let indent = 2 + front.width() + 1;
        let room = width.saturating_sub(indent).max(8);
        let style = if selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        for (i, piece) in wrap(text, room).into_iter().enumerate() {
            let head = if i == 0 {
                format!("{marker}{front} ")
            } else {
                " ".repeat(indent)
            };
            self.lines
                .push(Line::from(vec![Span::raw(head), Span::raw(piece)]).style(style));
        }
        self.items.push((item, start, self.lines.len() - start));
    }
}

fn document(
    ctx: &DrawContext,
    data: &CardData,
    selected: Option<CardItem>,
    width: usize,
) -> Document {
    let s = ctx.strings;
    let lang = ctx.lang;
    let currency = &ctx.data.currency;
    let c = &data.customer;
    let row = ctx.data.row(c.id);
    let mut doc = Document {
        lines: Vec::new(),
        items: Vec::new(),
    };
    let plain = Style::new();
    let none = s.none;
    let or_none = |v: String| {
        if v.trim().is_empty() {
            none.to_string()
        } else {
            v
        }
    };

    // The figures first: what a call needs at a glance. Those that rank the
    // customer among everyone wait for a load after another program's write.
    let awaiting = row.is_some_and(|r| r.awaiting);
    let figure = |text: &str| {
        if awaiting {
            AWAITING.to_string()
        } else {
            text.to_string()
        }
    };
    let stage = row.filter(|r| !r.awaiting).map(|r| r.stage);
    doc.field(
        s.stage,
        &figure(stage.map_or(none, |st| stage_name(lang, st))),
        width,
        Style::new().fg(stage.map_or(ratatui::style::Color::Reset, stage_color)),
    );
    let (scores, segment) = rfm_text(ctx, c.id);
    doc.field(
        s.rfm_scores,
        &figure(&format!("{scores} · {segment}")),
        width,
        plain,
    );
    doc.field(
        s.p_alive,
        &figure(&p_alive_text(ctx, row.and_then(|r| r.p_alive))),
        width,
        plain,
    );
    doc.field(
        s.expected_90d,
        &figure(&expected_text(ctx, row.and_then(|r| r.expected_90d))),
        width,
        plain,
    );
    let next_year = data.churn.as_ref();
    doc.field(
        s.expected_365d,
        &figure(&expected_text(ctx, next_year.map(|c| c.expected_365d))),
        width,
        plain,
    );
    doc.field(
        s.expected_revenue_365d,
        &figure(&CardChurn::revenue_text(next_year, lang, currency)),
        width,
        plain,
    );
    let purchases = row.map_or_else(
        || none.to_string(),
        |r| {
            let span = match r.first_purchase.zip(r.last_purchase) {
                Some((a, b)) => format!(", {} – {}", date(a, lang), date(b, lang)),
                None => String::new(),
            };
            format!(
                "{}, {}{span}",
                crate::i18n::plural::count(lang, r.frequency, crate::i18n::plural::PURCHASE_DAY),
                money(r.monetary_cents, lang, currency)
            )
        },
    );
    doc.field(s.purchases, &purchases, width, plain);
    doc.field(
        s.monthly_revenue,
        &sparkline(&data.monthly_revenue),
        width,
        plain,
    );

    doc.heading(s.contact.to_string());
    let opt = |v: &Option<String>| or_none(v.as_deref().map(clean).unwrap_or_default());
    let list = |items: &[String]| {
        or_none(
            items
                .iter()
                .map(|x| clean(x))
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    doc.field(s.company, &opt(&c.company), width, plain);
    doc.field(s.emails, &list(&c.emails), width, plain);
    doc.field(s.phones, &list(&c.phones), width, plain);
    let address = [c.address.as_deref(), c.city.as_deref()]
        .into_iter()
        .flatten()
        .map(clean)
        .collect::<Vec<_>>()
        .join(", ");
    doc.field(s.address, &or_none(address), width, plain);
    doc.field(s.tags, &list(&c.tags), width, plain);
    doc.field(
        s.source,
        c.source.map_or(none, |x| source_name(ctx.lang, Some(x))),
        width,
        plain,
    );
    doc.field(
        s.referred_by,
        &data
            .referred_by
            .as_ref()
            .map_or_else(|| none.to_string(), |(_, name)| clean(name)),
        width,
        plain,
    );
    doc.field(
        s.referred,
        &or_none(
            data.referred
                .iter()
                .map(|(_, n)| clean(n))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        width,
        plain,
    );
    if !c.notes.trim().is_empty() {
        doc.field(s.notes, &clean(&c.notes), width, plain);
    }

    doc.heading(format!("{} ({})", s.open_followups, data.followups.len()));
    if data.followups.is_empty() {
        doc.lines.push(Line::raw(format!("  {none}")));
    }
    for f in &data.followups {
        let item = CardItem::FollowUp(f.id);
        let reason = super::followups::card_reason(f, ctx);
        let mut text = if f.note.trim().is_empty() {
            reason
        } else {
            format!("{reason} — {}", clean(&f.note))
        };
        if let Some(by) = f.acted_by.as_deref().or(f.created_by.as_deref()) {
            text.push_str(&format!(" ({} {})", s.call.by, clean(by)));
        }
        doc.item(
            item,
            date(f.due, lang),
            &text,
            width,
            selected == Some(item),
        );
    }

    doc.heading(format!("{} ({})", s.purchases, data.orders.len()));
    let amounts: Vec<String> = data
        .orders
        .iter()
        .map(|o| money(o.amount_cents, lang, currency))
        .collect();
    let amount_width = amounts.iter().map(|a| a.width()).max().unwrap_or(0);
    let dates: Vec<String> = data
        .orders
        .iter()
        .map(|o| date(o.order_date, lang))
        .collect();
    let date_width = dates.iter().map(|d| d.width()).max().unwrap_or(0);
    for ((o, amount), day) in data.orders.iter().zip(&amounts).zip(&dates) {
        let item = CardItem::Order(o.id);
        // Dates and amounts in columns: `3.12.2025` is shorter than `20.11.2026`.
        let front = format!(
            "{day}{}  {}{amount}",
            " ".repeat(date_width.saturating_sub(day.width())),
            " ".repeat(amount_width.saturating_sub(amount.width()))
        );
        let text = o.note.as_deref().map(clean).unwrap_or_default();
        doc.item(item, front, &text, width, selected == Some(item));
    }

    doc.heading(format!("{} ({})", s.interactions, data.interactions.len()));
    for i in &data.interactions {
        let item = CardItem::Interaction(i.id);
        let local = i.at.with_timezone(&chrono::Local);
        let direction = match i.direction {
            Some(Direction::Inbound) => s.call.inbound,
            Some(Direction::Outbound) => s.call.outbound,
            None => "",
        };
        let front = format!(
            "{} {}  {} {}",
            date(local.date_naive(), lang),
            local.format("%H:%M"),
            crate::i18n::names::short_kind_name(lang, i.kind),
            direction
        );
        let mut text = clean(&i.text);
        if let Some(by) = i.logged_by.as_deref() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&format!("({} {})", s.call.logged_by, clean(by)));
        }
        doc.item(
            item,
            front.trim_end().to_string(),
            &text,
            width,
            selected == Some(item),
        );
    }
    doc
}

fn clean(text: &str) -> String {
    terminal_safe(text).into_owned()
}

/// Monthly revenue as a row of block characters, oldest month first.
fn sparkline(months: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = months.iter().copied().max().unwrap_or(0);
    if top == 0 {
        return "▁".repeat(months.len());
    }
    months
        .iter()
        .map(|&m| {
            if m == 0 {
                ' '
            } else {
                let at = (m.saturating_mul(7) / top) as usize;
                BARS[at.min(7)]
            }
        })
        .collect()
}

fn rfm_text(ctx: &DrawContext, id: i64) -> (String, String) {
    let s = ctx.strings;
    match ctx.data.row(id).and_then(|r| r.rfm.zip(Some(r.segment))) {
        Some(((r, f, m), segment)) => (
            format!("{r} / {f} / {m}"),
            segment.map_or_else(
                || s.none.to_string(),
                |sg| segment_name(ctx.lang, sg).to_string(),
            ),
        ),
        None => (s.none.to_string(), s.none.to_string()),
    }
}

/// Expected purchase days in the next 90 days, from the churn model.
fn expected_text(ctx: &DrawContext, expected: Option<f64>) -> String {
    let s = ctx.strings;
    match expected {
        Some(e) => {
            let number = format!("{e:.2}");
            let number = match ctx.lang {
                Lang::Fi => number.replace('.', ","),
                Lang::En => number,
            };
            format!("{number} {}", s.purchase_days_unit)
        }
        None => s.none.to_string(),
    }
}

/// P(alive) as a percentage; when the model is not fitted, why.
fn p_alive_text(ctx: &DrawContext, p: Option<f64>) -> String {
    let s = ctx.strings;
    match (p, &ctx.data.churn_unfitted) {
        (Some(p), _) => format!("{:.0} %", p * 100.0),
        (None, Some(reason)) => format!("{} ({reason})", s.none),
        (None, None) => s.none.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_keeps_words_whole_and_cuts_only_words_wider_than_the_line() {
        assert_eq!(
            wrap("asked about the spring order", 12),
            ["asked about", "the spring", "order"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("two\nlines", 20), ["two", "lines"]);
        assert_eq!(wrap("", 5), [""]);
        // Wide characters take two cells each.
        assert_eq!(wrap("日本語の文", 4), ["日本", "語の", "文"]);
    }
}
