//! Reading and writing the file formats of SPEC section 7 (CSV, vCard, and the
//! exports of shops, payment services and address books),
//! as pure functions over bytes. Nothing here touches the store.
//! May import: `domain` only.
//!
//! Every reader collects all bad rows of a file, not just the first, because an
//! import is all or nothing and the owner should fix the file in one go.

pub mod contacts_csv;
mod csv_read;
pub mod csv_safe;
mod google_contacts;
pub mod orders_csv;
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
pub mod shopify;
mod stripe;
pub mod text;
pub mod vcard;
#[cfg(test)]
mod vcard_tests;
mod vcard_write;
mod woocommerce;

use std::fmt;

pub use contacts_csv::{ContactRow, ContactsRead, parse_contacts_csv, read_contacts_csv};
pub(crate) use csv_read::{Header, Records, blame_unclosed_quote, field, non_empty};
pub use orders_csv::{OrderRow, OrdersFile, OrdersKind, Skipped, parse_orders};
pub use vcard::{parse_vcards, read_vcards};
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
