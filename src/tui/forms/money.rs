//! Typed amounts to integer cents, without floating point: `12,50`, `12.50`,
//! `1 234,50`, `1.234,50`, `-5`, `€12`.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AmountError {
    #[error("no amount given")]
    Empty,
    #[error("`{0}` is not an amount: write it like 12,50 or -5")]
    NotAnAmount(String),
    #[error("`{0}` has more than two decimals")]
    TooManyDecimals(String),
    #[error("`{0}` is too large")]
    TooLarge(String),
}

/// Parses an amount as typed into cents; a leading minus is a refund.
/// With one separator it is the decimal mark; with both `.` and `,` the last
/// one is. Three decimals (`1,234`) are refused rather than guessed.
pub fn parse_amount_cents(text: &str) -> Result<i64, AmountError> {
    let typed = text.trim();
    let not_an_amount = || AmountError::NotAnAmount(typed.to_string());
    // Spaces, no-break spaces and thin spaces group thousands.
    let mut body: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}')
        .collect();
    body = body.trim_matches('€').to_string();
    if body.is_empty() {
        return Err(AmountError::Empty);
    }
    let negative = match body.chars().next() {
        Some('-' | '\u{2212}') => true,
        Some('+') => false,
        _ => {
            body.insert(0, '+');
            false
        }
    };
    let body: String = body.chars().skip(1).collect();
    let body = body.trim_start_matches('€');

    let decimal_at = match (body.rfind('.'), body.rfind(',')) {
        (Some(dot), Some(comma)) => Some(dot.max(comma)),
        (Some(at), None) | (None, Some(at)) => {
            let mark = if body[at..].starts_with('.') {
                '.'
            } else {
                ','
            };
            // Several of the same mark can only be thousands separators.
            if body.matches(mark).count() > 1 {
                None
            } else {
                Some(at)
            }
        }
        (None, None) => None,
    };
    let (whole, fraction) = match decimal_at {
        Some(at) => (&body[..at], &body[at + 1..]),
        None => (body, ""),
    };
    let whole_digits = thousands(whole).ok_or_else(not_an_amount)?;
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_an_amount());
    }
    if whole_digits.is_empty() && fraction.is_empty() {
        return Err(not_an_amount());
    }
    if fraction.len() > 2 {
        return Err(AmountError::TooManyDecimals(typed.to_string()));
    }

    let too_large = || AmountError::TooLarge(typed.to_string());
    let mut cents: i64 = 0;
    for digit in whole_digits
        .bytes()
        .chain(format!("{fraction:0<2}").bytes())
    {
        cents = cents
            .checked_mul(10)
            .and_then(|c| c.checked_add(i64::from(digit - b'0')))
            .ok_or_else(too_large)?;
    }
    Ok(if negative { -cents } else { cents })
}

/// The digits of a whole part, which may group thousands with `.` or `,`
/// (`1.234.567`); None when the grouping is not in threes or a char is foreign.
fn thousands(whole: &str) -> Option<String> {
    let groups: Vec<&str> = whole.split(['.', ',']).collect();
    let digits_only = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    if groups.len() > 1 {
        let first_ok = !groups[0].is_empty() && groups[0].len() <= 3;
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return None;
        }
    }
    groups
        .iter()
        .all(|g| digits_only(g))
        .then(|| groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ways_amounts_are_written() {
        let cases = [
            ("12,50", 1250),
            ("12.50", 1250),
            ("12,5", 1250),
            ("1 234,50", 123_450),
            ("1\u{a0}234,50", 123_450),
            ("1.234,50", 123_450),
            ("1,234.50", 123_450),
            ("1.234.567", 123_456_700),
            ("-5", -500),
            ("\u{2212}5,25", -525),
            ("+7", 700),
            ("0", 0),
            (",5", 50),
            ("12,", 1200),
            ("€ 12,90", 1290),
            ("12,90 €", 1290),
            ("-€3", -300),
        ];
        for (typed, cents) in cases {
            assert_eq!(parse_amount_cents(typed), Ok(cents), "{typed}");
        }
    }

    #[test]
    fn bad_amounts_are_refused_with_a_reason() {
        assert_eq!(parse_amount_cents(" "), Err(AmountError::Empty));
        assert_eq!(parse_amount_cents("€"), Err(AmountError::Empty));
        assert_eq!(
            parse_amount_cents("1,234"),
            Err(AmountError::TooManyDecimals("1,234".into()))
        );
        for bad in [
            "abc", "12a", "-", "1,2,3", "1.23.45", "12,5x", "--5", ".", "1e3", "½",
        ] {
            assert_eq!(
                parse_amount_cents(bad),
                Err(AmountError::NotAnAmount(bad.into())),
                "{bad}"
            );
        }
        assert_eq!(
            parse_amount_cents("99999999999999999999"),
            Err(AmountError::TooLarge("99999999999999999999".into()))
        );
    }
}
