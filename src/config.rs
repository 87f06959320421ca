//! The TOML config: every setting has a default (listed in the README and in
//! `assets/config.toml`). A missing file means the defaults; a bad file is refused
//! with the file, line and key at fault.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::analytics::PyramidConfig;
use crate::analytics::rules::RulesConfig;

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
    pub backups: BackupsConfig,
    /// Dashboard key overrides: action name -> key (`"quit" = "Q"`).
    pub keys: HashMap<String, String>,
    /// Follow-up rules (SPEC section 6): a switch and the numbers of each.
    pub rules: RulesConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            language: String::new(),
            currency: "EUR".to_string(),
            default_country: "FI".to_string(),
            pyramid: PyramidConfig::default(),
            backups: BackupsConfig::default(),
            keys: HashMap::new(),
            rules: RulesConfig::default(),
        }
    }
}

/// Automatic backups of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupsConfig {
    /// How many backups to keep.
    pub keep: u32,
    /// Take one backup a day when the dashboard opens.
    pub daily: bool,
}

impl Default for BackupsConfig {
    fn default() -> Self {
        BackupsConfig {
            keep: 7,
            daily: true,
        }
    }
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read the config {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl Config {
    /// Reads the config at `path`; a file that does not exist gives the defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => {
                return Err(ConfigError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        Config::parse(&text).map_err(|(line, message)| ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            message,
        })
    }

    /// Parses config text; the error is the 1-based line and one sentence.
    pub fn parse(text: &str) -> Result<Config, (usize, String)> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let start = e.span().map(|span| span.start.min(text.len())).unwrap_or(0);
            let line = text.get(..start).unwrap_or("").matches('\n').count() + 1;
            let message = e.message().trim().replace('\n', " ");
            match Config::key_on_line(text, line) {
                Some(key) if !message.contains(&key) => (line, format!("{key}: {message}")),
                _ => (line, message),
            }
        })?;
        config.validate()?;
        Ok(config)
    }

    /// The dotted key set on a 1-based line (`pyramid.active_window_days`), if any.
    fn key_on_line(text: &str, line: usize) -> Option<String> {
        let lines: Vec<&str> = text.lines().collect();
        let (key, _) = lines.get(line.checked_sub(1)?)?.split_once('=')?;
        let key = key.trim();
        let table = lines[..line - 1]
            .iter()
            .rev()
            .map(|l| l.trim())
            .find(|l| l.starts_with('['))
            .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim());
        Some(match table {
            Some(table) if !table.is_empty() => format!("{table}.{key}"),
            _ => key.to_string(),
        })
    }

    fn validate(&self) -> Result<(), (usize, String)> {
        let share = self.pyramid.key_customer_share;
        if !(share > 0.0 && share <= 1.0) {
            return Err((
                1,
                format!("pyramid.key_customer_share must be above 0 and at most 1, not {share}"),
            ));
        }
        if self.pyramid.active_window_days == 0 {
            return Err((1, "pyramid.active_window_days must be at least 1".into()));
        }
        // The default needs no look-up: loading the numbering plans would
        // cost every start 10 ms.
        if self.default_country != Config::default().default_country
            && !crate::domain::phone::is_country(&self.default_country)
        {
            return Err((
                1,
                format!(
                    "default_country: {:?} is not a country code (ISO 3166 alpha-2, such as \"FI\" or \"SE\")",
                    self.default_country
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_config_is_the_defaults() {
        let text = include_str!("../assets/config.toml");
        assert_eq!(Config::parse(text), Ok(Config::default()));
    }

    #[test]
    fn the_shipped_config_uncommented_is_still_the_defaults() {
        // Every key is written out, commented: uncommenting them all changes nothing.
        let text: String = include_str!("../assets/config.toml")
            .lines()
            .map(|l| l.strip_prefix("# ").filter(|l| is_setting(l)))
            .map(|l| l.unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(Config::parse(&text), Ok(Config::default()));
    }

    fn is_setting(line: &str) -> bool {
        line.starts_with('[')
            || line
                .split_once(" = ")
                .is_some_and(|(key, _)| key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    }

    #[test]
    fn values_override_defaults() {
        let config = Config::parse(
            "currency = \"USD\"\n[pyramid]\nactive_window_days = 180\n[keys]\nquit = \"Q\"\n",
        )
        .unwrap();
        assert_eq!(config.currency, "USD");
        assert_eq!(config.pyramid.active_window_days, 180);
        assert_eq!(config.pyramid.key_customer_share, 0.2);
        assert_eq!(config.keys.get("quit").map(String::as_str), Some("Q"));
    }

    #[test]
    fn a_bad_value_names_its_line_and_key() {
        let (line, message) =
            Config::parse("currency = \"EUR\"\n\n[pyramid]\nactive_window_days = \"x\"\n")
                .unwrap_err();
        assert_eq!(line, 4);
        assert!(
            message.starts_with("pyramid.active_window_days: "),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_country_is_refused() {
        assert_eq!(
            Config::parse("default_country = \"se\"\n").map(|c| c.default_country),
            Ok("se".to_string())
        );
        let (_, message) = Config::parse("default_country = \"Suomi\"\n").unwrap_err();
        assert!(
            message.starts_with("default_country: \"Suomi\""),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let (line, message) = Config::parse("language = \"fi\"\ncurency = \"EUR\"\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("curency"), "{message}");
    }

    #[test]
    fn a_missing_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::load(&dir.path().join("none.toml")).unwrap();
        assert_eq!(config, Config::default());
    }
}
