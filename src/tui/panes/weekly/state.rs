//! The weekly review's cursor: headings, customers and the line that
//! stands for a long section's rest; which sections are shown whole; the
//! lines shown, laid out when the page or a section changes.

use std::cell::Cell;

use super::model::{Section, WeeklyLine, WeeklyPage};
use crate::tui::action::Action;
use crate::tui::panes::{PAGE, Step};

/// Customer lines a long section shows until asked for all of them.
pub const TOP: usize = 10;

/// One line of the review as shown: a line of the page, or the line that
/// stands for a long section's lines not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Line(usize),
    More { section: Section, hidden: usize },
}

/// The weekly review's cursor and which long sections are shown whole. The
/// lines shown are laid out when the page or a section changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyState {
    /// Index into `shown`: a heading, a customer or a "more" line.
    pub cursor: usize,
    pub expanded: Vec<Section>,
    pub shown: Vec<Shown>,
    /// The first line drawn and the lines there was room for; kept by drawing.
    top: Cell<usize>,
    page: Cell<usize>,
}

impl WeeklyState {
    pub fn new(page: &WeeklyPage) -> WeeklyState {
        let mut state = WeeklyState::default();
        state.layout(page);
        state
    }

    /// The lines shown: each long section cut after its first [`TOP`]
    /// customers unless shown whole.
    pub fn layout(&mut self, page: &WeeklyPage) {
        let before = self.shown.get(self.cursor).copied();
        self.shown = lay_out(page, &self.expanded);
        self.cursor = before
            .and_then(|b| self.shown.iter().position(|s| *s == b))
            .unwrap_or(self.cursor)
            .min(self.shown.len().saturating_sub(1));
        if !self.selectable(page, self.cursor) {
            self.cursor = self.next_selectable(page, self.cursor, 1).unwrap_or(0);
        }
    }

    fn selectable(&self, page: &WeeklyPage, at: usize) -> bool {
        match self.shown.get(at) {
            Some(Shown::More { .. }) => true,
            Some(Shown::Line(i)) => matches!(
                page.lines.get(*i),
                Some(WeeklyLine::Heading(..) | WeeklyLine::Customer { .. })
            ),
            None => false,
        }
    }

    /// The next (or, with -1, previous) selectable line from `at`, `at` excluded.
    fn next_selectable(&self, page: &WeeklyPage, at: usize, direction: isize) -> Option<usize> {
        let mut i = at;
        loop {
            i = i.checked_add_signed(direction)?;
            if i >= self.shown.len() {
                return None;
            }
            if self.selectable(page, i) {
                return Some(i);
            }
        }
    }

    fn heading_at(&self, page: &WeeklyPage, at: usize) -> bool {
        matches!(self.shown.get(at), Some(Shown::Line(i)) if matches!(page.lines.get(*i), Some(WeeklyLine::Heading(..))))
    }

    /// The section of the line under the cursor.
    pub fn section(&self, page: &WeeklyPage) -> Option<Section> {
        match self.shown.get(self.cursor)? {
            Shown::More { section, .. } => Some(*section),
            Shown::Line(i) => page
                .sections
                .iter()
                .find(|(_, lines)| lines.contains(i))
                .map(|(s, _)| *s),
        }
    }

    /// The customer under the cursor.
    pub fn customer(&self, page: &WeeklyPage) -> Option<crate::domain::CustomerId> {
        match self.shown.get(self.cursor)? {
            Shown::Line(i) => page.customer_at(*i),
            Shown::More { .. } => None,
        }
    }

    /// Whether the section under the cursor has more customers than its top.
    fn long_section(&self, page: &WeeklyPage) -> bool {
        let Some(section) = self.section(page) else {
            return false;
        };
        page.sections
            .iter()
            .find(|(s, _)| *s == section)
            .is_some_and(|(_, lines)| {
                lines
                    .clone()
                    .filter(|i| page.customer_at(*i).is_some())
                    .count()
                    > TOP
            })
    }

    fn page_lines(&self) -> usize {
        match self.page.get() {
            0 => PAGE,
            n => n,
        }
    }

    pub fn handle(&mut self, action: Action, page: &WeeklyPage) -> Step {
        if self.shown.is_empty() && !page.lines.is_empty() {
            self.layout(page);
        }
        let last = self.shown.len().saturating_sub(1);
        match action {
            Action::Up | Action::Down => {
                let direction = if action == Action::Up { -1 } else { 1 };
                if let Some(at) = self.next_selectable(page, self.cursor, direction) {
                    self.cursor = at;
                }
            }
            Action::PageUp | Action::PageDown | Action::First | Action::Last => {
                let target = match action {
                    Action::PageUp => self.cursor.saturating_sub(self.page_lines()),
                    Action::PageDown => (self.cursor + self.page_lines()).min(last),
                    Action::First => 0,
                    _ => last,
                };
                self.cursor = if self.selectable(page, target) {
                    target
                } else if target < self.cursor || action == Action::Last {
                    self.next_selectable(page, target, -1)
                        .or_else(|| self.next_selectable(page, target, 1))
                        .unwrap_or(self.cursor)
                } else {
                    self.next_selectable(page, target, 1)
                        .or_else(|| self.next_selectable(page, target, -1))
                        .unwrap_or(self.cursor)
                };
            }
            Action::NextSection => {
                if let Some(at) =
                    (self.cursor + 1..self.shown.len()).find(|&i| self.heading_at(page, i))
                {
                    self.cursor = at;
                    // The section starts at the top of the screen.
                    self.top.set(at);
                }
            }
            Action::PreviousSection => {
                let before = (0..self.cursor).rev().find(|&i| self.heading_at(page, i));
                if let Some(at) = before {
                    self.cursor = at;
                    self.top.set(at);
                }
            }
            Action::ShowAll => self.toggle(page),
            Action::Open => match self.shown.get(self.cursor) {
                Some(Shown::More { .. }) => self.toggle(page),
                Some(Shown::Line(i)) => {
                    return page.customer_at(*i).map_or(Step::Nothing, Step::OpenCard);
                }
                None => {}
            },
            _ => {}
        }
        Step::Nothing
    }

    /// Shows the section under the cursor whole, or its top again.
    fn toggle(&mut self, page: &WeeklyPage) {
        let Some(section) = self.section(page) else {
            return;
        };
        if !self.long_section(page) {
            return;
        }
        let collapsing = self.expanded.contains(&section);
        if collapsing {
            self.expanded.retain(|s| *s != section);
        } else {
            self.expanded.push(section);
        }
        let was_more = matches!(self.shown.get(self.cursor), Some(Shown::More { .. }));
        let hidden_line = matches!(self.shown.get(self.cursor), Some(Shown::Line(i)) if !lay_out(page, &self.expanded).contains(&Shown::Line(*i)));
        self.layout(page);
        if was_more || hidden_line {
            // The cursor goes to the first line that was hidden, or to the
            // "more" line that now stands for it.
            let heading = self.shown.iter().position(|s| match s {
                Shown::Line(i) => page
                    .sections
                    .iter()
                    .any(|(sec, lines)| *sec == section && lines.start == *i),
                _ => false,
            });
            if let Some(h) = heading {
                let customers: Vec<usize> = (h..self.shown.len())
                    .filter(|&i| matches!(self.shown.get(i), Some(Shown::Line(l)) if page.customer_at(*l).is_some()))
                    .take(TOP + 1)
                    .collect();
                let more = (h..self.shown.len())
                    .find(|&i| matches!(self.shown.get(i), Some(Shown::More { .. })));
                self.cursor = if collapsing {
                    more.unwrap_or(h)
                } else {
                    customers.get(TOP).copied().unwrap_or(h)
                };
            }
        }
    }

    /// A click on the `at`-th line shown.
    pub fn select_line(&mut self, at: usize, page: &WeeklyPage) {
        if self.selectable(page, at) {
            self.cursor = at;
        }
    }

    /// Whether a key would do something: what the footer offers.
    pub fn can(&self, action: Action, page: &WeeklyPage) -> bool {
        match action {
            Action::Up | Action::PageUp | Action::First => {
                self.next_selectable(page, self.cursor, -1).is_some()
            }
            Action::Down | Action::PageDown | Action::Last => {
                self.next_selectable(page, self.cursor, 1).is_some()
            }
            Action::NextSection => {
                (self.cursor + 1..self.shown.len()).any(|i| self.heading_at(page, i))
            }
            Action::PreviousSection => (0..self.cursor).any(|i| self.heading_at(page, i)),
            Action::ShowAll => self.long_section(page),
            Action::Open => match self.shown.get(self.cursor) {
                Some(Shown::More { .. }) => true,
                Some(Shown::Line(i)) => page.customer_at(*i).is_some(),
                None => false,
            },
            _ => false,
        }
    }

    /// Keeps the cursor on the page after a reload.
    pub fn clamp(&mut self, page: &WeeklyPage) {
        self.layout(page);
    }

    /// The lines to draw in `height`: the cursor's in view, moved as little
    /// as it takes, a section jumped to at the top.
    pub fn visible(&self, height: usize) -> std::ops::Range<usize> {
        self.page.set(height.saturating_sub(1).max(1));
        let len = self.shown.len();
        if height == 0 || len == 0 {
            return 0..0;
        }
        let cursor = self.cursor.min(len - 1);
        let mut top = self.top.get().min(len.saturating_sub(height));
        if cursor < top {
            top = cursor;
        } else if cursor >= top + height {
            top = cursor + 1 - height;
        }
        self.top.set(top);
        top..(top + height).min(len)
    }
}

/// Lays out the page's lines, each long section not in `expanded` cut
/// after its first [`TOP`] customers, with a line saying how many more.
pub fn lay_out(page: &WeeklyPage, expanded: &[Section]) -> Vec<Shown> {
    let mut shown = Vec::with_capacity(page.lines.len());
    for (section, lines) in &page.sections {
        let whole = expanded.contains(section);
        let mut customers = 0;
        let mut hidden = 0;
        for i in lines.clone() {
            let line = page.lines.get(i);
            let is_customer = matches!(line, Some(WeeklyLine::Customer { .. }));
            if is_customer {
                customers += 1;
            }
            let cut = !whole && customers > TOP;
            match line {
                Some(WeeklyLine::Blank) if hidden > 0 => {
                    shown.push(Shown::More {
                        section: *section,
                        hidden,
                    });
                    shown.push(Shown::Line(i));
                }
                _ if cut && is_customer => hidden += 1,
                // A group's heading after the cut goes with its customers.
                Some(WeeklyLine::Moves { .. }) if !whole && customers >= TOP => {}
                _ => shown.push(Shown::Line(i)),
            }
        }
        if hidden > 0
            && !matches!(shown.last(), Some(Shown::Line(i)) if matches!(page.lines.get(*i), Some(WeeklyLine::Blank)))
        {
            shown.push(Shown::More {
                section: *section,
                hidden,
            });
        }
    }
    shown
}
