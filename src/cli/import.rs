//! `kanta import orders|contacts|list|undo`.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::args::ImportCommand;
use super::{CliError, Context, progress_bar, say, write_output};
use crate::domain::money::group_thousands;
use crate::formats::{self, ParseErrors, RowError, Skipped};
use crate::i18n::Lang;
use crate::i18n::plural::{CUSTOMER, Noun, ORDER, count_written};
use crate::report::{Cell, Format, Report, render};
use crate::store::{
    ContactImport, ImportError, ImportSource, ImportSummary, OrderImport, RowProblem, Store,
};

pub fn run(context: &Context, command: ImportCommand) -> Result<(), CliError> {
    match command {
        ImportCommand::Orders { file, dry_run } => orders(context, &file, dry_run),
        ImportCommand::Contacts { file, dry_run } => contacts(context, &file, dry_run),
        ImportCommand::List => list(context),
        ImportCommand::Undo { batch } => undo(context, batch),
    }
}

/// A file read whole, with what its batch records about it.
struct ImportFile {
    bytes: Vec<u8>,
    shown: String,
    file_name: String,
    sha256: String,
}

fn read(path: &Path) -> Result<ImportFile, CliError> {
    let shown = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| CliError::BadInput(format!("cannot read {shown}: {e}")))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    Ok(ImportFile {
        bytes,
        shown,
        file_name,
        sha256: String::new(),
    })
}

/// Parses the file while its fingerprint is computed on the other core: at a
/// million rows, SHA-256 alone is a tenth of an import.
fn parse_and_fingerprint<T: Send>(
    file: &mut ImportFile,
    parse: impl FnOnce(&ImportFile) -> T + Send,
) -> T {
    let (parsed, sha256) = std::thread::scope(|scope| {
        let bytes = &file.bytes;
        let hashing = scope.spawn(move || {
            Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        });
        let parsed = parse(file);
        // A hashing thread cannot fail but by panicking; then hash here instead.
        let sha256 = hashing.join().unwrap_or_else(|_| {
            Sha256::digest(&file.bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        });
        (parsed, sha256)
    });
    file.sha256 = sha256;
    parsed
}

impl ImportFile {
    fn source(&self, kind: &str, default_country: &str) -> ImportSource {
        ImportSource {
            default_country: default_country.to_string(),
            kind: kind.to_string(),
            file_name: self.file_name.clone(),
            sha256: self.sha256.clone(),
        }
    }

    /// Every bad row as `file:line: column: reason`, one a line.
    fn row_errors(&self, rows: impl IntoIterator<Item = (usize, String, String)>) -> CliError {
        let lines: Vec<String> = rows
            .into_iter()
            .map(|(line, column, reason)| format!("{}:{line}: {column}: {reason}", self.shown))
            .collect();
        CliError::BadInput(format!(
            "{} was not imported; fix these rows and import it again:\n{}",
            self.shown,
            lines.join("\n")
        ))
    }

    fn parse_errors(&self, errors: &ParseErrors) -> CliError {
        self.row_errors(
            errors
                .errors
                .iter()
                .map(|e| (e.line, e.column.clone(), e.reason.clone())),
        )
    }

    fn import_error(&self, e: ImportError) -> CliError {
        match e {
            ImportError::Rows(rows) => {
                self.row_errors(rows.into_iter().map(|r| (r.line, r.column, r.reason)))
            }
            ImportError::Store(e) => e.into(),
        }
    }
}

fn orders(context: &Context, path: &Path, dry_run: bool) -> Result<(), CliError> {
    import(
        context,
        path,
        dry_run,
        parse_orders,
        |_, _| Ok(Vec::new()),
        Store::import_orders,
    )
}

fn contacts(context: &Context, path: &Path, dry_run: bool) -> Result<(), CliError> {
    import(
        context,
        path,
        dry_run,
        |f| parse_contacts(f, path),
        contact_problems,
        Store::import_contacts,
    )
}

/// A file's rows as read, with what was left out and every bad row.
struct Parsed<Row> {
    /// The kind its batch records.
    kind: &'static str,
    /// Every row read; with bad rows, those too, for judging the others.
    rows: Vec<Row>,
    skipped: Skipped,
    bad: Vec<RowError>,
}

/// The one way every import runs: read, parse (while fingerprinting), write in
/// one transaction with a progress bar on a terminal, then one sentence. A
/// file with bad rows is judged whole first (`judge`: what the store would
/// refuse of its rows), so every bad row is named in one run.
fn import<Row: Send>(
    context: &Context,
    path: &Path,
    dry_run: bool,
    parse: impl FnOnce(&ImportFile) -> Result<Parsed<Row>, CliError> + Send,
    judge: impl FnOnce(&Context, &[Row]) -> Result<Vec<RowProblem>, CliError>,
    write: impl FnOnce(
        &mut Store,
        &ImportSource,
        &[Row],
        bool,
        &mut dyn FnMut(u64),
    ) -> Result<ImportSummary, ImportError>,
) -> Result<(), CliError> {
    let mut file = read(path)?;
    let parsed = parse_and_fingerprint(&mut file, parse)?;
    if !parsed.bad.is_empty() {
        let mut problems: Vec<(usize, String, String)> = parsed
            .bad
            .into_iter()
            .map(|e| (e.line, e.column, e.reason))
            .collect();
        let judged = judge(context, &parsed.rows)?;
        problems.extend(judged.into_iter().map(|p| (p.line, p.column, p.reason)));
        problems.sort_by_key(|(line, _, _)| *line);
        return Err(file.row_errors(problems));
    }
    let mut store = context.open_or_create_store()?;
    if let Some(batch) = store.import_of_file(&file.sha256)? {
        return say(&format!(
            "{}: already imported as import {batch}; nothing new",
            file.shown
        ));
    }
    let bar = progress_bar(parsed.rows.len() as u64, "rows");
    let summary = write(
        &mut store,
        &file.source(parsed.kind, &context.config.default_country),
        &parsed.rows,
        dry_run,
        &mut |done| bar.set_position(done),
    )
    .map_err(|e| file.import_error(e));
    bar.finish_and_clear();
    say(&describe(&summary?, &parsed.skipped, dry_run, &file.shown))
}

/// Orders read from the file, or every bad row.
fn parse_orders(file: &ImportFile) -> Result<Parsed<OrderImport>, CliError> {
    let parsed = formats::parse_orders(&file.bytes).map_err(|e| file.parse_errors(&e))?;
    Ok(Parsed {
        kind: parsed.kind.code(),
        rows: parsed.rows.into_iter().map(OrderImport::from).collect(),
        skipped: parsed.skipped,
        bad: Vec::new(),
    })
}

/// Contacts read from a CSV or vCard (`.vcf`) file, bad rows and all.
fn parse_contacts(file: &ImportFile, path: &Path) -> Result<Parsed<ContactImport>, CliError> {
    let is_vcard = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("vcf") || e.eq_ignore_ascii_case("vcard"))
        || file.bytes.trim_ascii_start().starts_with(b"BEGIN:VCARD");
    let (kind, read) = if is_vcard {
        ("vcard", formats::read_vcards(&file.bytes))
    } else {
        ("contacts", formats::read_contacts_csv(&file.bytes))
    };
    Ok(Parsed {
        kind,
        rows: read.rows.into_iter().map(ContactImport::from).collect(),
        skipped: Skipped::default(),
        bad: read.errors,
    })
}

/// What the store would refuse of a contacts file's rows. A store that does
/// not exist yet holds no one, so the file's own refs are all there is; one
/// that cannot be opened is left for the import to name.
fn contact_problems(
    context: &Context,
    rows: &[ContactImport],
) -> Result<Vec<RowProblem>, CliError> {
    let store = if context.store_path.exists() {
        match context.open_store() {
            Ok(store) => store,
            Err(_) => return Ok(Vec::new()),
        }
    } else {
        Store::open_in_memory()?
    };
    Ok(store.contact_problems(rows, &context.config.default_country)?)
}

/// `1234567` as `1,234,567`, the way counts read in a sentence.
fn count(n: u64) -> String {
    group_thousands(n, ",")
}

/// `1 order`, `1,024 orders`: the one plural helper, in the command line's English.
fn plural(n: u64, noun: Noun) -> String {
    count_written(Lang::En, n, &count(n), noun)
}

/// One sentence saying what an import did or would do.
fn describe(summary: &ImportSummary, skipped: &Skipped, dry_run: bool, shown: &str) -> String {
    let mut parts = vec![format!("add {}", plural(summary.customers_added, CUSTOMER))];
    if summary.customers_updated > 0 {
        parts.push(format!(
            "update {}",
            plural(summary.customers_updated, CUSTOMER)
        ));
    }
    let mut text = if dry_run {
        format!("{shown}: would {}", parts.join(", "))
    } else {
        let added: Vec<String> = parts.iter().map(|p| past(p)).collect();
        format!("{shown}: {}", added.join(", "))
    };
    let orders = plural(summary.orders_added, ORDER);
    if summary.orders_added + summary.orders_skipped + skipped.total() > 0 {
        text.push_str(&format!(" and {orders}"));
    }
    if let Some(left_out) = left_out(skipped) {
        let verb = if dry_run { "would skip" } else { "skipped" };
        text.push_str(&format!("; {verb} {left_out}"));
    }
    if summary.orders_skipped > 0 {
        text.push_str(&format!(
            "; {} already imported",
            plural(summary.orders_skipped, ORDER)
        ));
    }
    if let Some(batch) = summary.batch_id {
        text.push_str(&format!(
            " (import {batch}; `kanta import undo {batch}` takes it back)"
        ));
    } else if !dry_run {
        text.push_str(" (nothing new)");
    }
    text
}

/// The orders of an export that are no purchases, by why: `2 cancelled
/// orders, 1 wholly refunded order and 1 sale with no customer` (a till sale
/// to a walk-in, or a payment by no one known).
fn left_out(skipped: &Skipped) -> Option<String> {
    let parts: Vec<String> = [
        (
            skipped.cancelled,
            Noun {
                en: ("cancelled order", "cancelled orders"),
                fi: ("peruttu tilaus", "peruttua tilausta"),
            },
        ),
        (
            skipped.refunded,
            Noun {
                en: ("wholly refunded order", "wholly refunded orders"),
                fi: ("kokonaan hyvitetty tilaus", "kokonaan hyvitettyä tilausta"),
            },
        ),
        (
            skipped.no_customer,
            Noun {
                en: ("sale with no customer", "sales with no customer"),
                fi: ("myynti ilman asiakasta", "myyntiä ilman asiakasta"),
            },
        ),
        (
            skipped.not_paid,
            Noun {
                en: ("unpaid order", "unpaid orders"),
                fi: ("maksamaton tilaus", "maksamatonta tilausta"),
            },
        ),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, noun)| plural(n, noun))
    .collect();
    match parts.split_last() {
        None => None,
        Some((last, [])) => Some(last.clone()),
        Some((last, rest)) => Some(format!("{} and {last}", rest.join(", "))),
    }
}

fn past(phrase: &str) -> String {
    if let Some(rest) = phrase.strip_prefix("add ") {
        format!("added {rest}")
    } else if let Some(rest) = phrase.strip_prefix("update ") {
        format!("updated {rest}")
    } else {
        phrase.to_string()
    }
}

fn list(context: &Context) -> Result<(), CliError> {
    let store = context.open_store()?;
    let batches = store.import_batches()?;
    if batches.is_empty() {
        return say("no imports yet");
    }
    let report = Report {
        json_header: vec![],
        notes: vec![],
        columns: vec![
            "batch",
            "imported",
            "kind",
            "file",
            "customers added",
            "customers updated",
            "orders added",
            "undone",
        ],
        rows: batches
            .iter()
            .map(|b| {
                vec![
                    Cell::Int(b.id),
                    Cell::Text(
                        b.imported_at
                            .with_timezone(&chrono::Local)
                            .format("%Y-%m-%d %H:%M")
                            .to_string(),
                    ),
                    Cell::Text(b.kind.clone()),
                    Cell::Text(b.file_name.clone()),
                    Cell::Int(b.customers_added),
                    Cell::Int(b.customers_updated),
                    Cell::Int(b.orders_added),
                    Cell::Text(if b.undone { "yes" } else { "" }.into()),
                ]
            })
            .collect(),
    };
    write_output(
        None,
        &render(&report, Format::Table, &context.config.currency),
    )
}

fn undo(context: &Context, batch: i64) -> Result<(), CliError> {
    let mut store = context.open_store()?;
    let undone = store.undo_import(batch)?;
    say(&format!(
        "import {batch} undone: removed {} and {}",
        plural(undone.orders_removed, ORDER),
        plural(undone.customers_removed, CUSTOMER)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_with_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1024), "1,024");
        assert_eq!(count(1_000_000), "1,000,000");
    }

    #[test]
    fn a_dry_run_says_what_would_happen() {
        let summary = ImportSummary {
            batch_id: None,
            customers_added: 120,
            customers_updated: 0,
            orders_added: 1024,
            orders_skipped: 3,
        };
        assert_eq!(
            describe(&summary, &Skipped::default(), true, "o.csv"),
            "o.csv: would add 120 customers and 1,024 orders; 3 orders already imported"
        );
    }

    #[test]
    fn an_import_names_its_batch() {
        let summary = ImportSummary {
            batch_id: Some(4),
            customers_added: 1,
            customers_updated: 2,
            orders_added: 0,
            orders_skipped: 0,
        };
        assert_eq!(
            describe(&summary, &Skipped::default(), false, "c.csv"),
            "c.csv: added 1 customer, updated 2 customers \
             (import 4; `kanta import undo 4` takes it back)"
        );
    }

    #[test]
    fn a_second_import_adds_nothing() {
        let summary = ImportSummary {
            orders_skipped: 5,
            ..Default::default()
        };
        assert_eq!(
            describe(&summary, &Skipped::default(), false, "o.csv"),
            "o.csv: added 0 customers and 0 orders; 5 orders already imported (nothing new)"
        );
    }
}
