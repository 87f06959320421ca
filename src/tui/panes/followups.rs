//! Open follow-ups grouped overdue / today / upcoming, narrowed by one key to
//! the overdue, today's, the upcoming or one rule's (SPEC section 5, Lists).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::analytics::rules::{Rule, is_expired};
use crate::domain::{FollowUp, FollowUpWhen};
use crate::i18n::Lang;
use crate::i18n::followups::{reason, rule_name};
use crate::tui::action::Action;
use crate::tui::app::{App, Effect, PAGE, Step, View, note_prompt, snoozed};
use crate::tui::data::{DashboardData, FollowUpRow};
use crate::tui::editing::reschedule_form;
use crate::tui::text::{cells, clean, date, fit_cells, pad_cells};

use super::{step, window};

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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpState {
    /// Index into `shown`.
    pub selected: usize,
    pub filter: Filter,
    /// Indices into `DashboardData::followups` the filter admits, kept in
    /// state so that drawing does not filter.
    pub shown: Vec<usize>,
}

impl FollowUpState {
    /// Applies the filter to freshly loaded data and keeps the cursor in range.
    pub fn clamp(&mut self, data: &DashboardData) {
        self.shown = data
            .followups
            .iter()
            .enumerate()
            .filter(|(_, f)| self.filter.admits(f))
            .map(|(i, _)| i)
            .collect();
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    pub fn current<'a>(&self, data: &'a DashboardData) -> Option<&'a FollowUpRow> {
        self.shown
            .get(self.selected)
            .and_then(|&i| data.followups.get(i))
    }

    pub fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> Step {
        let len = self.shown.len();
        let today = data.as_of;
        let current = self.current(data);
        match action {
            Action::Up => self.selected = step(self.selected, -1, len),
            Action::Down => self.selected = step(self.selected, 1, len),
            Action::PageUp => self.selected = step(self.selected, -(PAGE as isize), len),
            Action::PageDown => self.selected = step(self.selected, PAGE as isize, len),
            Action::CycleFilter => {
                self.filter = self.filter.next(data);
                self.selected = 0;
                self.clamp(data);
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
}

/// The reason of a follow-up in the list, in the UI language.
pub fn row_reason(row: &FollowUpRow, lang: Lang, today: chrono::NaiveDate) -> String {
    reason(lang, row.figures.as_ref(), &row.reason, today)
}

/// The reason of a follow-up on the customer's card, marked when expired.
pub fn card_reason(f: &FollowUp, app: &App) -> String {
    let today = app.data.as_of;
    let text = clean(&reason(app.lang, f.figures.as_ref(), &f.reason, today));
    if is_expired(f, today, app.data.expire_after_days) {
        format!("{text} ({})", app.strings().followups.expired)
    } else {
        text
    }
}

/// The name of the customer a follow-up belongs to, from the list or from
/// the open card: what the status line names after an action on it.
pub fn owner_name(app: &App, id: i64) -> Option<String> {
    if let Some(row) = app.data.followups.iter().find(|f| f.id == id) {
        return Some(row.customer_name.clone());
    }
    app.stack.iter().rev().find_map(|view| match view {
        View::Card(card) => card
            .data
            .as_ref()
            .filter(|d| d.followups.iter().any(|f| f.id == id))
            .map(|d| clean(&d.customer.name)),
        _ => None,
    })
}

pub fn draw_followups(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings();
    let data = &app.data;
    let state = &app.followups;
    let title = match state.filter {
        Filter::All => format!("{} ({})", s.pane_followups, data.followups.len()),
        _ => format!(
            "{} · {} ({}/{})",
            s.pane_followups,
            state.filter.label(app.lang),
            state.shown.len(),
            data.followups.len()
        ),
    };
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if data.followups.is_empty() {
        frame.render_widget(Paragraph::new(s.no_followups), inner);
        return;
    }
    if state.shown.is_empty() {
        frame.render_widget(Paragraph::new(s.followups.none_shown), inner);
        return;
    }
    // Group headings take lines too; three at most.
    let groups = 3.min(usize::from(inner.height).saturating_sub(1));
    let height = usize::from(inner.height).saturating_sub(groups).max(1);
    let rows = window(state.shown.len(), state.selected, height);
    let visible: Vec<&FollowUpRow> = state.shown[rows.clone()]
        .iter()
        .filter_map(|&i| data.followups.get(i))
        .collect();
    let width = usize::from(inner.width);
    let due_w = visible
        .iter()
        .map(|f| cells(&date(f.due, app.lang)))
        .max()
        .unwrap_or(10);
    // The name takes what its longest needs, but leaves the reason room.
    let longest_name = visible
        .iter()
        .map(|f| cells(&f.customer_name))
        .max()
        .unwrap_or(0);
    let fixed = 2 + due_w + 2;
    let name_w = longest_name.min(width.saturating_sub(fixed + 2) / 2).max(4);
    let text_w = width.saturating_sub(fixed + name_w + 2);
    let mut lines = Vec::new();
    let mut group = None;
    for (offset, f) in visible.iter().enumerate() {
        if group != Some(f.when) {
            group = Some(f.when);
            let (title, color) = match f.when {
                FollowUpWhen::Overdue => (s.overdue, Color::Red),
                FollowUpWhen::Today => (s.today, Color::Yellow),
                FollowUpWhen::Upcoming => (s.upcoming, Color::Green),
            };
            let count = state
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
        let reason = row_reason(f, app.lang, data.as_of);
        let text = if f.note.is_empty() {
            reason
        } else {
            format!("{reason} — {}", f.note)
        };
        let line = format!(
            "  {}  {}  {}",
            pad_cells(&date(f.due, app.lang), due_w),
            pad_cells(&f.customer_name, name_w),
            fit_cells(&text, text_w)
        );
        let style = if rows.start + offset == state.selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(line, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
