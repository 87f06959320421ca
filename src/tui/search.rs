//! The dashboard's search index: `crate::search` over the loaded customers,
//! built once per data load (entry `i` is row `i` of
//! `DashboardData::customers`). The matching itself is not the dashboard's:
//! `kanta lookup` runs the same.

use crate::domain::Listing;

use super::rows::CustomerRow;

pub use crate::search::{Found, Hit, Index as SearchIndex, Matched, narrows};

impl SearchIndex {
    /// The index of the rows, with each row's customer found by id (a row
    /// whose customer is missing is found by its name alone); phones typed
    /// without a country code are of `default_country`.
    pub fn build_rows(
        rows: &[CustomerRow],
        listings: &[Listing],
        default_country: &str,
    ) -> SearchIndex {
        let entries = rows.iter().map(|r| match Listing::find(listings, r.id) {
            // The row's name is the one shown, sanitized.
            Some(listing) => crate::search::Entry {
                name: &r.name,
                ..crate::search::Entry::listed(listing)
            },
            None => crate::search::Entry::named(&r.name),
        });
        SearchIndex::build(entries, default_country)
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
