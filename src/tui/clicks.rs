//! The mouse (SPEC section 5, Help): a click selects a tab, a row or a
//! cell, a second click on the selected one opens it, the wheel scrolls.
//! A click is looked up in the screen map the last frame drew.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::action::{Action, Pane};
use super::app::{App, Effect, View};
use super::mouse::Target;

/// Lines one turn of the wheel scrolls.
const WHEEL: usize = 3;

impl App {
    pub fn handle_mouse(&mut self, event: MouseEvent) -> Effect {
        let wheel = match event.kind {
            MouseEventKind::ScrollUp => Some(Action::Up),
            MouseEventKind::ScrollDown => Some(Action::Down),
            _ => None,
        };
        if let Some(action) = wheel {
            // Forms and prompts keep their own keys; the wheel leaves them be.
            if self.modal.is_some() || self.prompt.is_some() {
                return Effect::None;
            }
            let mut effect = Effect::None;
            for _ in 0..WHEEL {
                effect = self.update(action);
            }
            return effect;
        }
        if event.kind != MouseEventKind::Down(MouseButton::Left) {
            return Effect::None;
        }
        // Over a form, search, the palette or help, a click is not for the view.
        if self.help
            || self.palette.is_some()
            || self.search.is_some()
            || self.modal.is_some()
            || self.prompt.is_some()
        {
            return Effect::None;
        }
        let Some(target) = self.screen.borrow().at(event.column, event.row) else {
            return Effect::None;
        };
        self.click(target)
    }

    /// A click on `target`: selects it; on the selected one, opens it.
    fn click(&mut self, target: Target) -> Effect {
        self.status = None;
        match target {
            Target::Tab(pane) => self.update(Action::GoTo(pane)),
            Target::Rfm { r, f } => {
                if (self.rfm.r, self.rfm.f) == (r, f) {
                    return self.update(Action::Open);
                }
                self.rfm.r = r;
                self.rfm.f = f;
                Effect::None
            }
            Target::Cohort { row, col } => {
                if (self.cohorts.row, self.cohorts.col) == (row, col) {
                    return self.update(Action::Open);
                }
                self.cohorts.row = row;
                self.cohorts.col = col;
                self.cohorts.clamp(&self.data);
                Effect::None
            }
            Target::Stage(at) => {
                if self.pyramid.selected == at {
                    return self.update(Action::Open);
                }
                self.pyramid.selected = at;
                Effect::None
            }
            Target::Weekly(line) => match self.stack.last_mut() {
                Some(View::Weekly(w)) if w.cursor == line => self.update(Action::Open),
                Some(View::Weekly(w)) => {
                    w.select_line(line, &self.data.weekly);
                    Effect::None
                }
                _ => Effect::None,
            },
            Target::Row(at) => {
                let selected = self.active_list().map(|l| l.selected);
                match selected {
                    Some(s) if s == at => self.update(Action::Open),
                    Some(_) => {
                        self.select_row(at);
                        Effect::None
                    }
                    None => Effect::None,
                }
            }
        }
    }

    /// Moves the cursor of the list on top to its row `at`.
    fn select_row(&mut self, at: usize) {
        match self.stack.last_mut() {
            Some(View::List(l)) => l.list.select(at),
            Some(View::Duplicates(d)) => d.list.select(at),
            Some(_) => {}
            None => match self.pane {
                Pane::Customers => self.customers.list.select(at),
                Pane::FollowUps => self.followups.list.select(at),
                _ => {}
            },
        }
    }
}
