//! Every user-facing string of the dashboard, in English and Finnish, and the
//! one plural rule. May import: `domain`, `analytics`, `formats`, and the
//! store's error types, to word them.

/// The one way a fixed string is defined: a table of named entries, each
/// with its English and its Finnish side by side, becomes a struct with a
/// field per entry and its two values, `EN` and `FI`, and `of(lang)`. An
/// entry is `&'static str` unless it names another type (a nested table, the
/// months). A sentence with values in it is a function of [`Lang`] next to
/// its table; a count goes through [`plural`].
macro_rules! strings {
    (@type) => { &'static str };
    (@type $ty:ty) => { $ty };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident $(: $ty:ty)? = $en:expr, $fi:expr;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        $vis struct $name {
            $(
                $(#[$field_meta])*
                pub(crate) $field: strings!(@type $($ty)?),
            )*
        }

        impl $name {
            pub(crate) const EN: $name = $name { $($field: $en,)* };
            pub(crate) const FI: $name = $name { $($field: $fi,)* };

            /// The table of `lang`; a table reached only through another's
            /// field never calls it.
            #[allow(dead_code)]
            pub(crate) fn of(lang: $crate::i18n::Lang) -> &'static $name {
                match lang {
                    $crate::i18n::Lang::En => &Self::EN,
                    $crate::i18n::Lang::Fi => &Self::FI,
                }
            }
        }
    };
}

pub(crate) mod calls;
pub(crate) mod errors;
pub mod followups;
pub(crate) mod forms;
pub(crate) mod names;
pub(crate) mod plural;
pub(crate) mod review;
mod strings;
pub(crate) mod views;

pub(crate) use names::{segment_name, stage_name};
pub(crate) use strings::Strings;

/// The language of the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Fi,
}

impl Lang {
    /// The strings of this language.
    pub(crate) fn strings(self) -> &'static Strings {
        Strings::of(self)
    }

    /// The languages `language` in the config may name.
    pub(crate) const CODES: [(&'static str, Lang); 2] = [("en", Lang::En), ("fi", Lang::Fi)];

    /// `en` or `fi` (any case); `None` for anything else.
    pub(crate) fn parse(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        Lang::CODES
            .into_iter()
            .find(|(c, _)| *c == code)
            .map(|(_, lang)| lang)
    }

    /// `config.language` wins when set (`fi`/`en`); otherwise the locale of
    /// messages decides, Finnish for a `fi_*` one.
    pub(crate) fn detect(configured: &str) -> Lang {
        match Lang::parse(configured) {
            Some(lang) => lang,
            None => Lang::from_environment(|name| std::env::var(name).ok()),
        }
    }

    /// The locale of messages as POSIX orders the variables: `LC_ALL`, then
    /// `LC_MESSAGES`, then `LANG`, the first one set and not empty.
    pub(crate) fn from_environment(var: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(|name| var(name).filter(|v| !v.is_empty()))
            .unwrap_or_default();
        Lang::from_locale(&locale)
    }

    /// `fi_FI.UTF-8`, `fi_FI@euro`, `fi` give Finnish; anything else English.
    pub(crate) fn from_locale(locale: &str) -> Lang {
        let language = locale
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if language == "fi" { Lang::Fi } else { Lang::En }
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
        assert_eq!(Lang::from_locale("fi_FI@euro"), Lang::Fi);
        assert_eq!(Lang::from_locale("fi"), Lang::Fi);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("fil_PH.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }

    #[test]
    fn only_en_and_fi_are_languages() {
        assert_eq!(Lang::parse(" FI "), Some(Lang::Fi));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse("finnish"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn the_locale_of_messages_is_found_in_the_posix_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        // LC_MESSAGES alone, or over LANG.
        assert_eq!(
            Lang::from_environment(env(&[("LC_MESSAGES", "fi_FI.UTF-8")])),
            Lang::Fi
        );
        assert_eq!(
            Lang::from_environment(env(&[
                ("LC_MESSAGES", "fi_FI.UTF-8"),
                ("LANG", "en_US.UTF-8")
            ])),
            Lang::Fi
        );
        // LC_ALL over LC_MESSAGES.
        assert_eq!(
            Lang::from_environment(env(&[("LC_ALL", "en_GB.UTF-8"), ("LC_MESSAGES", "fi_FI")])),
            Lang::En
        );
        // An empty variable counts as unset.
        assert_eq!(
            Lang::from_environment(env(&[
                ("LC_ALL", ""),
                ("LC_MESSAGES", ""),
                ("LANG", "fi_FI")
            ])),
            Lang::Fi
        );
        assert_eq!(Lang::from_environment(env(&[])), Lang::En);
    }
}
