//! The dashboard (SPEC section 5): one state ([`app::App`]), one [`action::Action`]
//! enum, one `update`, one keymap; panes draw as pure functions of the state.
//! May import: every module but `cli` and `demo`.
//!
//! Top down: [`run`] here; the loop (`event_loop`) and the effects it performs
//! against the store (`perform`); the state and its update ([`app`], with its
//! concerns in `routing`, [`editing`], `review`, [`overlays`], `clicks` and
//! `enabled`) and the frame ([`draw`]); the [`panes`], each a
//! [`panes::PaneState`] drawn from a [`panes::DrawContext`] and never seeing
//! the app; below them what panes hand back ([`effect`], [`modal`],
//! [`prompt`]) and the helpers ([`panes::list`], [`panes::columns`], [`text`],
//! [`keymap`], [`mouse`], [`forms`]). `layers_tests` holds that no pane
//! imports the app.

pub mod action;
pub mod app;
pub mod bench;
mod clicks;
pub mod data;
pub mod draw;
pub mod editing;
pub mod effect;
mod enabled;
mod event_loop;
pub mod forms;
pub mod frames;
pub mod keymap;
pub mod loader;
pub mod modal;
pub mod mouse;
pub mod overlays;
pub mod palette;
pub mod panes;
mod perform;
pub mod prompt;
mod review;
mod routing;
pub mod rows;
pub mod search;
pub mod search_box;
pub mod text;
mod wake;

use std::path::Path;

use chrono::Local;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use thiserror::Error;

use crate::config::Config;
use crate::i18n::Lang;
use crate::store::{Store, StoreError};

use app::App;
use data::Rules;
use event_loop::{event_loop, quiet_background_panics};
use keymap::{Keymap, KeymapError};
use loader::Loader;

#[derive(Debug, Error)]
pub enum TuiError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error(transparent)]
    Keys(#[from] KeymapError),
}

/// Work the dashboard runs in a thread once its data is in (the daily
/// backup); its error, or its panic, becomes a message on screen.
/// Its failure is one sentence in the UI language it is given.
pub type BackgroundJob = Box<dyn FnOnce(Lang) -> Result<(), String> + Send>;

/// Opens the store and runs the dashboard until the user quits. The terminal is
/// restored on every way out, a panic included (`ratatui::init`'s hook); a
/// panic in a background thread leaves the terminal alone and becomes a
/// message on screen. `after_load` runs in a thread once the data is in.
pub fn run(
    db_path: &Path,
    config: &Config,
    after_load: Option<BackgroundJob>,
) -> Result<(), TuiError> {
    // A bad [keys] entry is refused before the store or the terminal is touched.
    let keymap = Keymap::with_overrides(&config.keys)?;
    // National numbers typed in the forms are of the config's country.
    let mut store = Store::open_in_country(db_path, true, &config.default_country)?;
    store.set_user(&config.user);
    let lang = Lang::detect(&config.language);
    let mut terminal = ratatui::try_init()?;
    quiet_background_panics();
    // Pasted text arrives as one event, so a pasted line never runs commands.
    let paste = execute!(std::io::stdout(), EnableBracketedPaste);
    // The mouse, unless the config turns it off (a terminal's own selection
    // of text works only without it).
    let mouse = if config.mouse {
        execute!(std::io::stdout(), EnableMouseCapture)
    } else {
        Ok(())
    };
    let result = paste
        .and(mouse)
        .map_err(TuiError::from)
        .and_then(|()| start(&mut terminal, &mut store, config, lang, keymap, after_load));
    // `kanta call` no longer counts on this window. A dashboard killed
    // before this leaves its row, which the next call finds stale.
    if store.is_known_sound() {
        let _ = store.unregister_dashboard(std::process::id());
    }
    if config.mouse {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
    }
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result
}

fn start(
    terminal: &mut DefaultTerminal,
    store: &mut Store,
    config: &Config,
    lang: Lang,
    keymap: Keymap,
    after_load: Option<BackgroundJob>,
) -> Result<(), TuiError> {
    // A large store takes a moment to read: say so at once.
    let loading = lang.strings().loading;
    terminal.draw(|frame| frame.render_widget(loading, frame.area()))?;
    let today = Local::now().date_naive();
    // The pyramid is drawn first (kept in the store, or from the facts
    // alone); the rest follows from a thread.
    let (data, base) = loader::first_frame(store, today, config)?;
    let mut app = App::new(data, lang, keymap);
    // Drawn before the thread starts, which would compete for the CPU.
    terminal.draw(|frame| draw::draw(frame, &app))?;
    let loading = Loader::start(store.path(), base, today, config, Rules::Apply, lang);
    event_loop(terminal, &mut app, store, config, Some(loading), after_load)
}
