//! Phone numbers (SPEC section 5): one number however it is written. Every
//! phone is kept as written and as E.164; a number without a country code is
//! read as one of the store's `default_country`, a trunk zero after the
//! country code (`+358 (0)40 …`, `+358 040 …`) is dropped, and an extension
//! (`;ext=12`, `ext. 12`, `x12`) is kept apart from the number.
//!
//! The numbering plans are Google's libphonenumber, through the
//! `rlibphonenumber` crate (a port checked against the C++ library); this
//! module is the only one that reads them, so the form, the imports, the
//! search and the duplicates finder all agree on what a number is. Reading a
//! number costs about a microsecond; the plans are loaded on first use (10 ms,
//! 8 MB): the search index holds the E.164 form the store keeps and needs no
//! plan, a query only its country's calling code and trunk prefix.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroU64;
use std::sync::{LazyLock, Mutex};

use rlibphonenumber::{PHONE_NUMBER_UTIL, PhoneNumber, PhoneNumberFormat, Region, ValidationError};
use thiserror::Error;

/// A number in E.164 as one integer: `+358401234567` is 358401234567 (E.164
/// has at most 15 digits and none leading zero). Eight bytes where text
/// takes forty: a dashboard holds one for every phone of every customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Number(NonZeroU64);

impl Number {
    /// The number of an E.164 text (`+` and its digits), if it is one.
    pub fn from_e164(text: &str) -> Option<Number> {
        let digits = text.strip_prefix('+')?;
        if digits.len() > 15
            || digits.starts_with('0')
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        NonZeroU64::new(digits.parse().ok()?).map(Number)
    }

    /// Its digits as one integer, the country code first.
    pub(crate) fn digits(self) -> u64 {
        self.0.get()
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "+{}", self.0)
    }
}

/// A number read from what someone wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phone {
    /// `+358401234567`.
    pub(crate) e164: String,
    /// The extension's digits (`12`), not part of the number.
    pub(crate) extension: Option<String>,
}

/// Why a written number is refused: the one sentence a form and an import
/// both show (the dashboard's Finnish says the same in Finnish).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhoneError {
    #[error("{0:?} is not a phone number")]
    NotANumber(String),
    #[error("{written:?} is too short for a phone number {place}")]
    TooShort { written: String, place: Place },
    #[error("{written:?} is too long for a phone number {place}")]
    TooLong { written: String, place: Place },
    #[error("{written:?} is not a valid phone number {place}")]
    Invalid { written: String, place: Place },
}

#[cfg(test)]
impl PhoneError {
    /// What was written, as the sentence quotes it.
    pub(crate) fn written(&self) -> &str {
        match self {
            PhoneError::NotANumber(written)
            | PhoneError::TooShort { written, .. }
            | PhoneError::TooLong { written, .. }
            | PhoneError::Invalid { written, .. } => written,
        }
    }
}

/// Where a refused number was read: at home (`default_country`), or in the
/// country its `+` code names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// Read as a national number of this country (ISO code).
    Home(String),
    /// Written with this country calling code.
    Code(u16),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Home(country) => write!(
                f,
                "in {country} (a number of another country starts with + and its country code)"
            ),
            Place::Code(code) => write!(f, "of +{code}"),
        }
    }
}

/// Reads a written number, refusing one that no numbering plan has: what a
/// form and an import accept. National numbers are read in `default_country`
/// (ISO 3166 alpha-2, such as `FI`).
pub(crate) fn parse(written: &str, default_country: &str) -> Result<Phone, PhoneError> {
    let text = written.trim();
    let Some(number) = read(text, default_country) else {
        return Err(PhoneError::NotANumber(text.to_string()));
    };
    if number.is_valid() {
        return Ok(phone_of(&number));
    }
    let place = if text.starts_with('+') || digits(text).starts_with("00") {
        Place::Code(u16::try_from(number.country_code).unwrap_or(0))
    } else {
        Place::Home(default_country.trim().to_ascii_uppercase())
    };
    let written = text.to_string();
    Err(match number.is_possible_with_reason() {
        Err(ValidationError::TooShort) => PhoneError::TooShort { written, place },
        Err(ValidationError::TooLong) => PhoneError::TooLong { written, place },
        _ => PhoneError::Invalid { written, place },
    })
}

/// A phone as the store keeps it: what was written, its E.164 form (the
/// digits alone when it is no number at all), and its extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredPhone {
    pub(crate) written: String,
    pub(crate) normalized: String,
    pub(crate) extension: Option<String>,
}

impl StoredPhone {
    /// A number checked by [`parse`].
    pub(crate) fn of(written: &str, phone: Phone) -> StoredPhone {
        StoredPhone {
            written: written.trim().to_string(),
            normalized: phone.e164,
            extension: phone.extension,
        }
    }

    /// A number kept without refusing it (one stored before numbers were
    /// checked, when the store is migrated or the customer edited): its E.164
    /// form when any plan reads it, else its digits. `None` without digits.
    pub(crate) fn lenient(written: &str, default_country: &str) -> Option<StoredPhone> {
        let written = written.trim();
        let (normalized, extension) = match read(written, default_country) {
            Some(number) => {
                let phone = phone_of(&number);
                (phone.e164, phone.extension)
            }
            None => (digits(written), None),
        };
        (!normalized.is_empty()).then(|| StoredPhone {
            written: written.to_string(),
            normalized,
            extension,
        })
    }
}

/// What two stored phones share when they are one line: the number and the
/// extension (two extensions of one switchboard are two people).
pub(crate) fn line_key(normalized: &str, extension: Option<&str>) -> String {
    match extension {
        Some(extension) => format!("{normalized};ext={extension}"),
        None => normalized.to_string(),
    }
}

/// Whether `country` is a country libphonenumber has a numbering plan for.
pub(crate) fn is_country(country: &str) -> bool {
    region(country).is_some_and(|r| PHONE_NUMBER_UTIL.get_country_code_for_region(r).is_some())
}

/// The ASCII digits of a text, in order.
pub(crate) fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether `text` is written in E.164 syntax (`+` and digits only).
pub(crate) fn is_e164(text: &str) -> bool {
    text.strip_prefix('+')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Loads the numbering plans in a thread of its own, once: the search box
/// asks when it opens, so the first number typed does not wait for them.
pub(crate) fn load_in_background() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        std::thread::spawn(|| LazyLock::force(&CALLING_CODES));
    });
}

fn region(country: &str) -> Option<Region> {
    let country = country.trim();
    // `001` is the world, no country.
    (country.len() == 2).then(|| Region::from_code(country).ok())?
}

/// The library's reading of a number: one with a `+` (or `00`) in its own
/// country's plan, one without in `default_country`'s.
fn read(text: &str, default_country: &str) -> Option<PhoneNumber> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    PHONE_NUMBER_UTIL.parse(text, region(default_country)).ok()
}

fn phone_of(number: &PhoneNumber) -> Phone {
    Phone {
        e164: number.format_as(PhoneNumberFormat::E164).into_owned(),
        extension: number.extension.clone().filter(|e| !e.is_empty()),
    }
}

/// Every country calling code there is (a prefix code: at most one starts
/// any E.164 number).
static CALLING_CODES: LazyLock<HashSet<u16>> = LazyLock::new(|| {
    PHONE_NUMBER_UTIL
        .get_supported_calling_codes()
        .filter_map(|code| u16::try_from(code).ok())
        .collect()
});

/// Per calling code, the trunk prefix written before a national number at
/// home (`0` in Finland and Sweden; none in Italy, whose leading zero is part
/// of the number, nor in North America, where the `1` is not written): read
/// off the country's example number, once per code seen.
static HOME_TRUNKS: LazyLock<Mutex<HashMap<u16, Option<String>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn home_trunk(code: u16) -> Option<String> {
    let mut trunks = HOME_TRUNKS.lock().unwrap_or_else(|e| e.into_inner());
    trunks
        .entry(code)
        .or_insert_with(|| {
            let region = PHONE_NUMBER_UTIL.get_region_for_country_code(i32::from(code))?;
            let example = PHONE_NUMBER_UTIL.get_example_number(region).ok()?;
            let significant = example.get_national_significant_number();
            let national = digits(&example.format_as(PhoneNumberFormat::National));
            national
                .strip_suffix(significant.as_str())
                .filter(|trunk| !trunk.is_empty())
                .map(str::to_string)
        })
        .clone()
}

/// The calling code that starts these E.164 digits, with its length.
fn calling_code(e164_digits: &str) -> Option<(u16, usize)> {
    (1..=3.min(e164_digits.len())).find_map(|len| {
        let code: u16 = e164_digits.get(..len)?.parse().ok()?;
        CALLING_CODES.contains(&code).then_some((code, len))
    })
}

/// The digits from which a national form is also read as another
/// country's (the shortest numbers of most plans).
const ANOTHER_COUNTRYS_DIGITS: usize = 7;

/// The characters a phone query may hold besides digits.
const QUERY_PUNCTUATION: &str = " +-()./\u{a0}";

/// The digit strings to look for in a number's E.164 digits when `query` is a
/// phone number being typed (digits and phone punctuation only, at least
/// `min_digits` digits): the digits as typed (the last digits of a number),
/// and the number they begin in E.164. Caller-ID forms are international:
/// `+358 40 123`, `00358 40 123` and `+358 (0)40 123` all look for
/// `35840123`. A national form is of `default_country` (in Finland `040-123`
/// looks for `35840123`), or of another country with a trunk `0` (`020 7946
/// 0958`, London, looks for `2079460958`, which [`is_national_number`] says
/// is the whole number; from seven digits on). Typing on narrows: while the
/// count of strings stays, each string of a longer query extends one of the
/// query it extends.
pub(crate) fn query_needles(
    query: &str,
    min_digits: usize,
    default_country: &str,
) -> Option<Vec<String>> {
    let query = query.trim();
    if !query
        .chars()
        .all(|c| c.is_ascii_digit() || QUERY_PUNCTUATION.contains(c))
    {
        return None;
    }
    let typed = digits(query);
    if typed.len() < min_digits.max(1) {
        return None;
    }
    let international = if query.starts_with('+') {
        Some(typed.as_str())
    } else {
        typed.strip_prefix("00")
    };
    let numbers = match international {
        Some(international) => [without_trunk_zero(international), None],
        // Another country's national form only once it is nearly whole:
        // `040` without its 0 would be any number with a 40 in it.
        None => [
            at_home(&typed, default_country),
            typed
                .strip_prefix('0')
                .filter(|_| typed.len() >= ANOTHER_COUNTRYS_DIGITS)
                .map(str::to_string),
        ],
    };
    let mut needles = vec![typed];
    for number in numbers.into_iter().flatten() {
        if !number.is_empty() && !needles.contains(&number) {
            needles.push(number);
        }
    }
    Some(needles)
}

/// International digits with the trunk zero dropped after a country code
/// whose numbers have one (`3580401` is `358401`; Italy's zero stays).
fn without_trunk_zero(international: &str) -> Option<String> {
    if let Some((code, len)) = calling_code(international)
        && international.get(len..).is_some_and(|r| r.starts_with('0'))
        && home_trunk(code).as_deref() == Some("0")
    {
        return Some(format!(
            "{}{}",
            &international[..len],
            &international[len + 1..]
        ));
    }
    Some(international.to_string())
}

/// Whether `national` is all of these E.164 digits after their country code:
/// a national number typed whole, its trunk prefix left out.
pub(crate) fn is_national_number(e164_digits: &str, national: &str) -> bool {
    e164_digits.ends_with(national)
        && calling_code(e164_digits)
            .is_some_and(|(_, len)| len + national.len() == e164_digits.len())
}

/// The E.164 digits a national number of `country` starts with, as typed so
/// far: its trunk prefix (`0` in Finland) for the country code. `None` when
/// the country writes none (its numbers' digits are in E.164 as they are).
fn at_home(digits: &str, country: &str) -> Option<String> {
    let code = PHONE_NUMBER_UTIL.get_country_code_for_region(region(country)?)?;
    let code = u16::try_from(code).ok()?;
    let rest = digits.strip_prefix(home_trunk(code)?.as_str())?;
    Some(format!("{code}{rest}"))
}

#[cfg(test)]
#[path = "phone_tests.rs"]
mod tests;
