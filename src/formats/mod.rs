//! Reading and writing the file formats of SPEC section 7 (CSV, vCard, and the
//! exports of shops, payment services and address books),
//! as pure functions over bytes. Nothing here touches the store.
//! May import: `domain` only.
//!
//! Every reader collects all bad rows of a file, not just the first, because an
//! import is all or nothing and the owner should fix the file in one go.

mod address_book;
pub(crate) mod contacts_csv;
mod csv_read;
pub(crate) mod csv_safe;
mod google_contacts;
pub(crate) mod json;
mod order_rows;
pub(crate) mod orders_csv;
mod outlook_contacts;
#[cfg(test)]
pub(crate) mod prop_files;
#[cfg(test)]
pub(crate) mod prop_gen;
#[cfg(test)]
mod prop_tests;
mod recognise;
#[cfg(test)]
mod robustness_tests;
#[cfg(test)]
mod samples_tests;
pub(crate) mod shopify;
mod stripe;
pub(crate) mod text;
pub(crate) mod vcard;
#[cfg(test)]
mod vcard_tests;
mod vcard_write;
mod woocommerce;

use std::fmt;

/// The contact every reader yields and every writer takes: a customer as a
/// file states it (`domain::customer`).
pub(crate) use crate::domain::ContactRow;
pub(crate) use contacts_csv::{ContactsCsvReader, join_list};
pub(crate) use csv_read::{Header, Records, blame_unclosed_quote, field, non_empty};
pub(crate) use json::{JsonContact, JsonContacts};
pub(crate) use order_rows::{OrderRow, Skipped};
pub(crate) use orders_csv::OrdersReader;
pub(crate) use vcard::VcardReader;
pub(crate) use vcard_write::push_vcard4;

// Whole-file conveniences over the streaming readers, for the tests.
#[cfg(test)]
pub(crate) use contacts_csv::{ContactsRead, parse_contacts_csv};
#[cfg(test)]
pub(crate) use order_rows::OrdersKind;
#[cfg(test)]
pub(crate) use orders_csv::parse_orders;
#[cfg(test)]
pub(crate) use vcard::parse_vcards;

/// The first bytes of a file, read ahead to tell its format, and the whole
/// file again as one reader.
pub(crate) fn sniff<'a>(
    mut bytes: impl std::io::Read + 'a,
) -> (Vec<u8>, Box<dyn std::io::Read + 'a>) {
    use std::io::Read as _;
    let mut start = vec![0u8; 512];
    let mut filled = 0;
    // A pipe may hand out a byte at a time: read until there is enough to tell.
    while filled < start.len() {
        match bytes.read(&mut start[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // The error comes again from the reader, at its place.
            Err(_) => break,
        }
    }
    start.truncate(filled);
    let whole = std::io::Cursor::new(start.clone()).chain(bytes);
    (start, Box::new(whole))
}

/// The contacts of a file, one at a time, whatever its format: kanta's JSON
/// export, a vCard file, or a CSV (kanta's own, Google's or Outlook's).
pub(crate) enum ContactsReader<'a> {
    Csv(ContactsCsvReader<'a>),
    Vcard(VcardReader<'a>),
    Json(JsonContacts<'a>),
}

impl<'a> ContactsReader<'a> {
    /// Tells the format by the first bytes (`named_vcard`: the file's name says `.vcf`).
    pub(crate) fn open(bytes: impl std::io::Read + 'a, named_vcard: bool) -> ContactsReader<'a> {
        let (start, whole) = sniff(bytes);
        let body = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&start);
        let vcard_start = body
            .trim_ascii_start()
            .get(..11)
            .is_some_and(|s| s.eq_ignore_ascii_case(b"BEGIN:VCARD"));
        if named_vcard || vcard_start {
            ContactsReader::Vcard(VcardReader::open(whole))
        } else if json::looks_like_json(&start) {
            ContactsReader::Json(JsonContacts::open(whole))
        } else {
            ContactsReader::Csv(ContactsCsvReader::open(whole))
        }
    }

    /// The kind an import batch records.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            ContactsReader::Vcard(_) => "vcard",
            ContactsReader::Csv(_) | ContactsReader::Json(_) => "contacts",
        }
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        match self {
            ContactsReader::Csv(r) => r.bytes_read(),
            ContactsReader::Vcard(r) => r.bytes_read(),
            ContactsReader::Json(r) => r.bytes_read(),
        }
    }

    /// Every problem of the file in file order, once every row is read.
    pub(crate) fn into_errors(self) -> Vec<RowError> {
        match self {
            ContactsReader::Csv(r) => r.into_errors(),
            ContactsReader::Vcard(r) => r.into_errors(),
            ContactsReader::Json(r) => r.into_errors(),
        }
    }
}

impl Iterator for ContactsReader<'_> {
    type Item = ContactRow;

    fn next(&mut self) -> Option<ContactRow> {
        match self {
            ContactsReader::Csv(r) => r.next(),
            ContactsReader::Vcard(r) => r.next(),
            ContactsReader::Json(r) => r.next(),
        }
    }
}

/// One bad row (or header) of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}: {column}: {reason}")]
pub(crate) struct RowError {
    /// 1-based physical line in the file.
    pub(crate) line: usize,
    /// The column (or vCard property) at fault, as named in the file.
    pub(crate) column: String,
    pub(crate) reason: String,
}

impl RowError {
    pub(crate) fn new(
        line: usize,
        column: impl Into<String>,
        reason: impl Into<String>,
    ) -> RowError {
        RowError {
            line,
            column: column.into(),
            reason: reason.into(),
        }
    }
}

/// All the bad rows of one file, in file order. Never empty when returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) struct ParseErrors {
    pub(crate) errors: Vec<RowError>,
}

impl ParseErrors {
    pub(crate) fn one(error: RowError) -> ParseErrors {
        ParseErrors {
            errors: vec![error],
        }
    }

    /// One `file:line: column: reason` per line, the form SPEC section 7 asks for.
    #[cfg(test)]
    pub(crate) fn display_with_file(&self, file: &str) -> String {
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
