//! Phone numbers: to E.164 for storing and matching, and digit search.

/// A country's calling code and whether its national numbers start with a
/// trunk `0` that is dropped after the calling code.
struct Country {
    iso: &'static str,
    calling_code: &'static str,
    trunk_zero: bool,
}

const fn country(iso: &'static str, calling_code: &'static str, trunk_zero: bool) -> Country {
    Country {
        iso,
        calling_code,
        trunk_zero,
    }
}

/// The countries kanta's owners mostly deal with. Italy keeps its leading 0
/// after +39, so it has no trunk zero here.
const COUNTRIES: [Country; 18] = [
    country("FI", "358", true),
    country("SE", "46", true),
    country("EE", "372", false),
    country("NO", "47", false),
    country("DK", "45", false),
    country("DE", "49", true),
    country("AT", "43", true),
    country("CH", "41", true),
    country("NL", "31", true),
    country("BE", "32", true),
    country("FR", "33", true),
    country("GB", "44", true),
    country("IE", "353", true),
    country("ES", "34", false),
    country("IT", "39", false),
    country("PL", "48", false),
    country("US", "1", false),
    country("CA", "1", false),
];

fn find_country(iso: &str) -> Option<&'static Country> {
    COUNTRIES
        .iter()
        .find(|c| c.iso.eq_ignore_ascii_case(iso.trim()))
}

/// Whether kanta reads national numbers of this country (ISO 3166 alpha-2),
/// and the ones it does: what the config's `default_country` may name.
pub fn known_country(iso: &str) -> bool {
    find_country(iso).is_some()
}

pub fn known_countries() -> impl Iterator<Item = &'static str> {
    COUNTRIES.iter().map(|c| c.iso)
}

/// The country whose calling code starts these E.164 digits (longest first).
fn country_of(e164_digits: &str) -> Option<&'static Country> {
    COUNTRIES
        .iter()
        .filter(|c| e164_digits.starts_with(c.calling_code))
        .max_by_key(|c| c.calling_code.len())
}

/// The ASCII digits of a text, in order.
pub fn digits(raw: &str) -> String {
    raw.chars().filter(char::is_ascii_digit).collect()
}

/// Normalizes a written phone number to E.164 (`+358401234567`). National
/// numbers are read in `default_country` (ISO code such as "FI"). None when the
/// text is not a phone number or the country is unknown.
pub fn normalize(raw: &str, default_country: &str) -> Option<String> {
    let mut text = raw.trim();
    for prefix in ["tel:", "TEL:"] {
        text = text.strip_prefix(prefix).unwrap_or(text);
    }
    // `+358 (0)40 ...`: the bracketed trunk zero is written but not dialled.
    let text = text.replace("(0)", "");
    let text = text.trim();
    let allowed = |c: char| c.is_ascii_digit() || " -./()\u{a0}".contains(c);
    let (international, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if rest.is_empty() || !rest.chars().all(allowed) {
        return None;
    }
    let number = digits(rest);
    let e164_digits = if international {
        number
    } else if let Some(after) = number.strip_prefix("00") {
        after.to_string()
    } else {
        let home = find_country(default_country)?;
        let national = if home.trunk_zero {
            number.strip_prefix('0').unwrap_or(&number)
        } else if home.calling_code == "1" && number.len() == 11 {
            // North American numbers written with the leading 1.
            number.strip_prefix('1').unwrap_or(&number)
        } else {
            &number
        };
        format!("{}{national}", home.calling_code)
    };
    // E.164 allows at most 15 digits; fewer than 7 is a short code or a typo.
    if !(7..=15).contains(&e164_digits.len()) || e164_digits.starts_with('0') {
        return None;
    }
    Some(format!("+{e164_digits}"))
}

/// Whether a number matches a search of digits: its E.164 digits or its
/// national form contain the query, so "4567", "0401234567" and
/// "358401234567" all find +358401234567. A number not in E.164 form is
/// matched on its written digits.
pub fn matches_query(normalized_or_raw: &str, query_digits: &str) -> bool {
    let query = digits(query_digits);
    if query.is_empty() {
        return false;
    }
    let number = normalized_or_raw.trim();
    let written = digits(number);
    if written.contains(&query) {
        return true;
    }
    let international = number.starts_with('+') || written.starts_with("00");
    let e164_digits = written
        .strip_prefix("00")
        .filter(|_| !number.starts_with('+'))
        .unwrap_or(&written);
    if !international {
        return false;
    }
    match country_of(e164_digits) {
        Some(c) => {
            let rest = &e164_digits[c.calling_code.len()..];
            let national = if c.trunk_zero {
                format!("0{rest}")
            } else {
                rest.to_string()
            };
            national.contains(&query) || e164_digits.contains(&query)
        }
        None => e164_digits.contains(&query),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finnish_written_forms_normalize_alike() {
        for raw in [
            "+358 40 123 4567",
            "040-1234567",
            "0401234567",
            "00358401234567",
            "(040) 123 4567",
            "040 123 4567",
            "+358 (0)40 123 4567",
            "tel:+358-40-123-4567",
            "040.123.4567",
        ] {
            assert_eq!(
                normalize(raw, "FI").as_deref(),
                Some("+358401234567"),
                "{raw}"
            );
        }
    }

    #[test]
    fn other_countries() {
        assert_eq!(
            normalize("070-123 45 67", "SE").as_deref(),
            Some("+46701234567")
        );
        assert_eq!(
            normalize("5123 4567", "EE").as_deref(),
            Some("+37251234567")
        );
        assert_eq!(
            normalize("0151 23456789", "de").as_deref(),
            Some("+4915123456789")
        );
        assert_eq!(
            normalize("07700 900123", "GB").as_deref(),
            Some("+447700900123")
        );
        assert_eq!(
            normalize("(415) 555-0132", "US").as_deref(),
            Some("+14155550132")
        );
        assert_eq!(
            normalize("1 415 555 0132", "US").as_deref(),
            Some("+14155550132")
        );
        assert_eq!(
            normalize("+1 415 555 0132", "FI").as_deref(),
            Some("+14155550132")
        );
        assert_eq!(
            normalize("06 1234 5678", "IT").as_deref(),
            Some("+390612345678")
        );
    }

    #[test]
    fn non_numbers_are_none() {
        assert_eq!(normalize("", "FI"), None);
        assert_eq!(normalize("call me", "FI"), None);
        assert_eq!(normalize("040 123 4567 ext", "FI"), None);
        assert_eq!(normalize("112", "FI"), None);
        assert_eq!(normalize("0401234567", "XX"), None);
        assert_eq!(normalize("+", "FI"), None);
        assert_eq!(normalize("+0401234567", "FI"), None);
        assert_eq!(normalize("+1234567890123456", "FI"), None);
        assert_eq!(normalize("äö", "FI"), None);
    }

    #[test]
    fn digits_keep_only_ascii_digits() {
        assert_eq!(digits("+358 (40) 12-3٤"), "35840123");
    }

    #[test]
    fn search_finds_national_and_international_forms() {
        let n = "+358401234567";
        for q in ["4567", "0401234567", "358401234567", "+358 40", "040 123"] {
            assert!(matches_query(n, q), "{q}");
        }
        assert!(!matches_query(n, "0501234567"));
        assert!(!matches_query(n, ""));
        // Raw numbers match on their written digits, and 00 means international.
        assert!(matches_query("040-1234567", "1234567"));
        assert!(!matches_query("040-1234567", "358"));
        assert!(matches_query("00358401234567", "0401234567"));
        // No trunk zero in Estonia: the national form is the bare number.
        assert!(matches_query("+37251234567", "51234567"));
        assert!(!matches_query("+37251234567", "051234567"));
    }
}
