//! `kanta export contacts|orders`: every field kanta holds, in the columns
//! the imports read, so an export imported into an empty store exports again
//! byte for byte. Rows are written as they are read from the store, so an
//! export of any size takes the same memory.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::args::{ExportArgs, ExportFormat, ExportKind};
use super::{CliError, Context};
use crate::domain::Source;
use crate::domain::money::format_cents;
use crate::domain::terminal::{json_terminal_safe, terminal_safe_lines};
use crate::formats::{ContactRow, JsonContact, join_list, push_vcard4};
use crate::report::render::csv_text;
use crate::store::{OrderListing, Store, StoreError};

pub(crate) fn run(context: &Context, args: &ExportArgs) -> Result<(), CliError> {
    if args.kind == ExportKind::Orders && args.format == ExportFormat::Vcard {
        return Err(CliError::BadInput(
            "orders cannot be written as vCard; use --format csv or json".into(),
        ));
    }
    if let Some(output) = &args.output
        && crate::store::copies::is_part_of_store(&context.store_path, output)
    {
        return Err(CliError::BadInput(format!(
            "{} is the store {} itself (or its journal); choose another --output",
            output.display(),
            context.store_path.display()
        )));
    }
    let store = context.open_store()?;
    let mut sink = Sink::open(args.output.as_deref())?;
    write_export(&store, args.kind, args.format, &mut |text| sink.write(text))?;
    sink.finish()
}

/// Writes an export to `out`, piece by piece, each piece ending where a row ends.
pub(super) fn write_export(
    store: &Store,
    kind: ExportKind,
    format: ExportFormat,
    out: &mut dyn FnMut(&str) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    match (kind, format) {
        (ExportKind::Orders, ExportFormat::Csv) => {
            let mut rows = CsvRows::new(&ORDER_COLUMNS)?;
            out(&rows.header)?;
            store.each_order(|o| out(&rows.row(&order_cells(&o))?))
        }
        (ExportKind::Contacts, ExportFormat::Csv) => {
            let mut rows = CsvRows::new(&CONTACT_COLUMNS)?;
            out(&rows.header)?;
            store.each_contact(|c| out(&rows.row(&contact_cells(&c))?))
        }
        (ExportKind::Orders, ExportFormat::Json) => {
            let mut array = JsonArray::default();
            store.each_order(|o| out(&array.element(&o)?))?;
            out(&array.end())
        }
        (ExportKind::Contacts, ExportFormat::Json) => {
            let mut array = JsonArray::default();
            store.each_contact(|c| out(&array.element(&JsonContact::from(&c))?))?;
            out(&array.end())
        }
        (ExportKind::Contacts, ExportFormat::Vcard) => store.each_contact(|c| {
            let mut card = String::new();
            push_vcard4(&mut card, &c);
            out(&card)
        }),
        (ExportKind::Orders, ExportFormat::Vcard) => Err(ExportError(CliError::BadInput(
            "orders cannot be written as vCard; use --format csv or json".into(),
        ))),
    }
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> ExportError {
        ExportError(e.into())
    }
}

/// An error of an export: the store's, or writing the output.
pub(super) struct ExportError(CliError);

impl From<ExportError> for CliError {
    fn from(e: ExportError) -> CliError {
        e.0
    }
}

impl From<CliError> for ExportError {
    fn from(e: CliError) -> ExportError {
        ExportError(e)
    }
}

/// Where an export goes: a private file, written beside its place and renamed
/// over it once whole (a full disk never leaves half a file); or standard
/// output, exactly for a pipe, escaped as the dashboard shows text for a terminal.
enum Sink {
    File {
        file: std::io::BufWriter<std::fs::File>,
        partial: Partial,
        path: PathBuf,
    },
    Stdout {
        /// Buffered: Rust's standard output alone writes at every line break.
        out: std::io::BufWriter<std::io::StdoutLock<'static>>,
        terminal: bool,
        /// The reader closed the pipe (`| head`): the rest goes nowhere.
        closed: bool,
    },
}

/// A file written beside its place; removed unless it is put in place.
struct Partial(Option<PathBuf>);

impl Drop for Partial {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Sink {
    fn open(output: Option<&Path>) -> Result<Sink, ExportError> {
        use std::io::IsTerminal;
        let Some(output) = output else {
            let out = std::io::stdout().lock();
            let terminal = out.is_terminal();
            return Ok(Sink::Stdout {
                out: std::io::BufWriter::with_capacity(256 * 1024, out),
                terminal,
                closed: false,
            });
        };
        let path = crate::store::copies::through_links(output);
        let failed = |e: std::io::Error| {
            ExportError(CliError::BadInput(format!(
                "cannot write {}: {e}",
                output.display()
            )))
        };
        let partial = crate::store::copies::partial_path(&path).map_err(failed)?;
        let _ = std::fs::remove_file(&partial);
        let file = crate::store::copies::create_private(&partial).map_err(failed)?;
        Ok(Sink::File {
            file: std::io::BufWriter::with_capacity(256 * 1024, file),
            partial: Partial(Some(partial)),
            path,
        })
    }

    /// Writes text that ends where a row ends.
    fn write(&mut self, text: &str) -> Result<(), ExportError> {
        match self {
            Sink::File { file, path, .. } => file.write_all(text.as_bytes()).map_err(|e| {
                ExportError(CliError::BadInput(format!(
                    "cannot write {}: {e}",
                    path.display()
                )))
            }),
            Sink::Stdout {
                out,
                terminal,
                closed,
            } => {
                if *closed {
                    return Ok(());
                }
                let text = if *terminal {
                    terminal_safe_lines(text)
                } else {
                    std::borrow::Cow::Borrowed(text)
                };
                match out.write_all(text.as_bytes()) {
                    // A closed pipe is the reader's choice, not an error.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                        *closed = true;
                        Ok(())
                    }
                    Err(e) => Err(ExportError(CliError::Failed(format!(
                        "cannot write the output: {e}"
                    )))),
                    Ok(()) => Ok(()),
                }
            }
        }
    }

    fn finish(self) -> Result<(), CliError> {
        match self {
            Sink::File {
                file,
                mut partial,
                path,
            } => {
                let failed = |e: std::io::Error| {
                    CliError::BadInput(format!("cannot write {}: {e}", path.display()))
                };
                let file = file.into_inner().map_err(|e| failed(e.into_error()))?;
                file.sync_all().map_err(failed)?;
                drop(file);
                let Some(written) = partial.0.take() else {
                    return Ok(());
                };
                std::fs::rename(&written, &path).map_err(|e| {
                    let _ = std::fs::remove_file(&written);
                    failed(e)
                })
            }
            Sink::Stdout {
                mut out, closed, ..
            } => match out.flush() {
                Err(e) if !closed && e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(CliError::Failed(format!("cannot write the output: {e}")))
                }
                _ => Ok(()),
            },
        }
    }
}

/// CSV rows, each written whole with its line end, every cell guarded
/// against running as a formula in a spreadsheet.
struct CsvRows {
    writer: csv::Writer<RowBuffer>,
    written: RowBuffer,
    header: String,
}

/// What the CSV writer wrote, taken out row by row.
#[derive(Clone, Default)]
struct RowBuffer(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for RowBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn csv_failed(e: impl std::fmt::Display) -> ExportError {
    ExportError(CliError::Failed(format!("cannot write CSV: {e}")))
}

impl CsvRows {
    fn new(columns: &[&str]) -> Result<CsvRows, ExportError> {
        let written = RowBuffer::default();
        let mut rows = CsvRows {
            writer: csv::Writer::from_writer(written.clone()),
            written,
            header: String::new(),
        };
        rows.header = rows.row(&columns.iter().map(|c| (*c).to_string()).collect::<Vec<_>>())?;
        Ok(rows)
    }

    fn row(&mut self, cells: &[String]) -> Result<String, ExportError> {
        self.writer
            .write_record(cells.iter().map(|cell| csv_text(cell)))
            .map_err(csv_failed)?;
        self.writer.flush().map_err(csv_failed)?;
        let bytes = std::mem::take(&mut *self.written.0.borrow_mut());
        String::from_utf8(bytes).map_err(csv_failed)
    }
}

/// A JSON array written one element at a time, laid out as
/// `serde_json::to_string_pretty` lays out the whole array.
#[derive(Default)]
struct JsonArray {
    elements: u64,
}

impl JsonArray {
    fn element(&mut self, value: &impl serde::Serialize) -> Result<String, ExportError> {
        let text = serde_json::to_string_pretty(value)
            .map_err(|e| ExportError(CliError::Failed(format!("cannot write JSON: {e}"))))?;
        let mut out = String::with_capacity(text.len() + 64);
        out.push_str(if self.elements == 0 { "[\n" } else { ",\n" });
        // A JSON text holds no raw line break inside a string.
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str("  ");
            out.push_str(line);
        }
        self.elements += 1;
        Ok(json_terminal_safe(&out).into_owned())
    }

    fn end(&self) -> String {
        if self.elements == 0 {
            "[]\n".into()
        } else {
            "\n]\n".into()
        }
    }
}

/// Cents as currency units with a decimal point, the way the orders import reads them.
fn units(cents: i64) -> String {
    format_cents(cents, "", Some('.'))
}

/// The columns of the orders import, so an export imports back as is.
const ORDER_COLUMNS: [&str; 7] = [
    "customer", "date", "amount", "quantity", "order_id", "discount", "note",
];

fn order_cells(o: &OrderListing) -> Vec<String> {
    vec![
        o.customer.clone(),
        o.date.clone(),
        units(o.amount_cents),
        o.quantity.map(|q| q.to_string()).unwrap_or_default(),
        o.order_id.clone().unwrap_or_default(),
        if o.discount { "yes" } else { "" }.to_string(),
        o.note.clone().unwrap_or_default(),
    ]
}

/// The columns of the contacts import; lists joined with `; `.
const CONTACT_COLUMNS: [&str; 15] = [
    "ref",
    "name",
    "company",
    "email",
    "phone",
    "address",
    "city",
    "tags",
    "source",
    "referred_by",
    "marketing_consent",
    "prospect",
    "advocate",
    "contact_every_days",
    "notes",
];

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_string()
}

fn contact_cells(c: &ContactRow) -> Vec<String> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let flag = |value: Option<bool>| yes_no(value.unwrap_or(false));
    vec![
        text(&c.reference),
        text(&c.name),
        text(&c.company),
        join_list(&c.emails),
        join_list(&c.phones),
        text(&c.address),
        text(&c.city),
        join_list(&c.tags),
        c.source.map(Source::code).unwrap_or_default().to_string(),
        text(&c.referred_by),
        flag(c.marketing_consent),
        flag(c.prospect),
        flag(c.advocate),
        c.contact_every_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
        text(&c.notes),
    ]
}

#[cfg(test)]
#[path = "export_round_trip_tests.rs"]
mod round_trip_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_units() {
        assert_eq!(units(1250), "12.50");
        assert_eq!(units(-5), "-0.05");
        assert_eq!(units(0), "0.00");
    }

    #[test]
    fn orders_csv_defuses_formulas_and_quotes() {
        let order = OrderListing {
            customer: "=HYPERLINK(\"x\")".into(),
            date: "2026-01-02".into(),
            amount_cents: -1999,
            quantity: Some(2),
            order_id: None,
            discount: true,
            note: Some("a, b".into()),
        };
        let mut rows = CsvRows::new(&ORDER_COLUMNS).ok().unwrap();
        assert_eq!(
            rows.header,
            "customer,date,amount,quantity,order_id,discount,note\n"
        );
        assert_eq!(
            rows.row(&order_cells(&order)).ok().unwrap(),
            "\"'=HYPERLINK(\"\"x\"\")\",2026-01-02,-19.99,2,,yes,\"a, b\"\n"
        );
    }

    #[test]
    fn a_json_array_written_piece_by_piece_is_laid_out_as_a_whole_one() {
        let orders: Vec<OrderListing> = (0..3)
            .map(|i| OrderListing {
                customer: format!("K{i}"),
                date: "2026-01-02".into(),
                amount_cents: i,
                quantity: None,
                order_id: Some("\u{202e}".into()),
                discount: false,
                note: Some("two\nlines".into()),
            })
            .collect();
        for n in 0..=orders.len() {
            let mut array = JsonArray::default();
            let mut text = String::new();
            for order in &orders[..n] {
                text.push_str(&array.element(order).ok().unwrap());
            }
            text.push_str(&array.end());
            let whole = serde_json::to_string_pretty(&orders[..n]).unwrap();
            assert_eq!(text, format!("{}\n", json_terminal_safe(&whole)));
        }
    }
}
