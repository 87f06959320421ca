//! The weekly review and the duplicates view, over a small store written
//! through the store's own calls, at a fixed date.

use crate::review_common;

use kanta::config::Config;
use kanta::domain::Stage;
use kanta::i18n::Lang;
use kanta::store::Store;
use kanta::tui::action::Action;
use kanta::tui::app::App;
use kanta::tui::app::Step;
use kanta::tui::data::DashboardData;
use kanta::tui::keymap::Keymap;
use kanta::tui::panes::duplicates::{
    self, Comparison, DuplicatesEffect, DuplicatesState, DuplicatesStep,
};
use kanta::tui::panes::weekly::{
    self, ChurnNote, Detail, Section, Shown, WeeklyLine, WeeklyPage, WeeklyState,
};
use ratatui::layout::Rect;
use ratatui::{Frame, Terminal, backend::TestBackend};
use review_common::{as_of, day, followups, id_of, load, store};

fn page(data: &DashboardData) -> WeeklyPage {
    WeeklyPage::build(data, &Config::default().pyramid, &followups(data))
}

fn render(width: u16, height: u16, draw: impl FnOnce(&mut Frame, Rect)) -> String {
    let mut terminal =
        Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| match e {});
    if terminal.draw(|f| draw(f, f.area())).is_err() {
        return String::from("draw failed");
    }
    if width == 0 {
        return String::new();
    }
    terminal.backend().to_string()
}

fn customers_in(page: &WeeklyPage, pick: impl Fn(&Detail) -> bool) -> Vec<String> {
    page.lines
        .iter()
        .filter_map(|l| match l {
            WeeklyLine::Customer { name, detail, .. } if pick(detail) => Some(name.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn weekly_page_walks_the_report_sections() {
    let data = load(&mut store());
    let page = page(&data);
    assert_eq!(page.week, Some((day(2026, 11, 17), as_of())));
    assert_eq!(
        customers_in(&page, |d| matches!(d, Detail::New { .. })),
        ["Sanna Saari", "Pekka Järvinen"]
    );
    let moves: Vec<(Stage, Stage, usize)> = page
        .lines
        .iter()
        .filter_map(|l| match l {
            WeeklyLine::Moves { from, to, count } => Some((*from, *to, *count)),
            _ => None,
        })
        .collect();
    // Sanna and Pekka did not exist a week ago (the store holds them from their
    // first orders, in the week): new customers, not moves. Bertil's second day
    // makes him a regular; the key threshold ranks the two active repeat
    // customers, so only Aino (1 234.50 in W) is key, as a week ago.
    assert_eq!(moves.first(), Some(&(Stage::Customer, Stage::Regular, 1)));
    assert!(
        !moves.iter().any(|(from, _, _)| *from == Stage::Suspect),
        "{moves:?}"
    );
    assert!(
        moves.contains(&(Stage::Regular, Stage::Lapsed, 1)),
        "{moves:?}"
    );
    assert_eq!(
        customers_in(&page, |d| matches!(d, Detail::FollowUpDone { .. })),
        ["Bertil Ek"]
    );
    assert_eq!(
        customers_in(&page, |d| matches!(d, Detail::FollowUpOverdue { .. })),
        ["Aino Virtanen"]
    );
    assert!(page.lines.contains(&WeeklyLine::ChurnUnfitted(
        ChurnNote::TooFewRepeatCustomers {
            found: 3,
            needed: 30
        }
    )));
    let revenue = page.lines.iter().find_map(|l| match l {
        WeeklyLine::Revenue {
            week_cents,
            average_cents,
        } => Some((*week_cents, *average_cents)),
        _ => None,
    });
    // 400 + 80 + 35 + 59.90 this week; 500 + 120 + 25 in the 12 weeks before
    // (from 2026-08-25: the order of 2026-08-02 is older).
    assert_eq!(revenue, Some((57_490, 64_500 / 12)));
    // The headline first, then the sections in the Markdown's order, each
    // from its heading to the blank line after it, none left out.
    let order: Vec<Section> = page.sections.iter().map(|(s, _)| *s).collect();
    assert_eq!(order, kanta::analytics::weekly::SECTIONS);
    assert_eq!(
        page.lines.get(1),
        Some(&WeeklyLine::Revenue {
            week_cents: 57_490,
            average_cents: 64_500 / 12
        })
    );
    let mut next = 0;
    for (section, lines) in &page.sections {
        assert_eq!(lines.start, next, "{section:?}");
        assert!(matches!(page.lines[lines.start], WeeklyLine::Heading(s, _) if s == *section));
        next = lines.end;
    }
    assert_eq!(next, page.lines.len());
}

/// The page drawn in a dashboard at `width` x `height`, the cursor on the
/// `cursor`-th customer line.
fn draw_page(data: &DashboardData, page: &WeeklyPage, cursor: usize, lang: Lang) -> String {
    let app = App::new(data.clone(), lang, Keymap::default());
    let mut state = WeeklyState::new(page);
    let customers: Vec<usize> = (0..state.shown.len())
        .filter(|&i| matches!(state.shown[i], Shown::Line(l) if page.customer_at(l).is_some()))
        .collect();
    state.cursor = customers.get(cursor).copied().unwrap_or(0);
    render(100, 30, |f, a| {
        weekly::draw_weekly(f, a, page, &state, &app)
    })
}

#[test]
fn weekly_review_snapshot() {
    let data = load(&mut store());
    let page = page(&data);
    insta::assert_snapshot!(draw_page(&data, &page, 1, Lang::En));
}

#[test]
fn weekly_review_in_finnish_with_the_churn_model_fitted() {
    let mut data = load(&mut store());
    // As if the model were fitted: Aino, the most valuable, looks gone.
    data.churn_unfitted = None;
    for row in &mut data.customers {
        row.p_alive = (row.frequency > 0).then_some(if row.name == "Aino Virtanen" {
            0.23
        } else {
            0.9
        });
        row.expected_365d = row.p_alive.map(|p| 3.0 * p);
        row.expected_revenue_365d = row.p_alive.map(|p| 150.0 * p);
    }
    let page = page(&data);
    assert_eq!(
        customers_in(&page, |d| matches!(d, Detail::AtRisk { .. })),
        ["Aino Virtanen"]
    );
    let last = page.customer_lines().len().saturating_sub(1);
    insta::assert_snapshot!(draw_page(&data, &page, last, Lang::Fi));
}

#[test]
fn weekly_cursor_moves_over_headings_and_customers_and_enter_opens_the_card() {
    let data = load(&mut store());
    let page = page(&data);
    let mut state = WeeklyState::new(&page);
    assert!(matches!(state.handle(Action::Up, &page), Step::Nothing));
    assert_eq!(state.cursor, 0, "on the headline");
    assert_eq!(state.section(&page), Some(Section::Headline));
    // The next line one can be on is the new customers' heading, then Sanna.
    state.handle(Action::Down, &page);
    assert_eq!(state.section(&page), Some(Section::NewCustomers));
    assert!(matches!(state.handle(Action::Open, &page), Step::Nothing));
    state.handle(Action::Down, &page);
    let first = state.customer(&page);
    assert_eq!(first, Some(id_of(&data, "R03")));
    match state.handle(Action::Open, &page) {
        Step::OpenCard(id) => assert_eq!(Some(id), first),
        other => panic!("expected a card, got {other:?}"),
    }
    state.handle(Action::Down, &page);
    assert_eq!(state.customer(&page), Some(id_of(&data, "R04")));
    // ] and [ jump from heading to heading.
    state.handle(Action::NextSection, &page);
    assert_eq!(state.section(&page), Some(Section::StageMoves));
    state.handle(Action::NextSection, &page);
    state.handle(Action::NextSection, &page);
    assert_eq!(state.section(&page), Some(Section::FollowUpsOverdue));
    state.handle(Action::PreviousSection, &page);
    assert_eq!(state.section(&page), Some(Section::FollowUpsDone));
    state.handle(Action::Last, &page);
    assert_eq!(state.section(&page), Some(Section::LastMonth));
    assert!(!state.can(Action::NextSection, &page));
    state.handle(Action::First, &page);
    assert_eq!(state.cursor, 0);
    // A reload with fewer lines keeps the cursor on the page.
    state.cursor = 999;
    state.clamp(&page);
    assert!(state.cursor < state.shown.len());
}

#[test]
fn weekly_scroll_keeps_the_cursor_on_screen_and_a_section_jumped_to_at_the_top() {
    let data = load(&mut store());
    let page = page(&data);
    for height in 1..page.lines.len() + 3 {
        let mut state = WeeklyState::new(&page);
        for _ in 0..page.lines.len() {
            state.handle(Action::Down, &page);
            assert!(state.visible(height).contains(&state.cursor), "{height}");
        }
        state.handle(Action::First, &page);
        for _ in 0..8 {
            state.handle(Action::NextSection, &page);
            let shown = state.visible(height);
            assert!(shown.contains(&state.cursor));
            let room = state.shown.len() - state.cursor;
            if room >= height {
                assert_eq!(shown.start, state.cursor, "the heading at the top");
            }
        }
    }
}

#[test]
fn an_empty_store_has_a_review_and_no_duplicates_and_never_panics() {
    let mut store = match Store::open_in_memory() {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let data = load(&mut store);
    let open = match store.open_followups() {
        Ok(open) => open,
        Err(e) => panic!("{e}"),
    };
    let page = match weekly::load(&store, &data, &Config::default().pyramid, &open) {
        Ok(page) => page,
        Err(e) => panic!("{e}"),
    };
    assert!(page.customer_lines().is_empty());
    let mut state = WeeklyState::new(&page);
    assert!(matches!(state.handle(Action::Open, &page), Step::Nothing));
    for action in [
        Action::Down,
        Action::NextSection,
        Action::ShowAll,
        Action::Last,
    ] {
        for _ in 0..20 {
            state.handle(action, &page);
        }
    }
    assert!(state.cursor < page.lines.len());
    let app = App::new(data.clone(), Lang::En, Keymap::default());
    let fi = App::new(data.clone(), Lang::Fi, Keymap::default());
    let mut dups = DuplicatesState::default();
    dups.set_candidates(
        store.duplicate_candidates().unwrap_or_default(),
        &data,
        Lang::Fi,
    );
    assert_eq!(
        dups.handle(Action::Open, &data, Lang::Fi),
        DuplicatesStep::Nothing
    );
    for (w, h) in [(0, 0), (1, 1), (10, 3), (59, 15), (100, 30), (300, 5)] {
        for text in [
            render(w, h, |f, a| weekly::draw_weekly(f, a, &page, &state, &app)),
            render(w, h, |f, a| {
                duplicates::draw_duplicates(f, a, &dups, &data, &fi)
            }),
        ] {
            assert!(!text.contains("draw failed"), "{w}x{h}");
        }
    }
}

fn comparison(store: &Store) -> Comparison {
    let pairs = store.duplicate_candidates().unwrap_or_default();
    let Some(pair) = pairs.first() else {
        panic!("no candidates");
    };
    match duplicates::load_comparison(store, pair) {
        Ok(Some(c)) => c,
        other => panic!("comparison: {other:?}"),
    }
}

#[test]
fn duplicates_list_opens_a_comparison_most_likely_first() {
    let mut store = store();
    let data = load(&mut store);
    let app = App::new(data.clone(), Lang::En, Keymap::default());
    let mut state = DuplicatesState::default();
    let en = Lang::En;
    assert_eq!(
        state.handle(Action::Down, &data, en),
        DuplicatesStep::Nothing
    );
    let pairs = store.duplicate_candidates().unwrap_or_default();
    assert!(pairs.len() >= 2, "{pairs:?}");
    state.set_candidates(pairs.clone(), &data, en);
    assert_eq!(
        state.handle(Action::Open, &data, en),
        DuplicatesStep::Effect(DuplicatesEffect::Compare(pairs[0].clone()))
    );
    state.handle(Action::Down, &data, en);
    state.handle(Action::PageDown, &data, en);
    assert_eq!(state.list.selected, pairs.len() - 1);
    state.handle(Action::Up, &data, en);
    state.handle(Action::Up, &data, en);
    state.handle(Action::PageUp, &data, en);
    assert_eq!(state.list.selected, 0);
    let screen = render(100, 30, |f, a| {
        duplicates::draw_duplicates(f, a, &state, &data, &app)
    });
    // Both refs of each pair are shown whole: they tell the pair apart.
    for pair in &pairs {
        for id in [pair.a, pair.b] {
            let reference = &data.facts[data.index_of[&id]].reference;
            assert!(screen.contains(reference.as_str()), "{reference}: {screen}");
        }
    }
    insta::assert_snapshot!("duplicates_list", screen);
    let looking = DuplicatesState::default();
    let text = render(100, 30, |f, a| {
        duplicates::draw_duplicates(f, a, &looking, &data, &app)
    });
    assert!(text.contains("Looking for duplicates…"), "{text}");
}

#[test]
fn comparison_chooses_whom_to_keep_and_asks_before_merging() {
    let store = store();
    let mut c = comparison(&store);
    // The first record has three orders, the other fewer: keep the first.
    assert_eq!(c.keep, 0);
    assert_eq!(c.sides[0].orders, 3);
    assert_eq!(c.sides[0].revenue_cents, 123_450);
    assert_eq!(c.sides[0].first_purchase, Some(day(2025, 12, 3)));
    assert_eq!(c.sides[0].last_purchase, Some(day(2026, 11, 20)));
    insta::assert_snapshot!(
        "duplicates_comparison",
        render(100, 30, |f, a| duplicates::draw_comparison(
            f,
            a,
            &c,
            Lang::En,
            "EUR"
        ))
    );
    c.handle(Action::Right, Lang::En);
    assert_eq!(c.keep, 1);
    c.handle(Action::Down, Lang::En);
    assert_eq!(c.keep, 1);
    c.handle(Action::Left, Lang::En);
    assert_eq!(c.keep, 0);
    c.handle(Action::KeepRight, Lang::En);
    assert_eq!(c.keep, 1);
    c.handle(Action::KeepLeft, Lang::En);
    let (a, b) = (c.sides[0].customer.id, c.sides[1].customer.id);
    match c.handle(Action::Merge, Lang::En) {
        DuplicatesStep::Confirm {
            keep,
            other,
            message,
        } => {
            assert_eq!((keep, other), (a, b));
            assert_eq!(message, "Merge R08 into R01? R08 is deleted.");
        }
        other => panic!("expected a confirmation, got {other:?}"),
    }
    c.handle(Action::Right, Lang::En);
    assert!(matches!(
        c.merge(Lang::Fi),
        DuplicatesStep::Confirm { keep, other, .. } if keep == b && other == a
    ));
}

#[test]
fn merging_the_kept_pair_leaves_one_customer_with_both_histories() {
    let mut store = store();
    let c = comparison(&store);
    let (keep, other) = (c.sides[0].customer.id, c.sides[1].customer.id);
    let orders = c.sides[0].orders + c.sides[1].orders;
    if let Err(e) = store.merge_customers(keep, other) {
        panic!("merge: {e}");
    }
    assert!(matches!(store.customer(other), Ok(None)));
    assert_eq!(store.orders_of(keep).map(|o| o.len()).ok(), Some(orders));
    let pairs = store.duplicate_candidates().unwrap_or_default();
    assert!(pairs.iter().all(|p| p.a != other && p.b != other));
}
