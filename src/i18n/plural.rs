//! A number before a noun, in both languages: `1 purchase day`, `2 purchase
//! days`; `1 ostopäivä`, `2 ostopäivää`. Finnish puts the noun in the
//! nominative after one and in the partitive singular after any other number
//! (zero, fractions and ranges included), as English puts it in the plural.

use super::Lang;

/// A noun as it follows a number in each language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Noun {
    /// After one, after any other number.
    pub(crate) en: (&'static str, &'static str),
    /// After one (nominative), after any other number (partitive).
    pub(crate) fi: (&'static str, &'static str),
}

impl Noun {
    /// The form after a number that is one when `one`.
    pub(crate) fn form(self, lang: Lang, one: bool) -> &'static str {
        let (single, many) = match lang {
            Lang::En => self.en,
            Lang::Fi => self.fi,
        };
        if one { single } else { many }
    }

    /// The form after a fraction or a range (`1.5 days`, `4-5 päivää`).
    pub(crate) fn many(self, lang: Lang) -> &'static str {
        self.form(lang, false)
    }
}

/// A count of things; one and minus one take the singular.
pub(crate) trait Count: Copy + std::fmt::Display {
    fn is_one(self) -> bool;
}

macro_rules! unsigned_count {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn is_one(self) -> bool {
                self == 1
            }
        }
    )*};
}

macro_rules! signed_count {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn is_one(self) -> bool {
                self == 1 || self == -1
            }
        }
    )*};
}

unsigned_count!(u8, u16, u32, u64, usize);
signed_count!(i32, i64);

/// `n` and the noun in the form that follows it: `1 day`, `3 päivää`.
pub(crate) fn count<N: Count>(lang: Lang, n: N, noun: Noun) -> String {
    format!("{n} {}", noun.form(lang, n.is_one()))
}

/// The same with the number already written (grouped, say): `2,000 customers`.
pub(crate) fn count_written<N: Count>(lang: Lang, n: N, written: &str, noun: Noun) -> String {
    format!("{written} {}", noun.form(lang, n.is_one()))
}

pub(crate) const DAY: Noun = Noun {
    en: ("day", "days"),
    fi: ("päivä", "päivää"),
};

pub(crate) const PURCHASE_DAY: Noun = Noun {
    en: ("purchase day", "purchase days"),
    fi: ("ostopäivä", "ostopäivää"),
};

pub(crate) const CUSTOMER: Noun = Noun {
    en: ("customer", "customers"),
    fi: ("asiakas", "asiakasta"),
};

pub(crate) const NEW_CUSTOMER: Noun = Noun {
    en: ("new customer", "new customers"),
    fi: ("uusi asiakas", "uutta asiakasta"),
};

pub(crate) const ORDER: Noun = Noun {
    en: ("order", "orders"),
    fi: ("tilaus", "tilausta"),
};

pub(crate) const CONTACT: Noun = Noun {
    en: ("contact", "contacts"),
    fi: ("yhteydenotto", "yhteydenottoa"),
};

pub(crate) const FOLLOW_UP: Noun = Noun {
    en: ("follow-up", "follow-ups"),
    fi: ("seuranta", "seurantaa"),
};

pub(crate) const FILE: Noun = Noun {
    en: ("file", "files"),
    fi: ("tiedosto", "tiedostoa"),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_takes_the_singular_every_other_number_the_plural() {
        assert_eq!(count(Lang::En, 1u32, PURCHASE_DAY), "1 purchase day");
        assert_eq!(count(Lang::En, 2u32, PURCHASE_DAY), "2 purchase days");
        assert_eq!(count(Lang::En, 0u32, PURCHASE_DAY), "0 purchase days");
        assert_eq!(count(Lang::Fi, 1u32, PURCHASE_DAY), "1 ostopäivä");
        assert_eq!(count(Lang::Fi, 2u32, PURCHASE_DAY), "2 ostopäivää");
        assert_eq!(count(Lang::Fi, 0usize, PURCHASE_DAY), "0 ostopäivää");
        assert_eq!(count(Lang::Fi, 21i64, DAY), "21 päivää");
        assert_eq!(count(Lang::En, -1i64, DAY), "-1 day");
        assert_eq!(count(Lang::Fi, 1u64, NEW_CUSTOMER), "1 uusi asiakas");
        assert_eq!(count(Lang::Fi, 5u64, NEW_CUSTOMER), "5 uutta asiakasta");
    }

    #[test]
    fn fractions_and_ranges_take_the_plural() {
        assert_eq!(format!("1.5 {}", DAY.many(Lang::En)), "1.5 days");
        assert_eq!(format!("4-5 {}", DAY.many(Lang::Fi)), "4-5 päivää");
        assert_eq!(
            count_written(Lang::En, 2000u64, "2,000", CUSTOMER),
            "2,000 customers"
        );
    }
}
