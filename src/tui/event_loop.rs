//! The dashboard's event loop: keys, the mouse and pasted text in, frames
//! out; background loads, the damage check and another process's writes
//! looked for while it waits.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use chrono::{Local, Utc};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

use crate::config::Config;
use crate::domain::CustomerId;
use crate::i18n::Lang;
use crate::i18n::errors::{ErrorStrings, not_saved, store_error};
use crate::store::{Changes, Store};

use super::app::{App, Effect, Status};
use super::data::{self, Rules};
use super::effect::DuplicatesEffect;
use super::frames::Frames;
use super::loader::{self, Loader};
use super::perform::{Reload, perform, store_failure};
use super::wake::{Wake, Wakeup};
use super::{BackgroundJob, TuiError, draw};

/// How often an idle dashboard asks the store whether another process wrote.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// How often the loop looks for the result of a background load while one runs.
const LOAD_POLL: Duration = Duration::from_millis(20);
/// The least time between two looks at the store when writes wake the loop:
/// a long import writes pages without pause, and is looked at 20 times a
/// second, not once a page.
const WAKE_GAP: Duration = Duration::from_millis(50);

/// A [`BackgroundJob`] running.
struct Background {
    handle: Option<std::thread::JoinHandle<Result<(), String>>>,
    lang: Lang,
}

impl Background {
    fn start(job: BackgroundJob, lang: Lang) -> Background {
        Background {
            handle: Some(std::thread::spawn(move || job(lang))),
            lang,
        }
    }

    /// The job's outcome once it has finished.
    fn poll(&mut self) -> Option<Result<(), String>> {
        let handle = self.handle.take_if(|h| h.is_finished())?;
        Some(handle.join().unwrap_or_else(|panic| {
            Err(format!(
                "{}: {}",
                ErrorStrings::of(self.lang).background_stopped,
                loader::panic_text(panic.as_ref())
            ))
        }))
    }
}

pub(super) fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    store: &mut Store,
    config: &Config,
    mut loading: Option<Loader>,
    mut after_load: Option<BackgroundJob>,
) -> Result<(), TuiError> {
    let mut background: Option<Background> = None;
    // The check for damage reads every page: in a thread of its own, so
    // neither the panes nor the keys wait for it; a save made before it has
    // finished waits for its answer (a damaged store is never written to).
    let path = store.path().to_path_buf();
    let mut checking = Some(Background::start(
        Box::new(move |lang| {
            Store::open(&path)
                .and_then(|s| s.check_sound())
                .map_err(|e| store_error(lang, &e))
        }),
        app.lang,
    ));
    let mut deferred = Vec::new();
    // The pyramid's first frames of the next days, being counted.
    let mut frames: Option<Frames> = None;
    // The terminal is read in a thread of its own, and another program's
    // write is told by the watch on the store: the loop waits for either.
    let (wakeups, woken) = mpsc::channel();
    read_terminal(wakeups.clone());
    // The look once a second stays for a system that does not tell.
    let wake = Wake::watch(store.path(), wakeups);
    let mut version = store.data_version()?;
    // The change log's mark: a commit that changed no customer (a call
    // rung, another window opening) reads nothing again.
    let mut change_mark = store.last_change()?;
    let mut last_check = Instant::now();
    // The look just made was asked for by a write: one more follows.
    let mut again = false;
    // Calls from before this window opened are not its business.
    let mut last_call = store.last_call_id()?;
    // Figures to read again once the running load is in.
    let mut stale: Option<Rules> = None;
    // The first frame is already on screen.
    let mut dirty = false;
    while app.running {
        if dirty {
            terminal.draw(|frame| draw::draw(frame, app))?;
            dirty = false;
        }
        // Blocks: an idle dashboard wakes once a second to ask SQLite, nothing
        // more; while a load runs, often enough to show its result at once.
        let wait = if loading.is_some() {
            LOAD_POLL
        } else if again || wake.pending() {
            WAKE_GAP.saturating_sub(last_check.elapsed())
        } else {
            CHECK_EVERY
        };
        let event = match woken.recv_timeout(wait) {
            Ok(Wakeup::Terminal(event)) => Some(event?),
            // The watch's news is its pending flag, looked at below.
            Ok(Wakeup::Store) | Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(TuiError::Terminal(std::io::Error::other(
                    "the terminal is no longer read",
                )));
            }
        };
        if let Some(event) = event {
            match event {
                Event::Key(key) if key.kind == KeyEventKind::Press => {
                    for key in app.keys_pressed(key) {
                        let effect = app.handle_key(key);
                        if matches!(
                            effect,
                            Effect::Duplicates(
                                DuplicatesEffect::Find | DuplicatesEffect::Merge { .. }
                            )
                        ) {
                            // These take a moment on a big store: show where they stand first.
                            terminal.draw(|frame| draw::draw(frame, app))?;
                        }
                        if let Some(reload) = perform(effect, app, store) {
                            loading = Some(reload.start(store, &mut app.data, config, app.lang));
                        }
                    }
                    dirty = true;
                }
                Event::Paste(text) => {
                    app.paste(&text);
                    dirty = true;
                }
                Event::Mouse(mouse) => {
                    let effect = app.handle_mouse(mouse);
                    if let Some(reload) = perform(effect, app, store) {
                        loading = Some(reload.start(store, &mut app.data, config, app.lang));
                    }
                    dirty = true;
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
        }
        if let Some(outcome) = loading.as_mut().and_then(|l| l.poll(store)) {
            let (failure, later) = loading
                .take()
                .map(|l| (l.failure, l.deferred))
                .unwrap_or_default();
            if !later.is_empty() {
                deferred = later;
            }
            match outcome {
                Ok(data) => {
                    // The next days' first frames, counted from these facts.
                    frames = Frames::start(&data, config);
                    install(app, store, data);
                }
                Err(e) => app.set_status(store_failure(app, &e)),
            }
            if let Some(e) = failure {
                app.set_status(Status::Error(format!(
                    "{}: {}",
                    ErrorStrings::of(app.lang).followups_not_written,
                    store_error(app.lang, &e)
                )));
            }
            dirty = true;
        }
        if let Some(outcome) = checking.as_mut().and_then(Background::poll) {
            checking = None;
            // Sound: the window says it is open, so that `kanta call` shows
            // the caller here. Written on this connection, so this window
            // does not take its own note for another program's write.
            if outcome.is_ok()
                && let Err(e) = store.register_dashboard(std::process::id(), Utc::now())
            {
                app.set_status(Status::Error(not_saved(app.lang, store.path(), &e)));
            }
            match outcome {
                // Sound: the follow-ups that waited for it are written now,
                // and the figures read again with them.
                Ok(()) if !deferred.is_empty() => {
                    match store.apply_generated_followups(&std::mem::take(&mut deferred)) {
                        Ok(_) if loading.is_none() => {
                            loading = Some(
                                Reload {
                                    today: app.data.as_of,
                                    rules: Rules::Skip,
                                }
                                .start(
                                    store,
                                    &mut app.data,
                                    config,
                                    app.lang,
                                ),
                            );
                        }
                        Ok(_) => {}
                        Err(e) => app.set_status(Status::Error(format!(
                            "{}: {}",
                            ErrorStrings::of(app.lang).followups_not_written,
                            store_error(app.lang, &e)
                        ))),
                    }
                }
                Ok(()) => {}
                Err(message) => app.set_status(Status::Error(message)),
            }
            dirty = true;
        }
        // Kept once the check for damage is over: a damaged store is never
        // written to.
        if checking.is_none() && frames.as_ref().is_some_and(|f| f.poll(store)) {
            frames = None;
        }
        // The daily copy waits until the dashboard is in and checked, so it
        // never competes with the first open of the day.
        if loading.is_none()
            && checking.is_none()
            && !app.data.pending
            && let Some(job) = after_load.take()
        {
            background = Some(Background::start(job, app.lang));
        }
        if let Some(message) = background.as_mut().and_then(Background::poll) {
            background = None;
            if let Err(message) = message {
                app.set_status(Status::Error(message));
                dirty = true;
            }
        }
        let since = last_check.elapsed();
        let asked = again || wake.pending();
        if since >= CHECK_EVERY || (asked && since >= WAKE_GAP) {
            last_check = Instant::now();
            // A write is seen as its pages go into the journal, a moment
            // before its commit can be read: a look asked for by a write is
            // made again a moment later.
            again = wake.pending();
            // Before the look: a commit after it wakes the loop again.
            wake.clear();
            let now = store.data_version()?;
            let today = Local::now().date_naive();
            // Another connection committed, or midnight passed: figures are stale.
            if now != version {
                version = now;
                let (changes, mark) = store.changes_since(change_mark)?;
                if changes != Changes::None {
                    change_mark = mark;
                    stale = stale.or(Some(Rules::Skip));
                }
                // A call is answered now, not after the figures are read again.
                for call in store.calls_after(last_call)? {
                    last_call = call.id;
                    let callers = callers(store, &call.number);
                    let effect = app.incoming_call(&call.number, &callers);
                    if let Some(reload) = perform(effect, app, store) {
                        stale = Some(reload.rules);
                    }
                    dirty = true;
                }
            }
            if today != app.data.as_of {
                stale = Some(Rules::Apply);
            }
        }
        if loading.is_none()
            && let Some(rules) = stale.take()
        {
            let today = Local::now().date_naive();
            loading = Some(Reload { today, rules }.start(store, &mut app.data, config, app.lang));
        }
    }
    Ok(())
}

/// Reads the terminal in a thread of its own until it fails or the loop is
/// gone. Nothing else wakes crossterm's reader: a signal used as a wake-up
/// (the resize signal) could leave a key typed at that moment unread until
/// the next one.
fn read_terminal(to: mpsc::Sender<Wakeup>) {
    std::thread::spawn(move || {
        loop {
            let event = event::read();
            let failed = event.is_err();
            if to.send(Wakeup::Terminal(event)).is_err() || failed {
                break;
            }
        }
    });
}

/// The customers with this number, by the same phone identity as imports and
/// forms. A store that cannot be read says nobody: the call still shows.
fn callers(store: &Store, number: &str) -> Vec<CustomerId> {
    crate::domain::phone::StoredPhone::lenient(number, store.default_country())
        .and_then(|p| store.find_by_phone(&p.normalized).ok())
        .unwrap_or_default()
}

/// ratatui's panic hook restores the terminal whichever thread panics; a
/// background thread's panic must leave the dashboard running, and its
/// message, printed over the screen, would garble it. That thread's owner
/// turns the panic into a message instead.
pub(super) fn quiet_background_panics() {
    let restore_and_report = std::panic::take_hook();
    let main = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == main {
            restore_and_report(info);
        }
    }));
}

/// Installs loaded data; an open card is read again against it.
fn install(app: &mut App, store: &Store, data: data::DashboardData) {
    if let Some(id) = app.set_data(data) {
        match data::load_card(store, id, &app.data) {
            Ok(card) => app.set_card(id, card),
            Err(e) => app.set_status(store_failure(app, &e)),
        }
    }
}
