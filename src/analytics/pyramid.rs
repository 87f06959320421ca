//! Pyramid stages (SPEC section 4) at an as-of date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{CustomerFacts, Stage};

/// The pyramid's configurable numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PyramidConfig {
    /// Length of the active window W, in days, ending at D.
    pub active_window_days: u32,
    /// Share of active customers whose revenue sets the key-customer threshold.
    pub key_customer_share: f64,
}

impl Default for PyramidConfig {
    fn default() -> Self {
        PyramidConfig {
            active_window_days: 365,
            key_customer_share: 0.2,
        }
    }
}

/// Stage of each customer at `as_of`, in the order of `facts`.
pub fn stages(facts: &[CustomerFacts], as_of: NaiveDate, config: &PyramidConfig) -> Vec<Stage> {
    let _ = (facts, as_of, config);
    todo!("analytics::stages")
}

/// Count per stage at D and at D - 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PyramidCounts {
    /// Indexed by `Stage::index()`.
    pub now: [u32; 7],
    pub week_ago: [u32; 7],
}

pub fn pyramid_counts(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    config: &PyramidConfig,
) -> PyramidCounts {
    let _ = (facts, as_of, config);
    todo!("analytics::pyramid_counts")
}
