//! Reading and writing the file formats of SPEC section 7 (CSV, vCard, Shopify),
//! as pure functions over bytes. Nothing here touches the store.
//!
//! Every reader collects all bad rows of a file, not just the first, because an
//! import is all or nothing and the owner should fix the file in one go.

pub mod contacts_csv;
pub mod csv_safe;
pub mod orders_csv;
#[cfg(test)]
pub(crate) mod prop_files;
#[cfg(test)]
pub(crate) mod prop_gen;
#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod robustness_tests;
#[cfg(test)]
mod samples_tests;
pub mod shopify;
pub mod text;
pub mod vcard;
#[cfg(test)]
mod vcard_tests;
mod vcard_write;

use std::fmt;

pub use contacts_csv::{ContactRow, parse_contacts_csv};
pub use orders_csv::{OrderRow, OrdersFile, OrdersKind, parse_orders};
pub use vcard::parse_vcards;
pub use vcard_write::write_vcard4;

/// One bad row (or header) of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}: {column}: {reason}")]
pub struct RowError {
    /// 1-based physical line in the file.
    pub line: usize,
    /// The column (or vCard property) at fault, as named in the file.
    pub column: String,
    pub reason: String,
}

impl RowError {
    pub fn new(line: usize, column: impl Into<String>, reason: impl Into<String>) -> RowError {
        RowError {
            line,
            column: column.into(),
            reason: reason.into(),
        }
    }
}

/// All the bad rows of one file, in file order. Never empty when returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseErrors {
    pub errors: Vec<RowError>,
}

impl ParseErrors {
    pub fn one(error: RowError) -> ParseErrors {
        ParseErrors {
            errors: vec![error],
        }
    }

    /// One `file:line: column: reason` per line, the form SPEC section 7 asks for.
    pub fn display_with_file(&self, file: &str) -> String {
        let mut out = String::new();
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&format!("{file}:{e}"));
        }
        out
    }
}

impl fmt::Display for ParseErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// The header of a CSV file: lowercased, trimmed names with any BOM removed.
pub(crate) struct Header {
    names: Vec<String>,
}

impl Header {
    pub(crate) fn new<'a>(fields: impl Iterator<Item = &'a [u8]>) -> Header {
        let names = fields
            .map(|f| {
                let text = String::from_utf8_lossy(f);
                text.trim_start_matches('\u{feff}').trim().to_lowercase()
            })
            .collect();
        Header { names }
    }

    /// Index and header text of the first of `candidates` present.
    pub(crate) fn first_of(&self, candidates: &[&'static str]) -> Option<(usize, &'static str)> {
        candidates
            .iter()
            .find_map(|c| self.names.iter().position(|n| n == c).map(|i| (i, *c)))
    }

    pub(crate) fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }
}

/// A field of a byte record as trimmed text; a missing field reads as empty.
pub(crate) fn field(record: &csv::ByteRecord, index: Option<usize>) -> &str {
    index
        .and_then(|i| record.get(i))
        .and_then(|b| std::str::from_utf8(b).ok())
        .map(str::trim)
        .unwrap_or("")
}

/// Some(text) when the trimmed text is not empty.
pub(crate) fn non_empty(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Whether every field of a record is blank (a line of bare delimiters).
pub(crate) fn is_blank(record: &csv::ByteRecord) -> bool {
    record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// The delimiter of a CSV file, `;` or `,`, judged from its header line.
pub(crate) fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let semicolons = header.matches(';').count();
    let commas = header.matches(',').count();
    if semicolons > commas { b';' } else { b',' }
}

/// A CSV reader over decoded text, with the header read as an ordinary record so
/// its line number is known and ragged rows do not abort the whole file.
pub(crate) fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(text))
        .from_reader(text.as_bytes())
}

/// Physical line numbers of records, counted from their byte offsets because
/// the csv crate's own line count leaves out blank lines.
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    /// The 1-based line a record starts on; records come in file order.
    pub(crate) fn line_of(&mut self, record: &csv::ByteRecord) -> usize {
        let start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(0)
            .min(self.text.len());
        // The reported offset is where the reader stood, before the blank lines
        // it skipped; the record itself starts after them.
        let start = self.text[start..]
            .iter()
            .position(|b| !matches!(b, b'\r' | b'\n'))
            .map_or(self.text.len(), |skip| start + skip);
        if let Some(skipped) = self.text.get(self.byte..start) {
            self.line += skipped.iter().filter(|&&b| b == b'\n').count();
            self.byte = start;
        }
        self.line
    }
}
