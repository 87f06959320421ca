//! The dashboard's event loop: keys, the mouse and pasted text in, frames
//! out; background loads, the damage check and another process's writes
//! looked for while it waits.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use chrono::{Local, Utc};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

use crate::analytics::rules::ProposedFollowUp;
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
/// The rules' follow-ups shown before the check for damage had passed are
/// written once no key has been pressed for this long: on a large store the
/// write and the reading of the follow-ups again take a frame or more, and
/// a keystroke while typing a search should not wait for them.
const QUIET_FOR: Duration = Duration::from_millis(750);

/// A [`BackgroundJob`] running.
struct Background {
    handle: Option<std::thread::JoinHandle<Result<(), String>>>,
    lang: Lang,
}

impl Background {
    fn start(job: BackgroundJob, lang: Lang) -> Background {
        Background {
            handle: Some(std::thread::spawn(move || {
                yield_to_the_window();
                job(lang)
            })),
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

/// Work no one waits for (the check for damage, the daily copy) yields the
/// cores and the disk to the window: the calling thread gets the lowest CPU
/// priority and the idle I/O class. At 1,000,000 customers the daily copy's
/// checks read the whole store for half a minute on one of two cores, and a
/// search keystroke made meanwhile took up to 98 ms. Only that thread is
/// lowered (Linux keeps both per thread); elsewhere nothing is changed.
fn yield_to_the_window() {
    #[cfg(target_os = "linux")]
    {
        /// `IOPRIO_CLASS_IDLE << IOPRIO_CLASS_SHIFT`, and `IOPRIO_WHO_PROCESS`.
        const IDLE: libc::c_long = 3 << 13;
        const THIS_THREAD: libc::c_long = 1;
        // SAFETY: both calls name the calling thread alone and change only
        // its scheduling; a failure leaves it as it was.
        unsafe {
            let thread = libc::gettid();
            let _ = libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, 19);
            let _ = libc::syscall(
                libc::SYS_ioprio_set,
                THIS_THREAD,
                libc::c_long::from(thread),
                IDLE,
            );
        }
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
    // When a key, a paste or the mouse last came.
    let mut last_input = Instant::now();
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
        // Follow-ups waiting for a quiet moment to be written.
        let waiting = !deferred.is_empty() && checking.is_none() && store.is_known_sound();
        let wait = if waiting {
            wait.min(QUIET_FOR.saturating_sub(last_input.elapsed()))
        } else {
            wait
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
            if matches!(event, Event::Key(_) | Event::Paste(_) | Event::Mouse(_)) {
                last_input = Instant::now();
            }
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
                    // A write the load did not see waits for the next one:
                    // meanwhile its customers are shown as they are now.
                    if stale.is_some() {
                        show_at_once(app, store);
                    }
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
                dirty = true;
            }
            // Nothing shown says the check is running: only its failure is drawn.
            if let Err(message) = outcome {
                app.set_status(Status::Error(message));
                dirty = true;
            }
        }
        // Sound: the follow-ups that waited for the check are written, once
        // no key has come for a moment.
        if !deferred.is_empty()
            && checking.is_none()
            && store.is_known_sound()
            && last_input.elapsed() >= QUIET_FOR
        {
            dirty |= write_deferred(app, store, &mut deferred, &mut frames, config);
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
                    dirty |= show_at_once(app, store);
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

/// Writes the rules' follow-ups a load showed before the store had passed
/// its check for damage, once it has; then only the follow-ups shown are
/// read again (with their ids), not every figure. The data's figures, and
/// the first frames being counted from them, hold at the mark after this
/// write when nothing else came between. Returns whether anything shown
/// changed: the follow-ups written are most often those shown, and an idle
/// window draws nothing.
pub(super) fn write_deferred(
    app: &mut App,
    store: &mut Store,
    deferred: &mut Vec<ProposedFollowUp>,
    frames: &mut Option<Frames>,
    config: &Config,
) -> bool {
    if deferred.is_empty() || !store.is_known_sound() {
        return false;
    }
    // What the follow-ups show: all but their ids, which the write gives.
    let shown = |data: &data::DashboardData| {
        let rows: Vec<data::FollowUpRow> = data
            .followups
            .iter()
            .map(|f| data::FollowUpRow { id: 0, ..f.clone() })
            .collect();
        (rows, data.weekly.clone())
    };
    let before = shown(&app.data);
    let proposals = std::mem::take(deferred);
    let held = app.data.kept.as_ref().and_then(|k| k.holds_at);
    let written = store.apply_generated_followups_at(&proposals, held.unwrap_or(i64::MIN));
    let holds_at = match written {
        Ok((_, after)) => after.filter(|_| held.is_some()),
        Err(e) => {
            app.set_status(Status::Error(format!(
                "{}: {}",
                ErrorStrings::of(app.lang).followups_not_written,
                store_error(app.lang, &e)
            )));
            return true;
        }
    };
    if let Some(kept) = app.data.kept.as_mut() {
        kept.holds_at = holds_at;
    }
    match (holds_at, frames.as_mut()) {
        (Some(mark), Some(f)) => f.hold_at(mark),
        _ => *frames = None,
    }
    match loader::read_followups(store, &mut app.data, &config.pyramid) {
        Ok(()) => {
            app.followups_changed();
            shown(&app.data) != before
        }
        Err(e) => {
            app.set_status(store_failure(app, &e));
            true
        }
    }
}

/// Installs loaded data; an open card is read again against it.
fn install(app: &mut App, store: &Store, data: data::DashboardData) {
    if let Some(id) = app.set_data(data) {
        read_card(app, store, id);
    }
}

/// The open card `id` read again against the data shown.
fn read_card(app: &mut App, store: &Store, id: CustomerId) {
    match data::load_card(store, id, &app.data) {
        Ok(card) => app.set_card(id, card),
        Err(e) => app.set_status(store_failure(app, &e)),
    }
}

/// Shows at once what another program changed since the figures shown
/// were computed ([`App::show_changed`]): on a large store the load that
/// computes them again takes seconds, and a customer written by another
/// program is looked for now. Whether anything was shown. A failure to
/// read is left to that load to say.
fn show_at_once(app: &mut App, store: &Store) -> bool {
    let Some(since) = app.data.kept.as_ref().map(|k| k.holds_at.unwrap_or(k.mark)) else {
        return false;
    };
    let Ok((Changes::Customers(ids), _)) = store.changes_since(since) else {
        return false;
    };
    if ids.is_empty() || ids.len() > data::SHOWN_AT_ONCE {
        return false;
    }
    let Ok(records) = store.records_of(&ids) else {
        return false;
    };
    match app.show_changed(records) {
        Some(card) => {
            if let Some(id) = card {
                read_card(app, store, id);
            }
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::tui::keymap::Keymap;
    use crate::tui::loader::Base;
    use crate::tui::search_box::SearchState;

    fn add(store: &mut Store, name: &str, on: &str, cents: i64) {
        store.add_buyer(name, on.parse().unwrap(), cents);
    }

    fn load(path: &std::path::Path, base: Base, store: &mut Store) -> data::DashboardData {
        let as_of = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        Loader::start(path, base, as_of, &Config::default(), Rules::Skip, Lang::En)
            .wait(store)
            .unwrap()
    }

    fn search(app: &mut App, query: &str) -> Vec<String> {
        let mut search = SearchState::default();
        for c in query.chars() {
            search.type_char(c, &app.data);
        }
        let names = search
            .results
            .iter()
            .map(|&i| app.data.customers[i].name.clone())
            .collect();
        app.search = Some(search);
        names
    }

    /// On a large store a load takes seconds: the customers another
    /// program wrote are shown, and found, before it, with their own
    /// purchases; the figures that rank them among everyone wait for it.
    #[test]
    fn another_programs_customers_are_found_at_once_and_their_figures_wait_for_the_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kanta.db");
        let mut store = Store::open_or_create(&path).unwrap();
        for (name, on, cents) in [
            ("Aino Virtanen", "2026-01-05", 4000),
            ("Bertil Ek", "2026-02-11", 900),
            ("Carla Rossi", "2025-12-24", 15000),
        ] {
            add(&mut store, name, on, cents);
        }
        let data = load(&path, Base::Read, &mut store);
        let mut app = App::new(data, Lang::En, Keymap::default());
        assert!(search(&mut app, "zeta").is_empty());
        // Another program: a new customer with an order, Bertil renamed.
        let mut other = Store::open(&path).unwrap();
        add(&mut other, "Zeta Script", "2026-03-01", 1250);
        other
            .connection()
            .execute(
                "UPDATE customers SET name = 'Bertil Berg' WHERE name = 'Bertil Ek'",
                [],
            )
            .unwrap();
        assert!(show_at_once(&mut app, &store));
        // The search open is run again on the rows shown.
        let open = app.search.as_ref().unwrap();
        let rows: Vec<&data::CustomerRow> = open
            .results
            .iter()
            .map(|&i| &app.data.customers[i])
            .collect();
        assert_eq!(rows.len(), 1);
        let zeta = rows[0];
        assert_eq!(zeta.name, "Zeta Script");
        assert!(zeta.awaiting);
        assert_eq!((zeta.frequency, zeta.monetary_cents), (1, 1250));
        assert_eq!(zeta.last_purchase, "2026-03-01".parse().ok());
        assert_eq!(search(&mut app, "berg"), vec!["Bertil Berg".to_string()]);
        assert!(!search(&mut app, "ek").contains(&"Bertil Berg".to_string()));
        // The list sorts the rows as they are now.
        assert_eq!(
            app.data.customer_ranks,
            crate::tui::rows::ranks(&app.data.customers)
        );
        // Shown again: the same rows.
        let shown = app.data.customers.clone();
        assert!(show_at_once(&mut app, &store));
        assert_eq!(app.data.customers, shown);
        // The load that follows computes every figure: nothing waits.
        let data = load(&path, Base::after(&mut app.data), &mut store);
        app.set_data(data);
        assert!(app.data.customers.iter().all(|r| !r.awaiting));
        assert_eq!(search(&mut app, "zeta"), vec!["Zeta Script".to_string()]);
        assert!(!show_at_once(&mut app, &store));
    }

    /// The rules' follow-ups a load showed before the store had passed its
    /// check are written once it has, and only the follow-ups are read
    /// again: they get their ids, and the figures hold at the mark after.
    #[test]
    fn follow_ups_shown_before_the_check_are_written_once_it_has_passed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kanta.db");
        let mut first = Store::open_or_create(&path).unwrap();
        add(&mut first, "First buyer", "2026-03-03", 2500);
        // Two follow-ups not written yet, each shown as itself.
        add(&mut first, "Second buyer", "2026-03-04", 900);
        drop(first);
        // A copy is another file, which this process has not checked yet.
        let copy = dir.path().join("copy.db");
        std::fs::copy(&path, &copy).unwrap();
        let mut store = Store::open(&copy).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let config = Config::default();
        let mut loading = Loader::start(&copy, Base::Read, as_of, &config, Rules::Apply, Lang::En);
        let data = loop {
            if let Some(outcome) = loading.poll(&mut store) {
                break outcome.unwrap();
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let mut app = App::new(data, Lang::En, Keymap::default());
        assert_eq!(app.data.followups.len(), 2);
        assert!(app.data.followups.iter().all(|f| f.id == 0));
        // Not saved yet: acting on it says so, and writes nothing.
        app.pane = crate::tui::action::Pane::FollowUps;
        assert!(matches!(
            app.update(crate::tui::action::Action::Done),
            Effect::Status(_)
        ));
        let mut deferred = std::mem::take(&mut loading.deferred);
        let mut frames = None;
        // Before the check nothing is written.
        write_deferred(&mut app, &mut store, &mut deferred, &mut frames, &config);
        assert!(store.open_followups().unwrap().is_empty());
        store.check_sound().unwrap();
        let redrawn = write_deferred(&mut app, &mut store, &mut deferred, &mut frames, &config);
        assert!(deferred.is_empty());
        // The follow-ups shown, and the weekly page's, are those written, in
        // the same order: nothing to draw again.
        assert!(!redrawn);
        let stored = store.open_followups().unwrap();
        assert_eq!(stored.len(), 2);
        let ids = |rows: &[data::FollowUpRow]| rows.iter().map(|f| f.id).collect::<Vec<_>>();
        assert_eq!(
            ids(&app.data.followups),
            stored.iter().map(|f| f.id).collect::<Vec<_>>()
        );
        assert_eq!(
            app.data.kept.as_ref().and_then(|k| k.holds_at),
            Some(store.last_change().unwrap())
        );
    }
}

#[cfg(all(test, target_os = "linux"))]
mod yield_tests {
    /// The calling thread's CPU priority (its nice value).
    fn nice() -> i32 {
        // SAFETY: reads the calling thread's priority.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
    }

    #[test]
    fn background_work_lowers_its_own_thread_alone() {
        let before = nice();
        let lowered = std::thread::spawn(|| {
            super::yield_to_the_window();
            nice()
        })
        .join()
        .unwrap();
        assert_eq!(lowered, 19);
        assert_eq!(nice(), before, "the caller's own priority is kept");
    }
}
