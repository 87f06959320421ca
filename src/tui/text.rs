//! Turning data into text that is safe and readable on a terminal.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::domain::money::format_cents;
pub use crate::domain::terminal::terminal_safe;
use crate::i18n::Lang;

/// Owned copy of `text` made safe for the terminal by the one rule of
/// [`terminal_safe`], for display fields built once per data load.
pub fn clean(text: &str) -> String {
    terminal_safe(text).into_owned()
}

fn currency_symbol(code: &str) -> Option<&'static str> {
    match code.to_ascii_uppercase().as_str() {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        _ => None,
    }
}

/// Money with cents: `€1,234.50` in English, `1 234,50 €` in Finnish.
pub fn money(cents: i64, lang: Lang, currency: &str) -> String {
    format_money(cents, lang, currency, true)
}

/// Money in whole units (rounded toward zero), for tight cells: `€1,234`.
pub fn money_whole(cents: i64, lang: Lang, currency: &str) -> String {
    format_money(cents, lang, currency, false)
}

fn format_money(cents: i64, lang: Lang, currency: &str, with_cents: bool) -> String {
    let (group, mark) = match lang {
        Lang::En => (",", '.'),
        Lang::Fi => (" ", ','),
    };
    let signed = format_cents(cents, group, with_cents.then_some(mark));
    // The sign goes before a leading currency symbol: `-€0.05`.
    let (sign, number) = match signed.strip_prefix('-') {
        Some(number) => ("-", number),
        None => ("", signed.as_str()),
    };
    let symbol = currency_symbol(currency);
    match (lang, symbol) {
        (Lang::En, Some(s)) => format!("{sign}{s}{number}"),
        (Lang::En, None) => format!("{sign}{number} {currency}"),
        (Lang::Fi, _) => format!("{sign}{number} {}", symbol.unwrap_or(currency)),
    }
}

/// A date as the language writes it: `2026-11-23` / `23.11.2026`.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => d.format("%Y-%m-%d").to_string(),
        Lang::Fi => d.format("%-d.%-m.%Y").to_string(),
    }
}

/// A share as a whole percentage; 0 of 0 is 0 %.
pub fn percent(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        0
    } else {
        // u128: no overflow for any count.
        ((part as u128 * 100 + whole as u128 / 2) / whole as u128) as u64
    }
}

/// A signed change: `+12`, `-3`, `0`.
pub fn change(delta: i64) -> String {
    if delta > 0 {
        format!("+{delta}")
    } else {
        delta.to_string()
    }
}

/// Cuts `text` to at most `width` characters, marking a cut with `…`.
pub fn ellipsize(text: &str, width: usize) -> Cow<'_, str> {
    if text.chars().count() <= width {
        return Cow::Borrowed(text);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    Cow::Owned(out)
}

/// Width of `text` in terminal cells (wide characters take two, combining
/// marks none).
pub fn cells(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// Cuts `text` to at most `width` terminal cells, marking a cut with `…`.
pub fn fit_cells(text: &str, width: usize) -> Cow<'_, str> {
    use unicode_width::UnicodeWidthChar;
    if cells(text) <= width {
        return Cow::Borrowed(text);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// `text` cut or padded with spaces to exactly `width` cells.
pub fn pad_cells(text: &str, width: usize) -> String {
    let cut = fit_cells(text, width);
    let room = width.saturating_sub(cells(&cut));
    format!("{cut}{}", " ".repeat(room))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_escaped() {
        assert_eq!(clean("Ann\u{1b}[31mRed\u{202e}"), "Ann^[[31mRed\\u{202e}");
    }

    #[test]
    fn money_in_both_languages() {
        assert_eq!(money(123_450, Lang::En, "EUR"), "€1,234.50");
        assert_eq!(money(123_450, Lang::Fi, "EUR"), "1 234,50 €");
        assert_eq!(money(-5, Lang::En, "EUR"), "-€0.05");
        assert_eq!(money(100, Lang::En, "SEK"), "1.00 SEK");
        assert_eq!(money_whole(123_456_789, Lang::Fi, "EUR"), "1 234 567 €");
        assert_eq!(
            money(i64::MIN, Lang::En, "EUR"),
            "-€92,233,720,368,547,758.08"
        );
    }

    #[test]
    fn percent_change_and_cut() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(5, 0), 0);
        assert_eq!(percent(u64::MAX, u64::MAX), 100);
        assert_eq!(change(12), "+12");
        assert_eq!(change(-3), "-3");
        assert_eq!(ellipsize("Järvinen", 4), "Jär…");
        assert_eq!(ellipsize("Ann", 4), "Ann");
    }

    #[test]
    fn cutting_and_padding_count_terminal_cells() {
        assert_eq!(cells("日本"), 4);
        assert_eq!(fit_cells("日本語", 5), "日本…");
        assert_eq!(fit_cells("Järvinen", 4), "Jär…");
        assert_eq!(pad_cells("日本", 6), "日本  ");
        assert_eq!(pad_cells("Aino", 2), "A…");
        assert_eq!(fit_cells("x", 0), "");
    }

    #[test]
    fn dates_per_language() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap_or_default();
        assert_eq!(date(d, Lang::En), "2026-03-05");
        assert_eq!(date(d, Lang::Fi), "5.3.2026");
    }
}
