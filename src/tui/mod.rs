//! The dashboard (SPEC section 5): one state ([`app::App`]), one [`action::Action`]
//! enum, one `update`, one keymap; panes draw as pure functions of the state.

pub mod action;
pub mod app;
pub mod data;
pub mod draw;
pub mod forms;
pub mod keymap;
pub mod panes;
pub mod prompt;
pub mod search;
pub mod search_box;
pub mod text;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Local, NaiveDate, Utc};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use thiserror::Error;

use crate::config::Config;
use crate::i18n::Lang;
use crate::store::{Store, StoreError};

use app::{App, Effect, Status};
use keymap::{Keymap, KeymapError};

#[derive(Debug, Error)]
pub enum TuiError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error(transparent)]
    Keys(#[from] KeymapError),
}

/// How often an idle dashboard asks the store whether another process wrote.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// Opens the store and runs the dashboard until the user quits. The terminal is
/// restored on every way out, a panic included (`ratatui::init`'s hook).
pub fn run(db_path: &Path, config: &Config) -> Result<(), TuiError> {
    let mut store = Store::open_or_create(db_path)?;
    let lang = Lang::detect(&config.language);
    let today = Local::now().date_naive();
    let data = data::load(&store, today, config)?;
    let mut app = App::new(data, lang, Keymap::default());
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, &mut app, &mut store, config);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    store: &mut Store,
    config: &Config,
) -> Result<(), TuiError> {
    let mut version = store.data_version()?;
    let mut last_check = Instant::now();
    let mut dirty = true;
    while app.running {
        if dirty {
            terminal.draw(|frame| draw::draw(frame, app))?;
            dirty = false;
        }
        // Blocks: an idle dashboard wakes once a second to ask SQLite, nothing more.
        if event::poll(CHECK_EVERY)? {
            match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => {
                    let effect = app.handle_key(key);
                    perform(effect, app, store, config);
                    dirty = true;
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
        }
        if last_check.elapsed() >= CHECK_EVERY {
            last_check = Instant::now();
            let now = store.data_version()?;
            let today = Local::now().date_naive();
            // Another connection committed, or midnight passed: figures are stale.
            if now != version || today != app.data.as_of {
                version = now;
                reload(app, store, config, today);
                dirty = true;
            }
        }
    }
    Ok(())
}

/// Performs an effect against the store; a failure becomes a status line.
fn perform(effect: Effect, app: &mut App, store: &mut Store, config: &Config) {
    let s = app.strings();
    let result = match effect {
        Effect::None | Effect::Quit => return,
        Effect::LoadCard(id) => {
            match data::load_card(store, id, &app.data) {
                Ok(card) => app.set_card(id, card),
                Err(e) => app.set_status(Status::Error(e.to_string())),
            }
            return;
        }
        Effect::FollowUpDone(id) => store.set_followup_done(id, true),
        Effect::Reschedule { id, due } => store.reschedule_followup(id, due),
        Effect::SetNote { id, note } => store.set_followup_note(id, &note),
    };
    match result {
        // Each store call is its own committed transaction: only now say so.
        Ok(()) => {
            reload(app, store, config, app.data.as_of);
            app.set_status(Status::Info(s.saved.to_string()));
        }
        Err(e) => app.set_status(Status::Error(e.to_string())),
    }
}

fn reload(app: &mut App, store: &Store, config: &Config, today: NaiveDate) {
    match data::load(store, today, config) {
        Ok(data) => {
            if let Some(id) = app.set_data(data) {
                match data::load_card(store, id, &app.data) {
                    Ok(card) => app.set_card(id, card),
                    Err(e) => app.set_status(Status::Error(e.to_string())),
                }
            }
        }
        Err(e) => app.set_status(Status::Error(e.to_string())),
    }
}

/// The current instant, for interactions logged from the dashboard.
pub fn now() -> chrono::DateTime<Utc> {
    Utc::now()
}
