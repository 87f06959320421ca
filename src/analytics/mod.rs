//! Every figure of SPEC section 4, as pure functions of [`CustomerFacts`] and an
//! as-of date. No clock is read and no I/O is done here.
//! May import: `domain` only.

pub mod churn;
pub mod cohorts;
mod frequency;
pub mod history;
pub mod pyramid;
pub mod repeat;
pub mod rfm;
pub mod rules;
pub mod summary;
pub mod weekly;

pub use cohorts::{CohortRow, CohortTable, YearMonth, cohorts};
pub use history::PurchaseHistory;
pub use pyramid::ActiveWindow;
pub use pyramid::{PyramidConfig, PyramidCounts, pyramid_counts, stages};
pub use repeat::{RepeatRow, SourceFilter, repeat_rates};
pub use rfm::{Rfm, rfm, segment_of};
pub use summary::{CustomerSummary, summarize};
