//! One file per pane: its state, its handling of actions, its drawing.

pub mod card;
pub mod cohorts;
pub mod columns;
mod contract;
pub mod customers;
pub mod duplicates;
pub mod followups;
pub mod list;
pub mod pyramid;
pub mod rfm;
pub mod weekly;

pub use contract::{DrawContext, DrillList, PAGE, PaneState, Step};

use std::ops::Range;

use ratatui::style::Color;

use crate::domain::{Segment, Stage};

/// The rows of a list of `len` that fit `height` lines with `selected` visible.
pub fn window(len: usize, selected: usize, height: usize) -> Range<usize> {
    if height == 0 || len == 0 {
        return 0..0;
    }
    let start = selected.min(len - 1).saturating_sub(height - 1);
    start..(start + height).min(len)
}

/// Moves a cursor by `delta` within `0..len`.
pub fn step(cursor: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    cursor.saturating_add_signed(delta).min(len - 1)
}

pub fn stage_color(stage: Stage) -> Color {
    match stage {
        Stage::Suspect => Color::DarkGray,
        Stage::Prospect => Color::Gray,
        Stage::Customer => Color::Cyan,
        Stage::Regular => Color::Blue,
        Stage::KeyCustomer => Color::Green,
        Stage::Advocate => Color::Yellow,
        Stage::Lapsed => Color::Red,
    }
}

/// Background and foreground of an RF segment's cells.
pub fn segment_colors(segment: Segment) -> (Color, Color) {
    match segment {
        Segment::Champions => (Color::Green, Color::Black),
        Segment::Loyal => (Color::LightGreen, Color::Black),
        Segment::PotentialLoyalists => (Color::Cyan, Color::Black),
        Segment::NewCustomers => (Color::LightCyan, Color::Black),
        Segment::Promising => (Color::Blue, Color::White),
        Segment::NeedAttention => (Color::Yellow, Color::Black),
        Segment::AboutToSleep => (Color::LightYellow, Color::Black),
        Segment::CantLoseThem => (Color::Magenta, Color::White),
        Segment::AtRisk => (Color::Red, Color::White),
        Segment::Hibernating => (Color::DarkGray, Color::White),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_keeps_selection_visible() {
        assert_eq!(window(100, 0, 10), 0..10);
        assert_eq!(window(100, 15, 10), 6..16);
        assert_eq!(window(5, 4, 10), 0..5);
        assert_eq!(window(0, 3, 10), 0..0);
        assert_eq!(window(5, 99, 2), 3..5);
        assert_eq!(window(5, 1, 0), 0..0);
    }

    #[test]
    fn step_stays_in_range() {
        assert_eq!(step(0, -1, 5), 0);
        assert_eq!(step(4, 1, 5), 4);
        assert_eq!(step(2, 10, 5), 4);
        assert_eq!(step(2, 1, 0), 0);
    }
}
