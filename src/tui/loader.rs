//! Loading the dashboard's data in two steps, so a large store shows its
//! default pane at once: the facts and the pyramid counts are read in the
//! foreground; the rest (customers, search index, churn model, follow-up rules)
//! is computed by a thread with its own store connection and handed to the
//! loop, which keeps answering keys meanwhile.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread;

use chrono::NaiveDate;

use crate::analytics;
use crate::config::Config;
use crate::domain::CustomerFacts;
use crate::engine::{self, Figures};
use crate::store::{Store, StoreError};

use super::data::{DashboardData, Rules};

/// What the default pane needs, from facts already read: the pyramid counts.
/// Everything else waits for the background load (`pending` says so).
pub fn first_look(facts: &[CustomerFacts], as_of: NaiveDate, config: &Config) -> DashboardData {
    let mut data = DashboardData::empty(as_of, &config.currency);
    data.pyramid = analytics::pyramid_counts(facts, as_of, &config.pyramid);
    data.pending = true;
    data
}

/// Computes the whole dashboard data from facts already read, on `store`.
pub fn complete(
    store: &mut Store,
    facts: Vec<CustomerFacts>,
    as_of: NaiveDate,
    config: &Config,
    rules: Rules,
) -> Result<DashboardData, StoreError> {
    // The same figures the reports print; the rules write the follow-ups they
    // call for first, as `report followups` does.
    let figures = Figures::compute(&facts, as_of, &config.pyramid);
    if rules == Rules::Apply {
        engine::regenerate_followups(store, &facts, &figures, &config.rules)?;
    }
    let customers = store.customers()?;
    let followups = store.open_followups()?;
    let mut data = DashboardData::build_with(facts, figures, &customers, &followups, config);
    data.weekly = super::panes::weekly::load(store, &data, &config.pyramid)?;
    Ok(data)
}

/// A load running in its own thread; its result is taken by polling.
#[derive(Debug)]
pub struct Loader {
    result: Receiver<Result<DashboardData, StoreError>>,
    /// Whether the load writes (the follow-up rules): its commit then looks
    /// like another program's to the loop's connection.
    pub rules: Rules,
}

impl Loader {
    /// Starts loading the store at `path` on a connection of its own. With
    /// `facts`, those are used instead of reading them again.
    pub fn start(
        path: &Path,
        facts: Option<Vec<CustomerFacts>>,
        as_of: NaiveDate,
        config: &Config,
        rules: Rules,
    ) -> Loader {
        let (send, result) = mpsc::channel();
        let path: PathBuf = path.to_path_buf();
        let config = config.clone();
        thread::spawn(move || {
            let outcome = Store::open(&path).and_then(|mut store| {
                let facts = match facts {
                    Some(facts) => facts,
                    None => store.load_facts()?,
                };
                complete(&mut store, facts, as_of, &config, rules)
            });
            // The loop may have quit meanwhile: nobody to tell.
            let _ = send.send(outcome);
        });
        Loader { result, rules }
    }

    /// The result once the load has finished; `None` while it runs.
    pub fn poll(&self) -> Option<Result<DashboardData, StoreError>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(StoreError::Invalid(
                "the dashboard's data could not be loaded".into(),
            ))),
        }
    }

    /// Waits for the result (benchmarks and tests).
    pub fn wait(self) -> Result<DashboardData, StoreError> {
        self.result.recv().unwrap_or_else(|_| {
            Err(StoreError::Invalid(
                "the dashboard's data could not be loaded".into(),
            ))
        })
    }
}
