//! Cells written to CSV exports, made safe to open in a spreadsheet.

use std::borrow::Cow;

/// Neutralizes a cell a spreadsheet would run as a formula (OWASP "CSV
/// injection"): a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return gets a leading `'`.
///
/// The rule's one exception: a plain number such as `-12.50` or `+358` stays as
/// it is, because amount columns must stay numeric for the owner's sums, and a
/// number cannot carry a formula. A plain number is an optional sign, digits,
/// and at most one `.` or `,` followed by digits.
pub fn neutralize_formula(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
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
        ] {
            assert_eq!(neutralize_formula(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn numbers_and_ordinary_text_stay() {
        for cell in [
            "-12.50", "-12,50", "+358", "-7", "12.50", "Mäkinen", "", "a=b", "1-2",
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
}
