//! Every view of the dashboard, each pane, list, overlay, form and prompt, at
//! 80x24 and 120x40 in both languages: as snapshots, and walked key by key
//! through its footer, every key of which must change something.

use crate::common;

use common::{app, card, customers};
use kanta::config::Config;
use kanta::domain::Order;
use kanta::i18n::Lang;
use kanta::store::DuplicatePair;
use kanta::tui::action::{Action, Pane};
use kanta::tui::app::{App, Effect, View};
use kanta::tui::draw::{draw, footer_items};
use kanta::tui::keymap::Chord;
use kanta::tui::panes::duplicates::{CompareSide, Comparison};
use kanta::tui::panes::weekly::{WeeklyPage, WeeklyState};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LANGS: [Lang; 2] = [Lang::En, Lang::Fi];

/// The frame as a buffer, styles included: a cursor that moves shows here.
fn frame(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal =
        Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| match e {});
    if terminal.draw(|f| draw(f, app)).is_err() {
        panic!("draw failed");
    }
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width.max(1));
    buffer
        .content
        .chunks(width)
        .map(|line| {
            let row: String = line.iter().map(|c| c.symbol()).collect();
            format!("{}\n", row.trim_end())
        })
        .collect()
}

fn key_of(chord: Chord) -> KeyEvent {
    KeyEvent::new(chord.code, chord.mods)
}

fn press(app: &mut App, code: KeyCode) -> Effect {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn pane(lang: Lang, pane: Pane) -> App {
    let mut a = app(lang);
    a.update(Action::GoTo(pane));
    a
}

fn with_card(lang: Lang) -> App {
    let mut a = pane(lang, Pane::Customers);
    if let Effect::LoadCard(id) = a.update(Action::Open) {
        a.set_card(id, Some(card()));
    }
    a
}

fn weekly(lang: Lang) -> App {
    let mut data = common::data();
    let followups: Vec<_> = common::followups().into_iter().map(|f| (f, None)).collect();
    data.weekly = WeeklyPage::build(&data, &Config::default().pyramid, &followups);
    let mut a = App::new(data, lang, kanta::tui::keymap::Keymap::default());
    a.update(Action::WeeklyReview);
    a
}

fn pairs() -> Vec<DuplicatePair> {
    vec![
        DuplicatePair {
            a: 1,
            b: 2,
            score: 0.97,
            reason: "same phone".into(),
        },
        DuplicatePair {
            a: 4,
            b: 5,
            score: 0.81,
            reason: "same email, similar name".into(),
        },
    ]
}

fn duplicates(lang: Lang) -> App {
    let mut a = app(lang);
    a.update(Action::Duplicates);
    a.set_duplicates(pairs());
    a
}

fn comparison(lang: Lang) -> App {
    let mut a = duplicates(lang);
    let people = customers();
    let order = |customer_id| Order {
        id: 1,
        customer_id,
        order_date: common::day(2026, 10, 1),
        amount_cents: 12_000,
        quantity: None,
        external_id: None,
        discount: false,
        note: None,
        entered_by: None,
    };
    let left = CompareSide::new(people[0].clone(), &[order(1)]);
    let right = CompareSide::new(people[1].clone(), &[]);
    a.open_comparison(Comparison::new(pairs()[0].clone(), left, right));
    a
}

/// How a test reaches a view, from a fresh dashboard.
type Reach = fn(Lang) -> App;

/// Every view, by name, as a person reaches it.
fn views() -> Vec<(&'static str, Reach)> {
    vec![
        ("pyramid", |l| app(l)),
        ("rfm", |l| pane(l, Pane::Rfm)),
        ("cohorts", |l| pane(l, Pane::Cohorts)),
        ("followups", |l| pane(l, Pane::FollowUps)),
        ("customers", |l| pane(l, Pane::Customers)),
        ("drill_down", |l| {
            let mut a = app(l);
            a.update(Action::Open);
            a
        }),
        ("card", with_card),
        ("weekly", weekly),
        ("duplicates", duplicates),
        ("comparison", comparison),
        ("search", |l| {
            let mut a = app(l);
            a.update(Action::Search);
            typed(&mut a, "virt");
            a
        }),
        ("help", |l| {
            let mut a = pane(l, Pane::Customers);
            a.update(Action::Help);
            a
        }),
        ("palette", |l| {
            let mut a = pane(l, Pane::FollowUps);
            a.update(Action::Palette);
            a
        }),
        ("filter", |l| {
            let mut a = pane(l, Pane::Customers);
            a.update(Action::Filter);
            typed(&mut a, "aino");
            a
        }),
        ("customer_form", |l| {
            let mut a = app(l);
            a.update(Action::NewCustomer);
            a
        }),
        ("contact_form", |l| {
            let mut a = pane(l, Pane::Customers);
            a.update(Action::LogCall);
            a
        }),
        ("order_form", |l| {
            let mut a = pane(l, Pane::Customers);
            a.update(Action::AddOrder);
            a
        }),
        ("followup_form", |l| {
            let mut a = pane(l, Pane::Customers);
            a.update(Action::AddFollowUp);
            a
        }),
        ("date_form", |l| {
            let mut a = pane(l, Pane::FollowUps);
            a.update(Action::Reschedule);
            a
        }),
        ("confirm", |l| {
            let mut a = pane(l, Pane::Customers);
            a.update(Action::Delete);
            a
        }),
        ("note_prompt", |l| {
            let mut a = pane(l, Pane::FollowUps);
            a.update(Action::Note);
            a
        }),
        ("help_over_a_form", |l| {
            let mut a = app(l);
            a.update(Action::NewCustomer);
            a.handle_key(KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE));
            a
        }),
    ]
}

#[test]
fn every_view_at_80x24_and_120x40_in_both_languages() {
    for (name, make) in views() {
        let mut shots = String::new();
        for lang in LANGS {
            for (w, h) in SIZES {
                let a = make(lang);
                shots.push_str(&format!("── {lang:?} {w}x{h}\n"));
                shots.push_str(&text(&frame(&a, w, h)));
            }
        }
        insta::assert_snapshot!(name, shots);
    }
}

/// Presses every key the footer shows, each on the view as it was: each
/// must change the screen (the state drawn) or ask the loop for an effect.
#[test]
fn every_key_a_footer_shows_does_something_there() {
    let mut walked = 0;
    for (name, make) in views() {
        for lang in LANGS {
            for (w, h) in SIZES {
                let a = make(lang);
                let before = frame(&a, w, h);
                let keys = footer_items(&a, usize::from(w));
                assert!(
                    keys.iter().any(|(_, action)| *action == Action::Help) || a.help,
                    "{name} {lang:?} {w}x{h}: no help in the footer {keys:?}"
                );
                for (chord, action) in keys {
                    let mut pressed = make(lang);
                    frame(&pressed, w, h);
                    let effect = pressed.handle_key(key_of(chord));
                    let after = frame(&pressed, w, h);
                    assert!(
                        effect != Effect::None || after != before,
                        "{name} {lang:?} {w}x{h}: {} ({action:?}) did nothing\n{}",
                        chord.label(),
                        text(&after)
                    );
                    walked += 1;
                }
            }
        }
    }
    assert!(walked > 200, "{walked} keys walked");
}

#[test]
fn at_80x24_the_footer_keeps_help_and_fits() {
    for (name, make) in views() {
        for lang in LANGS {
            let a = make(lang);
            let screen = text(&frame(&a, 80, 24));
            let footer = screen.lines().last().unwrap_or_default().to_string();
            if !a.help {
                assert!(
                    footer.contains("? ") || footer.contains("F1 "),
                    "{name} {lang:?}: {footer}"
                );
            }
        }
    }
}

#[test]
fn each_pane_keeps_its_place_and_its_open_views_on_tab() {
    let mut a = pane(Lang::En, Pane::Customers);
    a.update(Action::Down);
    a.update(Action::Down);
    a.update(Action::Open);
    // Aino, Bertil, then the third by name.
    assert!(matches!(a.stack.last(), Some(View::Card(c)) if c.id == 3));
    a.update(Action::GoTo(Pane::FollowUps));
    a.update(Action::Down);
    assert!(a.stack.is_empty());
    // Back on the customers: the card is there, read again.
    assert_eq!(a.update(Action::GoTo(Pane::Customers)), Effect::LoadCard(3));
    assert!(matches!(a.stack.last(), Some(View::Card(c)) if c.id == 3));
    a.update(Action::Back);
    assert_eq!(a.customers.list.selected, 2);
    a.update(Action::GoTo(Pane::FollowUps));
    assert_eq!(a.followups.list.selected, 1);
    // Tab round the panes comes back to the same.
    for _ in 0..5 {
        a.update(Action::NextPane);
    }
    assert_eq!(a.pane, Pane::FollowUps);
    assert_eq!(a.followups.list.selected, 1);
}

#[test]
fn the_weekly_review_starts_with_its_headline() {
    let a = weekly(Lang::En);
    let screen = text(&frame(&a, 120, 40));
    let headline = screen.find("This week").unwrap_or(usize::MAX);
    let new = screen.find("New customers").unwrap_or(0);
    assert!(headline < new, "{screen}");
    assert!(screen.contains("Pyramid:"), "{screen}");
    let Some(View::Weekly(w)) = a.stack.last() else {
        panic!("no review");
    };
    let fresh = WeeklyState::new(&a.data.weekly);
    assert_eq!((w.cursor, &w.shown), (0, &fresh.shown));
}

#[test]
fn a_duplicates_list_sorts_filters_and_opens() {
    let mut a = duplicates(Lang::En);
    let Some(View::Duplicates(d)) = a.stack.last() else {
        panic!("no list");
    };
    assert_eq!(d.current().map(|p| p.a), Some(1), "most likely first");
    a.update(Action::ReverseSort);
    let current = |a: &App| match a.stack.last() {
        Some(View::Duplicates(d)) => d.current().map(|p| p.a),
        _ => None,
    };
    assert_eq!(current(&a), Some(4));
    a.update(Action::Filter);
    typed(&mut a, "virt");
    assert_eq!(current(&a), Some(1), "Aino Virtanen's pair");
    press(&mut a, KeyCode::Esc);
    assert!(matches!(a.stack.last(), Some(View::Duplicates(d)) if d.list.len() == 2));
    assert!(matches!(
        a.update(Action::Open),
        Effect::Duplicates(kanta::tui::panes::duplicates::DuplicatesEffect::Compare(_))
    ));
}

#[test]
fn the_forms_keys_are_the_keymaps_and_can_be_rebound() {
    let keys = std::collections::HashMap::from([
        ("save".to_string(), "ctrl-x".to_string()),
        ("next_field".to_string(), "F3".to_string()),
    ]);
    let keymap =
        kanta::tui::keymap::Keymap::with_overrides(&keys).unwrap_or_else(|e| panic!("{e}"));
    let mut a = App::new(common::data(), Lang::En, keymap);
    a.update(Action::NewCustomer);
    typed(&mut a, "Kaisa");
    // Enter is not save any more: the form stays, nothing is asked of the store.
    assert_eq!(press(&mut a, KeyCode::Enter), Effect::None);
    let screen = text(&frame(&a, 120, 40));
    assert!(screen.contains("C-x save"), "{screen}");
    assert!(screen.contains("F3 next field"), "{screen}");
    let ctrl_x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL);
    assert!(matches!(a.handle_key(ctrl_x), Effect::Save(_)));
    // A prompt goes by the same keys.
    let mut a = App::new(
        common::data(),
        Lang::En,
        kanta::tui::keymap::Keymap::with_overrides(&keys).unwrap_or_else(|e| panic!("{e}")),
    );
    a.update(Action::GoTo(Pane::FollowUps));
    a.update(Action::Note);
    assert_eq!(press(&mut a, KeyCode::Enter), Effect::None);
    assert!(matches!(a.handle_key(ctrl_x), Effect::SetNote { .. }));
}

#[test]
fn clicks_select_tabs_rows_and_rfm_cells_and_a_second_click_opens() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let click = |a: &mut App, text_on_screen: &str| {
        let screen = text(&frame(a, 120, 40));
        let (row, line) = screen
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(text_on_screen))
            .unwrap_or_else(|| panic!("{text_on_screen:?} not on screen:\n{screen}"));
        let column = line[..line.find(text_on_screen).unwrap_or(0)]
            .chars()
            .count();
        a.handle_mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: column as u16,
            row: row as u16,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut a = app(Lang::En);
    click(&mut a, "2 RFM matrix");
    assert_eq!(a.pane, Pane::Rfm);
    click(&mut a, "Promising");
    assert_eq!((a.rfm.r, a.rfm.f), (4, 1));
    assert_eq!(click(&mut a, "Promising"), Effect::None);
    assert!(matches!(a.stack.last(), Some(View::List(l)) if l.title == "R4 F1 Promising"));
    click(&mut a, "5 Customers");
    click(&mut a, "Maija Mäki");
    assert_eq!(a.customers.list.selected, 3);
    assert_eq!(click(&mut a, "Maija Mäki"), Effect::LoadCard(7));
    // The wheel scrolls the card; over a form it does nothing.
    a.set_card(7, Some(card()));
    let wheel = |a: &mut App| {
        a.handle_mouse(MouseEvent {
            kind: MouseEventKind::ScrollDown,
            column: 10,
            row: 10,
            modifiers: KeyModifiers::NONE,
        })
    };
    let before = frame(&a, 120, 20);
    wheel(&mut a);
    assert_ne!(frame(&a, 120, 20), before);
    a.update(Action::NewCustomer);
    let before = frame(&a, 120, 20);
    wheel(&mut a);
    assert_eq!(frame(&a, 120, 20), before);
}

#[test]
fn a_click_on_a_cohort_cell_selects_it_and_a_second_opens_it() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let click = |a: &mut App, column: usize, row: usize| {
        a.handle_mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: column as u16,
            row: row as u16,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut a = app(Lang::Fi);
    a.update(Action::GoTo(Pane::Cohorts));
    let screen = text(&frame(&a, 120, 40));
    let (row, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("2026-09"))
        .unwrap_or_else(|| panic!("no 2026-09 cohort:\n{screen}"));
    let label = line[..line.find("2026-09").unwrap_or(0)].chars().count();
    // The cohort's label, its size, then five cells a month: `+1` is the second.
    let plus_one = label + 9 + 7 + 5 + 2;
    assert_eq!(click(&mut a, plus_one, row), Effect::None);
    assert_eq!((a.cohorts.row, a.cohorts.col), (1, 1));
    // As the keyboard has it: the same cell as Down and Right from the first.
    let mut keys = app(Lang::Fi);
    keys.update(Action::GoTo(Pane::Cohorts));
    keys.update(Action::Down);
    keys.update(Action::Right);
    assert_eq!(frame(&a, 120, 40), frame(&keys, 120, 40));
    click(&mut a, plus_one, row);
    assert!(
        matches!(a.stack.last(), Some(View::List(l)) if l.title == "2026-09 +1"),
        "{:?}",
        a.stack.last().map(|_| ())
    );
}

#[test]
fn undo_with_nothing_to_undo_says_so() {
    let mut a = app(Lang::Fi);
    assert_eq!(press(&mut a, KeyCode::Char('U')), Effect::None);
    let screen = text(&frame(&a, 80, 24));
    assert!(screen.contains("Ei kumottavaa"), "{screen}");
}
