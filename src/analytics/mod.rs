//! Every figure of SPEC section 4, as pure functions of [`CustomerFacts`] and an
//! as-of date. No clock is read and no I/O is done here.
//! May import: `domain` only.

pub(crate) mod churn;
pub(crate) mod cohorts;
mod frequency;
pub(crate) mod history;
pub(crate) mod pyramid;
pub(crate) mod repeat;
pub(crate) mod rfm;
pub(crate) mod rules;
pub(crate) mod summary;
pub mod weekly;

pub use cohorts::{CohortRow, CohortTable, YearMonth};
pub use pyramid::{PyramidConfig, PyramidCounts, WeekStages};
pub use repeat::{RepeatRow, SourceFilter};

pub(crate) use cohorts::cohorts;
pub(crate) use pyramid::pyramid_counts;
pub use pyramid::pyramid_frames;
pub(crate) use repeat::repeat_rates;
pub(crate) use rfm::{Rfm, rfm, rfm_of_stored, segment_of};
pub(crate) use summary::{CustomerSummary, summarize};
