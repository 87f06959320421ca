//! The follow-up list worked through: its filter, a contact logged from it,
//! the reasons in the UI language, and the pane at 80x24 and 120x40 in both
//! languages. The day is the fixture's, 2026-11-23.

use crate::common;

use chrono::{DateTime, NaiveDate, Utc};
use common::{as_of, data, day, render};
use kanta::domain::{CadenceFrom, FollowUp, FollowUpStatus, FollowUpWhen, RuleFigures, Valued};
use kanta::i18n::Lang;
use kanta::tui::action::{Action, Pane};
use kanta::tui::app::{App, Effect};
use kanta::tui::keymap::Keymap;
use kanta::tui::panes::followups::Filter;

fn rule(id: i64, customer_id: i64, due: NaiveDate, figures: RuleFigures, note: &str) -> FollowUp {
    FollowUp {
        id,
        customer_id,
        due,
        status: FollowUpStatus::Open,
        rule: Some(figures.rule_code().to_string()),
        anchor: Some(due),
        figures: Some(figures),
        reason: String::new(),
        note: note.into(),
        created_at: DateTime::<Utc>::default(),
        done_at: None,
        created_by: None,
        acted_by: None,
    }
}

/// The fixture's three written by hand, and five of the rules: one of them
/// 31 days overdue (expired, left out) and one exactly 30 (still listed).
fn followups() -> Vec<FollowUp> {
    let mut all = common::followups();
    all.push(rule(
        20,
        4,
        day(2026, 10, 24),
        RuleFigures::CheckIn {
            last_purchase: day(2026, 7, 1),
            median_gap_days: 20.5,
        },
        "",
    ));
    all.push(rule(
        21,
        5,
        day(2026, 10, 23),
        RuleFigures::CheckIn {
            last_purchase: day(2026, 6, 1),
            median_gap_days: 30.0,
        },
        "",
    ));
    all.push(rule(
        22,
        5,
        day(2026, 11, 21),
        RuleFigures::ThankYou {
            first_purchase: day(2026, 11, 18),
        },
        "",
    ));
    all.push(rule(
        23,
        1,
        day(2026, 11, 23),
        RuleFigures::AtRisk {
            who: Valued::KeyCustomer,
            p_alive: 0.42,
            last_purchase: day(2026, 11, 20),
        },
        "ask about the catering order",
    ));
    all.push(rule(
        24,
        7,
        day(2026, 12, 22),
        RuleFigures::Cadence {
            every_days: 1,
            from: CadenceFrom::Done,
            since: day(2026, 11, 22),
        },
        "",
    ));
    all
}

fn app(lang: Lang) -> App {
    let mut data = data();
    data.set_followups(&followups());
    let mut app = App::new(data, lang, Keymap::default());
    app.update(Action::GoTo(Pane::FollowUps));
    app
}

fn ids(app: &App) -> Vec<i64> {
    app.followups
        .list
        .shown
        .iter()
        .map(|&i| app.data.followups[i].id)
        .collect()
}

#[test]
fn a_rules_follow_up_thirty_days_overdue_is_listed_and_thirty_one_is_not() {
    let a = app(Lang::En);
    // 2026-10-24 is 30 days before the 23rd of November, 2026-10-23 is 31.
    assert!(ids(&a).contains(&20));
    assert!(!ids(&a).contains(&21));
    assert_eq!(a.data.followups.len(), 7);
}

#[test]
fn one_key_cycles_the_filter_through_when_and_each_rule_present() {
    let mut a = app(Lang::En);
    let mut seen = Vec::new();
    for _ in 0..9 {
        a.update(Action::CycleFilter);
        seen.push((a.followups.filter.label(Lang::En), ids(&a)));
    }
    let labels: Vec<&str> = seen.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "overdue",
            "today",
            "upcoming",
            "thank-you",
            "check-in",
            "at risk",
            "cadence",
            "written by hand",
            "all"
        ]
    );
    // By due date: the check-in (24.10.), the note (20.11.), the thank-you (21.11.).
    assert_eq!(seen[0].1, vec![20, 11, 22]);
    assert_eq!(seen[1].1, vec![10, 23]);
    assert_eq!(seen[2].1, vec![12, 24]);
    assert_eq!(seen[7].1, vec![11, 10, 12]);
    assert_eq!(seen[8].1.len(), 7);
    assert_eq!(a.followups.filter, Filter::All);
}

#[test]
fn keys_act_on_the_follow_up_under_the_cursor_of_the_filtered_list() {
    let mut a = app(Lang::En);
    a.update(Action::CycleFilter);
    a.update(Action::CycleFilter);
    assert_eq!(a.followups.filter, Filter::When(FollowUpWhen::Today));
    a.update(Action::Down);
    assert_eq!(a.update(Action::Done), Effect::FollowUpDone(23));
    assert_eq!(
        a.update(Action::SnoozeDay),
        Effect::Snooze {
            id: 23,
            due: day(2026, 11, 24)
        }
    );
}

#[test]
fn a_contact_is_logged_from_the_list_for_the_follow_ups_customer() {
    let mut a = app(Lang::En);
    // The first row is Pekka's check-in.
    a.update(Action::LogInteraction);
    assert!(a.modal.is_some(), "the contact form opened from the list");
    let form = render(&a, 100, 30);
    assert!(form.contains("Log contact"), "{form}");
    a.modal = None;
    a.update(Action::Down);
    a.update(Action::LogCall);
    let form = render(&a, 100, 30);
    assert!(form.contains("Log contact: call"), "{form}");
}

#[test]
fn the_list_keys_are_in_help() {
    let keymap = Keymap::default();
    let help = keymap.help(kanta::tui::keymap::Context::Pane(Pane::FollowUps));
    for action in [Action::CycleFilter, Action::LogInteraction, Action::LogCall] {
        assert!(help.iter().any(|(_, a)| *a == action), "{action:?}");
    }
}

#[test]
fn the_title_names_the_filter_and_the_count() {
    let mut a = app(Lang::Fi);
    a.update(Action::CycleFilter);
    let screen = render(&a, 100, 30);
    assert!(screen.contains("Seuranta · myöhässä (3/7)"), "{screen}");
    assert_eq!(as_of(), day(2026, 11, 23));
}

#[test]
fn snapshot_80x24_in_english() {
    insta::assert_snapshot!(render(&app(Lang::En), 80, 24));
}

#[test]
fn snapshot_80x24_in_finnish() {
    insta::assert_snapshot!(render(&app(Lang::Fi), 80, 24));
}

#[test]
fn snapshot_120x40_in_english() {
    insta::assert_snapshot!(render(&app(Lang::En), 120, 40));
}

#[test]
fn snapshot_120x40_in_finnish_filtered_to_a_rule() {
    let mut a = app(Lang::Fi);
    for _ in 0..5 {
        a.update(Action::CycleFilter);
    }
    insta::assert_snapshot!(render(&a, 120, 40));
}
