//! Loading the dashboard's data in two steps, so a large store shows its
//! default pane at once: the facts and the pyramid counts are read in the
//! foreground; the rest (customers, search index, churn model, follow-up rules)
//! is computed by a thread with its own store connection and handed to the
//! loop, which keeps answering keys meanwhile.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread;

use chrono::NaiveDate;

use crate::analytics;
use crate::analytics::rules::ProposedFollowUp;
use crate::analytics::{PyramidConfig, PyramidCounts};
use crate::config::Config;
use crate::domain::{CustomerFacts, Listing};
use crate::figures::{self, Figures};
use crate::i18n::Lang;
use crate::i18n::errors::ErrorStrings;
use crate::store::{Records, Store, StoreError};

use super::data::{DashboardData, FactViews, Kept, Rules, row_texts, search_of};
use super::frames;

/// What the default pane needs, from facts already read: the pyramid counts.
/// Everything else waits for the background load (`pending` says so).
pub fn first_look(facts: &[CustomerFacts], as_of: NaiveDate, config: &Config) -> DashboardData {
    showing(
        analytics::pyramid_counts(facts, as_of, &config.pyramid),
        as_of,
        config,
    )
}

/// The first frame's data, the pyramid alone, pending the rest.
fn showing(pyramid: PyramidCounts, as_of: NaiveDate, config: &Config) -> DashboardData {
    let mut data = DashboardData::empty(as_of, &config.currency);
    data.default_country.clone_from(&config.default_country);
    data.pyramid = pyramid;
    data.pending = true;
    data
}

/// The first frame's data on `store` at `today`, and what the load of the
/// rest starts from. The pyramid kept in the store for the day
/// ([`Store::pyramid_frame`]) when nothing changed since it was counted:
/// the load then reads the facts itself. Otherwise every customer's facts
/// are read here, and the load is given them.
pub fn first_frame(
    store: &Store,
    today: NaiveDate,
    config: &Config,
) -> Result<(DashboardData, Base), StoreError> {
    // A kept frame that cannot be read (a script dropped its table) is no
    // reason not to open: the facts tell the same.
    if let Ok(Some(kept)) = store.pyramid_frame(today, &frames::setting(&config.pyramid)) {
        let pyramid = PyramidCounts {
            now: kept.now,
            week_ago: kept.week_ago,
        };
        return Ok((showing(pyramid, today, config), Base::Read));
    }
    // The change log's mark first: a change after it is read again.
    let mark = store.last_change()?;
    let facts = store.load_facts_in_parallel()?;
    Ok((first_look(&facts, today, config), Base::Given(facts, mark)))
}

/// The whole load in the calling thread, follow-ups written on `store`
/// (tests, and whoever needs the data at once).
pub fn load_now(
    store: &mut Store,
    as_of: NaiveDate,
    config: &Config,
    rules: Rules,
) -> Result<DashboardData, StoreError> {
    let facts = store.load_facts()?;
    complete(store, facts, as_of, config, rules)
}

/// Computes the whole dashboard data from facts already read, on `store`,
/// writing the follow-ups the rules call for on the same connection.
pub fn complete(
    store: &mut Store,
    facts: Vec<CustomerFacts>,
    as_of: NaiveDate,
    config: &Config,
    rules: Rules,
) -> Result<DashboardData, StoreError> {
    let figures = Figures::compute(&facts, as_of, &config.pyramid, config.churn.model);
    if rules == Rules::Apply {
        figures::regenerate_followups(store, &facts, &figures, &config.rules)?;
    }
    finish(store, facts, figures, config)
}

/// The rest of the data once the figures are computed and the follow-ups written.
fn finish(
    store: &Store,
    facts: Vec<CustomerFacts>,
    figures: Figures,
    config: &Config,
) -> Result<DashboardData, StoreError> {
    let listings = store.listings()?;
    finish_with(store, facts, figures, &listings, config)
}

/// The same with the customers read already.
fn finish_with(
    store: &Store,
    facts: Vec<CustomerFacts>,
    figures: Figures,
    listings: &[Listing],
    config: &Config,
) -> Result<DashboardData, StoreError> {
    // After the rules' follow-ups are written: they are among these.
    let followups = store.open_followups()?;
    let mut data = DashboardData::build_with(facts, figures, listings, &followups, config);
    data.weekly = super::panes::weekly::load(store, &data, &config.pyramid, &followups)?;
    Ok(data)
}

/// The open follow-ups read again, and the weekly page with them: once the
/// rules' follow-ups a load showed before it could write them are written
/// (they have their ids now). No figure depends on them.
pub fn read_followups(
    store: &Store,
    data: &mut DashboardData,
    pyramid: &PyramidConfig,
) -> Result<(), StoreError> {
    let followups = store.open_followups()?;
    data.set_followups(&followups);
    data.weekly = super::panes::weekly::load(store, data, pyramid, &followups)?;
    Ok(())
}

/// The records a load starts from.
#[derive(Debug)]
pub enum Base {
    /// Reads every customer's.
    Read,
    /// Facts read already (the first frame's), and the change log's mark
    /// read before them.
    Given(Vec<CustomerFacts>, i64),
    /// What the load before kept: only the customers the change log names
    /// since are read again.
    Patch(Kept),
}

impl Base {
    /// What a load after `data` starts from; it takes the listings `data`
    /// kept (see [`Kept`]).
    pub fn after(data: &mut DashboardData) -> Base {
        match &mut data.kept {
            Some(kept) => Base::Patch(Kept {
                facts: Arc::clone(&kept.facts),
                listings: kept.listings.take(),
                mark: kept.mark,
                holds_at: None,
            }),
            None => Base::Read,
        }
    }

    /// The facts, the listings when they are read already, and the change
    /// log's mark read before both, on `store`.
    fn read(self, store: &Store) -> Result<Records, StoreError> {
        let whole = |facts, mark| Records {
            facts,
            listings: None,
            mark,
        };
        match self {
            Base::Read => {
                let mark = store.last_change()?;
                Ok(whole(store.load_facts_in_parallel()?, mark))
            }
            Base::Given(facts, mark) => Ok(whole(facts, mark)),
            Base::Patch(kept) => store.records_after(&kept.facts, kept.listings, kept.mark),
        }
    }
}

/// What the loading thread hands to the loop.
enum Step {
    /// The follow-ups the rules call for. The loop writes them on its own
    /// connection and answers: a commit by the dashboard's connection is no
    /// news to it, while one by another program still is, so the loop never
    /// has to guess which changes were its own. The answer comes once the
    /// write is over, failed or not: the load goes on either way. With the
    /// change log's mark the load read the store at, and in the answer the
    /// mark after the write when nothing else came between.
    Write(Vec<ProposedFollowUp>, i64, mpsc::SyncSender<Option<i64>>),
    /// The same on a store not known sound yet: shown, written by the loop
    /// once the check has passed.
    Later(Vec<ProposedFollowUp>),
    Done(Box<Result<DashboardData, StoreError>>),
}

/// A load running in its own thread; its result is taken by polling.
#[derive(Debug)]
pub struct Loader {
    steps: Receiver<Step>,
    /// The language of the load's own failures.
    lang: Lang,
    /// Why the follow-ups the load called for could not be written.
    pub failure: Option<StoreError>,
    /// Follow-ups the load called for while the store's check for damage
    /// was still running: the loop writes them once it has passed.
    pub deferred: Vec<ProposedFollowUp>,
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Step::Write(..) => "Step::Write",
            Step::Later(_) => "Step::Later",
            Step::Done(_) => "Step::Done",
        })
    }
}

impl Loader {
    /// Starts loading the store at `path` on a connection of its own, which
    /// only reads. With `facts`, those are used instead of reading them again.
    /// A panic in the thread becomes the load's error.
    pub fn start(
        path: &Path,
        base: Base,
        as_of: NaiveDate,
        config: &Config,
        rules: Rules,
        lang: Lang,
    ) -> Loader {
        let (send, steps) = mpsc::channel();
        let path: PathBuf = path.to_path_buf();
        let config = config.clone();
        thread::spawn(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                load(&path, base, as_of, &config, rules, &send, lang)
            }))
            .unwrap_or_else(|panic| {
                Err(StoreError::Invalid(format!(
                    "{}: {}",
                    ErrorStrings::of(lang).data_not_loaded,
                    panic_text(panic.as_ref())
                )))
            });
            // The loop may have quit or replaced this load meanwhile: nobody to tell.
            let _ = send.send(Step::Done(Box::new(outcome)));
        });
        Loader {
            steps,
            lang,
            failure: None,
            deferred: Vec::new(),
        }
    }

    /// The result once the load has finished; `None` while it runs. Writes
    /// the follow-ups the load asks for on `store`, the loop's connection.
    pub fn poll(&mut self, store: &mut Store) -> Option<Result<DashboardData, StoreError>> {
        loop {
            match self.steps.try_recv() {
                Ok(Step::Write(proposals, mark, answer)) => {
                    // The loop never waits for the check for damage: until
                    // it has passed, the follow-ups wait instead.
                    if !store.is_known_sound() {
                        self.deferred = proposals;
                        let _ = answer.send(None);
                        continue;
                    }
                    let holds_at = match store.apply_generated_followups_at(&proposals, mark) {
                        Ok((_, holds_at)) => holds_at,
                        Err(e) => {
                            self.failure = Some(e);
                            None
                        }
                    };
                    let _ = answer.send(holds_at);
                }
                Ok(Step::Later(proposals)) => self.deferred = proposals,
                Ok(Step::Done(outcome)) => return Some(*outcome),
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => {
                    return Some(Err(StoreError::Invalid(
                        ErrorStrings::of(self.lang).data_not_loaded.into(),
                    )));
                }
            }
        }
    }

    /// Waits for the result (benchmarks and tests). As in the dashboard, the
    /// follow-ups wait for the store's check for damage: run it first for
    /// them to be written, or write [`Loader::deferred`] once it has passed.
    pub fn wait(&mut self, store: &mut Store) -> Result<DashboardData, StoreError> {
        loop {
            if let Some(outcome) = self.poll(store) {
                return outcome;
            }
            thread::sleep(std::time::Duration::from_millis(2));
        }
    }
}

/// The loading thread's work.
fn load(
    path: &Path,
    base: Base,
    as_of: NaiveDate,
    config: &Config,
    rules: Rules,
    steps: &mpsc::Sender<Step>,
    lang: Lang,
) -> Result<DashboardData, StoreError> {
    let store = Store::open(path)?;
    let Records {
        facts,
        listings,
        mark,
    } = base.read(&store)?;
    // On two cores, nothing waiting while work is left: the figures (the
    // churn model's fit the longest) and the views of the facts (pyramid,
    // cohorts) beside the customers' read; then the rows' search index beside
    // their texts' ranks.
    let (figures, views, found) = std::thread::scope(|scope| {
        let figures =
            scope.spawn(|| Figures::compute(&facts, as_of, &config.pyramid, config.churn.model));
        let views = scope.spawn(|| FactViews::of(&facts, as_of, &config.pyramid));
        let listings = match listings {
            Some(listings) => Ok(listings),
            None => store.listings(),
        };
        let found = listings.map(|listings| {
            let texts = row_texts(&facts, &listings);
            let (search, text_ranks) = std::thread::scope(|inner| {
                let ranks = inner.spawn(|| super::rows::text_ranks(&texts));
                let search = search_of(&facts, &listings, &texts, &config.default_country);
                (search, joined(ranks))
            });
            (listings, texts, search, text_ranks)
        });
        (joined(figures), joined(views), found)
    });
    let (listings, texts, search, mut ranks) = found?;
    // The rules' follow-ups are written only on a store that has passed its
    // check for damage, and on a large store the check (every page read)
    // ends long after the figures are in: the panes do not wait for it.
    // On a store known sound the loop writes them at once, on its own
    // connection; before that they are shown as writing them will leave
    // the follow-ups, and the loop writes them once the check has passed.
    // Without a write of this load's own, its figures hold at the mark.
    let mut holds_at = Some(mark);
    let replaced = || StoreError::Invalid(ErrorStrings::of(lang).load_replaced.into());
    let followups = if rules == Rules::Apply && !store.is_known_damaged() {
        let proposals = figures::proposals(&facts, &figures, &config.rules);
        if store.is_known_sound() {
            let (answer, written) = mpsc::sync_channel(1);
            steps
                .send(Step::Write(proposals, mark, answer))
                .map_err(|_| replaced())?;
            // A failed write is said by the loop; the figures still load.
            holds_at = written.recv().map_err(|_| replaced())?;
            // After the rules' follow-ups are written: they are among these.
            store.open_followups()?
        } else {
            let shown = store.open_followups_with(&proposals)?;
            steps.send(Step::Later(proposals)).map_err(|_| replaced())?;
            shown
        }
    } else {
        store.open_followups()?
    };
    let mut data =
        DashboardData::assemble(facts, figures, views, texts, search, &followups, config);
    // The ranks of the figures' columns beside the weekly page.
    let (figure_ranks, weekly) = std::thread::scope(|scope| {
        let ranks = scope.spawn(|| super::rows::figure_ranks(&data.customers));
        let weekly = super::panes::weekly::load(&store, &data, &config.pyramid, &followups);
        (joined(ranks), weekly)
    });
    ranks.extend(figure_ranks);
    data.customer_ranks = ranks;
    data.weekly = weekly?;
    data.kept = Some(Kept {
        facts: Arc::clone(&data.facts),
        listings: Some(listings),
        mark,
        holds_at,
    });
    Ok(data)
}

/// A scoped thread's result. Its panic is the load's: the thread's catch
/// turns it into the load's error.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The message of a panic's payload.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an internal error".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::PyramidConfig;

    /// A store whose one customer bought first a week before the date
    /// returned: the thank-you rule calls for a follow-up.
    fn store_with_a_first_buyer(dir: &tempfile::TempDir) -> (PathBuf, Store, NaiveDate) {
        let path = dir.path().join("kanta.db");
        let mut store = Store::open_or_create(&path).unwrap();
        store.add_buyer(
            "First buyer",
            NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
            2500,
        );
        (path, store, NaiveDate::from_ymd_opt(2026, 3, 10).unwrap())
    }

    /// A whole load of the store at `path` with the rules applied, the
    /// follow-ups written on `store` as the loop writes them.
    fn load_with_rules(path: &Path, as_of: NaiveDate, store: &mut Store) -> DashboardData {
        Loader::start(
            path,
            Base::Read,
            as_of,
            &Config::default(),
            Rules::Apply,
            Lang::En,
        )
        .wait(store)
        .unwrap()
    }

    /// The loop knows another program wrote by its connection's
    /// `data_version`. The follow-ups a load calls for are written on that
    /// same connection, so they are no news to it, and nothing the loop does
    /// after a load can swallow a commit of another program.
    #[test]
    fn a_loads_own_follow_ups_are_no_news_but_another_programs_commit_is() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut store, as_of) = store_with_a_first_buyer(&dir);
        store.check_sound().unwrap();
        let before = store.data_version().unwrap();
        let data = load_with_rules(&path, as_of, &mut store);
        assert!(!data.pending);
        assert!(
            !store.open_followups().unwrap().is_empty(),
            "the rules wrote a follow-up"
        );
        assert_eq!(store.data_version().unwrap(), before);
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute(
                "INSERT INTO customers (ref, name) VALUES ('SCRIPT-1', 'From a script')",
                [],
            )
            .unwrap();
        assert_ne!(store.data_version().unwrap(), before);
    }

    /// A load does not wait for the store's check for damage, which on a
    /// large store ends long after the figures: before it has passed, the
    /// rules' follow-ups are shown as writing them will leave them, and
    /// handed to the loop, which writes them once it has.
    #[test]
    fn a_load_before_the_check_has_ended_shows_its_follow_ups_unwritten() {
        let dir = tempfile::tempdir().unwrap();
        let (written, store, as_of) = store_with_a_first_buyer(&dir);
        drop(store);
        // A copy is another file, which this process has not checked yet.
        let path = dir.path().join("copy.db");
        std::fs::copy(&written, &path).unwrap();
        let mut store = Store::open(&path).unwrap();
        assert!(!store.is_known_sound());
        let config = Config::default();
        let mut loader = Loader::start(&path, Base::Read, as_of, &config, Rules::Apply, Lang::En);
        let data = loop {
            if let Some(outcome) = loader.poll(&mut store) {
                break outcome.unwrap();
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        };
        assert!(!store.is_known_sound(), "the load ran no check");
        assert!(
            store.open_followups().unwrap().is_empty(),
            "nothing written"
        );
        let shown: Vec<_> = data
            .followups
            .iter()
            .map(|f| (f.id, f.customer_id, f.due))
            .collect();
        assert_eq!(shown.len(), 1, "the load shows the rules' follow-up");
        assert_eq!(shown[0].0, 0, "not written yet: no id");
        assert_eq!(loader.deferred.len(), 1);
        // Once sound, writing them leaves the follow-ups that were shown.
        store.check_sound().unwrap();
        store.apply_generated_followups(&loader.deferred).unwrap();
        let stored = store.open_followups().unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(
            (stored[0].customer_id, stored[0].due),
            (shown[0].1, shown[0].2)
        );
        assert_ne!(stored[0].id, 0);
        // Loaded again, sound: written at once, nothing more.
        let again = load_with_rules(&path, as_of, &mut store);
        assert_eq!(again.followups.len(), 1);
        assert_eq!(again.followups[0].id, stored[0].id);
        assert_eq!(store.open_followups().unwrap().len(), 1);
    }

    /// The first frame of each day a load kept, as `first_frame` finds it.
    fn kept_frame(store: &Store, as_of: NaiveDate) -> Option<PyramidCounts> {
        let (data, base) = first_frame(store, as_of, &Config::default()).unwrap();
        matches!(base, Base::Read).then_some(data.pyramid)
    }

    /// A complete load keeps the pyramid of its day and the next six; the
    /// next window draws its day's at once, equal to what every order says.
    /// Its own follow-ups moved the change log, and do not make the frames
    /// stale; another program's write does, and that window reads every
    /// order again.
    #[test]
    fn a_loads_frames_serve_the_next_opens_until_another_program_writes() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut store, as_of) = store_with_a_first_buyer(&dir);
        store.check_sound().unwrap();
        let config = Config::default();
        assert_eq!(kept_frame(&store, as_of), None, "nothing kept yet");
        let before = store.last_change().unwrap();
        let data = load_with_rules(&path, as_of, &mut store);
        assert!(
            store.last_change().unwrap() > before,
            "the rules' follow-up moved the log"
        );
        frames::Frames::start(&data, &config)
            .unwrap()
            .wait(&mut store);
        let facts = store.load_facts().unwrap();
        for offset in 0..u64::from(frames::FRAME_DAYS) {
            let day = as_of + chrono::Days::new(offset);
            assert_eq!(
                kept_frame(&store, day),
                Some(analytics::pyramid_counts(&facts, day, &config.pyramid)),
                "{day}"
            );
        }
        let after = as_of + chrono::Days::new(u64::from(frames::FRAME_DAYS));
        assert_eq!(kept_frame(&store, after), None, "a week's frames only");
        // Counted under other settings, a frame is not theirs.
        let other = Config {
            pyramid: PyramidConfig {
                active_window_days: 30,
                ..PyramidConfig::default()
            },
            ..Config::default()
        };
        assert!(matches!(
            first_frame(&store, as_of, &other).unwrap().1,
            Base::Given(..)
        ));
        // A script buys for a second customer: no frame holds any more.
        let script = rusqlite::Connection::open(&path).unwrap();
        script
            .execute_batch(
                "INSERT INTO customers (ref, name, created_at) VALUES ('S-1', 'Scripted', '2026-01-05T10:00:00Z');
                 INSERT INTO orders (customer_id, order_date, amount_cents)
                 SELECT id, '2026-03-09', 900 FROM customers WHERE ref = 'S-1';",
            )
            .unwrap();
        let (fresh, base) = first_frame(&store, as_of, &config).unwrap();
        assert!(matches!(base, Base::Given(..)), "read again");
        assert_eq!(
            fresh.pyramid,
            analytics::pyramid_counts(&store.load_facts().unwrap(), as_of, &config.pyramid)
        );
        assert_ne!(fresh.pyramid, data.pyramid, "the script's customer counts");
    }

    /// A load during which another program wrote holds at no mark: it keeps
    /// no frames, for its figures may be the store's before that write.
    #[test]
    fn a_load_with_a_write_between_keeps_no_frames() {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut store, as_of) = store_with_a_first_buyer(&dir);
        store.check_sound().unwrap();
        let mark = store.last_change().unwrap();
        let facts = store.load_facts().unwrap();
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute(
                "INSERT INTO customers (ref, name) VALUES ('SCRIPT-1', 'From a script')",
                [],
            )
            .unwrap();
        let data = Loader::start(
            &path,
            Base::Given(facts, mark),
            as_of,
            &Config::default(),
            Rules::Apply,
            Lang::En,
        )
        .wait(&mut store)
        .unwrap();
        assert_eq!(data.kept.as_ref().unwrap().holds_at, None);
        assert!(frames::Frames::start(&data, &Config::default()).is_none());
        // Nor does a frame counted at a mark gone by get kept.
        let counts = analytics::pyramid_counts(&data.facts, as_of, &PyramidConfig::default());
        let frame = crate::store::KeptFrame {
            as_of,
            now: counts.now,
            week_ago: counts.week_ago,
        };
        let setting = frames::setting(&PyramidConfig::default());
        assert!(!store.save_pyramid_frames(mark, &setting, &[frame]).unwrap());
        assert_eq!(kept_frame(&store, as_of), None);
    }

    #[test]
    fn a_replaced_load_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (path, store, as_of) = store_with_a_first_buyer(&dir);
        // The loop drops a load it replaces; that load's thread can no
        // longer write, so it cannot look like another program's commit.
        drop(Loader::start(
            &path,
            Base::Read,
            as_of,
            &Config::default(),
            Rules::Apply,
            Lang::En,
        ));
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(store.open_followups().unwrap().is_empty());
    }
}
