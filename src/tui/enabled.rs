//! Whether an action does something where it would be pressed now: the
//! footer and the palette offer only those (SPEC section 5, Help: "the footer
//! never shows a key that does nothing where it is shown").

use super::action::{Action, Pane};
use super::app::{App, View};
use super::keymap::Context;
use super::panes::pyramid::ORDER;
use super::panes::rfm::cell;

impl App {
    pub fn does_something(&self, action: Action) -> bool {
        match self.context() {
            Context::Help => self.help_can(action),
            Context::Palette => self.palette.as_ref().is_some_and(|p| match action {
                Action::Back | Action::Help | Action::SearchInput(_) => true,
                Action::SearchErase => !p.query.is_empty(),
                Action::Open => p.chosen().is_some(),
                Action::Up => p.selected > 0,
                Action::Down => p.selected + 1 < p.matches.len(),
                _ => false,
            }),
            Context::Form => match action {
                Action::Help | Action::Cancel => true,
                Action::Save => {
                    self.prompt.is_some() || self.modal.as_ref().is_some_and(|m| m.saves())
                }
                Action::NextField | Action::PreviousField => {
                    self.prompt.is_none() && self.modal.as_ref().is_some_and(|m| m.has_fields())
                }
                _ => false,
            },
            Context::Search => self.search.as_ref().is_some_and(|s| match action {
                Action::Back | Action::Help | Action::SearchInput(_) => true,
                Action::SearchErase => !s.query.is_empty(),
                Action::Open => !s.results.is_empty(),
                Action::Up => s.selected > 0,
                Action::Down => s.selected + 1 < s.results.len(),
                Action::LogCall => !s.picking && !s.results.is_empty(),
                Action::NewWithNumber => !s.picking,
                _ => false,
            }),
            Context::Filter => self.active_list().is_some_and(|l| match action {
                Action::Help
                | Action::ClearFilter
                | Action::KeepFilter
                | Action::SearchInput(_) => true,
                Action::SearchErase => !l.filter.is_empty(),
                _ => l.can(action),
            }),
            _ => self.view_can(action),
        }
    }

    fn help_can(&self, action: Action) -> bool {
        let scroll = self.help_scroll.get();
        match action {
            Action::Back | Action::Help => true,
            Action::Up | Action::PageUp | Action::First => scroll > 0,
            // As far as the last frame of help could scroll.
            Action::Down | Action::PageDown | Action::Last => scroll < self.help_end.get(),
            _ => false,
        }
    }

    /// The dashboard's own keys: global ones, then the view on top.
    fn view_can(&self, action: Action) -> bool {
        match action {
            Action::Quit
            | Action::Help
            | Action::Search
            | Action::Palette
            | Action::NewCustomer
            | Action::WeeklyReview
            | Action::Duplicates
            | Action::NextPane
            | Action::PrevPane => return true,
            Action::GoTo(pane) => return pane != self.pane || !self.stack.is_empty(),
            Action::Undo => return self.undo.is_some(),
            Action::Back => {
                return !self.stack.is_empty()
                    || self.active_list().is_some_and(|l| !l.filter.is_empty());
            }
            Action::EditCustomer
            | Action::LogInteraction
            | Action::AddOrder
            | Action::AddFollowUp
            | Action::Delete
            | Action::Erase
            | Action::ExportCustomer
            | Action::LogCall => return self.focused_customer().is_some(),
            _ => {}
        }
        if let Some(list) = self.active_list()
            && matches!(
                action,
                Action::Up
                    | Action::Down
                    | Action::PageUp
                    | Action::PageDown
                    | Action::First
                    | Action::Last
                    | Action::Filter
                    | Action::CycleSort
                    | Action::ReverseSort
            )
        {
            return list.can(action);
        }
        let data = &self.data;
        match self.stack.last() {
            Some(View::List(l)) => action == Action::Open && l.current().is_some(),
            Some(View::Card(c)) => c.can(action),
            Some(View::Weekly(w)) => w.can(action, &data.weekly),
            Some(View::Duplicates(d)) => action == Action::Open && d.current().is_some(),
            Some(View::Compare(c)) => match action {
                Action::KeepLeft | Action::Left => c.keep != 0,
                Action::KeepRight | Action::Right => c.keep != 1,
                Action::Merge => true,
                _ => false,
            },
            None if data.pending && self.pane != Pane::Pyramid => false,
            None => match self.pane {
                Pane::Pyramid => {
                    let at = self.pyramid.selected;
                    let last = ORDER.len() - 1;
                    match action {
                        Action::Up => at > 0,
                        Action::Down => at < last,
                        Action::Right => at != last,
                        Action::Left => at == last,
                        Action::Open => !data.pending,
                        _ => false,
                    }
                }
                Pane::Rfm => {
                    let (r, f) = (self.rfm.r, self.rfm.f);
                    match action {
                        Action::Up => r < 5,
                        Action::Down => r > 1,
                        Action::Left => f > 1,
                        Action::Right => f < 5,
                        Action::Open => cell(data, r, f).is_some(),
                        _ => false,
                    }
                }
                Pane::Cohorts => self.cohorts.can(action, data),
                Pane::FollowUps => {
                    let current = self.followups.current(data).is_some();
                    match action {
                        Action::CycleFilter => true,
                        Action::Open
                        | Action::Done
                        | Action::SnoozeDay
                        | Action::SnoozeWeek
                        | Action::Reschedule
                        | Action::Note => current,
                        _ => false,
                    }
                }
                Pane::Customers => action == Action::Open && self.customers.current(data).is_some(),
            },
        }
    }
}
