//! The customer pyramid: suspects at the base, advocates at the top, lapsed beside.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Stage;
use crate::i18n::{Lang, stage_name};
use crate::tui::action::Action;
use crate::tui::data::DashboardData;
use crate::tui::mouse::Target;
use crate::tui::text::{change, ellipsize, percent};

use super::{DrawContext, DrillList, PaneState, Step, stage_color, step};

/// Cursor order: the pyramid top to bottom, then lapsed.
pub const ORDER: [Stage; 7] = crate::tui::rows::STAGE_ORDER;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PyramidState {
    /// Index into [`ORDER`].
    pub selected: usize,
}

impl PyramidState {
    pub fn stage(&self) -> Stage {
        ORDER.get(self.selected).copied().unwrap_or(Stage::Suspect)
    }
}

fn stage_line(ctx: &DrawContext, stage: Stage, total: u64) -> String {
    let i = stage.index();
    let now = ctx.data.pyramid.now.get(i).copied().unwrap_or(0);
    let before = ctx.data.pyramid.week_ago.get(i).copied().unwrap_or(0);
    format!(
        "{}  {}  {}%  {}",
        stage_name(ctx.lang, stage),
        now,
        percent(u64::from(now), total),
        change(i64::from(now) - i64::from(before))
    )
}

impl PaneState for PyramidState {
    fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> Step {
        match action {
            Action::Up => self.selected = step(self.selected, -1, ORDER.len()),
            Action::Down => self.selected = step(self.selected, 1, ORDER.len()),
            Action::Right => self.selected = ORDER.len() - 1,
            Action::Left if self.stage() == Stage::Lapsed => self.selected = 0,
            // The members are not known before the background load.
            Action::Open if data.pending => {}
            Action::Open => {
                let stage = self.stage();
                let members = data
                    .stage_members
                    .get(stage.index())
                    .map(|m| {
                        m.iter()
                            .filter_map(|&i| data.customers.get(i).map(|c| c.id))
                            .collect()
                    })
                    .unwrap_or_default();
                return Step::OpenList(DrillList::new(
                    stage_name(lang, stage).to_string(),
                    members,
                ));
            }
            _ => {}
        }
        Step::Nothing
    }

    fn render(&self, frame: &mut Frame, area: Rect, ctx: &DrawContext) {
        let s = ctx.strings;
        let counts = &ctx.data.pyramid.now;
        let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(36)]).areas(area);
        let block = Block::bordered().title(format!(
            "{} · {}: {}",
            s.pane_pyramid, s.customers_word, total
        ));
        let inner = block.inner(left);
        frame.render_widget(block, left);

        let pyramid_stages = &ORDER[..6];
        let max = pyramid_stages
            .iter()
            .map(|st| counts.get(st.index()).copied().unwrap_or(0))
            .max()
            .unwrap_or(0)
            .max(1);
        let selected = self.stage();
        let mut lines = Vec::new();
        let mut screen = ctx.screen.borrow_mut();
        for (at, &stage) in pyramid_stages.iter().enumerate() {
            let count = counts.get(stage.index()).copied().unwrap_or(0);
            let full = u64::from(inner.width.saturating_sub(2));
            // Widths by count; a stage with anyone in it shows at least one cell.
            let mut width = (full * u64::from(count) / u64::from(max)) as usize;
            if count > 0 {
                width = width.max(1);
            }
            let label_style = if stage == selected {
                Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
            } else {
                Style::new().add_modifier(Modifier::BOLD)
            };
            if let Some(rect) = super::list::line_rect(inner, lines.len()) {
                screen.add(rect, Target::Stage(at));
                if let Some(bar) = super::list::line_rect(inner, lines.len() + 1) {
                    screen.add(bar, Target::Stage(at));
                }
            }
            lines.push(
                Line::styled(stage_line(ctx, stage, total), label_style)
                    .alignment(Alignment::Center),
            );
            lines.push(
                Line::from(Span::styled(
                    "█".repeat(width),
                    Style::new().fg(stage_color(stage)),
                ))
                .alignment(Alignment::Center),
            );
            if inner.height as usize >= pyramid_stages.len() * 3 {
                lines.push(Line::raw(""));
            }
        }
        frame.render_widget(Paragraph::new(lines), inner);

        let lapsed = Stage::Lapsed;
        let style = if selected == lapsed {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new().fg(stage_color(lapsed))
        };
        let [lapsed_area, table_area] =
            Layout::vertical([Constraint::Length(3), Constraint::Min(0)]).areas(right);
        screen.add(lapsed_area, Target::Stage(ORDER.len() - 1));
        drop(screen);
        frame.render_widget(
            Paragraph::new(vec![Line::styled(stage_line(ctx, lapsed, total), style)])
                .block(Block::bordered().title(stage_name(ctx.lang, lapsed))),
            lapsed_area,
        );
        let mut table = vec![Line::styled(
            format!(
                "{:<14}{:>6}{:>6}{:>7}",
                s.stage, s.count, s.share, s.week_change
            ),
            Style::new().add_modifier(Modifier::BOLD),
        )];
        for stage in ORDER {
            let i = stage.index();
            let now = counts.get(i).copied().unwrap_or(0);
            let before = ctx.data.pyramid.week_ago.get(i).copied().unwrap_or(0);
            table.push(Line::raw(format!(
                "{:<14}{:>6}{:>5}%{:>7}",
                ellipsize(stage_name(ctx.lang, stage), 13),
                now,
                percent(u64::from(now), total),
                change(i64::from(now) - i64::from(before))
            )));
        }
        frame.render_widget(Paragraph::new(table).block(Block::bordered()), table_area);
    }
}
