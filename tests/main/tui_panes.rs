//! Every pane rendered at 100x30 on the fixed dataset, compared as snapshots.

use crate::common;

use common::{app, card, render};
use kanta::i18n::Lang;
use kanta::tui::action::{Action, Pane};
use kanta::tui::app::{App, Effect};

fn shot(app: &App) -> String {
    render(app, 100, 30)
}

fn open_card(app: &mut App) {
    if let Effect::LoadCard(id) = app.update(Action::Open) {
        app.set_card(id, Some(card()));
    }
}

#[test]
fn pyramid() {
    insta::assert_snapshot!(shot(&app(Lang::En)));
}

#[test]
fn pyramid_in_finnish() {
    insta::assert_snapshot!(shot(&app(Lang::Fi)));
}

#[test]
fn rfm_matrix() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Rfm));
    a.update(Action::Down);
    a.update(Action::Left);
    insta::assert_snapshot!(shot(&a));
}

#[test]
fn cohorts_per_month_and_cumulative() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Cohorts));
    a.update(Action::Right);
    insta::assert_snapshot!("cohorts_per_month", shot(&a));
    a.update(Action::ToggleCumulative);
    insta::assert_snapshot!("cohorts_cumulative", shot(&a));
}

#[test]
fn followups() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::FollowUps));
    a.update(Action::Down);
    insta::assert_snapshot!(shot(&a));
}

#[test]
fn customers_sorted_by_revenue() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Customers));
    a.update(Action::CycleSort);
    a.update(Action::CycleSort);
    insta::assert_snapshot!(shot(&a));
}

/// With the churn model fitted: highest P(alive) first, so the long-gone
/// one-time buyer comes last among those with one; at 120 columns the list also
/// shows the expected purchase days and revenue of the next 12 months.
#[test]
fn customers_sorted_by_p_alive_with_expectations() {
    let mut data = common::data();
    for row in &mut data.customers {
        let (p_alive, days, revenue) = match row.name.as_str() {
            "Maija Mäki" => (0.96, 6.2, 4_100.0),
            "Bertil Ek" => (0.61, 1.4, 96.3),
            "Pekka Järvinen" => (0.03, 0.02, 0.9),
            "Aino Virtanen" => (0.874, 4.5, 1_912.5),
            _ => continue,
        };
        row.p_alive = Some(p_alive);
        row.expected_365d = Some(days);
        row.expected_revenue_365d = Some(revenue);
    }
    data.rank_customers();
    let mut a = App::new(data, Lang::En, kanta::tui::keymap::Keymap::default());
    a.update(Action::GoTo(Pane::Customers));
    for _ in 0..kanta::tui::panes::customers::P_ALIVE {
        a.update(Action::CycleSort);
    }
    let screen = render(&a, 120, 30);
    let at = |name: &str| screen.find(name).unwrap();
    assert!(at("Maija Mäki") < at("Aino Virtanen"), "{screen}");
    assert!(at("Aino Virtanen") < at("Bertil Ek"), "{screen}");
    assert!(at("Bertil Ek") < at("Pekka Järvinen"), "{screen}");
    assert!(at("Pekka Järvinen") < at("Sanna Saari"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn customer_card() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Customers));
    open_card(&mut a);
    insta::assert_snapshot!(shot(&a));
}

#[test]
fn customer_card_in_finnish() {
    let mut a = app(Lang::Fi);
    a.update(Action::GoTo(Pane::Customers));
    open_card(&mut a);
    insta::assert_snapshot!(shot(&a));
}

#[test]
fn drill_down_list_of_a_stage() {
    let mut a = app(Lang::En);
    a.update(Action::Down);
    a.update(Action::Open);
    insta::assert_snapshot!(shot(&a));
}

#[test]
fn search_by_phone_digits() {
    let mut a = app(Lang::En);
    a.update(Action::Search);
    for c in "0401234".chars() {
        a.update(Action::SearchInput(c));
    }
    insta::assert_snapshot!(shot(&a));
}

#[test]
fn help_overlay_of_followups() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::FollowUps));
    a.update(Action::Help);
    insta::assert_snapshot!(shot(&a));
}

#[test]
fn too_small_terminal_gets_a_message() {
    let a = app(Lang::En);
    insta::assert_snapshot!(render(&a, 40, 10));
}

#[test]
fn tiny_terminals_never_panic() {
    let mut a = app(Lang::En);
    for pane in Pane::ALL {
        a.update(Action::GoTo(pane));
        for (w, h) in [(0, 0), (1, 1), (59, 15), (60, 16), (61, 17), (300, 5)] {
            let text = render(&a, w, h);
            assert!(!text.contains("draw failed"), "{pane:?} at {w}x{h}");
        }
    }
}

#[test]
fn escape_sequences_from_the_store_are_shown_escaped() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Customers));
    let text = shot(&a);
    assert!(text.contains("Evil^[[31mName"), "{text}");
    assert!(!text.contains('\u{1b}'));
    a.update(Action::GoTo(Pane::FollowUps));
    let text = shot(&a);
    assert!(text.contains("Check in^[]0;pwned^G"), "{text}");
}

#[test]
fn empty_store_draws_every_pane() {
    let mut a = App::new(
        kanta::tui::data::DashboardData::empty(common::as_of(), "EUR"),
        Lang::En,
        kanta::tui::keymap::Keymap::default(),
    );
    for pane in Pane::ALL {
        a.update(Action::GoTo(pane));
        a.update(Action::Down);
        a.update(Action::Open);
        let text = render(&a, 100, 30);
        assert!(text.contains("kanta"), "{pane:?}: {text}");
        a.update(Action::Back);
    }
    a.update(Action::GoTo(Pane::Customers));
    insta::assert_snapshot!("empty_customers", render(&a, 100, 30));
}

#[test]
fn interaction_form_over_the_card() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Customers));
    open_card(&mut a);
    a.update(Action::LogInteraction);
    insta::assert_snapshot!(shot(&a));
}

#[test]
fn note_prompt_over_followups() {
    let mut a = app(Lang::Fi);
    a.update(Action::GoTo(Pane::FollowUps));
    a.update(Action::Note);
    insta::assert_snapshot!(shot(&a));
}

#[test]
fn status_line_escapes_store_text_too() {
    let mut a = app(Lang::En);
    a.set_status(kanta::tui::app::Status::Error(
        "ref \u{1b}[2J is in use".into(),
    ));
    let text = shot(&a);
    assert!(text.contains("Error: ref ^[[2J is in use"), "{text}");
}

/// After another program's write, before the load that follows: a new
/// customer after the last row and a changed one in place, their own
/// purchases shown, the figures that rank them among everyone waiting (`…`),
/// found by the search at once. At both sizes, in both languages.
#[test]
fn customers_another_program_wrote_wait_for_their_figures() {
    use kanta::domain::{CustomerFacts, DayTotal, Listing};
    for lang in [Lang::En, Lang::Fi] {
        let mut data = common::data();
        let last = data.customers.iter().map(|r| r.id).max().unwrap();
        let first = data.customers[0].id;
        let day = |text: &str| text.parse::<chrono::NaiveDate>().unwrap();
        let facts = |id, reference: &str, on: &str, cents| CustomerFacts {
            id,
            reference: reference.into(),
            days: vec![DayTotal {
                date: day(on),
                amount_cents: cents,
                is_purchase: true,
            }],
            created_on: day(on),
            ..CustomerFacts::default()
        };
        let listing = |id, reference: &str, name: &str| Listing {
            id,
            reference: reference.into(),
            name: name.into(),
            phones: vec!["040 765 4321".into()],
            ..Listing::default()
        };
        let shown = data.show_changed(vec![
            (
                first,
                Some((
                    facts(first, "K-1", "2024-06-01", 12_000),
                    listing(first, "K-1", "Aino Uusinimi"),
                )),
            ),
            (
                last + 1,
                Some((
                    facts(last + 1, "WEB-7", "2024-06-02", 4_250),
                    listing(last + 1, "WEB-7", "Zeta Verkkokauppa"),
                )),
            ),
        ]);
        assert!(shown);
        let mut a = App::new(data, lang, kanta::tui::keymap::Keymap::default());
        a.update(Action::GoTo(Pane::Customers));
        let suffix = match lang {
            Lang::En => "en",
            Lang::Fi => "fi",
        };
        for (width, height) in [(80, 24), (120, 40)] {
            let screen = render(&a, width, height);
            assert!(screen.contains("Zeta Verkkokauppa"), "{screen}");
            assert!(screen.contains('…'), "{screen}");
            insta::assert_snapshot!(format!("awaiting_{width}x{height}_{suffix}"), screen);
        }
        a.update(Action::Search);
        for c in "zeta".chars() {
            a.update(Action::SearchInput(c));
        }
        let screen = render(&a, 80, 24);
        assert!(screen.contains("Zeta Verkkokauppa"), "{screen}");
        insta::assert_snapshot!(format!("awaiting_search_80x24_{suffix}"), screen);
    }
}
