//! `kanta import orders|contacts|list|undo`.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::args::ImportCommand;
use super::{CliError, Context, progress_bar, say, write_output};
use crate::domain::money::group_thousands;
use crate::formats::{self, ParseErrors, RowError, Skipped};
use crate::i18n::Lang;
use crate::i18n::plural::{CUSTOMER, Noun, ORDER, count_written};
use crate::report::{Cell, Format, Report, render};
use crate::store::{ImportError, ImportSource, ImportSummary, RowProblem, Store};

pub(crate) fn run(context: &Context, command: ImportCommand) -> Result<(), CliError> {
    match command {
        ImportCommand::Orders { file, dry_run } => orders(context, &file, dry_run),
        ImportCommand::Contacts { file, dry_run } => contacts(context, &file, dry_run),
        ImportCommand::List => list(context),
        ImportCommand::Undo { batch } => undo(context, batch),
    }
}

/// A file to import, with what its batch records about it. It is read twice,
/// each time as a stream: once for its fingerprint, before anything else,
/// and once for its rows, as they are written.
struct Incoming {
    path: PathBuf,
    shown: String,
    file_name: String,
    sha256: String,
    /// Its size in bytes, for the progress bar and the rows' estimate.
    size: u64,
}

impl Incoming {
    fn new(context: &Context, path: &Path) -> Result<Incoming, CliError> {
        let shown = path.display().to_string();
        // Reading a file of the store through its own descriptor would drop
        // this process's locks on the store when it is closed.
        if crate::store::copies::is_part_of_store(&context.store_path, path) {
            return Err(CliError::BadInput(format!(
                "{shown} is the store {} itself (or its journal), not a file to import",
                context.store_path.display()
            )));
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        let mut file = Incoming {
            path: path.to_path_buf(),
            shown,
            file_name,
            sha256: String::new(),
            size: 0,
        };
        let mut hasher = Sha256::new();
        let mut reader = file.reader()?;
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    hasher.update(&chunk[..n]);
                    file.size += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(file.unreadable(&e)),
            }
        }
        file.sha256 = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(file)
    }

    /// The file from its start, buffered.
    fn reader(&self) -> Result<BufReader<std::fs::File>, CliError> {
        std::fs::File::open(&self.path)
            .map(|f| BufReader::with_capacity(256 * 1024, f))
            .map_err(|e| self.unreadable(&e))
    }

    fn unreadable(&self, e: &std::io::Error) -> CliError {
        CliError::BadInput(format!("cannot read {}: {e}", self.shown))
    }

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

/// The store an import writes: the one there is, or a new one, made beside
/// where it belongs under a name of its own and put in place only once the
/// import has gone through, so a file refused whole leaves no store behind.
struct Target {
    store: Store,
    /// Where a new store is made until it is put in place.
    partial: Option<PathBuf>,
}

impl Target {
    fn open(context: &Context) -> Result<Target, CliError> {
        if context.store_path.exists() {
            return Ok(Target {
                store: context.open_or_create_store()?,
                partial: None,
            });
        }
        let partial = crate::store::copies::partial_path(&context.store_path).map_err(|e| {
            CliError::BadInput(format!(
                "cannot create {}: {e}",
                context.store_path.display()
            ))
        })?;
        remove_store_files(&partial);
        match Store::open_or_create(&partial) {
            Ok(mut store) => {
                store.set_default_country(&context.config.default_country);
                // No one else knows this file, and one that is not put in
                // place is removed: its pages need not go through the write-
                // ahead log first and into the file again at the end (a
                // tenth of a large import). The journal in memory still
                // rolls back a dry run. Put back by `keep`; a store opened
                // later is set to the log again whatever happens here.
                let _ = store
                    .connection()
                    .pragma_update(None, "journal_mode", "memory");
                Ok(Target {
                    store,
                    partial: Some(partial),
                })
            }
            // Said of the store's own name (a missing folder, a read-only disk).
            Err(_) => {
                remove_store_files(&partial);
                Ok(Target {
                    store: context.open_or_create_store()?,
                    partial: None,
                })
            }
        }
    }

    /// Puts a new store in place; a store that appeared there meanwhile is
    /// left as it is, and the import is then refused.
    fn keep(self, context: &Context) -> Result<(), CliError> {
        let Target { store, partial } = self;
        let Some(partial) = partial else {
            return Ok(());
        };
        // Into the write-ahead log again, as every store is kept.
        let _ = store
            .connection()
            .pragma_update(None, "journal_mode", "wal");
        // Everything into the file itself, before it is put in place alone.
        let folded: Result<i64, _> =
            store
                .connection()
                .query_row("PRAGMA main.wal_checkpoint(TRUNCATE)", [], |r| r.get(0));
        if folded.ok() != Some(0) {
            remove_store_files(&partial);
            return Err(CliError::Failed(format!(
                "cannot create the store {}: its journal could not be written into it; \
                 nothing was imported",
                context.store_path.display()
            )));
        }
        // A link never replaces a store that appeared meanwhile; a disk that
        // has no links (FAT) gets the file renamed, if the place is still free.
        let placed = match std::fs::hard_link(&partial, &context.store_path) {
            Err(e)
                if e.kind() != std::io::ErrorKind::AlreadyExists
                    && !context.store_path.exists() =>
            {
                std::fs::rename(&partial, &context.store_path)
            }
            placed => placed,
        };
        remove_store_files(&partial);
        placed.map_err(|e| {
            CliError::Failed(format!(
                "cannot create the store {}: {e}; nothing was imported",
                context.store_path.display()
            ))
        })
    }

    /// Removes a new store the import did not go through into.
    fn discard(self) {
        let Target { store, partial } = self;
        drop(store);
        if let Some(partial) = partial {
            remove_store_files(&partial);
        }
    }
}

/// Removes a store file kanta made and no one else knows, with its journal.
fn remove_store_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// The rows of a file on their way to the store, with a progress bar by the
/// bytes read.
pub(super) struct Streamed<R> {
    reader: Option<R>,
    bar: indicatif::ProgressBar,
    size: u64,
    rows: u64,
    /// The reader's problems and the orders it left out, once it is read to its end.
    problems: Vec<RowError>,
    skipped: Skipped,
}

/// What [`Streamed`] needs of a reader of the formats.
pub(super) trait RowReader: Iterator {
    fn bytes_read(&self) -> u64;
    fn skipped(&self) -> Skipped {
        Skipped::default()
    }
    fn has_errors(&self) -> bool;
    fn into_errors(self) -> Vec<RowError>;
}

impl RowReader for formats::OrdersReader<'_> {
    fn bytes_read(&self) -> u64 {
        self.bytes_read()
    }
    fn skipped(&self) -> Skipped {
        self.skipped()
    }
    fn has_errors(&self) -> bool {
        self.has_errors()
    }
    fn into_errors(self) -> Vec<RowError> {
        self.into_errors()
    }
}

impl RowReader for formats::ContactsReader<'_> {
    fn bytes_read(&self) -> u64 {
        self.bytes_read()
    }
    fn has_errors(&self) -> bool {
        // Every row of a contacts file is written, bad or not, so that every
        // `referred_by` is judged; the import is rolled back at the end.
        false
    }
    fn into_errors(self) -> Vec<RowError> {
        self.into_errors()
    }
}

impl<R: RowReader> Streamed<R> {
    pub(super) fn new(reader: R, size: u64) -> Streamed<R> {
        Streamed {
            reader: Some(reader),
            bar: progress_bar(size, "bytes"),
            size,
            rows: 0,
            problems: Vec::new(),
            skipped: Skipped::default(),
        }
    }
}

impl<R, Row> crate::store::ImportFile<Row> for Streamed<R>
where
    R: RowReader,
    R::Item: Into<Row>,
{
    fn next_row(&mut self) -> Option<Row> {
        let reader = self.reader.as_mut()?;
        match reader.next() {
            Some(row) => {
                self.rows += 1;
                if self.rows.is_multiple_of(8192) {
                    // Decoded text can be longer than the file's bytes.
                    self.bar.set_position(reader.bytes_read().min(self.size));
                }
                Some(row.into())
            }
            None => {
                self.bar.finish_and_clear();
                if let Some(reader) = self.reader.take() {
                    self.skipped = reader.skipped();
                    self.problems = reader.into_errors();
                }
                None
            }
        }
    }

    fn problems(&mut self) -> Vec<RowProblem> {
        std::mem::take(&mut self.problems)
            .into_iter()
            .map(RowProblem::from)
            .collect()
    }

    fn has_problems(&self) -> bool {
        self.reader.as_ref().is_some_and(R::has_errors)
    }

    fn rows_hint(&self, rows_read: u64) -> Option<u64> {
        let read = self.reader.as_ref()?.bytes_read();
        (read > 0).then(|| {
            let per_row = read as f64 / rows_read.max(1) as f64;
            (self.size as f64 / per_row) as u64
        })
    }
}

fn orders(context: &Context, path: &Path, dry_run: bool) -> Result<(), CliError> {
    let file = Incoming::new(context, path)?;
    let open = || {
        // A file refused whole (its header, its kind) is refused before a store is made.
        let reader =
            formats::OrdersReader::open(file.reader()?).map_err(|e| file.parse_errors(&e))?;
        let kind = reader.kind().code();
        Ok((reader, kind))
    };
    read_ahead(file.size, open, |kind, rows| {
        import(context, &file, kind, dry_run, |store, source| {
            let summary = store.import_orders_from(source, rows, dry_run)?;
            Ok((summary, Some(rows.skipped)))
        })
    })
}

fn contacts(context: &Context, path: &Path, dry_run: bool) -> Result<(), CliError> {
    let file = Incoming::new(context, path)?;
    let named_vcard = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("vcf") || e.eq_ignore_ascii_case("vcard"));
    let open = || {
        let reader = formats::ContactsReader::open(file.reader()?, named_vcard);
        let kind = reader.kind();
        Ok((reader, kind))
    };
    read_ahead(file.size, open, |kind, rows| {
        import(context, &file, kind, dry_run, |store, source| {
            Ok((store.import_contacts_from(source, rows, dry_run)?, None))
        })
    })
}

/// Rows a reader thread sends at a time, and how many such chunks it may be
/// ahead of the import: about a megabyte of rows, whatever the file's size.
const CHUNK_ROWS: usize = 1024;
const CHUNKS_AHEAD: usize = 4;

/// Runs `run` on the rows of the reader `open` makes, read and parsed on a
/// thread of their own while the import writes the rows before them: the
/// file's parsing and SQLite's writing overlap on two cores. A file `open`
/// refuses is refused before `run` starts (before any store is made).
fn read_ahead<R, Row, T>(
    size: u64,
    open: impl FnOnce() -> Result<(R, &'static str), CliError> + Send,
    run: impl FnOnce(&'static str, &mut ReadAhead<Row>) -> Result<T, CliError>,
) -> Result<T, CliError>
where
    R: RowReader,
    R::Item: Into<Row>,
    Row: Send,
{
    std::thread::scope(|scope| {
        let (opened, kind) = std::sync::mpsc::channel();
        let (chunks, received) = std::sync::mpsc::sync_channel(CHUNKS_AHEAD);
        let reader = scope.spawn(move || {
            let (reader, kind) = match open() {
                Ok(open) => open,
                Err(e) => return drop(opened.send(Err(e))),
            };
            if opened.send(Ok(kind)).is_ok() {
                send_chunks(&mut Streamed::new(reader, size), &chunks);
            }
        });
        let kind = kind.recv();
        let result = match kind {
            Ok(Ok(kind)) => {
                let mut rows = ReadAhead::new(received);
                let result = run(kind, &mut rows);
                // A reader still sending (the import stopped early) stops.
                drop(rows);
                result
            }
            Ok(Err(refused)) => Err(refused),
            // The reader's thread panicked before it opened the file: said below.
            Err(_) => Err(CliError::Failed(String::new())),
        };
        if let Err(panic) = reader.join() {
            std::panic::resume_unwind(panic);
        }
        result
    })
}

/// The reader thread's work: the rows of `file` in chunks, until the file is
/// read or the import no longer takes them.
fn send_chunks<R, Row>(file: &mut Streamed<R>, chunks: &std::sync::mpsc::SyncSender<Chunk<Row>>)
where
    R: RowReader,
    R::Item: Into<Row>,
{
    use crate::store::ImportFile;
    let mut read = 0;
    loop {
        let mut chunk = Chunk {
            rows: Vec::with_capacity(CHUNK_ROWS),
            bad_from: None,
            hint: None,
            end: None,
        };
        while chunk.rows.len() < CHUNK_ROWS {
            let Some(row) = file.next_row() else {
                chunk.end = Some((file.problems(), file.skipped));
                break;
            };
            chunk.rows.push(row);
            read += 1;
            if chunk.bad_from.is_none() && file.has_problems() {
                chunk.bad_from = Some(chunk.rows.len() - 1);
            }
        }
        chunk.hint = file.rows_hint(read);
        let last = chunk.end.is_some();
        if chunks.send(chunk).is_err() || last {
            return;
        }
    }
}

/// Rows of a file read on the reader thread, in file order.
struct Chunk<Row> {
    rows: Vec<Row>,
    /// The first row read once the file had shown a bad row, if any.
    bad_from: Option<usize>,
    /// How many rows the whole file holds, as told after this chunk.
    hint: Option<u64>,
    /// Once the file is read: its problems and the orders it left out.
    end: Option<(Vec<RowProblem>, Skipped)>,
}

/// The import's end of [`read_ahead`]: the rows as the file gives them, as
/// if read here.
pub(super) struct ReadAhead<Row> {
    chunks: std::sync::mpsc::Receiver<Chunk<Row>>,
    rows: std::vec::IntoIter<Row>,
    /// Rows taken from the chunk at hand, and its first read after a bad
    /// row (every chunk after one with a bad row has its first).
    taken: usize,
    bad_from: Option<usize>,
    hint: Option<u64>,
    problems: Vec<RowProblem>,
    /// The orders the file left out, once it is read to its end.
    skipped: Skipped,
    ended: bool,
}

impl<Row> ReadAhead<Row> {
    fn new(chunks: std::sync::mpsc::Receiver<Chunk<Row>>) -> ReadAhead<Row> {
        ReadAhead {
            chunks,
            rows: Vec::new().into_iter(),
            taken: 0,
            bad_from: None,
            hint: None,
            problems: Vec::new(),
            skipped: Skipped::default(),
            ended: false,
        }
    }
}

impl<Row> crate::store::ImportFile<Row> for ReadAhead<Row> {
    fn next_row(&mut self) -> Option<Row> {
        loop {
            if let Some(row) = self.rows.next() {
                self.taken += 1;
                return Some(row);
            }
            if self.ended {
                return None;
            }
            // No more chunks without an end: the reader's thread panicked,
            // which `read_ahead` raises again once the import has stopped.
            let chunk = self.chunks.recv().ok()?;
            self.rows = chunk.rows.into_iter();
            self.taken = 0;
            self.bad_from = chunk.bad_from;
            self.hint = chunk.hint.or(self.hint);
            if let Some((problems, skipped)) = chunk.end {
                self.problems = problems;
                self.skipped = skipped;
                self.ended = true;
            }
        }
    }

    fn problems(&mut self) -> Vec<RowProblem> {
        std::mem::take(&mut self.problems)
    }

    fn has_problems(&self) -> bool {
        self.bad_from.is_some_and(|first| self.taken > first)
    }

    fn rows_hint(&self, _rows_read: u64) -> Option<u64> {
        self.hint
    }
}

/// The one way every import runs: the file's fingerprint first (a file
/// imported before adds nothing), then its rows read and written in one
/// transaction, with a progress bar on a terminal; then one sentence.
fn import(
    context: &Context,
    file: &Incoming,
    kind: &str,
    dry_run: bool,
    write: impl FnOnce(
        &mut Store,
        &ImportSource,
    ) -> Result<(ImportSummary, Option<Skipped>), ImportError>,
) -> Result<(), CliError> {
    let mut target = Target::open(context)?;
    if let Some(batch) = target.store.import_of_file(&file.sha256)? {
        target.discard();
        return say(&format!(
            "{}: already imported as import {batch}; nothing new",
            file.shown
        ));
    }
    let source = file.source(kind, &context.config.default_country);
    match write(&mut target.store, &source) {
        Ok((summary, skipped)) => {
            target.keep(context)?;
            say(&describe(
                &summary,
                &skipped.unwrap_or_default(),
                dry_run,
                &file.shown,
            ))
        }
        Err(e) => {
            target.discard();
            Err(file.import_error(e))
        }
    }
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
    use crate::store::ImportFile;

    /// A reader of `rows` rows, numbered from 1, that leaves out the lines
    /// of `bad` as errors, as the formats' readers do.
    struct Numbers {
        next: usize,
        rows: usize,
        bad: Vec<usize>,
        errors: Vec<RowError>,
    }

    impl Numbers {
        fn new(rows: usize, bad: &[usize]) -> Numbers {
            Numbers {
                next: 1,
                rows,
                bad: bad.to_vec(),
                errors: Vec::new(),
            }
        }
    }

    impl Iterator for Numbers {
        type Item = usize;
        fn next(&mut self) -> Option<usize> {
            while self.next <= self.rows {
                let line = self.next;
                self.next += 1;
                if !self.bad.contains(&line) {
                    return Some(line);
                }
                self.errors.push(RowError::new(line, "n", "bad"));
            }
            None
        }
    }

    impl RowReader for Numbers {
        fn bytes_read(&self) -> u64 {
            self.next as u64 * 10
        }
        fn has_errors(&self) -> bool {
            !self.errors.is_empty()
        }
        fn into_errors(self) -> Vec<RowError> {
            self.errors
        }
    }

    /// Every row a file gives with whether it had shown a bad row by then,
    /// and its problems at the end.
    fn drained(file: &mut dyn ImportFile<usize>) -> (Vec<(usize, bool)>, Vec<usize>) {
        let mut rows = Vec::new();
        while let Some(row) = file.next_row() {
            rows.push((row, file.has_problems()));
        }
        let problems = file.problems().iter().map(|p| p.line).collect();
        (rows, problems)
    }

    #[test]
    fn rows_read_ahead_are_the_rows_read_here() {
        let long = CHUNK_ROWS * CHUNKS_AHEAD * 3 + 7;
        for rows in [0, 1, CHUNK_ROWS - 1, CHUNK_ROWS, CHUNK_ROWS + 1, long] {
            for bad in [
                vec![],
                vec![1],
                vec![rows / 2 + 1, rows / 2 + 2],
                vec![rows],
            ] {
                let bad: Vec<usize> = bad.into_iter().filter(|&b| b >= 1).collect();
                let here = drained(&mut Streamed::new(Numbers::new(rows, &bad), 10));
                let ahead = read_ahead(
                    10,
                    || Ok((Numbers::new(rows, &bad), "numbers")),
                    |kind, file| {
                        assert_eq!(kind, "numbers");
                        Ok(drained(file))
                    },
                )
                .unwrap();
                assert_eq!(ahead, here, "{rows} rows, bad {bad:?}");
            }
        }
    }

    #[test]
    fn an_import_that_stops_early_stops_the_reader_and_a_refused_file_is_refused() {
        let taken = read_ahead(
            10,
            || Ok((Numbers::new(100_000, &[]), "numbers")),
            |_, file: &mut ReadAhead<usize>| Ok((0..10).filter_map(|_| file.next_row()).count()),
        );
        assert_eq!(taken.unwrap(), 10);
        let refused = read_ahead(
            10,
            || Err::<(Numbers, _), _>(CliError::BadInput("not a file".into())),
            |_, _: &mut ReadAhead<usize>| -> Result<(), CliError> { unreachable!() },
        );
        assert!(matches!(refused, Err(CliError::BadInput(m)) if m == "not a file"));
    }

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
