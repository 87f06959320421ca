//! Money in integer cents: the one reader of a written amount (imports and the
//! order form alike), the one writer of cents as units, the bound on one amount,
//! and sums that never wrap.

use std::fmt::Write as _;

/// The largest amount one order may have, either way (a sale or a refund):
/// 1 000 000 000.00 in major units. Imports and the order form refuse larger
/// ones, so every sum of real orders fits an i64 many times over.
pub(crate) const MAX_AMOUNT_CENTS: i64 = 100_000_000_000;

/// Why an amount over [`MAX_AMOUNT_CENTS`] is refused, worded once for the
/// import's row errors and the order form alike.
pub(crate) const AMOUNT_TOO_LARGE: &str =
    "more than 1 000 000 000.00, the largest amount kanta takes";

/// Why a written amount could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AmountError {
    #[error("an amount is required")]
    Empty,
    #[error("not an amount: {0:?}; write it like 12.50 or -5")]
    NotAnAmount(String),
    #[error(
        "more than 2 decimals in {0:?} (amounts are in cents; a thousands separator needs a decimal part, e.g. 1,234.00)"
    )]
    TooManyDecimals(String),
    #[error("misplaced thousands separator in {0:?}")]
    BadGrouping(String),
    #[error("{AMOUNT_TOO_LARGE}: {0:?}")]
    TooLarge(String),
}

fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

/// Strips a currency sign or code and a sign from either end, in any order:
/// `-12,50 €`, `€-12.50`, `EUR 12.50`, `−12.50` (Unicode minus), `+7`.
/// The sign is `None` when none was written.
fn strip_sign_and_currency(text: &str) -> (Option<bool>, &str) {
    let mut rest = text.trim();
    let mut signed = None;
    loop {
        let before = rest;
        for code in ["€", "EUR", "eur", "Eur"] {
            rest = rest.strip_prefix(code).unwrap_or(rest).trim();
            rest = rest.strip_suffix(code).unwrap_or(rest).trim();
        }
        if signed.is_none() {
            if let Some(r) = rest.strip_prefix(['-', '\u{2212}']) {
                signed = Some(true);
                rest = r.trim();
            } else if let Some(r) = rest.strip_prefix('+') {
                signed = Some(false);
                rest = r.trim();
            }
        }
        if rest == before {
            return (signed, rest);
        }
    }
}

/// Reads an amount of money as an owner writes it, to integer cents, from its
/// digits (never via f64): the rule of every import and of the order form.
///
/// Decimal point or comma; thousands grouped by space, no-break space, narrow
/// no-break space, or the other of `.`/`,`. With only one `.` or `,` in the text,
/// it is the decimal separator, so `1,234` is an error (three decimals) rather
/// than a silent guess between 1.234 and 1234. A minus makes a refund. Amounts
/// over [`MAX_AMOUNT_CENTS`] either way are refused.
pub(crate) fn parse_cents(text: &str) -> Result<i64, AmountError> {
    let (sign, body) = strip_sign_and_currency(text);
    let negative = sign == Some(true);
    if body.is_empty() {
        // Nothing but spaces or a currency sign is an amount not given yet.
        return Err(if sign.is_none() {
            AmountError::Empty
        } else {
            AmountError::NotAnAmount(text.to_string())
        });
    }
    let not_amount = || AmountError::NotAnAmount(text.to_string());
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_group_space(c))
    {
        return Err(not_amount());
    }
    let last_point = body.rfind('.');
    let last_comma = body.rfind(',');
    let points = body.matches('.').count();
    let commas = body.matches(',').count();
    // The decimal separator is the last of '.'/',' when both occur, or the only
    // one when it occurs once; a repeated lone separator groups thousands.
    let decimal_at = match (last_point, last_comma) {
        (Some(p), Some(c)) => Some(p.max(c)),
        (Some(p), None) if points == 1 => Some(p),
        (None, Some(c)) if commas == 1 => Some(c),
        _ => None,
    };
    let (integer_part, decimals) = match decimal_at {
        Some(at) => (&body[..at], &body[at + 1..]),
        None => (body, ""),
    };
    if decimal_at.is_some()
        && (decimals.is_empty() || !decimals.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(not_amount());
    }
    if integer_part.is_empty() {
        return Err(not_amount());
    }
    if decimals.len() > 2 {
        return Err(AmountError::TooManyDecimals(text.to_string()));
    }
    let is_separator = |c: char| c == '.' || c == ',' || is_group_space(c);
    let grouped = integer_part.contains(is_separator);
    let too_large = || AmountError::TooLarge(text.to_string());
    let mut cents: i64 = 0;
    for (i, group) in integer_part.split(is_separator).enumerate() {
        let ok = if i == 0 {
            !group.is_empty() && (!grouped || group.len() <= 3)
        } else {
            group.len() == 3
        };
        if !ok {
            return Err(AmountError::BadGrouping(text.to_string()));
        }
        for b in group.bytes() {
            cents = cents
                .checked_mul(10)
                .and_then(|c| c.checked_add(i64::from(b - b'0')))
                .ok_or_else(too_large)?;
        }
    }
    let mut fraction = 0i64;
    for (i, b) in decimals.bytes().enumerate() {
        fraction += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
    }
    cents = cents
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction))
        .filter(|c| *c <= MAX_AMOUNT_CENTS)
        .ok_or_else(too_large)?;
    Ok(if negative { -cents } else { cents })
}

/// Whether one amount lies within the bound (a sale or a refund).
pub(crate) fn within_bound(cents: i64) -> bool {
    cents.unsigned_abs() <= MAX_AMOUNT_CENTS.unsigned_abs()
}

/// Cents as units: the sign, the units with `group` between thousands, then
/// `decimal_mark` and two decimals, or whole units (cut toward zero) without a
/// mark. `format_cents(-123_450, " ", Some('.'))` is `-1 234.50`.
pub(crate) fn format_cents(cents: i64, group: &str, decimal_mark: Option<char>) -> String {
    // unsigned_abs: i64::MIN has no positive counterpart.
    let abs = cents.unsigned_abs();
    let mut out = String::with_capacity(32);
    if cents < 0 {
        out.push('-');
    }
    out.push_str(&group_thousands(abs / 100, group));
    if let Some(mark) = decimal_mark {
        let _ = write!(out, "{mark}{:02}", abs % 100);
    }
    out
}

/// `1234567` as `1 234 567` (or with another separator).
pub(crate) fn group_thousands(n: u64, separator: &str) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(digit);
    }
    out
}

/// The sum of amounts, computed wide and held at the i64 bounds: a store a
/// script filled with amounts no import takes gives a figure at the bound, not
/// a wrapped one or a panic.
pub(crate) fn sum_cents(amounts: impl IntoIterator<Item = i64>) -> i64 {
    let wide: i128 = amounts.into_iter().map(i128::from).sum();
    clamp_cents(wide)
}

/// A wide sum held at the i64 bounds.
pub(crate) fn clamp_cents(wide: i128) -> i64 {
    i64::try_from(wide).unwrap_or(if wide < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_all_written_forms() {
        let cases = [
            ("1 234,50", 123450),
            ("1\u{a0}234,50", 123450),
            ("1\u{202f}234,50", 123450),
            ("-12.5", -1250),
            ("1,234.50", 123450),
            ("1.234,50", 123450),
            ("1,234,567", 123456700),
            ("1.234.567", 123_456_700),
            ("12", 1200),
            ("0", 0),
            ("0,05", 5),
            ("€12.50", 1250),
            ("€ 12,90", 1290),
            ("12,50 €", 1250),
            ("EUR 12.50", 1250),
            ("-€3.20", -320),
            ("€-3.20", -320),
            ("−7", -700),
            ("\u{2212}5,25", -525),
            ("+7", 700),
            ("  42.00 ", 4200),
        ];
        for (text, cents) in cases {
            assert_eq!(parse_cents(text), Ok(cents), "{text}");
        }
    }

    #[test]
    fn bad_amounts_are_errors_not_guesses() {
        let bad = |text: &str| parse_cents(text).err();
        assert!(matches!(
            bad("12.345"),
            Some(AmountError::TooManyDecimals(_))
        ));
        assert!(matches!(
            bad("1,234"),
            Some(AmountError::TooManyDecimals(_))
        ));
        assert!(matches!(bad("12 34,00"), Some(AmountError::BadGrouping(_))));
        assert!(matches!(
            bad("1,23,45.00"),
            Some(AmountError::BadGrouping(_))
        ));
        assert_eq!(bad(""), Some(AmountError::Empty));
        assert_eq!(bad(" "), Some(AmountError::Empty));
        assert_eq!(bad("€"), Some(AmountError::Empty));
        for text in [
            "abc", "12a", "-", "12.", ".50", "1e3", "--5", "+-5", "ä12", ".", "½",
        ] {
            assert!(bad(text).is_some(), "{text}");
        }
        assert!(matches!(
            bad("99999999999999999999"),
            Some(AmountError::TooLarge(_))
        ));
    }

    #[test]
    fn amounts_over_the_bound_are_refused_either_way() {
        assert_eq!(parse_cents("1 000 000 000,00"), Ok(MAX_AMOUNT_CENTS));
        assert_eq!(parse_cents("-1000000000"), Ok(-MAX_AMOUNT_CENTS));
        for text in ["1000000000.01", "-1 000 000 000,01", "92233720368547758.07"] {
            let error = parse_cents(text).err();
            assert_eq!(error, Some(AmountError::TooLarge(text.into())), "{text}");
        }
        let sentence = AmountError::TooLarge("1e12".into()).to_string();
        assert!(sentence.starts_with(AMOUNT_TOO_LARGE), "{sentence}");
        assert!(AMOUNT_TOO_LARGE.contains(&format_cents(MAX_AMOUNT_CENTS, " ", Some('.'))));
        assert!(within_bound(-MAX_AMOUNT_CENTS) && !within_bound(i64::MIN));
    }

    #[test]
    fn cents_as_units() {
        assert_eq!(format_cents(123_450, " ", Some('.')), "1 234.50");
        assert_eq!(format_cents(123_450, ",", Some('.')), "1,234.50");
        assert_eq!(format_cents(123_450, " ", Some(',')), "1 234,50");
        assert_eq!(format_cents(123_456_789, " ", None), "1 234 567");
        assert_eq!(format_cents(1250, "", Some('.')), "12.50");
        assert_eq!(format_cents(-5, "", Some('.')), "-0.05");
        assert_eq!(format_cents(0, "", Some('.')), "0.00");
        assert_eq!(
            format_cents(i64::MIN, " ", Some('.')),
            "-92 233 720 368 547 758.08"
        );
    }

    #[test]
    fn sums_are_held_at_the_bounds() {
        let huge = i64::MAX / 2 + 1;
        assert_eq!(sum_cents([huge, huge]), i64::MAX);
        assert_eq!(sum_cents([huge, huge, -huge]), huge);
        assert_eq!(sum_cents([i64::MIN, -1]), i64::MIN);
        assert_eq!(sum_cents([]), 0);
        assert_eq!(sum_cents([1250, -99]), 1151);
    }
}
