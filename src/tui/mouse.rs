//! Where the last frame put what a click can choose (SPEC section 5, Help).
//! Each frame notes it while drawing; a click is looked up there (see
//! `clicks`), so the mouse always agrees with what is on screen.

use ratatui::layout::{Position, Rect};

use super::action::Pane;

/// What a place on screen stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Tab(Pane),
    /// A row of the list on top, by its position in the list.
    Row(usize),
    /// A cell of the RFM matrix.
    Rfm {
        r: u8,
        f: u8,
    },
    /// A cell of the cohort triangle: the cohort's row and the month offset.
    Cohort {
        row: usize,
        col: usize,
    },
    /// A stage of the pyramid, by its index in the pyramid's order.
    Stage(usize),
    /// A line of the weekly review, by its index in the lines shown.
    Weekly(usize),
}

/// Where the last frame drew what can be clicked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreenMap {
    targets: Vec<(Rect, Target)>,
}

impl ScreenMap {
    pub fn clear(&mut self) {
        self.targets.clear();
    }

    pub fn add(&mut self, area: Rect, target: Target) {
        self.targets.push((area, target));
    }

    /// What is at a cell; the last drawn wins, as it is on top.
    pub fn at(&self, column: u16, row: u16) -> Option<Target> {
        let position = Position::new(column, row);
        self.targets
            .iter()
            .rev()
            .find(|(area, _)| area.contains(position))
            .map(|(_, target)| *target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_drawn_target_at_a_cell_wins() {
        let mut map = ScreenMap::default();
        map.add(Rect::new(0, 0, 10, 1), Target::Tab(Pane::Rfm));
        map.add(Rect::new(2, 0, 3, 1), Target::Row(4));
        assert_eq!(map.at(0, 0), Some(Target::Tab(Pane::Rfm)));
        assert_eq!(map.at(3, 0), Some(Target::Row(4)));
        assert_eq!(map.at(3, 1), None);
        map.clear();
        assert_eq!(map.at(0, 0), None);
    }
}
