//! Open follow-ups grouped overdue / today / upcoming.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::domain::FollowUpWhen;
use crate::i18n::Lang;
use crate::tui::action::Action;
use crate::tui::app::{App, Effect, PAGE, Step, note_prompt, snoozed};
use crate::tui::data::{DashboardData, FollowUpRow};
use crate::tui::editing::reschedule_form;
use crate::tui::text::{date, ellipsize};

use super::{step, window};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpState {
    /// Index into `DashboardData::followups`.
    pub selected: usize,
}

impl FollowUpState {
    pub fn clamp(&mut self, data: &DashboardData) {
        self.selected = self.selected.min(data.followups.len().saturating_sub(1));
    }

    pub fn current<'a>(&self, data: &'a DashboardData) -> Option<&'a FollowUpRow> {
        data.followups.get(self.selected)
    }

    pub fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> Step {
        let len = data.followups.len();
        let today = data.as_of;
        let current = self.current(data);
        match action {
            Action::Up => self.selected = step(self.selected, -1, len),
            Action::Down => self.selected = step(self.selected, 1, len),
            Action::PageUp => self.selected = step(self.selected, -(PAGE as isize), len),
            Action::PageDown => self.selected = step(self.selected, PAGE as isize, len),
            Action::Open => {
                return current.map_or(Step::Nothing, |f| Step::OpenCard(f.customer_id));
            }
            Action::Done => {
                return current.map_or(Step::Nothing, |f| Step::Effect(Effect::FollowUpDone(f.id)));
            }
            Action::SnoozeDay | Action::SnoozeWeek => {
                let days = if action == Action::SnoozeDay { 1 } else { 7 };
                return current.map_or(Step::Nothing, |f| {
                    Step::Effect(Effect::Reschedule {
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

pub fn draw_followups(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings();
    let data = &app.data;
    let block = Block::bordered().title(format!("{} ({})", s.pane_followups, data.followups.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if data.followups.is_empty() {
        frame.render_widget(Paragraph::new(s.no_followups), inner);
        return;
    }
    // Group headings take lines too; three at most.
    let height = usize::from(inner.height).saturating_sub(3).max(1);
    let rows = window(data.followups.len(), app.followups.selected, height);
    let width = usize::from(inner.width);
    let name_w = (width / 4).max(8);
    let reason_w = (width * 2 / 5).max(8);
    let mut lines = Vec::new();
    let mut group = None;
    for (i, f) in data
        .followups
        .iter()
        .enumerate()
        .skip(rows.start)
        .take(rows.len())
    {
        if group != Some(f.when) {
            group = Some(f.when);
            let (title, color) = match f.when {
                FollowUpWhen::Overdue => (s.overdue, Color::Red),
                FollowUpWhen::Today => (s.today, Color::Yellow),
                FollowUpWhen::Upcoming => (s.upcoming, Color::Green),
            };
            let count = data.followups.iter().filter(|x| x.when == f.when).count();
            lines.push(Line::styled(
                format!("{title} ({count})"),
                Style::new().fg(color).add_modifier(Modifier::BOLD),
            ));
        }
        let text = format!(
            "  {:<10}  {:<name_w$}  {:<reason_w$}  {}",
            date(f.due, app.lang),
            ellipsize(&f.customer_name, name_w),
            ellipsize(&f.reason, reason_w),
            f.note
        );
        let style = if i == app.followups.selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
