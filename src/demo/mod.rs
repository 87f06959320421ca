//! `kanta demo`: a realistic, reproducible store to try kanta on.
//! May import: `store`, `figures`, `analytics`, `formats`, `config`, `i18n`, `domain`.
//!
//! The same seed and the same `today` give the same store, row for row: the
//! random numbers come from our own generator, and no clock is read here.
//! Everything is written in one transaction, so a failure leaves nothing.

mod contacts;
mod generate;
mod history;
mod names;
mod rng;
mod texts;

#[cfg(test)]
mod pyramid_tests;
#[cfg(test)]
mod shop_tests;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use thiserror::Error;

use crate::store::{Store, StoreError};

use generate::Generator;
use history::Calendar;
use names::NameLists;
use rng::Rng;

/// How often progress is reported, in customers.
const PROGRESS_EVERY: u64 = 1_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    pub customers: u32,
    pub seed: u64,
    /// The last day of the demo history; orders end here.
    pub today: NaiveDate,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub customers: u64,
    pub orders: u64,
    pub(crate) interactions: u64,
    pub(crate) followups: u64,
}

#[derive(Debug, Error)]
pub enum DemoError {
    #[error(
        "the store already has customers; demo data goes only into a new, empty store (choose another --db path)"
    )]
    NotEmpty,
    #[error("{0} is too early a date to end four years of demo history on")]
    DateOutOfRange(NaiveDate),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Fills an empty store with `options.customers` demo customers and their
/// orders, interactions and follow-ups, in one transaction. `progress` is
/// called with (customers done, customers in all) every thousand customers
/// and at the end.
pub fn generate(
    store: &mut Store,
    options: &DemoOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<DemoSummary, DemoError> {
    let calendar = Calendar::new(options.today).ok_or(DemoError::DateOutOfRange(options.today))?;
    let lists = NameLists::load();
    let mut rng = Rng::new(options.seed);
    let total = u64::from(options.customers);
    store.bulk_write(|w| {
        if w.customer_count()? > 0 {
            return Err(DemoError::NotEmpty);
        }
        progress(0, total);
        let plans = generate::plans(options.customers, &calendar, &mut rng);
        let mut generator = Generator::new(&calendar, &lists, rng);
        for (index, plan) in plans.into_iter().enumerate() {
            let done = index as u64 + 1;
            generator.customer(w, done as i64, plan)?;
            if done.is_multiple_of(PROGRESS_EVERY) && done < total {
                progress(done, total);
            }
        }
        progress(total, total);
        Ok(generator.summary)
    })
}
