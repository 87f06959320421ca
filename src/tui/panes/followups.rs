//! Open follow-ups grouped overdue / today / upcoming, narrowed by one key to
//! the overdue, today's, the upcoming or one rule's (SPEC section 5, Lists).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::analytics::rules::{Rule, is_expired};
use crate::domain::{FollowUp, FollowUpWhen};
use crate::i18n::Lang;
use crate::i18n::followups::reason;
use crate::i18n::names::rule_name;
use crate::tui::action::Action;
use crate::tui::data::{DashboardData, FollowUpRow};
use crate::tui::effect::Effect;
use crate::tui::modal::reschedule_form;
use crate::tui::mouse::Target;
use crate::tui::prompt::note_prompt;
use crate::tui::text::{clean, date};

use super::customers::{filter_key, list_title};
use super::list::{self, Column, ListView, Rows, SortBy, SortKey};
use super::{DrawContext, PaneState, Step};

/// Which follow-ups the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Filter {
    #[default]
    All,
    When(FollowUpWhen),
    /// One rule's, by its code; `None`: those written by hand.
    Rule(Option<String>),
}

impl Filter {
    pub fn admits(&self, row: &FollowUpRow) -> bool {
        match self {
            Filter::All => true,
            Filter::When(when) => row.when == *when,
            Filter::Rule(rule) => row.rule == *rule,
        }
    }

    /// The next filter after this one: all, overdue, today, upcoming, then
    /// each rule that has a follow-up in the list and those written by hand,
    /// then all again.
    pub fn next(&self, data: &DashboardData) -> Filter {
        let mut order = vec![
            Filter::All,
            Filter::When(FollowUpWhen::Overdue),
            Filter::When(FollowUpWhen::Today),
            Filter::When(FollowUpWhen::Upcoming),
        ];
        let present = |rule: Option<&str>| data.followups.iter().any(|f| f.rule.as_deref() == rule);
        for rule in Rule::ALL {
            if present(Some(rule.code())) {
                order.push(Filter::Rule(Some(rule.code().to_string())));
            }
        }
        if present(None) {
            order.push(Filter::Rule(None));
        }
        let at = order.iter().position(|f| f == self);
        match at {
            Some(i) => order[(i + 1) % order.len()].clone(),
            None => Filter::All,
        }
    }

    /// How the list's title names the filter.
    pub fn label(&self, lang: Lang) -> String {
        let s = lang.strings().followups;
        match self {
            Filter::All => s.all.to_string(),
            Filter::When(FollowUpWhen::Overdue) => s.overdue.to_string(),
            Filter::When(FollowUpWhen::Today) => s.today.to_string(),
            Filter::When(FollowUpWhen::Upcoming) => s.upcoming.to_string(),
            Filter::Rule(Some(code)) => rule_name(lang, code).to_string(),
            Filter::Rule(None) => s.by_hand.to_string(),
        }
    }
}

/// The columns, in order; sorting cycles through them.
pub fn columns(lang: Lang) -> [Column; 4] {
    let s = lang.strings();
    [
        Column::text(s.due, 0, 0),
        Column::text(s.customer, 8, 2),
        Column::text(s.phones, 8, 1),
        Column::text(s.reason, 12, 4),
    ]
}

/// Sorted by due date, soonest first: the list one works through.
pub const BY_DUE: SortBy = SortBy {
    column: 0,
    descending: false,
};

/// The open follow-ups as a list's rows, narrowed by the filter of when or rule.
pub struct FollowUpRows<'a> {
    pub data: &'a DashboardData,
    pub filter: &'a Filter,
    pub lang: Lang,
}

impl FollowUpRows<'_> {
    fn row(&self, item: usize) -> Option<&FollowUpRow> {
        self.data.followups.get(item)
    }

    fn phone(&self, row: &FollowUpRow) -> String {
        self.data
            .row(row.customer_id)
            .map(|c| c.phone.clone())
            .unwrap_or_default()
    }

    /// The cells of a row, in the columns' order.
    pub fn cells(&self, row: &FollowUpRow) -> Vec<String> {
        let reason = row_reason(row, self.lang, self.data.as_of);
        let mut text = if row.note.is_empty() {
            reason
        } else {
            format!("{reason} — {}", row.note)
        };
        if let Some(by) = &row.by {
            text.push_str(&format!(" ({} {by})", self.lang.strings().call.by));
        }
        vec![
            date(row.due, self.lang),
            row.customer_name.clone(),
            self.phone(row),
            text,
        ]
    }
}

impl Rows for FollowUpRows<'_> {
    fn count(&self) -> usize {
        self.data.followups.len()
    }

    fn haystack(&self, item: usize) -> String {
        self.row(item).map_or(String::new(), |r| {
            let rule = r
                .rule
                .as_deref()
                .map(|c| rule_name(self.lang, c))
                .unwrap_or("");
            let phone = self.phone(r);
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            format!("{} {rule} {digits}", self.cells(r).join(" "))
        })
    }

    fn sort_key(&self, column: usize, item: usize) -> SortKey {
        let Some(r) = self.row(item) else {
            return SortKey::Missing;
        };
        match column {
            0 => SortKey::Int(i64::from(r.due.num_days_from_ce())),
            1 => SortKey::text(&r.customer_name),
            2 => SortKey::text(&self.phone(r)),
            _ => SortKey::text(&row_reason(r, self.lang, self.data.as_of)),
        }
    }

    fn identity(&self, item: usize) -> i64 {
        self.row(item).map_or(-1, |r| r.id)
    }

    fn admits(&self, item: usize) -> bool {
        self.row(item).is_some_and(|r| self.filter.admits(r))
    }
}

use chrono::{Datelike, Days, NaiveDate};

#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpState {
    pub filter: Filter,
    /// The rows the filter admits, in order, and the cursor; kept in state
    /// so that drawing does not filter.
    pub list: ListView,
}

impl Default for FollowUpState {
    fn default() -> Self {
        FollowUpState {
            filter: Filter::All,
            list: ListView::new(BY_DUE),
        }
    }
}

impl FollowUpState {
    /// Applies the filters to freshly loaded data and keeps the cursor on
    /// its row, or in range.
    pub fn clamp(&mut self, data: &DashboardData, lang: Lang) {
        let rows = FollowUpRows {
            data,
            filter: &self.filter,
            lang,
        };
        self.list.refresh(&rows);
    }

    pub fn current<'a>(&self, data: &'a DashboardData) -> Option<&'a FollowUpRow> {
        self.list.current().and_then(|i| data.followups.get(i))
    }

    /// Whether the list is in due order, grouped overdue / today / upcoming.
    pub fn grouped(&self) -> bool {
        self.list.sort.column == BY_DUE.column
    }

    pub fn paste_filter(&mut self, text: &str, data: &DashboardData, lang: Lang) {
        let rows = FollowUpRows {
            data,
            filter: &self.filter,
            lang,
        };
        self.list.paste(text, &rows);
    }
}

impl PaneState for FollowUpState {
    fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> Step {
        let rows = FollowUpRows {
            data,
            filter: &self.filter,
            lang,
        };
        if filter_key(&mut self.list, action, &rows)
            || self.list.handle(action, &rows, &columns(lang))
        {
            return Step::Nothing;
        }
        let today = data.as_of;
        let current = self.current(data);
        // A rule's follow-up shown before the store could be written has no
        // id yet: acting on it waits until it is saved.
        if current.is_some_and(|f| f.id == 0)
            && matches!(
                action,
                Action::Done
                    | Action::SnoozeDay
                    | Action::SnoozeWeek
                    | Action::Reschedule
                    | Action::Note
            )
        {
            return Step::Effect(Effect::Status(lang.strings().followup_not_saved_yet.into()));
        }
        match action {
            Action::CycleFilter => {
                self.filter = self.filter.next(data);
                self.list.selected = 0;
                self.clamp(data, lang);
            }
            Action::Open => {
                return current.map_or(Step::Nothing, |f| Step::OpenCard(f.customer_id));
            }
            Action::Done => {
                return current.map_or(Step::Nothing, |f| Step::Effect(Effect::FollowUpDone(f.id)));
            }
            Action::SnoozeDay | Action::SnoozeWeek => {
                let days = if action == Action::SnoozeDay { 1 } else { 7 };
                return current.map_or(Step::Nothing, |f| {
                    Step::Effect(Effect::Snooze {
                        id: f.id,
                        due: snoozed(f.due, today, days),
                    })
                });
            }
            Action::Reschedule => {
                return current.map_or(Step::Nothing, |f| {
                    Step::Modal(Box::new(reschedule_form(f.id, today, lang)))
                });
            }
            Action::Note => {
                return current.map_or(Step::Nothing, |f| {
                    Step::Prompt(note_prompt(f.id, &f.note, lang.strings()))
                });
            }
            _ => {}
        }
        Step::Nothing
    }

    fn render(&self, frame: &mut Frame, area: Rect, ctx: &DrawContext) {
        let s = ctx.strings;
        let data = ctx.data;
        let state = self;
        let view = &state.list;
        let name = match state.filter {
            Filter::All => s.pane_followups.to_string(),
            _ => format!("{} · {}", s.pane_followups, state.filter.label(ctx.lang)),
        };
        let columns = columns(ctx.lang);
        let narrowed = state.filter != Filter::All;
        let title = list_title(&name, view, data.followups.len(), narrowed, &columns, s);
        let block = view.block(title, s.views.filter);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if data.followups.is_empty() {
            frame.render_widget(Paragraph::new(s.no_followups), inner);
            return;
        }
        if view.is_empty() {
            let text = if view.filter.is_empty() {
                s.followups.none_shown
            } else {
                s.empty_list
            };
            frame.render_widget(Paragraph::new(text), inner);
            return;
        }
        let rows = FollowUpRows {
            data,
            filter: &state.filter,
            lang: ctx.lang,
        };
        // In due order the rows are grouped, and each group's heading takes a
        // line: as many rows as fit beside the headings they bring.
        let grouped = state.grouped();
        let lines = usize::from(inner.height).saturating_sub(1);
        let headings = |range: std::ops::Range<usize>| {
            let mut whens: Vec<FollowUpWhen> = view.shown[range]
                .iter()
                .filter_map(|&i| data.followups.get(i).map(|f| f.when))
                .collect();
            whens.dedup();
            whens.len()
        };
        let height = if grouped {
            (1..=lines)
                .rev()
                .find(|&h| h + headings(view.peek(h)) <= lines)
                .unwrap_or(1)
        } else {
            lines.max(1)
        };
        let shown = view.visible(height);
        let visible: Vec<(usize, &FollowUpRow)> = shown
            .filter_map(|at| Some((at, data.followups.get(*view.shown.get(at)?)?)))
            .collect();
        let texts: Vec<Vec<String>> = visible.iter().map(|(_, f)| rows.cells(f)).collect();
        let natural = list::natural(&columns, &texts, Some(view.sort));
        let (widths, gap) = list::widths(&columns, &natural, usize::from(inner.width));
        let mut lines = vec![list::header_line(&columns, view.sort, &widths, gap)];
        let mut group = None;
        let mut screen = ctx.screen.borrow_mut();
        for ((at, f), cells) in visible.iter().zip(&texts) {
            if grouped && group != Some(f.when) {
                group = Some(f.when);
                let (title, color) = match f.when {
                    FollowUpWhen::Overdue => (s.overdue, Color::Red),
                    FollowUpWhen::Today => (s.today, Color::Yellow),
                    FollowUpWhen::Upcoming => (s.upcoming, Color::Green),
                };
                let count = view
                    .shown
                    .iter()
                    .filter_map(|&i| data.followups.get(i))
                    .filter(|x| x.when == f.when)
                    .count();
                lines.push(Line::styled(
                    format!("{title} ({count})"),
                    Style::new().fg(color).add_modifier(Modifier::BOLD),
                ));
            }
            let style = if *at == view.selected {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            if let Some(rect) = list::line_rect(inner, lines.len()) {
                screen.add(rect, Target::Row(*at));
            }
            lines.push(Line::styled(
                list::layout_line(&columns, cells, &widths, gap),
                style,
            ));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// The reason of a follow-up in the list, in the UI language.
pub fn row_reason(row: &FollowUpRow, lang: Lang, today: chrono::NaiveDate) -> String {
    reason(lang, row.figures.as_ref(), &row.reason, today)
}

/// The due date a snooze moves a follow-up to: counted from today when overdue,
/// so a snoozed follow-up is never still overdue.
pub fn snoozed(due: NaiveDate, today: NaiveDate, days: u64) -> NaiveDate {
    let from = due.max(today);
    from.checked_add_days(Days::new(days)).unwrap_or(from)
}

/// The reason of a follow-up on the customer's card, marked when expired.
pub fn card_reason(f: &FollowUp, ctx: &DrawContext) -> String {
    let today = ctx.data.as_of;
    let text = clean(&reason(ctx.lang, f.figures.as_ref(), &f.reason, today));
    if is_expired(f, today, ctx.data.expire_after_days) {
        format!("{text} ({})", ctx.strings.followups.expired)
    } else {
        text
    }
}
