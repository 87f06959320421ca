//! The formula guard of CSV cells, in one place: the exports put it on, the
//! imports take it off, and a cell that arrives unguarded and would run as a
//! formula is refused.
//!
//! A spreadsheet runs a cell starting with `=`, `+`, `-`, `@`, a tab or a
//! carriage return as a formula (OWASP "CSV injection"). An export writes
//! such a cell with a leading `'`, which spreadsheets read as "text follows"
//! and which every kanta import removes again, so `'+358 40 123 4567`
//! imports as `+358 40 123 4567`.

use std::borrow::Cow;

/// The first characters a spreadsheet reads as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet would run this cell as a formula. A plain number
/// such as `-12.50` or `+358` is no formula: amount columns must stay numeric
/// for the owner's sums. A plain number is an optional sign, digits, and at
/// most one `.` or `,` followed by digits.
fn runs_as_formula(cell: &str) -> bool {
    cell.starts_with(FORMULA_STARTS) && !is_plain_number(cell)
}

fn is_plain_number(cell: &str) -> bool {
    let body = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let (whole, fraction) = match body.split_once(['.', ',']) {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// Whether a cell is written with the guard: it would run as a formula, or it
/// already begins with apostrophes before such a start (`'=x` itself), so
/// that taking one apostrophe off on import always gives the value back.
fn needs_guard(cell: &str) -> bool {
    runs_as_formula(cell.trim_start_matches('\''))
}

/// The cell as an export writes it: with a leading `'` when a spreadsheet
/// would run it as a formula.
pub(crate) fn neutralize_formula(cell: &str) -> Cow<'_, str> {
    if needs_guard(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell as an import reads it: the export's guard taken off. A leading `'`
/// that is no guard (`'tis`) stays.
pub(crate) fn read_guarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

/// Why an imported text cell is refused: it would run as a formula in a
/// spreadsheet and came without the guard, so a hostile file cannot plant a
/// formula that a later export or a copy-paste would run. A signed number or
/// a phone number (`+358 40 123 4567`, `-12,50`) is data, not a formula: it
/// can call nothing. Give the cell as written (before [`read_guarded`]).
pub(crate) fn formula_risk(cell: &str) -> Option<String> {
    let first = cell.chars().next()?;
    let numeric = |c: char| c.is_ascii_digit() || " .,()/-".contains(c);
    if matches!(first, '+' | '-') && cell.len() > 1 && cell[1..].chars().all(numeric) {
        return None;
    }
    FORMULA_STARTS.contains(&first).then(|| {
        format!(
            "begins with '{}', which a spreadsheet would run as a formula",
            crate::domain::terminal::terminal_safe(&first.to_string())
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_a_quote() {
        for cell in [
            "=1+1",
            "+SUM(A1)",
            "-2+3",
            "@cmd",
            "\t=x",
            "\r=x",
            "=HYPERLINK(\"http://x\")",
            "-",
            "+",
            "+358 40 123 4567",
        ] {
            assert_eq!(neutralize_formula(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn numbers_and_ordinary_text_stay() {
        for cell in [
            "-12.50", "-12,50", "+358", "-7", "12.50", "Mäkinen", "", "a=b", "1-2", "'tis", "'",
            "'-5",
        ] {
            assert!(
                matches!(neutralize_formula(cell), Cow::Borrowed(c) if c == cell),
                "{cell:?}"
            );
        }
        // A number with an exponent or two separators is not plain.
        assert_eq!(neutralize_formula("-1e5"), "'-1e5");
        assert_eq!(neutralize_formula("-1.2.3"), "'-1.2.3");
    }

    #[test]
    fn the_guard_comes_off_on_import_and_only_the_guard() {
        assert_eq!(read_guarded("'+358 40 123 4567"), "+358 40 123 4567");
        assert_eq!(read_guarded("'=1+1"), "=1+1");
        assert_eq!(read_guarded("'tis"), "'tis");
        assert_eq!(read_guarded("'-5"), "'-5");
        assert_eq!(read_guarded("'"), "'");
        assert_eq!(read_guarded("plain"), "plain");
        // A value that itself begins with the guard's apostrophe.
        assert_eq!(neutralize_formula("'=x"), "''=x");
        assert_eq!(read_guarded("''=x"), "'=x");
    }

    #[test]
    fn every_value_survives_the_guard_and_back() {
        let alphabet = ["'", "=", "+", "-", "@", "\t", "\r", "1", ".", "a", " "];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for len in 0..2000 {
            let mut value = String::new();
            for _ in 0..len % 7 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                value.push_str(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            let written = neutralize_formula(&value);
            assert_eq!(read_guarded(&written), value, "{value:?} as {written:?}");
            // What an export writes never runs as a formula.
            assert!(!runs_as_formula(&written), "{written:?}");
        }
    }

    #[test]
    fn unguarded_formulas_are_refused_on_import() {
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
        // The guarded form is what an export wrote: it is accepted.
        assert_eq!(formula_risk("'=HYPERLINK(1)"), None);
    }
}
