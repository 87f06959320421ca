//! The weekly review mode: the sections of `kanta report weekly`, one page,
//! every customer line selectable. The page is built when data loads; drawing
//! only lays out what it holds.

pub mod model;
mod page;
mod state;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use crate::analytics::weekly::LastMonthCohort;
use crate::i18n::review::{ReviewStrings, churn_not_fitted, month_name, too_few_repeat_customers};
use crate::i18n::{Lang, stage_name};
use crate::tui::action::Action;
use crate::tui::data::DashboardData;
use crate::tui::mouse::Target;
use crate::tui::text::{date, ellipsize, fit_cells, money};

use super::{DrawContext, PaneState, Step};

pub use page::{ChurnNote, Detail, Section, WeeklyLine, WeeklyPage, load};
pub use state::{Shown, TOP, WeeklyState, lay_out};

/// Takes the frame's context, or anything that gives one (the app does).
pub fn draw_weekly<'a>(
    frame: &mut Frame,
    area: Rect,
    page: &WeeklyPage,
    state: &WeeklyState,
    ctx: impl Into<DrawContext<'a>>,
) {
    let ctx = ctx.into();
    let lang = ctx.lang;
    let currency = ctx.data.currency.as_str();
    let r = ReviewStrings::of(lang);
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
    let laid;
    let shown = if state.shown.is_empty() && !page.lines.is_empty() {
        laid = lay_out(page, &state.expanded);
        &laid
    } else {
        &state.shown
    };
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    // Reasons count to the review's day.
    let today = page.week.map(|(_, to)| to).unwrap_or_default();
    let range = state.visible(height);
    let more_key = ctx
        .keymap
        .key_of(Action::ShowAll, crate::tui::keymap::Context::Weekly)
        .map(|c| c.label())
        .unwrap_or_default();
    let mut screen = ctx.screen.borrow_mut();
    let lines: Vec<Line> = range
        .clone()
        .filter_map(|at| Some((at, *shown.get(at)?)))
        .enumerate()
        .map(|(n, (at, line))| {
            if let Some(rect) = super::list::line_rect(inner, n) {
                screen.add(rect, Target::Weekly(at));
            }
            let (text, heading) = match line {
                Shown::Line(i) => {
                    let l = page.lines.get(i);
                    (
                        l.map(|l| line_text(l, lang, currency, width, today))
                            .unwrap_or_default(),
                        matches!(l, Some(WeeklyLine::Heading(..))),
                    )
                }
                Shown::More { hidden, .. } => {
                    let v = lang.strings().views;
                    (
                        format!(
                            "  … {} {} ({more_key} {})",
                            thousands(hidden, lang),
                            v.more,
                            v.shows_all
                        ),
                        false,
                    )
                }
            };
            let text = fit_cells(&text, width).into_owned();
            let mut style = if heading {
                Style::new().add_modifier(Modifier::BOLD)
            } else {
                Style::new()
            };
            if at == state.cursor {
                style = style.add_modifier(Modifier::REVERSED);
            }
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The weekly review handles its actions against its page.
impl PaneState for WeeklyState {
    fn handle(&mut self, action: Action, data: &DashboardData, _: Lang) -> Step {
        // The state's own `handle`, given the page it walks.
        WeeklyState::handle(self, action, &data.weekly)
    }

    fn render(&self, frame: &mut Frame, area: Rect, ctx: &DrawContext) {
        draw_weekly(frame, area, &ctx.data.weekly, self, *ctx);
    }
}

/// A count with the language's thousands separator: `2,043`, `2 043`.
fn thousands(n: usize, lang: Lang) -> String {
    let digits = n.to_string();
    let mark = match lang {
        Lang::En => ',',
        Lang::Fi => ' ',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(mark);
        }
        out.push(c);
    }
    out
}

fn section_title(section: Section, lang: Lang) -> &'static str {
    let r = ReviewStrings::of(lang);
    match section {
        Section::NewCustomers => r.new_customers,
        Section::StageMoves => r.stage_moves,
        Section::FollowUpsDone => r.followups_done,
        Section::FollowUpsOverdue => r.followups_overdue,
        Section::AtRisk => r.at_risk,
        Section::LastMonth => r.last_month,
        Section::Headline => lang.strings().views.this_week,
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
    let r = ReviewStrings::of(lang);
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
        WeeklyLine::Pyramid(changes) => {
            let v = lang.strings().views;
            if changes.is_empty() {
                format!("  {}: {}", v.pyramid, v.no_moves)
            } else {
                let told: Vec<String> = changes
                    .iter()
                    .map(|(stage, now, change)| {
                        format!("{} {now} ({change:+})", stage_name(lang, *stage))
                    })
                    .collect();
                format!("  {}: {}", v.pyramid, told.join(" · "))
            }
        }
        WeeklyLine::Blank => String::new(),
    }
}

fn last_month_text(cohort: &LastMonthCohort, lang: Lang) -> String {
    let r = ReviewStrings::of(lang);
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
    let r = ReviewStrings::of(lang);
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
        assert_eq!(state.visible(10), 0..0);
    }

    /// A headline, then `n` new customers, then last month.
    fn page_with(n: usize) -> WeeklyPage {
        let mut page = WeeklyPage::default();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
        page.lines = vec![
            WeeklyLine::Heading(Section::Headline, None),
            WeeklyLine::Pyramid(Vec::new()),
            WeeklyLine::Blank,
            WeeklyLine::Heading(Section::NewCustomers, Some(n)),
        ];
        for i in 0..n {
            page.lines.push(WeeklyLine::Customer {
                id: i as i64 + 1,
                name: format!("Customer {i}"),
                detail: Detail::New {
                    first_purchase: day,
                },
            });
        }
        page.lines.push(WeeklyLine::Blank);
        let last = page.lines.len();
        page.lines
            .push(WeeklyLine::Heading(Section::LastMonth, None));
        page.lines.push(WeeklyLine::Blank);
        page.sections = vec![
            (Section::Headline, 0..3),
            (Section::NewCustomers, 3..last),
            (Section::LastMonth, last..page.lines.len()),
        ];
        page
    }

    #[test]
    fn a_long_section_shows_its_top_and_how_many_more_and_one_key_shows_all() {
        let page = page_with(2053);
        let mut state = WeeklyState::new(&page);
        // Heading, pyramid, blank; heading, ten customers, more, blank; last month.
        assert_eq!(state.shown.len(), 3 + 1 + TOP + 2 + 2);
        assert_eq!(
            state.shown.get(4 + TOP),
            Some(&Shown::More {
                section: Section::NewCustomers,
                hidden: 2043
            })
        );
        assert_eq!(state.cursor, 0, "the headline first");
        state.handle(Action::NextSection, &page);
        assert_eq!(state.section(&page), Some(Section::NewCustomers));
        assert_eq!(state.visible(8).start, 3, "the section starts the screen");
        state.handle(Action::ShowAll, &page);
        assert_eq!(state.shown.len(), 3 + 1 + 2053 + 1 + 2);
        state.handle(Action::Last, &page);
        assert_eq!(state.section(&page), Some(Section::LastMonth));
        state.handle(Action::PreviousSection, &page);
        state.handle(Action::ShowAll, &page);
        assert_eq!(state.shown.len(), 3 + 1 + TOP + 2 + 2, "the top again");
        // Enter on the "more" line shows them all, the cursor on the first new one.
        state.cursor = 4 + TOP;
        assert!(matches!(state.handle(Action::Open, &page), Step::Nothing));
        assert_eq!(state.customer(&page), Some(TOP as i64 + 1));
        assert_eq!(thousands(2043, Lang::Fi), "2 043");
        assert_eq!(thousands(999, Lang::En), "999");
    }

    #[test]
    fn a_short_section_is_shown_whole_and_show_all_does_nothing() {
        let page = page_with(TOP);
        let mut state = WeeklyState::new(&page);
        assert_eq!(state.shown.len(), page.lines.len());
        state.handle(Action::NextSection, &page);
        assert!(!state.can(Action::ShowAll, &page));
        let before = state.clone();
        state.handle(Action::ShowAll, &page);
        assert_eq!(state, before);
    }
}
