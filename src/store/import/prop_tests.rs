//! Properties of whole imports, from the file's bytes to an in-memory store:
//! a file with a bad row is refused whole and leaves the store as it was, every
//! problem names a line and a column, and an accepted file imported again adds
//! nothing.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use rusqlite::types::Value;
use sha2::{Digest, Sha256};

use super::{ContactImport, ImportError, ImportSource, ImportSummary, OrderImport};
use crate::formats::prop_files::{contacts_file, orders_file, vcard_file};
use crate::formats::prop_gen::{Written, check, mutated_bytes, mutated_sample, well_formed};
use crate::formats::{self, ParseErrors, RowError};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Orders,
    Contacts,
    Vcard,
}

enum Outcome {
    /// Refused by the reader, or (`by_store`) by the store after every row parsed.
    Refused {
        errors: ParseErrors,
        by_store: bool,
    },
    Imported(ImportSummary),
    /// The same bytes were imported before, as this batch.
    Already(i64),
}

fn fingerprint(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn fail(e: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(format!("the store failed: {e}"))
}

/// An import as `kanta import` runs it: parse, then one transaction.
/// `fingerprint` is what the batch records of the file.
fn import(
    store: &mut Store,
    kind: Kind,
    bytes: &[u8],
    fingerprint: &str,
) -> Result<Outcome, TestCaseError> {
    if let Some(batch) = store.import_of_file(fingerprint).map_err(fail)? {
        return Ok(Outcome::Already(batch));
    }
    let source = ImportSource {
        kind: "test".into(),
        file_name: "file".into(),
        sha256: fingerprint.into(),
        default_country: "FI".into(),
    };
    let written = match kind {
        Kind::Orders => match formats::parse_orders(bytes) {
            Err(errors) => {
                return Ok(Outcome::Refused {
                    errors,
                    by_store: false,
                });
            }
            Ok(file) => {
                let rows: Vec<OrderImport> = file.rows.into_iter().map(Into::into).collect();
                store.import_orders(&source, &rows, false, &mut |_| {})
            }
        },
        Kind::Contacts | Kind::Vcard => {
            let parsed = if kind == Kind::Vcard {
                formats::parse_vcards(bytes)
            } else {
                formats::parse_contacts_csv(bytes)
            };
            match parsed {
                Err(errors) => {
                    return Ok(Outcome::Refused {
                        errors,
                        by_store: false,
                    });
                }
                Ok(rows) => {
                    let rows: Vec<ContactImport> = rows.into_iter().map(Into::into).collect();
                    store.import_contacts(&source, &rows, false, &mut |_| {})
                }
            }
        }
    };
    match written {
        Ok(summary) => Ok(Outcome::Imported(summary)),
        Err(ImportError::Rows(problems)) => Ok(Outcome::Refused {
            errors: ParseErrors {
                errors: problems
                    .into_iter()
                    .map(|p| RowError::new(p.line, p.column, p.reason))
                    .collect(),
            },
            by_store: true,
        }),
        Err(ImportError::Store(e)) => Err(fail(e)),
    }
}

/// Every row of every table an import writes to, in order.
fn snapshot(store: &Store) -> Vec<String> {
    let tables = [
        "import_batches",
        "customers",
        "customer_emails",
        "customer_phones",
        "customer_tags",
        "orders",
    ];
    let mut rows = Vec::new();
    for table in tables {
        let mut statement = store
            .connection()
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let columns = statement.column_count();
        let mut query = statement.query([]).unwrap();
        while let Some(row) = query.next().unwrap() {
            let values: Vec<Value> = (0..columns).map(|i| row.get(i).unwrap()).collect();
            rows.push(format!("{table} {values:?}"));
        }
    }
    rows
}

/// A store with the sample contacts and orders in it.
fn sample_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    for (kind, bytes) in [
        (
            Kind::Contacts,
            &include_bytes!("../../../assets/samples/contacts.csv")[..],
        ),
        (
            Kind::Orders,
            &include_bytes!("../../../assets/samples/orders.csv")[..],
        ),
    ] {
        let imported = import(&mut store, kind, bytes, &fingerprint(bytes));
        assert!(matches!(imported, Ok(Outcome::Imported(_))));
    }
    store
}

/// The properties every file must have. A generated file knows its bad
/// lines: those the readers must name, and those only the store can judge.
fn whole_or_nothing(
    kind: Kind,
    bytes: &[u8],
    known: Option<&Written>,
) -> Result<(), TestCaseError> {
    let mut store = sample_store();
    let before = snapshot(&store);
    let sha = fingerprint(bytes);
    match import(&mut store, kind, bytes, &sha)? {
        Outcome::Refused { errors, by_store } => {
            well_formed(bytes, &errors)?;
            prop_assert!(
                snapshot(&store) == before,
                "a refused file changed the store"
            );
            if let Some(file) = known {
                let expected = if by_store {
                    prop_assert!(
                        file.bad_lines.is_empty(),
                        "rows {:?} parsed",
                        file.bad_lines
                    );
                    &file.store_bad_lines
                } else {
                    &file.bad_lines
                };
                prop_assert!(!expected.is_empty(), "a good file was refused: {errors}");
                for line in expected {
                    prop_assert!(
                        errors.errors.iter().any(|e| e.line == *line),
                        "bad line {line} not named in: {errors}"
                    );
                }
            }
        }
        Outcome::Already(_) => prop_assert!(snapshot(&store) == before),
        Outcome::Imported(_) => {
            if let Some(file) = known {
                let bad = [&file.bad_lines[..], &file.store_bad_lines[..]].concat();
                prop_assert!(bad.is_empty(), "lines {bad:?} are bad, yet it was imported");
            }
            let after = snapshot(&store);
            let again = import(&mut store, kind, bytes, &sha)?;
            prop_assert!(
                matches!(again, Outcome::Already(_) | Outcome::Imported(_)),
                "an imported file was refused the second time"
            );
            prop_assert!(
                snapshot(&store) == after,
                "a second import changed the store"
            );
            // The same rows in a file with other bytes (a later export) add no
            // order and no customer, rows with no ref, email or phone included.
            let again = import(&mut store, kind, bytes, "another file")?;
            if let Outcome::Imported(summary) = again {
                prop_assert_eq!(summary.orders_added, 0);
                prop_assert_eq!(summary.customers_added, 0);
            }
            if kind == Kind::Orders {
                prop_assert!(snapshot(&store) == after, "the same rows changed the store");
            }
        }
    }
    Ok(())
}

fn generated(kind: Kind, file: &Written) -> Result<(), TestCaseError> {
    whole_or_nothing(kind, &file.bytes(), Some(file))
}

#[test]
fn orders_files_import_whole_or_not_at_all() {
    check("orders_files", 500, orders_file(), |file| {
        generated(Kind::Orders, &file)
    });
}

#[test]
fn contacts_files_import_whole_or_not_at_all() {
    check("contacts_files", 500, contacts_file(), |file| {
        generated(Kind::Contacts, &file)
    });
}

#[test]
fn vcard_files_import_whole_or_not_at_all() {
    check("vcard_files", 300, vcard_file(), |file| {
        generated(Kind::Vcard, &file)
    });
}

#[test]
fn damaged_samples_import_whole_or_not_at_all() {
    check(
        "damaged_samples",
        600,
        mutated_sample(),
        |(sample, mutations)| {
            let kind = match sample {
                0 | 1 | 4 => Kind::Orders,
                2 | 5 => Kind::Contacts,
                _ => Kind::Vcard,
            };
            whole_or_nothing(kind, &mutated_bytes(sample, &mutations), None)
        },
    );
}

#[test]
fn a_contacts_file_of_names_only_imported_twice_adds_its_customers_once() {
    // Found by the properties: rows with no ref, email or phone match no one, so
    // before the file's bytes were checked a second import made them again.
    let mut store = Store::open_in_memory().unwrap();
    let bytes = b"name\nN\n";
    let sha = fingerprint(bytes);
    let first = import(&mut store, Kind::Contacts, bytes, &sha).unwrap();
    let Outcome::Imported(summary) = first else {
        panic!("the file was not imported");
    };
    assert_eq!(summary.customers_added, 1);
    let before = snapshot(&store);
    let again = import(&mut store, Kind::Contacts, bytes, &sha).unwrap();
    assert!(matches!(again, Outcome::Already(batch) if Some(batch) == summary.batch_id));
    assert_eq!(snapshot(&store), before);
    // Once undone, the same file may come in again.
    store.undo_import(summary.batch_id.unwrap()).unwrap();
    let after_undo = import(&mut store, Kind::Contacts, bytes, &sha).unwrap();
    assert!(matches!(after_undo, Outcome::Imported(s) if s.customers_added == 1));
}
