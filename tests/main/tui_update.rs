//! `App::update` for every action, without a terminal or a store.

use crate::common;

use chrono::NaiveDate;
use common::{app, as_of, card, day};
use kanta::domain::InteractionKind;
use kanta::i18n::Lang;
use kanta::tui::action::{Action, Pane};
use kanta::tui::app::{App, Effect, View};
use kanta::tui::forms::FormResult;
use kanta::tui::keymap::Context;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(app: &mut App, code: KeyCode) -> Effect {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn quit_stops_the_loop() {
    let mut a = app(Lang::En);
    assert_eq!(a.update(Action::Quit), Effect::Quit);
    assert!(!a.running);
}

#[test]
fn ctrl_c_quits_from_anywhere_like_q() {
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let mut a = app(Lang::En);
    assert_eq!(a.handle_key(ctrl_c), Effect::Quit);
    assert!(!a.running);
    // Also from a form and from the search box, where q is typed text.
    let mut a = app(Lang::En);
    key(&mut a, KeyCode::Char('n'));
    assert!(a.modal.is_some());
    assert_eq!(a.handle_key(ctrl_c), Effect::Quit);
    assert!(!a.running);
    let mut a = app(Lang::En);
    key(&mut a, KeyCode::Char('/'));
    assert!(a.search.is_some());
    assert_eq!(a.handle_key(ctrl_c), Effect::Quit);
    assert!(!a.running);
}

#[test]
fn pane_keys_tab_and_shift_tab() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::FollowUps));
    assert_eq!(a.pane, Pane::FollowUps);
    a.update(Action::NextPane);
    assert_eq!(a.pane, Pane::Customers);
    a.update(Action::NextPane);
    assert_eq!(a.pane, Pane::Pyramid);
    a.update(Action::PrevPane);
    assert_eq!(a.pane, Pane::Customers);
    key(&mut a, KeyCode::Char('2'));
    assert_eq!(a.pane, Pane::Rfm);
}

#[test]
fn switching_panes_closes_open_views() {
    let mut a = app(Lang::En);
    a.update(Action::Open);
    assert_eq!(a.stack.len(), 1);
    a.update(Action::GoTo(Pane::Rfm));
    assert!(a.stack.is_empty());
}

#[test]
fn pyramid_cursor_and_drill_down_to_card() {
    let mut a = app(Lang::En);
    a.update(Action::Up);
    assert_eq!(a.pyramid.selected, 0);
    a.update(Action::Down);
    a.update(Action::Down);
    assert_eq!(a.pyramid.stage(), kanta::domain::Stage::Regular);
    a.update(Action::Right);
    assert_eq!(a.pyramid.stage(), kanta::domain::Stage::Lapsed);
    a.update(Action::Left);
    assert_eq!(a.pyramid.stage(), kanta::domain::Stage::Advocate);
    a.update(Action::Down);
    assert_eq!(a.update(Action::Open), Effect::None);
    let Some(View::List(list)) = a.stack.last() else {
        panic!("no list: {:?}", a.stack);
    };
    assert_eq!(list.members, vec![1]);
    assert_eq!(a.context(), Context::List);
    assert_eq!(a.update(Action::Open), Effect::LoadCard(1));
    assert_eq!(a.open_card_id(), Some(1));
    a.update(Action::Back);
    a.update(Action::Back);
    assert!(a.stack.is_empty());
    assert_eq!(a.update(Action::Back), Effect::None);
}

#[test]
fn list_cursor_moves_within_bounds() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Rfm));
    a.update(Action::Down);
    a.update(Action::Left);
    a.update(Action::Open);
    let selected = |a: &App| match a.stack.last() {
        Some(View::List(l)) => l.list.selected,
        _ => usize::MAX,
    };
    a.update(Action::Down);
    a.update(Action::PageDown);
    assert_eq!(selected(&a), 0, "one member only");
    a.update(Action::PageUp);
    a.update(Action::Up);
    assert_eq!(selected(&a), 0);
}

#[test]
fn rfm_cursor_is_clamped_and_opens_its_cell() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Rfm));
    assert_eq!((a.rfm.r, a.rfm.f), (5, 5));
    a.update(Action::Up);
    a.update(Action::Right);
    assert_eq!((a.rfm.r, a.rfm.f), (5, 5));
    for _ in 0..6 {
        a.update(Action::Down);
        a.update(Action::Left);
    }
    assert_eq!((a.rfm.r, a.rfm.f), (1, 1));
    a.update(Action::Right);
    a.update(Action::Open);
    match a.stack.last() {
        Some(View::List(l)) => {
            assert_eq!(l.members, vec![4]);
            assert!(l.title.contains("Hibernating"), "{}", l.title);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn cohorts_toggle_cycle_and_drill() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Cohorts));
    a.update(Action::ToggleCumulative);
    assert!(a.cohorts.cumulative);
    a.update(Action::ToggleCumulative);
    assert!(!a.cohorts.cumulative);
    // The cursor cannot leave the triangle.
    for _ in 0..10 {
        a.update(Action::Right);
    }
    assert_eq!(a.cohorts.col, 3);
    a.update(Action::PageDown);
    assert_eq!(a.cohorts.row, 3);
    assert_eq!(a.cohorts.col, 0, "the last cohort has only month +0");
    a.update(Action::PageUp);
    a.update(Action::Down);
    a.update(Action::Up);
    assert_eq!(a.cohorts.row, 0);
    // August 2026, month +0: Aino and Bertil bought first then.
    a.update(Action::Open);
    match a.stack.last() {
        Some(View::List(l)) => assert_eq!(l.members, vec![1, 2]),
        other => panic!("{other:?}"),
    }
    a.update(Action::Back);
    a.update(Action::CycleSource);
    assert_eq!(
        a.cohorts.source,
        kanta::analytics::SourceFilter::Only(kanta::domain::Source::Offer)
    );
    assert_eq!(a.cohorts.row, 0);
    for _ in 0..5 {
        a.update(Action::CycleSource);
    }
    assert_eq!(
        a.cohorts.source,
        kanta::analytics::SourceFilter::NoSource,
        "the customers with no source come after the five sources"
    );
    a.update(Action::CycleSource);
    assert_eq!(
        a.cohorts.source,
        kanta::analytics::SourceFilter::Everyone,
        "cycles back to every source"
    );
}

#[test]
fn cumulative_drill_lists_repeat_buyers_by_that_month() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Cohorts));
    a.update(Action::ToggleCumulative);
    a.update(Action::Right);
    a.update(Action::Right);
    a.update(Action::Open);
    match a.stack.last() {
        // Bertil's second purchase day is in October (month +2); Aino's in November.
        Some(View::List(l)) => assert_eq!(l.members, vec![2]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn followup_keys_return_store_effects() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::FollowUps));
    // Sorted by due: the overdue one (id 11) first.
    assert_eq!(a.update(Action::Done), Effect::FollowUpDone(11));
    assert_eq!(
        a.update(Action::SnoozeDay),
        Effect::Snooze {
            id: 11,
            due: day(2026, 11, 24)
        },
        "an overdue follow-up snoozes from today"
    );
    a.update(Action::Down);
    a.update(Action::Down);
    assert_eq!(
        a.update(Action::SnoozeWeek),
        Effect::Snooze {
            id: 12,
            due: day(2026, 12, 8)
        },
        "an upcoming one from its due date"
    );
    a.update(Action::PageUp);
    assert_eq!(a.followups.list.selected, 0);
    a.update(Action::PageDown);
    assert_eq!(a.followups.list.selected, 2);
    assert_eq!(a.update(Action::Open), Effect::LoadCard(3));
}

#[test]
fn reschedule_goes_through_the_date_form_and_note_through_a_prompt() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::FollowUps));
    a.update(Action::Reschedule);
    assert!(a.modal.is_some());
    // While the form is open, letters are text, not commands.
    typed(&mut a, "2027-01-15");
    assert_eq!(a.pane, Pane::FollowUps);
    let due = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap_or_default();
    assert_eq!(
        key(&mut a, KeyCode::Enter),
        Effect::Reschedule { id: 11, due }
    );
    assert!(a.modal.is_none());
    a.update(Action::Reschedule);
    assert_eq!(key(&mut a, KeyCode::Esc), Effect::None);
    assert!(a.modal.is_none());

    a.update(Action::Note);
    assert!(a.prompt.is_some());
    typed(&mut a, "!");
    assert_eq!(
        key(&mut a, KeyCode::Enter),
        Effect::SetNote {
            id: 11,
            note: "left a message!".into()
        }
    );
    a.update(Action::Note);
    assert_eq!(key(&mut a, KeyCode::Esc), Effect::None);
    assert!(a.prompt.is_none());
}

#[test]
fn customers_sort_cycles_and_opens_the_card() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Customers));
    let first = |a: &App| a.customers.current(&a.data).map(|r| r.id);
    assert_eq!(first(&a), Some(1), "Aino first by name");
    // Each column in turn: company, phone, stage, last purchase, revenue,
    // P(alive), the next 12 months' purchase days and revenue, then name.
    let expected = [
        (
            Some(3),
            "Bad^GBell Oy before Kahvila Aino; those without one last",
        ),
        (Some(1), "+358 sorts before 040"),
        (Some(7), "advocates top the stage order"),
        (Some(1), "Aino bought last"),
        (Some(7), "Maija has the most revenue"),
        (
            Some(1),
            "highest P(alive) first; Aino is the only one with a P(alive), the rest follow",
        ),
        (Some(1), "the only one with expected purchase days"),
        (Some(1), "the only one with expected revenue"),
        (Some(1), "by name again"),
    ];
    for (id, why) in expected {
        a.update(Action::CycleSort);
        assert_eq!(first(&a), id, "{why}");
    }
    assert_eq!(a.customers.list.sort, kanta::tui::panes::customers::BY_NAME);
    a.update(Action::ReverseSort);
    assert_eq!(first(&a), Some(5), "Sanna last by name, first reversed");
    a.update(Action::ReverseSort);
    a.update(Action::Down);
    a.update(Action::PageDown);
    assert_eq!(a.customers.list.selected, 6);
    a.update(Action::Up);
    a.update(Action::PageUp);
    assert_eq!(a.customers.list.selected, 0);
    a.update(Action::Last);
    assert_eq!(a.customers.list.selected, 6);
    a.update(Action::First);
    assert_eq!(a.customers.list.selected, 0);
    assert_eq!(a.update(Action::Open), Effect::LoadCard(1));
    a.set_card(1, Some(card()));
    assert!(matches!(a.stack.last(), Some(View::Card(c)) if c.data.is_some()));
    // A customer gone meanwhile closes the card.
    a.set_card(1, None);
    assert!(a.stack.is_empty());
}

#[test]
fn help_opens_and_closes_and_swallows_other_keys() {
    let mut a = app(Lang::En);
    a.update(Action::Help);
    assert!(a.help);
    assert_eq!(a.context(), Context::Help);
    a.update(Action::GoTo(Pane::Rfm));
    assert_eq!(a.pane, Pane::Pyramid);
    a.update(Action::Help);
    assert!(!a.help);
    key(&mut a, KeyCode::Char('?'));
    key(&mut a, KeyCode::Char('q'));
    assert!(!a.help);
    assert!(a.running, "q closes help, it does not quit");
}

#[test]
fn search_types_moves_erases_and_opens() {
    let mut a = app(Lang::En);
    key(&mut a, KeyCode::Char('/'));
    assert_eq!(a.context(), Context::Search);
    typed(&mut a, "q");
    assert!(a.running, "q is text in search");
    key(&mut a, KeyCode::Backspace);
    typed(&mut a, "040");
    let results = |a: &App| {
        a.search
            .as_ref()
            .map(|s| s.results.clone())
            .unwrap_or_default()
    };
    assert_eq!(results(&a), vec![0, 1], "Aino's +358 40 and Bertil's 040-");
    typed(&mut a, "-765");
    assert_eq!(results(&a), vec![1]);
    a.update(Action::SearchErase);
    a.update(Action::Down);
    a.update(Action::Up);
    key(&mut a, KeyCode::Enter);
    assert!(a.search.is_none());
    assert_eq!(a.open_card_id(), Some(2));
}

#[test]
fn search_is_fuzzy_over_company_email_and_tags() {
    let mut a = app(Lang::En);
    a.update(Action::Search);
    let find = |a: &mut App, q: &str| {
        a.update(Action::Search);
        if let Some(s) = a.search.as_mut() {
            s.query.clear();
        }
        for c in q.chars() {
            a.update(Action::SearchInput(c));
        }
        a.search
            .as_ref()
            .map(|s| s.results.clone())
            .unwrap_or_default()
    };
    assert_eq!(find(&mut a, "kahvila"), vec![0]);
    assert_eq!(find(&mut a, "vip"), vec![0]);
    assert_eq!(find(&mut a, "@kahvila.fi"), vec![0], "email only");
    assert_eq!(find(&mut a, "jarvinen"), vec![3], "ä matches a");
    assert!(find(&mut a, "zzzz").is_empty());
    a.update(Action::Back);
    assert!(a.search.is_none());
}

fn ctrl_s(app: &mut App) -> Effect {
    app.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
}

#[test]
fn new_customer_form_saves_a_draft() {
    let mut a = app(Lang::En);
    key(&mut a, KeyCode::Char('n'));
    assert!(a.modal.is_some());
    typed(&mut a, "Kaisa Koivisto");
    let Effect::Save(result) = ctrl_s(&mut a) else {
        panic!("no save");
    };
    match *result {
        FormResult::Customer {
            id: None, draft, ..
        } => {
            assert_eq!(draft.name, "Kaisa Koivisto")
        }
        other => panic!("{other:?}"),
    }
    // Closed by the loop only once the store has committed the save.
    assert!(a.modal.is_some());
}

#[test]
fn referrer_is_picked_through_search() {
    let mut a = app(Lang::En);
    a.update(Action::NewCustomer);
    typed(&mut a, "Kaisa");
    // Name .. Source, then the referrer field: Space there asks for a pick.
    for _ in 0..8 {
        key(&mut a, KeyCode::Tab);
    }
    key(&mut a, KeyCode::Char(' '));
    assert!(a.search.as_ref().is_some_and(|s| s.picking));
    typed(&mut a, "maija");
    key(&mut a, KeyCode::Enter);
    assert!(a.search.is_none());
    assert!(a.stack.is_empty(), "picking opens no card");
    let Effect::Save(result) = ctrl_s(&mut a) else {
        panic!("no save");
    };
    match *result {
        FormResult::Customer { draft, .. } => assert_eq!(draft.referred_by, Some(7)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn edit_reads_the_customer_then_opens_the_form() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Customers));
    assert_eq!(key(&mut a, KeyCode::Char('e')), Effect::EditCustomer(1));
    a.open_edit(&card().customer);
    typed(&mut a, " Jr");
    let Effect::Save(result) = ctrl_s(&mut a) else {
        panic!("no save");
    };
    match *result {
        FormResult::Customer { id, draft, .. } => {
            assert_eq!(id, Some(1));
            assert_eq!(draft.name, "Aino Virtanen Jr");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn one_key_logs_a_call_on_the_card() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Customers));
    a.update(Action::Down);
    a.update(Action::Open);
    key(&mut a, KeyCode::Char('i'));
    key(&mut a, KeyCode::Char('c'));
    typed(&mut a, "Asked about prices");
    let Effect::Save(result) = key(&mut a, KeyCode::Enter) else {
        panic!("no save");
    };
    match *result {
        FormResult::Interaction {
            customer_id,
            kind,
            text,
            ..
        } => {
            assert_eq!(customer_id, 2);
            assert_eq!(kind, InteractionKind::Call);
            assert_eq!(text, "Asked about prices");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn order_and_followup_forms_open_and_cancel() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Customers));
    for action in [
        Action::AddOrder,
        Action::AddFollowUp,
        Action::LogInteraction,
    ] {
        a.update(action);
        assert!(a.modal.is_some(), "{action:?}");
        assert_eq!(key(&mut a, KeyCode::Esc), Effect::None);
        assert!(a.modal.is_none(), "{action:?} closes on Esc");
    }
    // Where no customer is focused, the editing keys do nothing.
    a.update(Action::GoTo(Pane::Pyramid));
    a.update(Action::AddOrder);
    assert!(a.modal.is_none());
}

#[test]
fn delete_asks_first() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Customers));
    key(&mut a, KeyCode::Char('D'));
    assert!(a.modal.is_some());
    assert_eq!(key(&mut a, KeyCode::Char('n')), Effect::None);
    assert!(a.modal.is_none());
    key(&mut a, KeyCode::Char('D'));
    assert_eq!(key(&mut a, KeyCode::Char('y')), Effect::DeleteCustomer(1));
    a.update(Action::Open);
    a.forget_customer(1);
    assert!(a.stack.is_empty(), "the deleted customer's card closes");
}

#[test]
fn new_data_keeps_cursors_in_range() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::FollowUps));
    a.update(Action::PageDown);
    a.update(Action::GoTo(Pane::Customers));
    a.update(Action::PageDown);
    a.update(Action::Open);
    let empty = kanta::tui::data::DashboardData::empty(as_of(), "EUR");
    assert_eq!(
        a.set_data(empty),
        Some(5),
        "the open card (Sanna, last by name) is re-read"
    );
    assert_eq!(a.followups.list.selected, 0);
    assert_eq!(a.customers.list.selected, 0);
    assert!(a.customers.list.is_empty());
}

#[test]
fn editing_keys_act_on_the_focused_customer() {
    let mut a = app(Lang::En);
    assert_eq!(
        a.focused_customer(),
        None,
        "the pyramid has no customer under the cursor"
    );
    a.update(Action::GoTo(Pane::Customers));
    a.update(Action::Down);
    assert_eq!(a.focused_customer(), Some(2));
    a.update(Action::GoTo(Pane::Pyramid));
    a.update(Action::Open);
    assert_eq!(a.focused_customer(), Some(7), "the advocate in the list");
    a.update(Action::Open);
    assert_eq!(a.focused_customer(), Some(7), "and on their card");
}

#[test]
fn results_while_typing_and_erasing_equal_a_fresh_search() {
    let mut a = app(Lang::En);
    a.update(Action::Search);
    let mut matcher = nucleo_matcher::Matcher::new(nucleo_matcher::Config::DEFAULT);
    let steps: Vec<Option<char>> = "ai!n"
        .chars()
        .map(Some)
        .chain([
            None,
            None,
            Some('0'),
            Some('4'),
            Some('0'),
            Some('1'),
            None,
            None,
        ])
        .chain("ki m".chars().map(Some))
        .chain([None; 6])
        .collect();
    for step in steps {
        match step {
            Some(c) => a.update(Action::SearchInput(c)),
            None => a.update(Action::SearchErase),
        };
        let Some(search) = a.search.as_ref() else {
            panic!("search closed");
        };
        let fresh = a.data.search.find(&search.query, &mut matcher, 200);
        assert_eq!(search.results, fresh, "after {:?}", search.query);
    }
}

#[test]
fn paste_goes_where_typing_would_and_never_runs_commands() {
    let mut a = app(Lang::En);
    a.paste("q5/");
    assert!(a.running && a.pane == Pane::Pyramid && a.search.is_none());
    a.update(Action::Search);
    a.paste("+358 40\n123");
    let results = a
        .search
        .as_ref()
        .map(|s| (s.query.clone(), s.results.clone()));
    assert_eq!(results, Some(("+358 40123".to_string(), vec![0])));
    a.update(Action::Back);
    a.update(Action::NewCustomer);
    a.paste("Pasted Person");
    let Effect::Save(result) = ctrl_s(&mut a) else {
        panic!("no save");
    };
    assert!(
        matches!(*result, FormResult::Customer { ref draft, .. } if draft.name == "Pasted Person")
    );
    a.update(Action::GoTo(Pane::FollowUps));
    a.update(Action::Note);
    a.paste(" more\u{1b}");
    assert_eq!(
        key(&mut a, KeyCode::Enter),
        Effect::SetNote {
            id: 11,
            note: "left a message more".into()
        }
    );
}

#[test]
fn erase_asks_first_and_export_needs_no_question_both_on_the_card() {
    let mut a = app(Lang::En);
    a.update(Action::GoTo(Pane::Customers));
    // On the list, X and E are not bound: GDPR actions live on the card.
    assert_eq!(key(&mut a, KeyCode::Char('X')), Effect::None);
    assert!(a.modal.is_none());
    assert_eq!(a.update(Action::Open), Effect::LoadCard(1));
    a.set_card(1, Some(card()));
    key(&mut a, KeyCode::Char('X'));
    assert!(a.modal.is_some(), "erasing asks for confirmation");
    assert_eq!(key(&mut a, KeyCode::Char('n')), Effect::None);
    assert!(a.modal.is_none());
    key(&mut a, KeyCode::Char('X'));
    assert_eq!(key(&mut a, KeyCode::Char('y')), Effect::EraseCustomer(1));
    assert_eq!(key(&mut a, KeyCode::Char('E')), Effect::ExportCustomer(1));
}

/// What the event loop does with one key event: every key it stands for.
fn event(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    for key in app.keys_pressed(KeyEvent::new(code, modifiers)) {
        app.handle_key(key);
    }
}

#[test]
fn esc_and_the_next_key_read_together_are_both_pressed() {
    // A card open over the pane; Esc and `/` arrive in one read, which the
    // terminal reports as Alt-/ (bound to nothing).
    let mut a = app(Lang::En);
    a.update(Action::Search);
    typed(&mut a, "Aino");
    assert_eq!(a.update(Action::Open), Effect::LoadCard(1));
    a.set_card(1, Some(card()));
    assert_eq!(a.context(), Context::Card);
    event(&mut a, KeyCode::Char('/'), KeyModifiers::ALT);
    assert!(a.search.is_some(), "the / after the Esc was lost");
    assert!(a.stack.is_empty(), "the Esc before the / was lost");
    // In the search box, Esc then a letter: the box closes, the letter is
    // the pane's key, not typed.
    event(&mut a, KeyCode::Char('2'), KeyModifiers::ALT);
    assert!(a.search.is_none());
    assert_eq!(a.pane, Pane::Rfm);
}

#[test]
fn a_bound_alt_chord_stays_one_key() {
    let mut a = app(Lang::En);
    let key = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT);
    assert_eq!(a.keys_pressed(key).len(), 2);
    let mut overrides = std::collections::HashMap::new();
    overrides.insert("quit".to_string(), "alt-x".to_string());
    a.keymap = kanta::tui::keymap::Keymap::with_overrides(&overrides).expect("keymap");
    assert_eq!(a.keys_pressed(key), vec![key]);
}
