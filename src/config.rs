//! The TOML config: every setting has a default (listed in the README).

use serde::{Deserialize, Serialize};

use crate::analytics::PyramidConfig;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `en` or `fi`; empty means: from the locale (`fi_*` gives Finnish).
    pub language: String,
    /// ISO 4217 code of the store's money.
    pub currency: String,
    /// Default country for phone numbers without a country code (ISO 3166 alpha-2).
    pub default_country: String,
    pub pyramid: PyramidConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            language: String::new(),
            currency: "EUR".to_string(),
            default_country: "FI".to_string(),
            pyramid: PyramidConfig::default(),
        }
    }
}
