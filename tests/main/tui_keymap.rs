//! The keymap alone: resolution by context, key strings, overrides, help and footer.

use std::collections::HashMap;

use kanta::tui::action::{Action, Pane};
use kanta::tui::keymap::{Chord, Context, Keymap, KeymapError};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn letters_and_arrows_both_move() {
    let k = Keymap::default();
    let ctx = Context::Pane(Pane::Rfm);
    assert_eq!(k.resolve(key(KeyCode::Char('j')), ctx), Some(Action::Down));
    assert_eq!(k.resolve(key(KeyCode::Down), ctx), Some(Action::Down));
    assert_eq!(k.resolve(key(KeyCode::Char('h')), ctx), Some(Action::Left));
    assert_eq!(
        k.resolve(key(KeyCode::Char('3')), ctx),
        Some(Action::GoTo(Pane::Cohorts))
    );
}

#[test]
fn pane_keys_only_in_their_pane() {
    let k = Keymap::default();
    let c = key(KeyCode::Char('c'));
    assert_eq!(
        k.resolve(c, Context::Pane(Pane::Cohorts)),
        Some(Action::ToggleCumulative)
    );
    assert_eq!(k.resolve(c, Context::Pane(Pane::Pyramid)), None);
}

#[test]
fn shifted_letters_match_with_or_without_shift_flag() {
    let k = Keymap::default();
    let ctx = Context::Pane(Pane::FollowUps);
    let with_shift = KeyEvent::new(KeyCode::Char('Z'), KeyModifiers::SHIFT);
    assert_eq!(k.resolve(with_shift, ctx), Some(Action::SnoozeWeek));
    assert_eq!(
        k.resolve(key(KeyCode::Char('Z')), ctx),
        Some(Action::SnoozeWeek)
    );
    assert_eq!(
        k.resolve(key(KeyCode::Char('z')), ctx),
        Some(Action::SnoozeDay)
    );
}

#[test]
fn search_types_letters_instead_of_commands() {
    let k = Keymap::default();
    assert_eq!(
        k.resolve(key(KeyCode::Char('q')), Context::Search),
        Some(Action::SearchInput('q'))
    );
    assert_eq!(
        k.resolve(key(KeyCode::Char('4')), Context::Search),
        Some(Action::SearchInput('4'))
    );
    assert_eq!(
        k.resolve(key(KeyCode::Esc), Context::Search),
        Some(Action::Back)
    );
    assert_eq!(
        k.resolve(key(KeyCode::Backspace), Context::Search),
        Some(Action::SearchErase)
    );
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(k.resolve(ctrl_c, Context::Search), None);
}

#[test]
fn help_context_ignores_global_keys() {
    let k = Keymap::default();
    assert_eq!(
        k.resolve(key(KeyCode::Char('q')), Context::Help),
        Some(Action::Back)
    );
    assert_eq!(k.resolve(key(KeyCode::Char('1')), Context::Help), None);
}

#[test]
fn parse_key_strings() {
    assert_eq!(Chord::parse("x"), Ok(Chord::ch('x')));
    assert_eq!(Chord::parse("shift-z"), Ok(Chord::ch('Z')));
    assert_eq!(
        Chord::parse("ctrl-f"),
        Ok(Chord {
            code: KeyCode::Char('f'),
            mods: KeyModifiers::CONTROL
        })
    );
    assert_eq!(
        Chord::parse("shift-tab"),
        Ok(Chord::plain(KeyCode::BackTab))
    );
    assert_eq!(Chord::parse("F5"), Ok(Chord::plain(KeyCode::F(5))));
    assert_eq!(
        Chord::parse("PageDown"),
        Ok(Chord::plain(KeyCode::PageDown))
    );
    assert!(Chord::parse("ctrl-").is_err());
    assert!(Chord::parse("hyper-x").is_err());
    assert_eq!(
        Chord::parse("ctrl-f").map(Chord::label),
        Ok("C-f".to_string())
    );
}

#[test]
fn overrides_replace_the_default_key() {
    let map = HashMap::from([("search".to_string(), "ctrl-f".to_string())]);
    let k = Keymap::with_overrides(&map).unwrap_or_default();
    let ctx = Context::Pane(Pane::Pyramid);
    let ctrl_f = KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL);
    assert_eq!(k.resolve(ctrl_f, ctx), Some(Action::Search));
    assert_eq!(k.resolve(key(KeyCode::Char('/')), ctx), None);
    let bad = HashMap::from([("fly".to_string(), "x".to_string())]);
    assert_eq!(
        Keymap::with_overrides(&bad),
        Err(KeymapError::BadAction("fly".into()))
    );
    let bad_key = HashMap::from([("quit".to_string(), "ctrl-".to_string())]);
    assert!(Keymap::with_overrides(&bad_key).is_err());
}

#[test]
fn help_lists_pane_keys_then_global_and_footer_is_a_subset() {
    let k = Keymap::default();
    let ctx = Context::Pane(Pane::FollowUps);
    let help = k.help(ctx);
    assert_eq!(help.first().map(|h| h.1), Some(Action::Done));
    assert!(help.iter().any(|(_, a)| *a == Action::Quit));
    let up = help
        .iter()
        .find(|(_, a)| *a == Action::Up)
        .map(|h| h.0.len());
    assert_eq!(up, Some(2));
    let footer = k.footer(ctx);
    assert!(footer.iter().any(|(_, a)| *a == Action::SnoozeWeek));
    assert!(footer.iter().all(|(_, a)| help.iter().any(|(_, h)| h == a)));
    assert!(!footer.iter().any(|(_, a)| *a == Action::Down));
    // Up is in the search footer, not in the pane's.
    assert!(!footer.iter().any(|(_, a)| *a == Action::Up));
    assert!(
        k.footer(Context::Search)
            .iter()
            .any(|(_, a)| *a == Action::Up)
    );
}
