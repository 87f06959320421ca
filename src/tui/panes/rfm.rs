//! The 5x5 RF matrix: recency score rows 5..1, frequency score columns 1..5.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::i18n::{Lang, segment_name};
use crate::tui::action::Action;
use crate::tui::data::{DashboardData, RfmCell};
use crate::tui::mouse::Target;
use crate::tui::text::{ellipsize, money_whole};

use super::{DrawContext, DrillList, PaneState, Step, segment_colors};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RfmState {
    /// Recency score of the cursor's cell, 1..=5.
    pub r: u8,
    /// Frequency score of the cursor's cell, 1..=5.
    pub f: u8,
}

impl Default for RfmState {
    /// The champions' corner.
    fn default() -> Self {
        RfmState { r: 5, f: 5 }
    }
}

pub fn cell(data: &DashboardData, r: u8, f: u8) -> Option<&RfmCell> {
    data.rfm_grid
        .get(usize::from(r).wrapping_sub(1))
        .and_then(|line| line.get(usize::from(f).wrapping_sub(1)))
}

impl RfmState {}

/// A frequency column's title with the purchase days it holds: `F4 · 4-5 days`,
/// `F1 · 1 day`; the bare score when nobody has it.
pub fn f_title(letter: &str, f: u8, range: Option<(u32, u32)>, lang: Lang) -> String {
    use crate::i18n::plural::{DAY, count};
    match range {
        None => format!("{letter}{f}"),
        Some((least, most)) if least == most => {
            format!("{letter}{f} · {}", count(lang, least, DAY))
        }
        Some((least, most)) => format!("{letter}{f} · {least}-{most} {}", DAY.many(lang)),
    }
}

impl PaneState for RfmState {
    fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> Step {
        // Rows run from R5 at the top, so Up raises the recency score.
        match action {
            Action::Up => self.r = (self.r + 1).min(5),
            Action::Down => self.r = self.r.saturating_sub(1).max(1),
            Action::Left => self.f = self.f.saturating_sub(1).max(1),
            Action::Right => self.f = (self.f + 1).min(5),
            Action::Open => {
                let Some(c) = cell(data, self.r, self.f) else {
                    return Step::Nothing;
                };
                let segment = c.segment.map(|s| segment_name(lang, s)).unwrap_or("");
                return Step::OpenList(DrillList::new(
                    format!("R{} F{} {}", self.r, self.f, segment),
                    c.members
                        .iter()
                        .filter_map(|&i| data.customers.get(i).map(|c| c.id))
                        .collect(),
                ));
            }
            _ => {}
        }
        Step::Nothing
    }

    fn render(&self, frame: &mut Frame, area: Rect, ctx: &DrawContext) {
        let s = ctx.strings;
        let block = Block::bordered().title(format!("{} · {}", s.pane_rfm, s.rfm_axes));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [header, grid, detail] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(5),
            Constraint::Length(1),
        ])
        .areas(inner);
        let columns = |r: Rect| {
            Layout::horizontal([
                Constraint::Length(4),
                Constraint::Fill(1),
                Constraint::Fill(1),
                Constraint::Fill(1),
                Constraint::Fill(1),
                Constraint::Fill(1),
            ])
            .split(r)
        };
        let head = columns(header);
        for f in 1..=5u8 {
            if let Some(&rect) = head.get(usize::from(f)) {
                let range = ctx.data.f_ranges.get(usize::from(f) - 1).copied().flatten();
                let title = f_title(s.frequency, f, range, ctx.lang);
                frame.render_widget(
                    Paragraph::new(
                        ellipsize(&title, usize::from(rect.width.saturating_sub(1))).into_owned(),
                    )
                    .alignment(Alignment::Center),
                    rect,
                );
            }
        }
        let rows = Layout::vertical([Constraint::Fill(1); 5]).split(grid);
        for (line, &row_area) in rows.iter().enumerate() {
            let r = 5 - line as u8;
            let cols = columns(row_area);
            if let Some(&label) = cols.first() {
                frame.render_widget(Paragraph::new(format!("{}{r}", s.recency)), label);
            }
            for f in 1..=5u8 {
                let (Some(&rect), Some(c)) = (cols.get(usize::from(f)), cell(ctx.data, r, f))
                else {
                    continue;
                };
                let (bg, fg) = c.segment.map(segment_colors).unwrap_or_default();
                let mut style = Style::new().bg(bg).fg(fg);
                if (r, f) == (self.r, self.f) {
                    style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
                }
                let width = usize::from(rect.width.saturating_sub(1));
                let name = c.segment.map(|sg| segment_name(ctx.lang, sg)).unwrap_or("");
                let text = vec![
                    Line::raw(ellipsize(name, width).into_owned()),
                    Line::raw(c.members.len().to_string()),
                    Line::raw(
                        ellipsize(
                            &money_whole(c.revenue_cents, ctx.lang, &ctx.data.currency),
                            width,
                        )
                        .into_owned(),
                    ),
                ];
                // A one-column gap between cells keeps the grid readable without borders.
                let inner = Rect {
                    width: rect.width.saturating_sub(1),
                    ..rect
                };
                ctx.screen.borrow_mut().add(inner, Target::Rfm { r, f });
                frame.render_widget(
                    Paragraph::new(text)
                        .style(style)
                        .alignment(Alignment::Center),
                    inner,
                );
            }
        }
        if let Some(c) = cell(ctx.data, self.r, self.f) {
            let name = c.segment.map(|sg| segment_name(ctx.lang, sg)).unwrap_or("");
            frame.render_widget(
                Paragraph::new(format!(
                    "R{} F{} · {} · {}: {} · {}",
                    self.r,
                    self.f,
                    name,
                    s.customers_word,
                    c.members.len(),
                    money_whole(c.revenue_cents, ctx.lang, &ctx.data.currency)
                )),
                detail,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::f_title;
    use crate::i18n::Lang;

    #[test]
    fn f_titles_name_the_purchase_days_in_each_language() {
        let title = |lang: Lang, f, range| {
            let s = lang.strings();
            f_title(s.frequency, f, range, lang)
        };
        assert_eq!(title(Lang::En, 1, Some((1, 1))), "F1 · 1 day");
        assert_eq!(title(Lang::En, 2, Some((2, 2))), "F2 · 2 days");
        assert_eq!(title(Lang::En, 4, Some((4, 5))), "F4 · 4-5 days");
        assert_eq!(title(Lang::Fi, 1, Some((1, 1))), "F1 · 1 päivä");
        assert_eq!(title(Lang::Fi, 4, Some((4, 5))), "F4 · 4-5 päivää");
        assert_eq!(title(Lang::En, 3, None), "F3");
    }
}
