//! The weekly review and the duplicates views inside the dashboard: opening
//! them, turning the duplicates views' steps into effects and the merge
//! question, and performing those effects against the store.

use crate::domain::CustomerId;
use crate::store::DuplicatePair;

use super::app::{App, Effect, View};
use super::panes::duplicates::{Comparison, DuplicatesEffect, DuplicatesState};
use super::panes::weekly::WeeklyState;

impl App {
    /// The weekly review, over whatever was open.
    pub(super) fn open_weekly(&mut self) -> Effect {
        self.stack.clear();
        self.stack
            .push(View::Weekly(WeeklyState::new(&self.data.weekly)));
        Effect::None
    }

    /// The duplicates list; candidates are looked for now, not on every load.
    pub(super) fn open_duplicates(&mut self) -> Effect {
        self.stack.clear();
        self.stack
            .push(View::Duplicates(DuplicatesState::default()));
        Effect::Duplicates(DuplicatesEffect::Find)
    }

    /// Gives the open duplicates list the candidates found.
    pub fn set_duplicates(&mut self, pairs: Vec<DuplicatePair>) {
        let list = self.stack.iter_mut().rev().find_map(|v| match v {
            View::Duplicates(d) => Some(d),
            _ => None,
        });
        if let Some(list) = list {
            list.set_candidates(pairs, &self.data, self.lang);
        }
    }

    /// Shows the comparison of a pair read from the store, if its list is
    /// still what is on screen.
    pub fn open_comparison(&mut self, comparison: Comparison) {
        if matches!(self.stack.last(), Some(View::Duplicates(_))) {
            self.stack.push(View::Compare(Box::new(comparison)));
        }
    }

    /// After a merge: the comparison and cards of the merged-away record
    /// close, and the list looks for duplicates again.
    pub fn merged(&mut self, other: CustomerId) {
        self.forget_customer(other);
        self.stack.retain(|v| !matches!(v, View::Compare(_)));
        for view in &mut self.stack {
            if let View::Duplicates(d) = view {
                d.candidates = None;
            }
        }
    }
}
