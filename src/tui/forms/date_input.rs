//! Dates as people type them into a form: `2026-03-14`, `14.3.2026`, `14.3.`,
//! `+3d`, `+1w`, `+2m` (or `3d`, `1w`, `2m`), `today`, `tomorrow` (and the
//! Finnish words).

use chrono::{Datelike, Days, Months, NaiveDate};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateInputError {
    #[error("no date given")]
    Empty,
    #[error("there is no date {0}")]
    NoSuchDate(String),
    #[error("`{0}` is too far from today")]
    OutOfRange(String),
    #[error(
        "`{0}` is not a date: write 2026-03-14, 14.3.2026, 14.3., +3d, +1w, +2m, today or tomorrow"
    )]
    Unrecognised(String),
}

/// Reads a typed date relative to `today`. Month offsets keep the day of the
/// month, or take the month's last day when it is shorter (31.1. + 1m = 29.2.
/// in a leap year).
pub fn parse_date_input(text: &str, today: NaiveDate) -> Result<NaiveDate, DateInputError> {
    let typed = text.trim();
    if typed.is_empty() {
        return Err(DateInputError::Empty);
    }
    let lower = typed.to_lowercase();
    match lower.as_str() {
        "today" | "tänään" => return Ok(today),
        "tomorrow" | "huomenna" => return offset(today, 1, Unit::Day, typed),
        "yesterday" | "eilen" => return offset(today, -1, Unit::Day, typed),
        _ => {}
    }
    if let Some(rest) = lower.strip_prefix('+') {
        return relative(rest, 1, today, typed);
    }
    if let Some(rest) = lower.strip_prefix('-') {
        return relative(rest, -1, today, typed);
    }
    // `1w`, `3d`, `2kk`: from today, as with `+`, when the unit is written.
    if lower.starts_with(|c: char| c.is_ascii_digit())
        && lower.ends_with(|c: char| c.is_alphabetic())
        && !lower.contains(['-', '.'])
    {
        return relative(&lower, 1, today, typed);
    }
    if lower.contains('-') {
        return iso(&lower, typed);
    }
    if lower.contains('.') {
        // `14. 3. 2026` is written with spaces too.
        let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
        return finnish(&compact, today, typed);
    }
    Err(DateInputError::Unrecognised(typed.to_string()))
}

#[derive(Clone, Copy)]
enum Unit {
    Day,
    Week,
    Month,
}

/// `3d`, `1w`, `2m`; also `3`, `3pv`, `1vk`, `2kk` (Finnish abbreviations).
fn relative(
    rest: &str,
    sign: i64,
    today: NaiveDate,
    typed: &str,
) -> Result<NaiveDate, DateInputError> {
    let rest = rest.trim();
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (number, unit) = rest.split_at(digits_end);
    if number.is_empty() {
        return Err(DateInputError::Unrecognised(typed.to_string()));
    }
    let unit = match unit.trim() {
        "" | "d" | "pv" => Unit::Day,
        "w" | "vk" => Unit::Week,
        "m" | "kk" => Unit::Month,
        _ => return Err(DateInputError::Unrecognised(typed.to_string())),
    };
    let n: i64 = number
        .parse()
        .map_err(|_| DateInputError::OutOfRange(typed.to_string()))?;
    offset(today, sign * n, unit, typed)
}

fn offset(today: NaiveDate, n: i64, unit: Unit, typed: &str) -> Result<NaiveDate, DateInputError> {
    let too_far = || DateInputError::OutOfRange(typed.to_string());
    let magnitude = u32::try_from(n.unsigned_abs()).map_err(|_| too_far())?;
    let date = match unit {
        Unit::Day | Unit::Week => {
            let days = if matches!(unit, Unit::Week) {
                u64::from(magnitude) * 7
            } else {
                u64::from(magnitude)
            };
            if n >= 0 {
                today.checked_add_days(Days::new(days))
            } else {
                today.checked_sub_days(Days::new(days))
            }
        }
        Unit::Month if n >= 0 => today.checked_add_months(Months::new(magnitude)),
        Unit::Month => today.checked_sub_months(Months::new(magnitude)),
    };
    date.ok_or_else(too_far)
}

/// `2026-03-14`.
fn iso(lower: &str, typed: &str) -> Result<NaiveDate, DateInputError> {
    let parts: Vec<&str> = lower.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => ymd(y, m, d, typed),
        _ => Err(DateInputError::Unrecognised(typed.to_string())),
    }
}

/// `14.3.2026`, `14.3.26`, `14.3.` and `14.3` (this year).
fn finnish(lower: &str, today: NaiveDate, typed: &str) -> Result<NaiveDate, DateInputError> {
    let parts: Vec<&str> = lower.split('.').collect();
    let this_year = today.year().to_string();
    let (d, m, y) = match parts.as_slice() {
        [d, m] | [d, m, ""] => (*d, *m, this_year.as_str()),
        [d, m, y] if y.len() == 4 => (*d, *m, *y),
        [d, m, y] if y.len() == 2 => {
            let full = format!("20{y}");
            return ymd(&full, m, d, typed);
        }
        _ => return Err(DateInputError::Unrecognised(typed.to_string())),
    };
    ymd(y, m, d, typed)
}

fn ymd(y: &str, m: &str, d: &str, typed: &str) -> Result<NaiveDate, DateInputError> {
    let number = |s: &str| -> Result<u32, DateInputError> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateInputError::Unrecognised(typed.to_string()));
        }
        s.parse()
            .map_err(|_| DateInputError::Unrecognised(typed.to_string()))
    };
    let (y, m, d) = (number(y)?, number(m)?, number(d)?);
    let year = i32::try_from(y).map_err(|_| DateInputError::Unrecognised(typed.to_string()))?;
    NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| DateInputError::NoSuchDate(typed.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn parse(text: &str, today: NaiveDate) -> Result<NaiveDate, DateInputError> {
        parse_date_input(text, today)
    }

    #[test]
    fn absolute_dates_in_both_notations() {
        let today = date(2026, 11, 23);
        assert_eq!(parse("2026-03-14", today), Ok(date(2026, 3, 14)));
        assert_eq!(parse(" 14.3.2026 ", today), Ok(date(2026, 3, 14)));
        assert_eq!(parse("14.3.", today), Ok(date(2026, 3, 14)));
        assert_eq!(parse("14.3", today), Ok(date(2026, 3, 14)));
        assert_eq!(parse("1.12.27", today), Ok(date(2027, 12, 1)));
        assert_eq!(parse("14. 3. 2026", today), Ok(date(2026, 3, 14)));
        assert_eq!(parse("29.2.2028", today), Ok(date(2028, 2, 29)));
    }

    #[test]
    fn words_in_english_and_finnish() {
        let today = date(2026, 12, 31);
        assert_eq!(parse("today", today), Ok(today));
        assert_eq!(parse("Tänään", today), Ok(today));
        assert_eq!(parse("tomorrow", today), Ok(date(2027, 1, 1)));
        assert_eq!(parse("HUOMENNA", today), Ok(date(2027, 1, 1)));
        assert_eq!(parse("eilen", today), Ok(date(2026, 12, 30)));
    }

    #[test]
    fn offsets_in_days_weeks_and_months() {
        let today = date(2026, 2, 26);
        assert_eq!(parse("+3d", today), Ok(date(2026, 3, 1)));
        assert_eq!(parse("+3", today), Ok(date(2026, 3, 1)));
        assert_eq!(parse("+1w", today), Ok(date(2026, 3, 5)));
        assert_eq!(parse("+2m", today), Ok(date(2026, 4, 26)));
        assert_eq!(parse("+2kk", today), Ok(date(2026, 4, 26)));
        assert_eq!(parse("-1w", today), Ok(date(2026, 2, 19)));
    }

    #[test]
    fn an_offset_with_its_unit_needs_no_plus() {
        let today = date(2026, 2, 26);
        assert_eq!(parse("1w", today), Ok(date(2026, 3, 5)));
        assert_eq!(parse("3d", today), Ok(date(2026, 3, 1)));
        assert_eq!(parse("2kk", today), Ok(date(2026, 4, 26)));
        assert_eq!(parse("1vk", today), Ok(date(2026, 3, 5)));
        // A bare number stays unreadable: a day of the month or days from now?
        assert!(parse("14", today).is_err());
        assert!(parse("1x", today).is_err());
    }

    #[test]
    fn month_offsets_clamp_to_the_month_end_and_know_leap_days() {
        assert_eq!(parse("+1m", date(2028, 1, 31)), Ok(date(2028, 2, 29)));
        assert_eq!(parse("+1m", date(2027, 1, 31)), Ok(date(2027, 2, 28)));
        assert_eq!(parse("+12m", date(2028, 2, 29)), Ok(date(2029, 2, 28)));
        assert_eq!(parse("+1m", date(2026, 3, 31)), Ok(date(2026, 4, 30)));
        assert_eq!(parse("+1d", date(2028, 2, 28)), Ok(date(2028, 2, 29)));
    }

    #[test]
    fn impossible_and_unreadable_input_is_refused_with_a_reason() {
        let today = date(2026, 11, 23);
        assert_eq!(parse("  ", today), Err(DateInputError::Empty));
        assert_eq!(
            parse("29.2.2027", today),
            Err(DateInputError::NoSuchDate("29.2.2027".into()))
        );
        assert_eq!(
            parse("2026-13-01", today),
            Err(DateInputError::NoSuchDate("2026-13-01".into()))
        );
        for bad in [
            "next week",
            "+",
            "+3x",
            "14..3",
            "1.2.3.4",
            "26-3-14",
            "+-3d",
            "ää",
        ] {
            assert_eq!(
                parse(bad, today),
                Err(DateInputError::Unrecognised(bad.into())),
                "{bad}"
            );
        }
        for far in ["+99999999999999999999d", "+4000000000w", "+9999999m"] {
            assert_eq!(
                parse(far, today),
                Err(DateInputError::OutOfRange(far.into())),
                "{far}"
            );
        }
        let message = parse("soon", today).map_err(|e| e.to_string());
        assert!(message.is_err_and(|m| m.contains("14.3.2026")));
    }
}
