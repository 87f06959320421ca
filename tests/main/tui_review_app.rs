//! The weekly review and the duplicates view inside the dashboard: their keys
//! through `App::handle_key`, their effects, and whole frames at 100x30.

use crate::review_common;

use kanta::i18n::Lang;
use kanta::store::Store;
use kanta::tui::action::{Action, Pane};
use kanta::tui::app::{App, Effect, View};
use kanta::tui::draw::draw;
use kanta::tui::keymap::{Chord, Context, Keymap};
use kanta::tui::panes::duplicates::{DuplicatesEffect, load_comparison};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use review_common::{id_of, load, store};

fn app(lang: Lang) -> (Store, App) {
    let mut store = store();
    let data = load(&mut store);
    (store, App::new(data, lang, Keymap::default()))
}

fn key(app: &mut App, code: KeyCode) -> Effect {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn shot(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap_or_else(|e| match e {});
    if terminal.draw(|f| draw(f, app)).is_err() {
        return String::from("draw failed");
    }
    terminal.backend().to_string()
}

/// `u`, the candidates found, Enter: the first pair side by side.
fn comparing(store: &Store, app: &mut App) {
    assert_eq!(
        key(app, KeyCode::Char('u')),
        Effect::Duplicates(DuplicatesEffect::Find)
    );
    app.set_duplicates(store.duplicate_candidates().unwrap_or_default());
    let Effect::Duplicates(DuplicatesEffect::Compare(pair)) = key(app, KeyCode::Enter) else {
        panic!("Enter did not ask for a comparison");
    };
    match load_comparison(store, &pair) {
        Ok(Some(c)) => app.open_comparison(c),
        other => panic!("comparison: {other:?}"),
    }
}

fn keep(app: &App) -> Option<usize> {
    match app.stack.last() {
        Some(View::Compare(c)) => Some(c.keep),
        _ => None,
    }
}

#[test]
fn w_opens_the_weekly_review_from_anywhere_and_esc_leaves_it() {
    let (_store, mut a) = app(Lang::En);
    a.update(Action::GoTo(Pane::Cohorts));
    assert_eq!(key(&mut a, KeyCode::Char('w')), Effect::None);
    assert_eq!(a.context(), Context::Weekly);
    // From the headline: the new customers' heading, Sanna, Pekka.
    for _ in 0..3 {
        key(&mut a, KeyCode::Down);
    }
    let pekka = id_of(&a.data, "R04");
    assert_eq!(key(&mut a, KeyCode::Enter), Effect::LoadCard(pekka));
    assert_eq!(a.context(), Context::Card);
    assert_eq!(a.focused_customer(), Some(pekka));
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.context(), Context::Weekly);
    assert_eq!(a.focused_customer(), Some(pekka));
    key(&mut a, KeyCode::Esc);
    assert!(a.stack.is_empty());
    assert_eq!(a.pane, Pane::Cohorts);
    // From a card of the customer list too, and only one review is open.
    a.update(Action::GoTo(Pane::Customers));
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Char('w'));
    key(&mut a, KeyCode::Char('w'));
    assert_eq!(a.stack.len(), 1);
    assert_eq!(a.context(), Context::Weekly);
}

#[test]
fn weekly_cursor_stays_on_the_page_when_data_reloads() {
    let (mut store, mut a) = app(Lang::En);
    a.update(Action::WeeklyReview);
    for _ in 0..50 {
        a.update(Action::Down);
    }
    let mut data = load(&mut store);
    data.weekly = Default::default();
    a.set_data(data);
    let Some(View::Weekly(w)) = a.stack.last() else {
        panic!("the review closed");
    };
    assert_eq!(w.cursor, 0);
    assert_eq!(a.update(Action::Open), Effect::None);
}

#[test]
fn u_compares_a_pair_and_m_merges_only_after_yes() {
    let (store, mut a) = app(Lang::En);
    a.update(Action::GoTo(Pane::Customers));
    comparing(&store, &mut a);
    assert_eq!(a.context(), Context::Compare);
    assert_eq!(keep(&a), Some(0));
    key(&mut a, KeyCode::Char('>'));
    assert_eq!(keep(&a), Some(1));
    key(&mut a, KeyCode::Char('<'));
    assert_eq!(keep(&a), Some(0));
    key(&mut a, KeyCode::Right);
    assert_eq!(keep(&a), Some(1));
    key(&mut a, KeyCode::Char('h'));
    assert_eq!(keep(&a), Some(0));
    assert_eq!(key(&mut a, KeyCode::Char('m')), Effect::None);
    assert!(a.modal.is_some());
    // A stray Enter never confirms; n cancels.
    assert_eq!(key(&mut a, KeyCode::Enter), Effect::None);
    assert!(a.modal.is_some());
    key(&mut a, KeyCode::Char('n'));
    assert!(a.modal.is_none());
    key(&mut a, KeyCode::Char('m'));
    let (aino, twin) = (id_of(&a.data, "R01"), id_of(&a.data, "R08"));
    assert_eq!(
        key(&mut a, KeyCode::Char('y')),
        Effect::Duplicates(DuplicatesEffect::Merge {
            keep: aino,
            other: twin
        })
    );
    assert!(a.modal.is_none());
    // Esc goes back to the list.
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.context(), Context::Duplicates);
}

#[test]
fn after_a_merge_the_list_looks_again_and_cards_of_the_other_close() {
    let (store, mut a) = app(Lang::En);
    comparing(&store, &mut a);
    let twin = id_of(&a.data, "R08");
    a.merged(twin);
    assert_eq!(a.context(), Context::Duplicates);
    let Some(View::Duplicates(d)) = a.stack.last() else {
        panic!("no list");
    };
    assert!(d.candidates.is_none());
    assert!(shot(&a).contains("Looking for duplicates…"));
    // A comparison read after the view was left is not shown.
    a.update(Action::Back);
    let pairs = store.duplicate_candidates().unwrap_or_default();
    if let Some(Ok(Some(c))) = pairs.first().map(|p| load_comparison(&store, p)) {
        a.open_comparison(c);
    }
    assert!(a.stack.is_empty());
}

#[test]
fn help_and_footer_list_the_new_keys() {
    let keys = Keymap::default();
    let help = keys.help(Context::Compare);
    let keep_left = help.iter().find(|(_, a)| *a == Action::KeepLeft);
    assert_eq!(
        keep_left.map(|(chords, _)| chords.clone()),
        Some(vec![
            Chord::ch('<'),
            Chord::plain(KeyCode::Left),
            Chord::ch('h')
        ])
    );
    let footer = keys.footer(Context::Compare);
    assert!(footer.iter().any(|(_, a)| *a == Action::Merge));
    for context in [Context::Pane(Pane::Pyramid), Context::Card, Context::Weekly] {
        let help = keys.help(context);
        assert!(help.iter().any(|(_, a)| *a == Action::WeeklyReview));
        assert!(help.iter().any(|(_, a)| *a == Action::Duplicates));
    }
    assert_eq!(
        Action::from_name("weekly-review"),
        Some(Action::WeeklyReview)
    );
    assert_eq!(Action::from_name("merge"), Some(Action::Merge));
}

#[test]
fn weekly_review_frame() {
    let (_store, mut a) = app(Lang::En);
    key(&mut a, KeyCode::Char('w'));
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    insta::assert_snapshot!(shot(&a));
}

#[test]
fn comparison_frame_and_merge_question_in_finnish() {
    let (store, mut a) = app(Lang::Fi);
    comparing(&store, &mut a);
    key(&mut a, KeyCode::Char('>'));
    insta::assert_snapshot!("comparison_frame_in_finnish", shot(&a));
    key(&mut a, KeyCode::Char('m'));
    insta::assert_snapshot!("merge_question_in_finnish", shot(&a));
}

#[test]
fn tiny_terminals_never_panic_in_the_new_views() {
    let (store, mut a) = app(Lang::En);
    comparing(&store, &mut a);
    let draw_at = |a: &App, w: u16, h: u16| {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap_or_else(|e| match e {});
        t.draw(|f| draw(f, a)).is_ok()
    };
    for (w, h) in [(0, 0), (1, 1), (59, 15), (60, 16), (61, 17), (300, 5)] {
        assert!(draw_at(&a, w, h), "compare {w}x{h}");
    }
    a.update(Action::WeeklyReview);
    for (w, h) in [(0, 0), (1, 1), (59, 15), (60, 16), (61, 17), (300, 5)] {
        assert!(draw_at(&a, w, h), "weekly {w}x{h}");
    }
}
