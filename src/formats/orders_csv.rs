//! Orders CSV (SPEC section 7): a header row, columns found by name in
//! English or Finnish; and the shop and payment exports recognised by their
//! header, each read by its own module.

use super::csv_read::{cell, untrimmed};
use super::csv_safe;
use super::order_rows::{OrderRow, OrdersKind, Skipped};
#[cfg(test)]
use super::order_rows::{OrdersFile, finish};
use super::recognise::{Export, recognise};
use super::text::{self, TextError};
use super::{Header, ParseErrors, Records, RowError, blame_unclosed_quote, field, non_empty};

// Column names in English and as a Finnish spreadsheet user writes them.
const CUSTOMER_KEY: [&str; 7] = [
    "customer",
    "customer_id",
    "customer_ref",
    "asiakasnumero",
    "asiakas",
    "email",
    "sähköposti",
];
const DATE: [&str; 5] = ["date", "order_date", "created_at", "päivämäärä", "pvm"];
const AMOUNT: [&str; 5] = ["amount", "total", "dollar_value", "summa", "yhteensä"];
const QUANTITY: [&str; 2] = ["quantity", "määrä"];
const ORDER_ID: [&str; 2] = ["order_id", "tilausnumero"];
const NAME: [&str; 2] = ["name", "nimi"];
const EMAIL: [&str; 2] = ["email", "sähköposti"];
const PHONE: [&str; 2] = ["phone", "puhelin"];
const DISCOUNT: [&str; 2] = ["discount", "alennus"];
const NOTE: [&str; 3] = ["note", "notes", "huomautus"];

/// Column positions of a generic orders file.
struct Columns {
    key: (usize, &'static str),
    date: (usize, &'static str),
    amount: (usize, &'static str),
    quantity: Option<(usize, &'static str)>,
    order_id: Option<usize>,
    name: Option<(usize, &'static str)>,
    email: Option<usize>,
    phone: Option<usize>,
    discount: Option<(usize, &'static str)>,
    note: Option<usize>,
}

impl Columns {
    fn find(header: &Header, line: usize) -> Result<Columns, ParseErrors> {
        let mut missing = Vec::new();
        let mut require = |candidates: &[&'static str], what: &str| {
            let found = header.first_of(candidates);
            if found.is_none() {
                missing.push(RowError::new(
                    line,
                    what,
                    format!(
                        "no such column (expected one of: {})",
                        candidates.join(", ")
                    ),
                ));
            }
            found
        };
        let key = require(&CUSTOMER_KEY, "customer");
        let date = require(&DATE, "date");
        let amount = require(&AMOUNT, "amount");
        match (key, date, amount) {
            (Some(key), Some(date), Some(amount)) => Ok(Columns {
                key,
                date,
                amount,
                quantity: header.first_of(&QUANTITY),
                order_id: header.any(&ORDER_ID),
                // `asiakas` beside `asiakasnumero` is the customer's name.
                name: header.first_of(&NAME).or_else(|| {
                    (key.1 == "asiakasnumero")
                        .then(|| header.first_of(&["asiakas"]))
                        .flatten()
                }),
                email: header.any(&EMAIL),
                phone: header.any(&PHONE),
                discount: header.first_of(&DISCOUNT),
                note: header.any(&NOTE),
            }),
            _ => Err(ParseErrors { errors: missing }),
        }
    }
}

/// Reads an orders file held whole: a shop's or payment service's export when
/// its header says so, else the generic orders CSV. Returns every bad row, or none.
#[cfg(test)]
pub(crate) fn parse_orders(bytes: &[u8]) -> Result<OrdersFile, ParseErrors> {
    let mut reader = OrdersReader::open(bytes)?;
    let rows: Vec<OrderRow> = reader.by_ref().collect();
    let (kind, skipped) = (reader.kind(), reader.skipped());
    finish(kind, rows, skipped, reader.into_errors())
}

/// The orders of a file, read as they are needed: a generic orders CSV row by
/// row, so a file of any size takes the same memory; a shop's export gathered
/// first, since an order's line items may be anywhere in it. The bad rows
/// are kept and handed over at the end ([`OrdersReader::into_errors`]).
pub(crate) struct OrdersReader<'a> {
    kind: OrdersKind,
    source: Source<'a>,
    skipped: Skipped,
    errors: Vec<RowError>,
    /// Bytes of the file read, once it is read ahead or gathered.
    read_ahead: u64,
}

enum Source<'a> {
    Rows(Box<Rows<'a>>),
    Gathered(std::vec::IntoIter<OrderRow>),
    Json(super::json::JsonOrders<'a>),
}

/// A generic orders CSV being read row by row.
struct Rows<'a> {
    records: Records<'a>,
    header: Header,
    columns: Columns,
}

impl<'a> OrdersReader<'a> {
    /// Reads the header, and for a shop's export every row. A file refused
    /// whole (no header, missing columns, an export kanta does not read, not
    /// text) is every error there is.
    pub(crate) fn open(bytes: impl std::io::Read + 'a) -> Result<OrdersReader<'a>, ParseErrors> {
        let (start, whole) = super::sniff(bytes);
        if super::json::looks_like_json(&start) {
            return Ok(OrdersReader {
                kind: OrdersKind::Generic,
                source: Source::Json(super::json::JsonOrders::open(whole)),
                skipped: Skipped::default(),
                errors: Vec::new(),
                read_ahead: 0,
            });
        }
        let mut records = Records::from_reader(whole);
        // The header is the first non-blank record.
        let header_line = match records.next_line() {
            Some(Ok(line)) => line,
            Some(Err(e)) => return Err(ParseErrors::one(e)),
            None => {
                let error = match records.binary_line() {
                    Some(line) => text::not_text(line),
                    None => RowError::new(1, "header", "the file is empty"),
                };
                return Err(ParseErrors::one(error));
            }
        };
        if let Some(line) = records.binary_line() {
            return Err(ParseErrors::one(text::not_text(line)));
        }
        let header = Header::new(records.record.iter());
        let export = recognise(&header);
        if let Some(reason) = export.and_then(Export::refused_as_orders) {
            return Err(ParseErrors::one(RowError::new(
                header_line,
                "header",
                reason,
            )));
        }
        let gathered = match export {
            Some(Export::Shopify) => super::shopify::parse_rows(&mut records, &header, header_line),
            Some(Export::WooCommerce) => super::woocommerce::parse_rows(&mut records, &header),
            Some(Export::Stripe) => super::stripe::parse_rows(&mut records, &header),
            _ => {
                let columns = match Columns::find(&header, header_line) {
                    Ok(columns) => columns,
                    Err(mut missing) => {
                        // A quote left open in the header hides the columns after it.
                        while records.next_line().is_some() {}
                        blame_unclosed_quote(&records, Some(&header), &mut missing.errors);
                        return Err(missing);
                    }
                };
                return Ok(OrdersReader {
                    kind: OrdersKind::Generic,
                    source: Source::Rows(Box::new(Rows {
                        records,
                        header,
                        columns,
                    })),
                    skipped: Skipped::default(),
                    errors: Vec::new(),
                    read_ahead: 0,
                });
            }
        };
        if let Some(line) = records.binary_line() {
            return Err(ParseErrors::one(text::not_text(line)));
        }
        let file = gathered?;
        Ok(OrdersReader {
            kind: file.kind,
            source: Source::Gathered(file.rows.into_iter()),
            skipped: file.skipped,
            errors: Vec::new(),
            read_ahead: records.bytes_read(),
        })
    }

    pub(crate) fn kind(&self) -> OrdersKind {
        self.kind
    }

    /// The orders left out, counted; whole once every row is read.
    pub(crate) fn skipped(&self) -> Skipped {
        self.skipped
    }

    /// Bytes of the file's text read so far, for a progress bar.
    pub(crate) fn bytes_read(&self) -> u64 {
        match &self.source {
            Source::Rows(rows) => rows.records.bytes_read(),
            Source::Gathered(_) => self.read_ahead,
            Source::Json(json) => json.bytes_read(),
        }
    }

    /// Whether a bad row has been met so far.
    pub(crate) fn has_errors(&self) -> bool {
        match &self.source {
            Source::Json(json) => json.has_errors(),
            _ => !self.errors.is_empty(),
        }
    }

    /// Every bad row of the file in file order, once every row is read.
    pub(crate) fn into_errors(mut self) -> Vec<RowError> {
        if let Source::Json(json) = self.source {
            return json.into_errors();
        }
        self.errors.sort_by_key(|e| e.line);
        self.errors
    }
}

impl Iterator for OrdersReader<'_> {
    type Item = OrderRow;

    fn next(&mut self) -> Option<OrderRow> {
        let Rows {
            records,
            header,
            columns,
        } = match &mut self.source {
            Source::Gathered(rows) => return rows.next(),
            Source::Json(json) => return json.next(),
            Source::Rows(rows) => rows.as_mut(),
        };
        while let Some(line) = records.next_line() {
            match line {
                Ok(line) => match parse_row(&records.record, line, columns) {
                    Ok(row) => return Some(row),
                    Err(row_errors) => self.errors.extend(row_errors),
                },
                Err(e) => {
                    self.errors.push(e);
                    break;
                }
            }
            if records.binary_line().is_some() {
                break;
            }
        }
        if let Some(line) = records.binary_line() {
            // No text at all: its rows say nothing.
            self.errors = vec![text::not_text(line)];
        } else {
            blame_unclosed_quote(records, Some(header), &mut self.errors);
        }
        self.source = Source::Gathered(Vec::new().into_iter());
        None
    }
}

fn parse_row(
    record: &csv::ByteRecord,
    line: usize,
    columns: &Columns,
) -> Result<OrderRow, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut fail =
        |column: &str, e: TextError| errors.push(RowError::new(line, column, e.to_string()));

    let key_text = field(record, Some(columns.key.0));
    if key_text.is_empty() {
        fail(columns.key.1, TextError::Empty);
    }
    let date = text::parse_date(field(record, Some(columns.date.0)))
        .map_err(|e| fail(columns.date.1, e))
        .ok();
    let amount = text::parse_cents(field(record, Some(columns.amount.0)))
        .map_err(|e| fail(columns.amount.1, e))
        .ok();
    let (quantity_at, quantity_name) = split(columns.quantity);
    let quantity = text::parse_optional_integer(field(record, quantity_at))
        .map_err(|e| fail(quantity_name, e))
        .ok()
        .flatten();
    let (discount_at, discount_name) = split(columns.discount);
    let discount = text::parse_bool(field(record, discount_at))
        .map_err(|e| fail(discount_name, e))
        .unwrap_or(false);
    let (name_at, name_name) = split(columns.name);
    for (column, index) in [(columns.key.1, Some(columns.key.0)), (name_name, name_at)] {
        if let Some(reason) = csv_safe::formula_risk(cell(record, index)) {
            errors.push(RowError::new(line, column, reason));
        }
    }

    match (date, amount) {
        (Some(date), Some(amount_cents)) if errors.is_empty() => Ok(OrderRow {
            line,
            // Emails are case-insensitive; one spelling keeps one customer.
            customer_key: if EMAIL.contains(&columns.key.1) {
                key_text.to_lowercase()
            } else {
                key_text.to_string()
            },
            date,
            amount_cents,
            quantity,
            order_id: non_empty(field(record, columns.order_id)),
            name: non_empty(field(record, name_at)),
            email: non_empty(field(record, columns.email)),
            phone: non_empty(field(record, columns.phone)),
            discount,
            note: Some(untrimmed(record, columns.note))
                .filter(|n| !n.is_empty())
                .map(str::to_string),
        }),
        _ => Err(errors),
    }
}

/// An optional column's index and name, apart.
fn split(column: Option<(usize, &'static str)>) -> (Option<usize>, &'static str) {
    match column {
        Some((index, name)) => (Some(index), name),
        None => (None, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reads_a_generic_file_with_optional_columns() {
        let file = "\u{feff}Customer , Date,Amount,Quantity,order_id,discount,Email\n\
                    C1,2026-03-14,\"1,234.50\",2,A-1,yes,a@x.fi\n\
                    \n\
                    C2,14.3.2026,12,,,,\n";
        let parsed = parse_orders(file.as_bytes()).unwrap();
        assert_eq!(parsed.kind, OrdersKind::Generic);
        assert_eq!(parsed.rows.len(), 2);
        let first = &parsed.rows[0];
        assert_eq!(first.line, 2);
        assert_eq!(first.customer_key, "C1");
        assert_eq!(first.amount_cents, 123450);
        assert_eq!(first.quantity, Some(2));
        assert_eq!(first.order_id.as_deref(), Some("A-1"));
        assert_eq!(first.email.as_deref(), Some("a@x.fi"));
        assert!(first.discount);
        let second = &parsed.rows[1];
        assert_eq!(second.line, 4);
        assert_eq!(second.date, ymd(2026, 3, 14));
        assert_eq!((second.quantity, second.discount), (None, false));
        assert_eq!(second.email, None);
    }

    #[test]
    fn the_note_is_read_as_written_and_the_guard_comes_off() {
        let file = "customer,date,amount,note\n'=K1,2026-01-02,-5.00,\"  two\nlines \"\nK2,2026-01-03,1,\n";
        let rows = parse_orders(file.as_bytes()).unwrap().rows;
        assert_eq!(rows[0].customer_key, "=K1");
        assert_eq!(rows[0].note.as_deref(), Some("  two\nlines "));
        assert_eq!(rows[1].note, None);
    }

    #[test]
    fn a_file_read_a_byte_at_a_time_reads_the_same() {
        struct Trickle<'a>(&'a [u8]);
        impl std::io::Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = usize::from(!self.0.is_empty() && !buf.is_empty());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let file =
            b"\xEF\xBB\xBFasiakas;pvm;summa\n\nM\xE4ki;1.2.2026;1 234,50\n\"L;x\";3.2.2026;2\n";
        let whole = parse_orders(file).unwrap();
        let mut reader = OrdersReader::open(Trickle(file)).unwrap();
        let rows: Vec<OrderRow> = reader.by_ref().collect();
        assert!(reader.into_errors().is_empty());
        assert_eq!(rows, whole.rows);
        assert_eq!(rows[0].customer_key, "Mäki");
        assert_eq!((rows[0].line, rows[1].line), (3, 4));
    }

    #[test]
    fn finnish_excel_semicolons_and_decimal_commas_in_windows_1252() {
        let mut bytes = b"asiakas;customer;date;amount;name\n".to_vec();
        bytes.extend_from_slice(b"x;K-7;1.2.2026;1 234,50;Liisa M\xE4kinen\n");
        let parsed = parse_orders(&bytes).unwrap();
        let row = &parsed.rows[0];
        assert_eq!(row.customer_key, "K-7");
        assert_eq!(row.amount_cents, 123450);
        assert_eq!(row.date, ymd(2026, 2, 1));
        assert_eq!(row.name.as_deref(), Some("Liisa Mäkinen"));
    }

    #[test]
    fn email_as_key_is_lowercased_and_first_key_column_wins() {
        let parsed = parse_orders(b"email,total,order_date\nAnna@X.fi,5,2026-01-01\n").unwrap();
        assert_eq!(parsed.rows[0].customer_key, "anna@x.fi");
        let parsed =
            parse_orders(b"email,customer_ref,total,order_date\nb@x.fi,R9,5,2026-01-01\n").unwrap();
        assert_eq!(parsed.rows[0].customer_key, "R9");
    }

    #[test]
    fn missing_columns_are_named() {
        let err = parse_orders(b"customer,when,price\nC1,2026-01-01,5\n").unwrap_err();
        assert_eq!(err.errors.len(), 2);
        assert_eq!(
            err.errors[0].to_string(),
            "1: date: no such column (expected one of: date, order_date, created_at, päivämäärä, pvm)"
        );
        assert!(
            err.errors[1]
                .reason
                .contains("amount, total, dollar_value, summa, yhteensä")
        );
        assert!(parse_orders(b"").is_err());
    }

    #[test]
    fn every_bad_row_is_reported() {
        let file = "customer,date,amount,quantity\n\
                    C1,2026-02-30,5,1\n\
                    ,2026-01-01,5,1\n\
                    C3,2026-01-01,12.345,1.5\n\
                    C4,2026-01-01,5,1\n";
        let err = parse_orders(file.as_bytes()).unwrap_err();
        let lines: Vec<String> = err
            .errors
            .iter()
            .map(|e| format!("{}:{}", e.line, e.column))
            .collect();
        assert_eq!(lines, ["2:date", "3:customer", "4:amount", "4:quantity"]);
        let shown = err.display_with_file("orders.csv");
        assert!(
            shown.starts_with("orders.csv:2: date: no such day"),
            "{shown}"
        );
        assert_eq!(shown.lines().count(), 4);
        assert!(err.to_string().starts_with("2: date: "));
    }

    #[test]
    fn a_year_zero_is_named_with_the_other_bad_rows() {
        let file = "customer,date,amount\nN,2023-02-29,0.00\nN,0000-01-01,0.00\n";
        let err = parse_orders(file.as_bytes()).unwrap_err();
        let lines: Vec<usize> = err.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3]);
    }

    #[test]
    fn ragged_rows_and_quoted_newlines_keep_physical_lines() {
        let file =
            "customer,date,amount,name\n\nC1,2026-01-01,5,\"two\nlines\"\n\n\nC2,2026-01-02\n";
        let err = parse_orders(file.as_bytes()).unwrap_err();
        assert_eq!(err.errors, [RowError::new(7, "amount", "empty")]);
    }

    #[test]
    fn finnish_column_names_and_the_customer_beside_its_number() {
        let file = "Asiakasnumero;Asiakas;PVM;Yhteensä;Määrä;Tilausnumero;Alennus\n\
                    A-1;Liisa Mäkinen;5.3.2024;24,90;2;T-1;kyllä\n";
        let row = &parse_orders(file.as_bytes()).unwrap().rows[0];
        assert_eq!(row.customer_key, "A-1");
        assert_eq!(row.name.as_deref(), Some("Liisa Mäkinen"));
        assert_eq!((row.date, row.amount_cents), (ymd(2024, 3, 5), 2490));
        assert_eq!(
            (row.quantity, row.order_id.as_deref()),
            (Some(2), Some("T-1"))
        );
        assert!(row.discount);
        // `asiakas` alone is the key; `sähköposti` as the key is lowercased.
        let only = parse_orders("asiakas,pvm,summa\nLiisa,5.3.2024,1\n".as_bytes()).unwrap();
        assert_eq!(
            (
                only.rows[0].customer_key.as_str(),
                only.rows[0].name.as_deref()
            ),
            ("Liisa", None)
        );
        let by_email =
            parse_orders("Sähköposti;Pvm;Summa\nLiisa@X.fi;5.3.2024;1\n".as_bytes()).unwrap();
        assert_eq!(by_email.rows[0].customer_key, "liisa@x.fi");
        let err = parse_orders("asiakas;pvm;summa;määrä\nL;5.3.2024;1;x\n".as_bytes()).unwrap_err();
        assert_eq!(err.errors[0].column, "määrä");
    }

    #[test]
    fn an_open_quote_is_named_not_the_cell_it_swallows() {
        let file = "customer,date,amount,name\nC1,2026-01-01,5,ok\nC2,2026-01-02,\"7\nC3,x,y,z\n";
        let err = parse_orders(file.as_bytes()).unwrap_err();
        assert_eq!(err.errors.len(), 1, "{err}");
        assert_eq!(
            (err.errors[0].line, err.errors[0].column.as_str()),
            (3, "amount")
        );
        assert!(err.errors[0].reason.contains("never closes"));
        // Bad rows before it are still named; a quote left open in the header too.
        let file = "customer,date,amount\n,2026-01-01,5\nC2,2026-01-02,\"7\n";
        let lines: Vec<usize> = parse_orders(file.as_bytes())
            .unwrap_err()
            .errors
            .iter()
            .map(|e| e.line)
            .collect();
        assert_eq!(lines, [2, 3]);
        let err = parse_orders(b"customer,\"date,amount\nC1,2026-01-01,5\n").unwrap_err();
        assert!(
            err.errors
                .iter()
                .any(|e| e.line == 1 && e.reason.contains("never closes")),
            "{err}"
        );
    }
}
