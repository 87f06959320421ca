//! A drill-down list of customers (a stage, an RF cell, a cohort cell).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Block;

use crate::tui::app::{App, DrillList};

use super::customers::draw_rows;

pub fn draw_list(frame: &mut Frame, area: Rect, app: &App, list: &DrillList) {
    let block = Block::bordered().title(format!("{} ({})", list.title, list.members.len()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // A customer deleted since the list was opened leaves a gap, not a panic.
    draw_rows(frame, inner, app, list.members.len(), list.selected, |i| {
        list.members.get(i).and_then(|id| app.data.row(*id))
    });
}
