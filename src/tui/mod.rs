//! The dashboard (SPEC section 5): one state ([`app::App`]), one [`action::Action`]
//! enum, one `update`, one keymap; panes draw as pure functions of the state.
//! May import: every module but `cli` and `demo`.

pub mod action;
pub mod app;
pub mod bench;
mod clicks;
pub mod data;
pub mod draw;
pub mod editing;
pub mod effect;
mod enabled;
pub mod forms;
pub mod keymap;
pub mod loader;
pub mod modal;
pub mod mouse;
pub mod overlays;
pub mod palette;
pub mod panes;
pub mod prompt;
mod review;
pub mod search;
pub mod search_box;
pub mod text;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{Local, NaiveDate, Utc};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind,
};
use ratatui::crossterm::execute;
use thiserror::Error;

use crate::config::Config;
use crate::domain::CustomerId;
use crate::i18n::errors::{ErrorStrings, not_saved, store_error};
use crate::i18n::views::{Undoable, undone_message};
use crate::i18n::{Lang, followups};
use crate::store::{Store, StoreError};

use crate::domain::terminal::terminal_safe;
use action::Action;
use app::{App, Effect, Status, UndoEntry};
use data::Rules;
use forms::FormResult;
use keymap::{Keymap, KeymapError};
use loader::Loader;
use modal::Modal;
use panes::card::CardItem;
use panes::duplicates::DuplicatesEffect;

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
/// How often the loop looks for the result of a background load while one runs.
const LOAD_POLL: Duration = Duration::from_millis(20);

/// Work the dashboard runs in a thread once its data is in (the daily
/// backup); its error, or its panic, becomes a message on screen.
/// Its failure is one sentence in the UI language it is given.
pub type BackgroundJob = Box<dyn FnOnce(Lang) -> Result<(), String> + Send>;

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
    // The pyramid is drawn from the facts alone; the rest follows from a thread.
    let facts = store.load_facts_in_parallel()?;
    let data = loader::first_look(&facts, today, config);
    let mut app = App::new(data, lang, keymap);
    // Drawn before the thread starts, which would compete for the CPU.
    terminal.draw(|frame| draw::draw(frame, &app))?;
    let loading = Loader::start(store.path(), Some(facts), today, config, Rules::Apply);
    event_loop(terminal, &mut app, store, config, Some(loading), after_load)
}

fn event_loop(
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
    let mut version = store.data_version()?;
    let mut last_check = Instant::now();
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
        } else {
            CHECK_EVERY
        };
        let mut woken = false;
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => {
                    let effect = app.handle_key(key);
                    if matches!(
                        effect,
                        Effect::Duplicates(DuplicatesEffect::Find | DuplicatesEffect::Merge { .. })
                    ) {
                        // These take a moment on a big store: show where they stand first.
                        terminal.draw(|frame| draw::draw(frame, app))?;
                    }
                    if let Some(reload) = perform(effect, app, store) {
                        loading = Some(reload.start(store, config));
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
                        loading = Some(reload.start(store, config));
                    }
                    dirty = true;
                }
                // `kanta call` wakes the window with the resize signal: it
                // looks at the store now.
                Event::Resize(..) => {
                    woken = true;
                    dirty = true;
                }
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
                Ok(data) => install(app, store, data),
                Err(e) => app.set_status(store_failure(app, &e)),
            }
            if let Some(failure) = failure {
                app.set_status(Status::Error(failure));
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
                                .start(store, config),
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
        if woken || last_check.elapsed() >= CHECK_EVERY {
            last_check = Instant::now();
            let now = store.data_version()?;
            let today = Local::now().date_naive();
            // Another connection committed, or midnight passed: figures are stale.
            if now != version {
                version = now;
                stale = stale.or(Some(Rules::Skip));
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
            loading = Some(Reload { today, rules }.start(store, config));
        }
    }
    Ok(())
}

/// Puts text on the terminal's clipboard with OSC 52, which terminals pass
/// on over SSH and through tmux (with its `set-clipboard` option).
fn copy_to_clipboard(text: &str) -> std::io::Result<()> {
    use base64::Engine;
    use std::io::Write;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout().lock();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
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
fn quiet_background_panics() {
    let restore_and_report = std::panic::take_hook();
    let main = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == main {
            restore_and_report(info);
        }
    }));
}

/// A load of the whole data the loop must start.
struct Reload {
    today: NaiveDate,
    rules: Rules,
}

impl Reload {
    fn start(self, store: &Store, config: &Config) -> Loader {
        Loader::start(store.path(), None, self.today, config, self.rules)
    }
}

/// Performs an effect against the store; a failure becomes a status line.
/// After a write, returns the reload it calls for.
fn perform(effect: Effect, app: &mut App, store: &mut Store) -> Option<Reload> {
    let s = app.strings();
    let result = match effect {
        Effect::None | Effect::Quit => return None,
        Effect::Duplicates(effect) => return review::perform_duplicates(effect, app, store),
        Effect::LoadCard(id) => {
            match data::load_card(store, id, &app.data) {
                Ok(card) => app.set_card(id, card),
                Err(e) => app.set_status(store_failure(app, &e)),
            }
            return None;
        }
        Effect::EditCustomer(id) => {
            match store.customer(id) {
                Ok(Some(customer)) => app.open_edit(&customer),
                Ok(None) => {}
                Err(e) => app.set_status(store_failure(app, &e)),
            }
            return None;
        }
        Effect::Copy(text) => {
            let said = match copy_to_clipboard(&text) {
                Ok(()) => Status::Info(format!("{} {}", s.call.copied, terminal_safe(&text))),
                Err(e) => Status::Error(format!(
                    "{}: {e}",
                    ErrorStrings::of(app.lang).clipboard_failed
                )),
            };
            app.set_status(said);
            return None;
        }
        Effect::Status(text) => {
            app.set_status(Status::Info(text));
            return None;
        }
        Effect::DeleteItem(item) => {
            let name = card_owner(app);
            let (deleted, what) = match item {
                CardItem::Order(id) => (store.delete_order_undoable(id), Undoable::DeleteOrder),
                CardItem::Interaction(id) => (
                    store.delete_interaction_undoable(id),
                    Undoable::DeleteContact,
                ),
                CardItem::FollowUp(id) => {
                    (store.delete_followup_undoable(id), Undoable::DeleteFollowUp)
                }
            };
            deleted.map(|undo| {
                remember(app, undo, what, name);
                Saved::Message(undo_hint(app, s.call.deleted))
            })
        }
        // Each follow-up action says what it did, in the UI language.
        Effect::FollowUpDone(id) => {
            let (lang, today) = (app.lang, app.today());
            let name = app.followup_owner(id).unwrap_or_default();
            store
                .complete_followup_undoable(id, today)
                .map(|(done, undo)| {
                    remember(app, undo, Undoable::Done, name.clone());
                    let said = followups::done_message(lang, &name, done.next, today);
                    Saved::Message(undo_hint(app, &said))
                })
        }
        Effect::Reschedule { id, due } => {
            let name = app.followup_owner(id).unwrap_or_default();
            store.reschedule_followup_undoable(id, due).map(|undo| {
                remember(app, undo, Undoable::Reschedule, name);
                let said = followups::rescheduled_message(app.lang, due, app.today());
                Saved::Message(undo_hint(app, &said))
            })
        }
        Effect::Snooze { id, due } => {
            let name = app.followup_owner(id).unwrap_or_default();
            store.reschedule_followup_undoable(id, due).map(|undo| {
                remember(app, undo, Undoable::Snooze, name);
                let said = followups::snoozed_message(app.lang, due, app.today());
                Saved::Message(undo_hint(app, &said))
            })
        }
        Effect::Undo => {
            let entry = app.undo.take()?;
            match store.undo(&entry.undo) {
                Ok(()) => Ok(Saved::Message(undone_message(
                    app.lang,
                    entry.what,
                    &entry.name,
                ))),
                Err(e) => {
                    // Kept: the store may be free again in a moment.
                    app.undo = Some(entry);
                    Err(e)
                }
            }
        }
        Effect::SetNote { id, note } => {
            let name = app.followup_owner(id).unwrap_or_default();
            store
                .set_followup_note(id, &note)
                .map(|()| Saved::Message(followups::note_message(app.lang, &name)))
        }
        Effect::Save(result) => match save(store, *result, app) {
            Ok(saved) => {
                app.modal = None;
                Ok(saved)
            }
            Err(e) => {
                // The form stays open with everything typed in it.
                if let (StoreError::ChangedElsewhere { current }, Some(Modal::Customer(form))) =
                    (&e, app.modal.as_mut())
                {
                    form.changed_elsewhere((**current).clone());
                }
                Err(e)
            }
        },
        Effect::DeleteCustomer(id) => {
            let name = app.data.row(id).map(|r| r.name.clone()).unwrap_or_default();
            store.delete_customer_undoable(id).map(|undo| {
                remember(app, undo, Undoable::DeleteCustomer, name);
                Saved::Deleted(id)
            })
        }
        Effect::EraseCustomer(id) => store
            .erase_customer_everywhere(id)
            .map(|swept| Saved::Erased(swept.unvouched)),
        Effect::ExportCustomer(id) => {
            match export_customer(store, id, app.data.as_of) {
                Ok(path) => app.set_status(Status::Info(format!(
                    "{} {}",
                    s.exported_to,
                    path.display()
                ))),
                Err(e) => app.set_status(Status::Error(format!(
                    "{}: {}",
                    ErrorStrings::of(app.lang).export_failed,
                    crate::i18n::errors::write_error(app.lang, &e)
                ))),
            }
            return None;
        }
    };
    match result {
        // Each store call is its own committed transaction: only now say so.
        // The figures follow from a background load; the card and the status
        // line are there at once.
        Ok(saved) => {
            let message = match saved {
                Saved::Plain => s.saved,
                Saved::Message(message) => {
                    app.set_status(Status::Info(message));
                    return after_save(app, store);
                }
                Saved::New(id) => {
                    let effect = app.open_card(id);
                    perform(effect, app, store);
                    s.saved
                }
                Saved::Deleted(id) => {
                    app.forget_customer(id);
                    app.set_status(Status::Info(undo_hint(app, s.deleted)));
                    return after_save(app, store);
                }
                Saved::Erased(unvouched) if !unvouched.is_empty() => {
                    // Committed all the same: said, and the figures reload.
                    app.set_status(Status::Error(format!(
                        "{}; {} {}",
                        s.erased,
                        ErrorStrings::of(app.lang).cannot_vouch_for,
                        unvouched.join("; ")
                    )));
                    return Some(Reload {
                        today: app.data.as_of,
                        rules: Rules::Apply,
                    });
                }
                Saved::Erased(_) => s.erased,
            };
            app.set_status(Status::Info(message.to_string()));
            after_save(app, store)
        }
        Err(e) => {
            app.set_status(Status::Error(not_saved(app.lang, store.path(), &e)));
            None
        }
    }
}

/// Keeps what undoes the change just committed: one undo, the last.
fn remember(app: &mut App, undo: crate::store::Undo, what: Undoable, name: String) {
    app.undo = Some(UndoEntry { undo, what, name });
}

/// A message with the key that undoes what it says: `Deleted · U undoes`.
pub(crate) fn undo_hint(app: &App, message: &str) -> String {
    match app.keymap.key_of(Action::Undo, keymap::Context::Global) {
        Some(key) => format!(
            "{message} · {} {}",
            key.label(),
            app.strings().views.undo_hint
        ),
        None => message.to_string(),
    }
}

/// The name of the customer whose card is open, for saying what was undone.
fn card_owner(app: &App) -> String {
    app.open_card_id()
        .and_then(|id| app.data.row(id))
        .map(|r| r.name.clone())
        .unwrap_or_default()
}

/// After a committed write: the other windows on the store are woken to show
/// it, the card shows the change at once; the figures follow from a
/// background load.
fn after_save(app: &mut App, store: &mut Store) -> Option<Reload> {
    store.wake_other_dashboards();
    if let Some(id) = app.open_card_id() {
        match data::load_card(store, id, &app.data) {
            Ok(card) => app.set_card(id, card),
            Err(e) => app.set_status(store_failure(app, &e)),
        }
    }
    Some(Reload {
        today: app.data.as_of,
        rules: Rules::Apply,
    })
}

/// A store error as the status line says it, in the UI language.
pub(crate) fn store_failure(app: &App, e: &StoreError) -> Status {
    Status::Error(store_error(app.lang, e))
}

/// What a successful write leads to.
enum Saved {
    Plain,
    /// Saved, and this sentence says what was done.
    Message(String),
    New(CustomerId),
    Deleted(CustomerId),
    /// With the files of the customer kanta cannot vouch for.
    Erased(Vec<String>),
}

/// Writes everything held about a customer (`kanta customer export --save`) to
/// the exports folder beside the store, readable by the owner only.
fn export_customer(
    store: &Store,
    id: CustomerId,
    today: NaiveDate,
) -> Result<std::path::PathBuf, crate::store::copies::WriteError> {
    store.export_customer_to_file(id, today)
}

/// Writes a submitted form.
fn save(store: &mut Store, result: FormResult, app: &App) -> Result<Saved, StoreError> {
    match result {
        FormResult::Customer {
            id: None, draft, ..
        } => store.insert_customer(&draft).map(|c| Saved::New(c.id)),
        FormResult::Customer {
            id: Some(id),
            draft,
            seen,
        } => store
            .update_customer_seen(id, &draft, seen.as_deref())
            .map(|_| Saved::Plain),
        FormResult::Interaction {
            customer_id,
            kind,
            direction,
            text,
            follow_up,
        } => {
            store.log_contact(customer_id, kind, direction, &text, Utc::now(), follow_up)?;
            let name = app
                .data
                .row(customer_id)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            Ok(Saved::Message(followups::contact_message(
                app.lang,
                &name,
                follow_up,
                app.today(),
            )))
        }
        FormResult::Order(draft) => store.add_order(&draft).map(|_| Saved::Plain),
        FormResult::OrderEdit { id, draft } => store.update_order(id, &draft).map(|_| Saved::Plain),
        FormResult::InteractionEdit {
            id,
            kind,
            direction,
            text,
        } => store
            .update_interaction(id, kind, direction, &text)
            .map(|_| Saved::Plain),
        FormResult::FollowUp {
            customer_id,
            due,
            reason,
        } => store
            .add_followup(customer_id, due, &reason)
            .map(|_| Saved::Plain),
        // Dates and confirmations are turned into their own effects by the modal.
        FormResult::Date(_) | FormResult::Confirmed => Ok(Saved::Plain),
    }
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
