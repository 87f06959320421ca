//! The TOML config: every setting has a default (listed in the README and in
//! `assets/config.toml`). A missing file means the defaults; a bad file is refused
//! with the file, line and key at fault.
//! May import: `domain`, `analytics` (its settings types), `formats`, `i18n`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::analytics::PyramidConfig;
use crate::analytics::churn::ChurnConfig;
use crate::analytics::rules::RulesConfig;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `en` or `fi`; empty means: from the locale (`fi_*` gives Finnish).
    pub(crate) language: String,
    /// ISO 4217 code of the store's money.
    pub(crate) currency: String,
    /// Default country for phone numbers without a country code (ISO 3166 alpha-2).
    pub(crate) default_country: String,
    /// Who is using kanta, recorded with each contact, follow-up action,
    /// order entered by hand and customer edit; empty: the OS user name.
    pub(crate) user: String,
    pub pyramid: PyramidConfig,
    pub(crate) backups: BackupsConfig,
    /// Dashboard key overrides: action name -> key (`"quit" = "Q"`).
    pub(crate) keys: HashMap<String, String>,
    /// Follow-up rules (SPEC section 6): a switch and the numbers of each.
    pub(crate) rules: RulesConfig,
    /// The churn model (SPEC section 4): `mbgnbd` (default) or `bgnbd`.
    pub(crate) churn: ChurnConfig,
    /// The dashboard takes the mouse (clicks, the wheel); `false` leaves it
    /// to the terminal, for selecting text.
    pub(crate) mouse: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            language: String::new(),
            currency: "EUR".to_string(),
            default_country: "FI".to_string(),
            user: String::new(),
            pyramid: PyramidConfig::default(),
            backups: BackupsConfig::default(),
            keys: HashMap::new(),
            rules: RulesConfig::default(),
            churn: ChurnConfig::default(),
            mouse: true,
        }
    }
}

/// Automatic backups of the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct BackupsConfig {
    /// How many backups to keep.
    pub(crate) keep: u32,
    /// Take one backup a day when the dashboard opens.
    pub(crate) daily: bool,
}

impl Default for BackupsConfig {
    fn default() -> Self {
        BackupsConfig {
            keep: 7,
            daily: true,
        }
    }
}

/// What a check of `[keys]` found wrong: the actions it concerns, by their
/// names in `[keys]` (to find the line), and one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeysProblem {
    pub(crate) actions: Vec<String>,
    pub(crate) message: String,
}

/// A check of the `[keys]` table, which the config itself cannot make: the
/// dashboard's keymap knows the keys and the actions.
pub(crate) type KeysCheck<'a> = &'a dyn Fn(&HashMap<String, String>) -> Result<(), KeysProblem>;

#[derive(Debug, Error)]
pub(crate) enum ConfigError {
    #[error("the config file {path} does not exist (--config names a file to read)")]
    Missing { path: PathBuf },
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
    /// Reads the config at `path`; a file that does not exist gives the
    /// defaults, unless it was named (`--config`): then it must exist. With `[keys]` checked by `check_keys` (the
    /// dashboard's keymap): what it refuses is refused at the line of the
    /// action it names.
    pub(crate) fn load_checked(
        path: &Path,
        named: bool,
        check_keys: KeysCheck,
    ) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && named => {
                return Err(ConfigError::Missing {
                    path: path.to_path_buf(),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => {
                return Err(ConfigError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        Config::parse_checked(&text, check_keys).map_err(|(line, message)| ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            message,
        })
    }

    /// Parses config text; the error is the 1-based line and one sentence.
    #[cfg(test)]
    pub(crate) fn parse(text: &str) -> Result<Config, (usize, String)> {
        Config::parse_checked(text, &|_| Ok(()))
    }

    /// As [`Config::parse`], with `[keys]` checked by `check_keys`.
    pub(crate) fn parse_checked(
        text: &str,
        check_keys: KeysCheck,
    ) -> Result<Config, (usize, String)> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let start = e.span().map(|span| span.start.min(text.len())).unwrap_or(0);
            let line = text.get(..start).unwrap_or("").matches('\n').count() + 1;
            let message = e.message().trim().replace('\n', " ");
            match Config::key_on_line(text, line) {
                Some(key) if !message.contains(&key) => (line, format!("{key}: {message}")),
                _ => (line, message),
            }
        })?;
        config.validate(text)?;
        check_keys(&config.keys).map_err(|problem| {
            let line = problem
                .actions
                .iter()
                .map(|action| Config::line_of(text, Some("keys"), action))
                .find(|&line| line > 1)
                .unwrap_or(1);
            (line, problem.message)
        })?;
        Ok(config)
    }

    /// The 1-based line that sets `key` in `table` (`None`: the top level),
    /// or 1 when the file does not set it.
    fn line_of(text: &str, table: Option<&str>, key: &str) -> usize {
        let mut current: Option<String> = None;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.starts_with('[') {
                current = Some(
                    line.trim_matches(|c| c == '[' || c == ']')
                        .trim()
                        .to_string(),
                );
                continue;
            }
            let Some((name, _)) = line.split_once('=') else {
                continue;
            };
            let name = name.trim().trim_matches('"');
            if name == key && current.as_deref() == table {
                return i + 1;
            }
        }
        1
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

    fn validate(&self, text: &str) -> Result<(), (usize, String)> {
        if !self.language.trim().is_empty() && crate::i18n::Lang::parse(&self.language).is_none() {
            let known: Vec<&str> = crate::i18n::Lang::CODES.iter().map(|(c, _)| *c).collect();
            return Err((
                Config::line_of(text, None, "language"),
                format!(
                    "language: {:?} is not a language kanta speaks ({}, or empty for the locale's)",
                    self.language,
                    known.join(" or ")
                ),
            ));
        }
        let currency = self.currency.trim();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err((
                Config::line_of(text, None, "currency"),
                format!(
                    "currency: {:?} is not an ISO 4217 code of three letters (EUR, SEK, USD…)",
                    self.currency
                ),
            ));
        }
        if !crate::domain::phone::is_country(&self.default_country) {
            return Err((
                Config::line_of(text, None, "default_country"),
                format!(
                    "default_country: {:?} is not a country kanta reads phone numbers of (an ISO 3166 code such as FI, SE or EE)",
                    self.default_country,
                ),
            ));
        }
        let share = self.pyramid.key_customer_share;
        if !(share > 0.0 && share <= 1.0) {
            return Err((
                Config::line_of(text, Some("pyramid"), "key_customer_share"),
                format!("pyramid.key_customer_share must be above 0 and at most 1, not {share}"),
            ));
        }
        if self.pyramid.active_window_days == 0 {
            return Err((
                Config::line_of(text, Some("pyramid"), "active_window_days"),
                "pyramid.active_window_days must be at least 1".into(),
            ));
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
    fn the_mouse_is_taken_unless_turned_off() {
        assert!(Config::default().mouse);
        assert_eq!(Config::parse("mouse = false").map(|c| c.mouse), Ok(false));
        assert!(Config::parse("mouse = \"no\"").is_err());
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
    fn a_missing_file_gives_defaults_unless_it_was_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.toml");
        let config = Config::load_checked(&path, false, &|_| Ok(())).unwrap();
        assert_eq!(config, Config::default());
        let refused = Config::load_checked(&path, true, &|_| Ok(())).unwrap_err();
        assert!(matches!(refused, ConfigError::Missing { .. }));
        assert_eq!(
            refused.to_string(),
            format!(
                "the config file {} does not exist (--config names a file to read)",
                path.display()
            )
        );
    }

    #[test]
    fn a_language_kanta_does_not_speak_is_refused_at_its_line() {
        let (line, message) = Config::parse("currency = \"EUR\"\nlanguage = \"de\"\n").unwrap_err();
        assert_eq!(line, 2);
        assert_eq!(
            message,
            "language: \"de\" is not a language kanta speaks (en or fi, or empty for the locale's)"
        );
        assert_eq!(
            Config::parse("language = \"FI\"\n").map(|c| c.language),
            Ok("FI".into())
        );
        assert!(Config::parse("language = \"\"\n").is_ok());
    }

    #[test]
    fn a_currency_or_country_kanta_cannot_use_is_refused_at_its_line() {
        let (line, message) = Config::parse("\ncurrency = \"euro\"\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(
            message.starts_with("currency: \"euro\" is not an ISO 4217 code"),
            "{message}"
        );
        let (line, message) = Config::parse("default_country = \"XX\"\n").unwrap_err();
        assert_eq!(line, 1);
        assert!(
            message.starts_with("default_country: \"XX\" is not a country"),
            "{message}"
        );
        assert!(message.contains("FI, SE"), "{message}");
        assert!(Config::parse("currency = \"SEK\"\ndefault_country = \"se\"\n").is_ok());
    }

    #[test]
    fn an_unknown_setting_in_any_table_is_refused_with_its_line() {
        for (text, line, name) in [
            ("[rules]\nexpire_after = 3\n", 2, "expire_after"),
            ("[rules.check_in]\nmin_dayz = 45\n", 2, "min_dayz"),
            ("\n[pyramid]\nwindow = 3\n", 3, "window"),
            ("[backups]\nkept = 3\n", 2, "kept"),
        ] {
            let (at, message) = Config::parse(text).unwrap_err();
            assert_eq!(at, line, "{text}");
            assert!(message.contains(name), "{message}");
        }
        let config = Config::parse("[rules]\nexpire_after_days = 45\n").unwrap();
        assert_eq!(config.rules.expire_after_days, 45);
    }

    #[test]
    fn a_bad_pyramid_value_names_its_own_line() {
        let (line, _) =
            Config::parse("currency = \"EUR\"\n[pyramid]\nkey_customer_share = 2.0\n").unwrap_err();
        assert_eq!(line, 3);
    }

    #[test]
    fn a_refused_key_binding_names_its_line() {
        let check: KeysCheck = &|keys| match keys.get("done") {
            Some(key) if key == "z" => Err(KeysProblem {
                actions: vec!["snooze_day".into(), "done".into()],
                message: "z is taken".into(),
            }),
            _ => Ok(()),
        };
        let text = "language = \"en\"\n[keys]\nquit = \"Q\"\ndone = \"z\"\n";
        assert_eq!(
            Config::parse_checked(text, check),
            Err((4, "z is taken".into()))
        );
        assert!(Config::parse_checked("[keys]\ndone = \"x\"\n", check).is_ok());
    }
}
