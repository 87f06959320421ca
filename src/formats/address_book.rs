//! What Google's and Outlook's contacts exports share: a name in parts, a
//! birthday that may have no year, emails spread over several columns.

use super::text;
use super::{Header, RowError, field, non_empty};
use crate::domain::email::check_email;

/// The parts of a name (first, middle, last, …) that are there, joined.
pub(crate) fn name_of_parts(record: &csv::ByteRecord, parts: &[usize]) -> Option<String> {
    let parts: Vec<&str> = parts
        .iter()
        .map(|&i| field(record, Some(i)))
        .filter(|p| !p.is_empty())
        .collect();
    non_empty(&parts.join(" "))
}

/// The emails of the cells given as (column, value), in order, each checked
/// by the one email rule; a bad one is named by its column and left out.
pub(crate) fn checked_emails<'a>(
    cells: impl IntoIterator<Item = (usize, &'a str)>,
    line: usize,
    header: &Header,
    errors: &mut Vec<RowError>,
) -> Vec<String> {
    let mut emails = Vec::new();
    for (column, email) in cells {
        match check_email(email) {
            Ok(()) => emails.push(email.to_string()),
            Err(bad) => errors.push(RowError::new(line, header.shown(column), bad.to_string())),
        }
    }
    emails
}

/// A birthday as a date, or, when it has no year (`--04-12`) or another form,
/// as a line of the notes: an export read whole loses nothing and refuses
/// nothing for it.
pub(crate) fn birthday(cell: &str) -> (Option<chrono::NaiveDate>, Option<String>) {
    let cell = cell.trim();
    if cell.is_empty() {
        return (None, None);
    }
    match text::parse_date(cell) {
        Ok(date) => (Some(date), None),
        Err(_) => (None, Some(format!("Birthday {cell}"))),
    }
}

/// The notes cell, and below it a birthday the date could not hold.
pub(crate) fn notes_with(
    record: &csv::ByteRecord,
    notes: Option<usize>,
    birthday_note: Option<String>,
) -> Option<String> {
    let notes = [non_empty(field(record, notes)), birthday_note]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    non_empty(&notes)
}
