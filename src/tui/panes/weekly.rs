//! The weekly review mode: the sections of `kanta report weekly`, one page,
//! every customer line selectable. The page is built when data loads; drawing
//! only lays out what it holds.

mod page;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::analytics::weekly::LastMonthCohort;
use crate::i18n::review::{churn_not_fitted, month_name, review_strings, too_few_repeat_customers};
use crate::i18n::{Lang, stage_name};
use crate::tui::action::Action;
use crate::tui::app::{PAGE, Step};
use crate::tui::text::{date, ellipsize, money};

use super::step;

pub use page::{ChurnNote, Detail, Section, WeeklyLine, WeeklyPage, load};

/// The cursor of the weekly review: the selected customer line, or, on a page
/// without any, the first line shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyState {
    pub cursor: usize,
}

impl WeeklyState {
    pub fn handle(&mut self, action: Action, page: &WeeklyPage) -> Step {
        let len = if page.selectable.is_empty() {
            page.lines.len()
        } else {
            page.selectable.len()
        };
        match action {
            Action::Up => self.cursor = step(self.cursor, -1, len),
            Action::Down => self.cursor = step(self.cursor, 1, len),
            Action::PageUp => self.cursor = step(self.cursor, -(PAGE as isize), len),
            Action::PageDown => self.cursor = step(self.cursor, PAGE as isize, len),
            Action::Open => {
                return page
                    .customer_at(self.cursor)
                    .map_or(Step::Nothing, Step::OpenCard);
            }
            _ => {}
        }
        Step::Nothing
    }

    /// Keeps the cursor on the page after a reload.
    pub fn clamp(&mut self, page: &WeeklyPage) {
        let len = if page.selectable.is_empty() {
            page.lines.len()
        } else {
            page.selectable.len()
        };
        self.cursor = self.cursor.min(len.saturating_sub(1));
    }
}

/// The first line shown in `height` lines: the selected line near the middle,
/// the top of the page at the first customer and its end at the last one, so
/// the sections before and after the customer lines can be read.
pub fn first_shown(page: &WeeklyPage, cursor: usize, height: usize) -> usize {
    let total = page.lines.len();
    let last_start = total.saturating_sub(height);
    let Some(&selected) = page.selectable.get(cursor) else {
        return cursor.min(last_start);
    };
    if height == 0 {
        return selected;
    }
    let start = if cursor == 0 {
        0
    } else if cursor + 1 == page.selectable.len() {
        last_start
    } else {
        selected.saturating_sub(height / 2).min(last_start)
    };
    // Whatever the rule above, the selected line is on screen.
    start.clamp(selected.saturating_sub(height - 1), selected)
}

pub fn draw_weekly(
    frame: &mut Frame,
    area: Rect,
    page: &WeeklyPage,
    state: &WeeklyState,
    lang: Lang,
    currency: &str,
) {
    let r = review_strings(lang);
    let title = match page.week {
        Some((from, to)) => format!(
            "{}: {} – {}",
            r.weekly_title,
            date(from, lang),
            date(to, lang)
        ),
        None => r.weekly_title.to_string(),
    };
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    // Reasons count to the review's day.
    let today = page.week.map(|(_, to)| to).unwrap_or_default();
    let start = first_shown(page, state.cursor, height);
    let selected = page.selectable.get(state.cursor).copied();
    let lines: Vec<Line> = page
        .lines
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, line)| {
            let text = line_text(line, lang, currency, width, today);
            let text = ellipsize(&text, width).into_owned();
            match line {
                WeeklyLine::Heading(..) => {
                    Line::styled(text, Style::new().add_modifier(Modifier::BOLD))
                }
                _ if Some(i) == selected => {
                    Line::styled(text, Style::new().add_modifier(Modifier::REVERSED))
                }
                _ => Line::raw(text),
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn section_title(section: Section, lang: Lang) -> &'static str {
    let r = review_strings(lang);
    match section {
        Section::NewCustomers => r.new_customers,
        Section::StageMoves => r.stage_moves,
        Section::FollowUpsDone => r.followups_done,
        Section::FollowUpsOverdue => r.followups_overdue,
        Section::AtRisk => r.at_risk,
        Section::LastMonth => r.last_month,
        Section::Revenue => r.revenue,
    }
}

/// One line as text, `width` columns at most wide where it matters.
fn line_text(
    line: &WeeklyLine,
    lang: Lang,
    currency: &str,
    width: usize,
    today: chrono::NaiveDate,
) -> String {
    let worded = |figures: &Option<crate::domain::RuleFigures>, reason: &str| {
        crate::i18n::followups::reason(lang, figures.as_ref(), reason, today)
    };
    let r = review_strings(lang);
    let name_w = (width / 3).clamp(8, 32);
    match line {
        WeeklyLine::Heading(section, Some(count)) => {
            format!("{} ({count})", section_title(*section, lang))
        }
        WeeklyLine::Heading(section, None) => section_title(*section, lang).to_string(),
        WeeklyLine::Moves { from, to, count } => format!(
            "  {} → {} ({count})",
            stage_name(lang, *from),
            stage_name(lang, *to)
        ),
        WeeklyLine::Customer { name, detail, .. } => {
            let indent = if *detail == Detail::Moved {
                "    "
            } else {
                "  "
            };
            let name = ellipsize(name, name_w);
            let detail = match detail {
                Detail::New { first_purchase } => {
                    format!("{} {}", r.first_purchase, date(*first_purchase, lang))
                }
                Detail::Moved => String::new(),
                Detail::FollowUpDone {
                    done,
                    figures,
                    reason,
                } => {
                    let on = done.map(|d| date(d, lang)).unwrap_or_default();
                    let reason = worded(figures, reason);
                    format!("{:<20}  {reason}", format!("{} {on}", r.done_on))
                }
                Detail::FollowUpOverdue {
                    due,
                    figures,
                    reason,
                } => {
                    let due = format!("{} {}", r.due_on, date(*due, lang));
                    let reason = worded(figures, reason);
                    format!("{due:<20}  {reason}")
                }
                Detail::AtRisk {
                    monetary_cents,
                    p_alive,
                    expected_365d,
                    expected_revenue_365d,
                } => {
                    let s = lang.strings();
                    let mut text = format!(
                        "{:>14}   {} {:.0} %",
                        money(*monetary_cents, lang, currency),
                        s.p_alive,
                        p_alive * 100.0
                    );
                    if expected_365d.is_finite() {
                        let days = format!("{expected_365d:.1}");
                        let days = match lang {
                            Lang::Fi => days.replace('.', ","),
                            Lang::En => days,
                        };
                        text.push_str(&format!("   {} {days} {}", r.next_12_months, r.days_unit));
                    }
                    if let Some(revenue) = expected_revenue_365d.filter(|r| r.is_finite()) {
                        let revenue = money((revenue * 100.0).round() as i64, lang, currency);
                        text.push_str(&format!(", {revenue}"));
                    }
                    text
                }
            };
            format!("{indent}{name:<name_w$}  {detail}")
                .trim_end()
                .to_string()
        }
        WeeklyLine::Nothing => format!("  {}", r.nothing_this_week),
        WeeklyLine::ChurnUnfitted(ChurnNote::TooFewRepeatCustomers { found, needed }) => {
            format!(
                "  {}: {}",
                r.churn_unfitted,
                too_few_repeat_customers(lang, *found, *needed)
            )
        }
        WeeklyLine::ChurnUnfitted(ChurnNote::NotFitted(error)) => {
            format!("  {}: {}", r.churn_unfitted, churn_not_fitted(lang, error))
        }
        WeeklyLine::ChurnUnfitted(ChurnNote::Other(reason)) => {
            format!("  {}: {reason}", r.churn_unfitted)
        }
        WeeklyLine::LastMonth(cohort) => last_month_text(cohort, lang),
        WeeklyLine::Revenue {
            week_cents,
            average_cents,
        } => revenue_text(*week_cents, *average_cents, lang, currency),
        WeeklyLine::Blank => String::new(),
    }
}

fn last_month_text(cohort: &LastMonthCohort, lang: Lang) -> String {
    let r = review_strings(lang);
    let month = format!(
        "{} {}",
        month_name(lang, cohort.month).unwrap_or_default(),
        cohort.year
    );
    match cohort.rate() {
        Some(rate) => format!(
            "  {month}: {}, {} {} ({:.0} %)",
            crate::i18n::plural::count(lang, cohort.size, crate::i18n::plural::NEW_CUSTOMER),
            cohort.repeated,
            r.bought_again,
            rate * 100.0
        ),
        None => format!("  {} {month}", r.no_new_in_month),
    }
}

/// This week's revenue against the average, with the difference in percent.
fn revenue_text(week_cents: i64, average_cents: i64, lang: Lang, currency: &str) -> String {
    let r = review_strings(lang);
    let difference = if average_cents > 0 {
        // A display figure only: the money itself stays in cents.
        let change = (week_cents as f64 - average_cents as f64) / average_cents as f64 * 100.0;
        format!("({change:+.0} %)")
    } else {
        format!("({})", r.no_earlier_revenue)
    };
    format!(
        "  {} {}  ·  {} {}  {difference}",
        r.this_week,
        money(week_cents, lang, currency),
        r.average_12_weeks,
        money(average_cents, lang, currency)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revenue_compares_with_the_average_in_percent() {
        let text = revenue_text(15_000, 10_000, Lang::En, "EUR");
        assert!(text.contains("€150.00"), "{text}");
        assert!(text.ends_with("(+50 %)"), "{text}");
        let text = revenue_text(0, 10_000, Lang::Fi, "EUR");
        assert!(text.ends_with("(-100 %)"), "{text}");
        let text = revenue_text(5_000, 0, Lang::En, "EUR");
        assert!(
            text.ends_with("(no revenue in the 12 weeks before)"),
            "{text}"
        );
    }

    #[test]
    fn last_month_without_new_customers_says_so() {
        let empty = LastMonthCohort {
            year: 2026,
            month: 10,
            size: 0,
            repeated: 0,
        };
        assert_eq!(
            last_month_text(&empty, Lang::En),
            "  no new customers in October 2026"
        );
        let cohort = LastMonthCohort {
            size: 3,
            repeated: 1,
            ..empty
        };
        assert_eq!(
            last_month_text(&cohort, Lang::Fi),
            "  lokakuu 2026: 3 uutta asiakasta, 1 osti uudelleen (33 %)"
        );
    }

    #[test]
    fn an_empty_page_opens_nothing() {
        let page = WeeklyPage::default();
        let mut state = WeeklyState::default();
        assert!(matches!(state.handle(Action::Open, &page), Step::Nothing));
        state.handle(Action::Down, &page);
        assert_eq!(state.cursor, 0);
        assert_eq!(first_shown(&page, 5, 10), 0);
    }
}
