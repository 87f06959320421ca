//! Text as spreadsheets write it: encodings, amounts of money, dates, yes/no.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};

use crate::domain::money::{self, AmountError};

/// Why an amount or a date could not be read. The text becomes the `reason` of a
/// row error, so it says what was wrong in the owner's terms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("empty")]
    Empty,
    /// Amounts are read, and their errors worded, in one place.
    #[error(transparent)]
    Amount(#[from] AmountError),
    #[error("not a date: {0:?} (expected YYYY-MM-DD, D.M.YYYY or a timestamp)")]
    NotADate(String),
    #[error("no such day: {text:?} ({reason})")]
    NoSuchDay { text: String, reason: String },
    #[error("not yes/no: {0:?}")]
    NotABool(String),
    #[error("not a whole number: {0:?}")]
    NotAnInteger(String),
}

/// Decodes a file: UTF-8 with or without a BOM, else Windows-1252, which is what
/// a Finnish Excel saves ("Mäkinen" as one byte 0xE4). Never fails: every byte
/// sequence is some Windows-1252 text.
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    // Excel's "Unicode text" and some phone exports are UTF-16 with a BOM.
    if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        return Cow::Owned(
            encoding_rs::UTF_16LE
                .decode_without_bom_handling(body)
                .0
                .into_owned(),
        );
    }
    if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        return Cow::Owned(
            encoding_rs::UTF_16BE
                .decode_without_bom_handling(body)
                .0
                .into_owned(),
        );
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(body)
                .0
        }
    }
}

/// Refuses what is not text at all (a spreadsheet's binary format, an image,
/// UTF-16 without its byte-order mark): such bytes would otherwise read as one
/// garbled column and give a misleading error.
pub fn refuse_binary(text: &str) -> Result<(), super::ParseErrors> {
    match text.lines().position(|line| line.contains('\0')) {
        None => Ok(()),
        Some(index) => Err(super::ParseErrors::one(super::RowError {
            line: index + 1,
            column: "file".into(),
            reason: "not a text file (it holds NUL bytes); save it as CSV, UTF-8 or Windows-1252"
                .into(),
        })),
    }
}

/// A text cell a spreadsheet would run as a formula (OWASP's CSV injection
/// advice): refused on import, so a hostile file cannot plant one that a later
/// export or a copy-paste into a spreadsheet would run.
pub fn formula_risk(cell: &str) -> Option<String> {
    let first = cell.chars().next()?;
    // A signed number or a phone number (`+358 40 123 4567`, `-12,50`) is data,
    // not a hostile formula.
    let numeric = |c: char| c.is_ascii_digit() || " .,()/-".contains(c);
    if matches!(first, '+' | '-') && cell.len() > 1 && cell[1..].chars().all(numeric) {
        return None;
    }
    matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r').then(|| {
        format!(
            "begins with '{}', which a spreadsheet would run as a formula",
            crate::domain::terminal::terminal_safe(&first.to_string())
        )
    })
}

/// Parses an amount of money to integer cents by the one rule of
/// [`money::parse_cents`], which the order form uses too.
pub fn parse_cents(text: &str) -> Result<i64, TextError> {
    money::parse_cents(text).map_err(|e| match e {
        AmountError::Empty => TextError::Empty,
        other => TextError::Amount(other),
    })
}

fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    u32::try_from((next - first).num_days()).ok()
}

/// A calendar date from its numbers, or a reason naming what is wrong with it.
fn calendar_date(text: &str, year: i32, month: u32, day: u32) -> Result<NaiveDate, TextError> {
    // The calendar has no year 0, and the store holds none.
    if year < 1 {
        return Err(TextError::NoSuchDay {
            text: text.to_string(),
            reason: "there is no year 0".into(),
        });
    }
    if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
        return Ok(date);
    }
    let reason = match days_in_month(year, month) {
        None => format!("there is no month {month}"),
        Some(days) => {
            let first = NaiveDate::from_ymd_opt(year, month, 1);
            let name = first
                .map(|d| d.format("%B %Y").to_string())
                .unwrap_or_default();
            format!("{name} has {days} days")
        }
    };
    Err(TextError::NoSuchDay {
        text: text.to_string(),
        reason,
    })
}

fn all_digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses `YYYY-MM-DD`, `D.M.YYYY`/`DD.MM.YYYY`, or a timestamp such as
/// `2026-03-14T10:22:00+02:00`, `2026-03-14 10:22:00 +0200` or
/// `2026-03-14T10:22:00.123Z`. A timestamp gives
/// its date as written: no time-zone conversion, because the shop's own day is
/// the day the owner means.
pub fn parse_date(text: &str) -> Result<NaiveDate, TextError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(TextError::Empty);
    }
    let not_date = || TextError::NotADate(text.to_string());
    // A Finnish spreadsheet may add a time after the date: "14.3.2026 10:22".
    // A timestamp's fractional seconds (`2024-03-05T14:22:01.123Z`) are not
    // the dots of that form: its fifth character is the `-` of an ISO date.
    let first = t.split_whitespace().next().unwrap_or("");
    if first.contains('.') && first.as_bytes().get(4) != Some(&b'-') {
        let parts: Vec<&str> = first.split('.').collect();
        let [d, m, y] = parts.as_slice() else {
            return Err(not_date());
        };
        if !(all_digits(d, 1, 2) && all_digits(m, 1, 2) && all_digits(y, 4, 4)) {
            return Err(not_date());
        }
        let (Ok(day), Ok(month), Ok(year)) = (d.parse(), m.parse(), y.parse()) else {
            return Err(not_date());
        };
        return calendar_date(first, year, month, day);
    }
    let (Some(date), Some(rest)) = (t.get(..10), t.get(10..)) else {
        return Err(not_date());
    };
    let b = date.as_bytes();
    let shape_ok = b[4] == b'-'
        && b[7] == b'-'
        && all_digits(&date[..4], 4, 4)
        && all_digits(&date[5..7], 2, 2)
        && all_digits(&date[8..], 2, 2);
    // After the date only a time may follow: 'T' or a space, then HH:MM.
    let time_ok = rest.is_empty() || {
        let time = rest
            .strip_prefix(['T', 't', ' '])
            .map(str::trim_start)
            .unwrap_or("");
        let tb = time.as_bytes();
        tb.len() >= 5 && tb[..2].iter().all(u8::is_ascii_digit) && tb[2] == b':'
    };
    if !(shape_ok && time_ok) {
        return Err(not_date());
    }
    let (Ok(year), Ok(month), Ok(day)) = (date[..4].parse(), date[5..7].parse(), date[8..].parse())
    else {
        return Err(not_date());
    };
    calendar_date(date, year, month, day)
}

/// Yes/no as owners type it; empty means no.
pub fn parse_bool(text: &str) -> Result<bool, TextError> {
    match text.trim().to_lowercase().as_str() {
        "" | "false" | "no" | "0" | "ei" | "n" => Ok(false),
        "true" | "yes" | "1" | "kyllä" | "kylla" | "y" => Ok(true),
        _ => Err(TextError::NotABool(text.to_string())),
    }
}

/// An optional whole number: empty is None.
pub fn parse_optional_integer(text: &str) -> Result<Option<i64>, TextError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| TextError::NotAnInteger(text.to_string()))
}

/// Used by the vCard reader for `BDAY:19850412` (ISO basic form).
pub(crate) fn parse_basic_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if !all_digits(t, 8, 8) {
        return None;
    }
    let (Ok(year), Ok(month), Ok(day)) = (t[..4].parse(), t[4..6].parse(), t[6..].parse()) else {
        return None;
    };
    NaiveDate::from_ymd_opt(year, month, day).filter(|d| d.year() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn decodes_utf8_with_and_without_bom_and_windows_1252() {
        assert_eq!(decode("Mäkinen".as_bytes()), "Mäkinen");
        assert_eq!(decode(b"\xEF\xBB\xBFM\xC3\xA4kinen"), "Mäkinen");
        assert_eq!(decode(b"M\xE4kinen \x80"), "Mäkinen €");
        // UTF-16 with its byte-order mark, both byte orders.
        assert_eq!(decode(b"\xFF\xFEM\x00\xE4\x00"), "Mä");
        assert_eq!(decode(b"\xFE\xFF\x00M\x00\xE4"), "Mä");
        assert!(refuse_binary("ok\nfine").is_ok());
        let err = refuse_binary("a,b\nx\0y").unwrap_err();
        assert_eq!(err.errors[0].line, 2);
        assert_eq!(
            formula_risk("=HYPERLINK(1)").map(|r| r.contains("'='")),
            Some(true)
        );
        assert_eq!(formula_risk("-5"), None);
        assert_eq!(formula_risk("+358 40 123 4567"), None);
        assert!(formula_risk("-x").is_some());
        assert!(formula_risk("+A1").is_some());
        assert!(formula_risk("@SUM(A1)").is_some());
        assert_eq!(formula_risk("Matti"), None);
        assert_eq!(formula_risk(""), None);
    }

    // Every written form of an amount is tested where amounts are read,
    // `domain::money`; this wrapper only renames the error.

    #[test]
    fn bad_amounts_are_errors_not_guesses() {
        assert!(matches!(
            parse_cents("12.345"),
            Err(TextError::Amount(AmountError::TooManyDecimals(_)))
        ));
        assert!(matches!(
            parse_cents("1,234"),
            Err(TextError::Amount(AmountError::TooManyDecimals(_)))
        ));
        assert!(matches!(
            parse_cents("12 34,00"),
            Err(TextError::Amount(AmountError::BadGrouping(_)))
        ));
        assert!(matches!(
            parse_cents("1,23,45.00"),
            Err(TextError::Amount(AmountError::BadGrouping(_)))
        ));
        assert_eq!(parse_cents(""), Err(TextError::Empty));
        assert!(parse_cents("€").is_err());
        assert!(parse_cents("12.").is_err());
        assert!(matches!(
            parse_cents(".50"),
            Err(TextError::Amount(AmountError::NotAnAmount(_)))
        ));
        assert!(parse_cents("1e3").is_err());
        assert!(parse_cents("--5").is_err());
        assert!(parse_cents("ä12").is_err());
        assert!(matches!(
            parse_cents("99999999999999999999"),
            Err(TextError::Amount(AmountError::TooLarge(_)))
        ));
    }

    #[test]
    fn dates_in_all_written_forms() {
        let d = ymd(2026, 3, 14);
        for text in [
            "2026-03-14",
            "14.3.2026",
            "14.03.2026",
            "14.3.2026 10:22",
            "2026-03-14T10:22:00+02:00",
            "2026-03-14 10:22:00 +0200",
        ] {
            assert_eq!(parse_date(text), Ok(d), "{text}");
        }
        // Late evening UTC stays on the day written, not the next local day.
        assert_eq!(parse_date("2026-03-14T23:30:00Z"), Ok(d));
    }

    #[test]
    fn timestamps_with_fractional_seconds_give_their_date_as_written() {
        // kanta's own instants, JavaScript's toISOString, Stripe and Shopify.
        let d = ymd(2024, 3, 5);
        for text in [
            "2024-03-05T14:22:01.123Z",
            "2024-03-05T23:59:59.999999+02:00",
            "2024-03-05 14:22:01.5 -0500",
            "2024-03-05T00:00:00.000-08:00",
        ] {
            assert_eq!(parse_date(text), Ok(d), "{text}");
        }
        // The dotted Finnish form with a time still reads as before.
        assert_eq!(parse_date("5.3.2024 14.22"), Ok(d));
        assert!(matches!(
            parse_date("2024-3-05T14:22:01.1Z"),
            Err(TextError::NotADate(_))
        ));
    }

    #[test]
    fn invalid_dates_say_why() {
        let err = parse_date("2026-02-30").unwrap_err();
        assert_eq!(
            err.to_string(),
            "no such day: \"2026-02-30\" (February 2026 has 28 days)"
        );
        assert!(
            parse_date("30.2.2028")
                .unwrap_err()
                .to_string()
                .contains("29 days")
        );
        // Found by the property tests: year 0 passed here and was refused only
        // by the store, after the other bad rows had been named.
        assert_eq!(
            parse_date("0000-01-01").unwrap_err().to_string(),
            "no such day: \"0000-01-01\" (there is no year 0)"
        );
        assert!(parse_date("1.1.0000").is_err());
        assert!(
            parse_date("2026-13-01")
                .unwrap_err()
                .to_string()
                .contains("no month 13")
        );
        for bad in [
            "2026/03/14",
            "14.3.26",
            "2026-03-14x",
            "März",
            "2026-3-14",
            "1.2.3.4",
        ] {
            assert!(
                matches!(parse_date(bad), Err(TextError::NotADate(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn yes_no_and_integers() {
        assert_eq!(parse_bool("Kyllä"), Ok(true));
        assert_eq!(parse_bool(""), Ok(false));
        assert_eq!(parse_bool("ei"), Ok(false));
        assert!(parse_bool("maybe").is_err());
        assert_eq!(parse_optional_integer(" 3 "), Ok(Some(3)));
        assert_eq!(parse_optional_integer(""), Ok(None));
        assert!(parse_optional_integer("2.5").is_err());
        assert_eq!(parse_basic_date("19850412"), Some(ymd(1985, 4, 12)));
        assert_eq!(parse_basic_date("1985041"), None);
    }
}
