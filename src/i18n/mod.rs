//! Every user-facing string of the dashboard, in English and Finnish.

pub mod calls;
pub mod forms;
pub mod review;
mod strings;

pub use strings::{Strings, segment_name, stage_name};

/// The language of the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Fi,
}

impl Lang {
    /// The strings of this language.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &strings::EN,
            Lang::Fi => &strings::FI,
        }
    }

    /// `config.language` wins when set (`fi`/`en`); otherwise the locale
    /// (`LC_ALL`, then `LANG`) decides, Finnish when it starts with `fi`.
    pub fn detect(configured: &str) -> Lang {
        let configured = configured.trim().to_ascii_lowercase();
        if configured.starts_with("fi") {
            return Lang::Fi;
        }
        if configured.starts_with("en") {
            return Lang::En;
        }
        let locale = std::env::var("LC_ALL")
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| std::env::var("LANG").ok())
            .unwrap_or_default();
        Lang::from_locale(&locale)
    }

    /// `fi_FI.UTF-8` and friends give Finnish; anything else English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("fi") {
            Lang::Fi
        } else {
            Lang::En
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_language_wins() {
        assert_eq!(Lang::detect("fi"), Lang::Fi);
        assert_eq!(Lang::detect("EN"), Lang::En);
    }

    #[test]
    fn locale_decides_when_unset() {
        assert_eq!(Lang::from_locale("fi_FI.UTF-8"), Lang::Fi);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }
}
