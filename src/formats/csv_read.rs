//! Reading CSV text record by record, as every CSV reader of `formats` does:
//! columns found by name, physical line numbers, blank lines skipped, and a
//! quote that never closes named as such.

use std::collections::VecDeque;
use std::io::Read;

use super::RowError;

/// The header of a CSV file: its names as written, and lowercased and trimmed
/// with any BOM removed for finding columns.
pub(crate) struct Header {
    names: Vec<String>,
    shown: Vec<String>,
}

impl Header {
    pub(crate) fn new<'a>(fields: impl Iterator<Item = &'a [u8]>) -> Header {
        let shown: Vec<String> = fields
            .map(|f| {
                let text = String::from_utf8_lossy(f);
                text.trim_start_matches('\u{feff}').trim().to_string()
            })
            .collect();
        let names = shown.iter().map(|n| n.to_lowercase()).collect();
        Header { names, shown }
    }

    /// Index and header text of the first of `candidates` present.
    pub(crate) fn first_of(&self, candidates: &[&'static str]) -> Option<(usize, &'static str)> {
        candidates
            .iter()
            .find_map(|c| self.names.iter().position(|n| n == c).map(|i| (i, *c)))
    }

    /// Index of the first of `candidates` present.
    pub(crate) fn any(&self, candidates: &[&str]) -> Option<usize> {
        candidates
            .iter()
            .find_map(|c| self.names.iter().position(|n| n == c))
    }

    pub(crate) fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    pub(crate) fn has_all(&self, names: &[&str]) -> bool {
        names.iter().all(|n| self.index(n).is_some())
    }

    /// Indexes of every column whose lowercased name satisfies `keep`, in file order.
    pub(crate) fn matching(&self, keep: impl Fn(&str) -> bool) -> Vec<usize> {
        self.lowercased()
            .filter(|(_, name)| keep(name))
            .map(|(i, _)| i)
            .collect()
    }

    /// Every column's index and lowercased name, in file order.
    pub(crate) fn lowercased(&self) -> impl Iterator<Item = (usize, &str)> {
        self.names.iter().map(String::as_str).enumerate()
    }

    /// The column's name as the file writes it (its control characters
    /// escaped, since it reaches the terminal), or its number.
    pub(crate) fn shown(&self, index: usize) -> String {
        self.shown
            .get(index)
            .filter(|n| !n.is_empty())
            .map(|n| crate::domain::terminal::terminal_safe(n).into_owned())
            .unwrap_or_else(|| format!("column {}", index + 1))
    }
}

/// A field of a byte record as trimmed text, as the file writes it (with an
/// export's formula guard); a missing field reads as empty.
pub(crate) fn cell(record: &csv::ByteRecord, index: Option<usize>) -> &str {
    index
        .and_then(|i| record.get(i))
        .and_then(|b| std::str::from_utf8(b).ok())
        .map(str::trim)
        .unwrap_or("")
}

/// A field of a byte record as trimmed text with an export's formula guard
/// taken off (`'+358 40 …` is `+358 40 …`); a missing field reads as empty.
pub(crate) fn field(record: &csv::ByteRecord, index: Option<usize>) -> &str {
    super::csv_safe::read_guarded(cell(record, index))
}

/// A field exactly as the file holds it, spaces and line breaks kept (notes),
/// with an export's formula guard taken off.
pub(crate) fn untrimmed(record: &csv::ByteRecord, index: Option<usize>) -> &str {
    let text = index
        .and_then(|i| record.get(i))
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or("");
    super::csv_safe::read_guarded(text)
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

/// How far into a file its header line is looked for, to judge the delimiter.
const HEADER_SEARCH: usize = 1 << 20;

/// The records of a CSV file in file order, blank ones skipped, each with the
/// physical line it starts on. The file is read as it goes, decoded as
/// [`super::text::Decoded`] reads it, so a file of any size takes the same
/// memory. The header is read as an ordinary record so its line is known, and
/// ragged rows do not abort the whole file.
pub(crate) struct Records<'a> {
    reader: csv::Reader<Tracked<Box<dyn Read + 'a>>>,
    /// The record last read.
    pub(crate) record: csv::ByteRecord,
    /// Whether the reader has reached the end of the file.
    done: bool,
}

impl<'a> Records<'a> {
    /// The records of a text held whole.
    #[cfg(test)]
    pub(crate) fn new(text: &'a str) -> Records<'a> {
        Records::from_reader(text.as_bytes())
    }

    /// The records of a file's bytes, read as they are needed.
    pub(crate) fn from_reader(bytes: impl Read + 'a) -> Records<'a> {
        let mut decoded = super::text::Decoded::new(bytes);
        // The delimiter is judged from the header line, so that line is read
        // ahead and handed to the CSV reader first.
        let mut start = Vec::new();
        let mut chunk = [0u8; 8192];
        let mut failed = None;
        while start.len() < HEADER_SEARCH && !has_header_line(&start) {
            match decoded.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => start.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let delimiter = detect_delimiter(&String::from_utf8_lossy(&start));
        let rest: Box<dyn Read + 'a> = match failed {
            // The error comes again from the CSV reader, at its place.
            Some(e) => Box::new(std::io::Cursor::new(start).chain(Failing(Some(e)))),
            None => Box::new(std::io::Cursor::new(start).chain(decoded)),
        };
        Records {
            reader: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(Tracked::new(rest, delimiter)),
            record: csv::ByteRecord::new(),
            done: false,
        }
    }

    /// The line of the next non-blank record, now in `record`; None at the end.
    pub(crate) fn next_line(&mut self) -> Option<Result<usize, RowError>> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(true) => {
                    let line = self.reader.get_mut().next_start();
                    if is_blank(&self.record) {
                        continue;
                    }
                    return Some(Ok(line));
                }
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(csv_error(&e)));
                }
            }
        }
    }

    /// As [`Records::next_line`], for a reader that stops at a broken line:
    /// its problem goes to `errors` and the read ends there.
    pub(crate) fn next_line_or_stop(&mut self, errors: &mut Vec<RowError>) -> Option<usize> {
        match self.next_line()? {
            Ok(line) => Some(line),
            Err(e) => {
                errors.push(e);
                None
            }
        }
    }

    /// The orders of a shop's export, one a key (`key` names the order's
    /// column), in the order they begin: a row whose key was met before is a
    /// further line item of that order, however far from its first row. A
    /// row with no key is the error `empty` at column `shown`.
    pub(crate) fn gather_orders<Order>(
        &mut self,
        key: Option<usize>,
        (shown, empty): (&str, &str),
        errors: &mut Vec<RowError>,
        mut first: impl FnMut(&csv::ByteRecord, usize, &mut Vec<RowError>) -> Order,
        mut further: impl FnMut(&mut Order, &csv::ByteRecord, usize, &mut Vec<RowError>),
    ) -> Vec<Order> {
        let mut orders: Vec<Order> = Vec::new();
        let mut by_key: std::collections::HashMap<String, usize> = Default::default();
        while let Some(line) = self.next_line_or_stop(errors) {
            let record = &self.record;
            let order_key = field(record, key);
            if order_key.is_empty() {
                errors.push(RowError::new(line, shown, empty));
                continue;
            }
            match by_key.get(order_key) {
                Some(&i) => further(&mut orders[i], record, line, errors),
                None => {
                    by_key.insert(order_key.to_string(), orders.len());
                    orders.push(first(record, line, errors));
                }
            }
        }
        orders
    }

    /// The first line holding a NUL byte, read so far: such a file is no text.
    pub(crate) fn binary_line(&self) -> Option<usize> {
        self.reader.get_ref().nul_line
    }

    /// Bytes of decoded text read so far (for a progress bar).
    pub(crate) fn bytes_read(&self) -> u64 {
        self.reader.get_ref().bytes
    }

    /// Once the records are read: the quote that opens a field and never
    /// closes. Such a field runs to the end of the file, so it can only be in
    /// the last record; the cell it swallowed would otherwise be blamed for
    /// being a bad amount or date. Returns the error and the line its record
    /// starts on, from which every other error of the file is void.
    pub(crate) fn unterminated_quote(&self, header: Option<&Header>) -> Option<(RowError, usize)> {
        if !self.done {
            return None;
        }
        let tracked = self.reader.get_ref();
        if tracked.state != Grammar::Quoted {
            return None;
        }
        let (line, field, record_line) = tracked.opened;
        let column = match header {
            Some(h) => h.shown(field),
            None => format!("column {}", field + 1),
        };
        let error = RowError::new(
            line,
            column,
            "a quote (\") opens a cell here and never closes, so the rest of the file \
             would be read as this one cell; close the quote or remove it",
        );
        Some((error, record_line))
    }
}

/// Whether `text` holds a whole line with something on it.
fn has_header_line(text: &[u8]) -> bool {
    let mut content = false;
    for &b in text {
        match b {
            b'\n' if content => return true,
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => content = true,
        }
    }
    false
}

/// A read that fails once with the error it holds.
struct Failing(Option<std::io::Error>);

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// Where the bytes stand in the CSV grammar, read as the csv crate reads: a
/// quote opens a field only at its start, `""` inside it is a quote, and text
/// after the closing quote belongs to the same field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grammar {
    /// Before a record: blank lines are skipped here.
    RecordStart,
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// The bytes on their way to the CSV reader, watched: the physical line each
/// record starts on (the csv crate's own count leaves out blank lines), the
/// quote still open at the end, and the first NUL byte. The CSV reader reads
/// ahead, so the lines of records it has not handed out yet wait in a queue.
struct Tracked<R> {
    inner: R,
    delimiter: u8,
    /// The physical line of the next byte.
    line: usize,
    state: Grammar,
    field: usize,
    /// Start lines of records read but not yet handed out.
    starts: VecDeque<usize>,
    /// The line the record being read starts on.
    record_line: usize,
    /// Line and field of the last quote that opened a field, and its record's line.
    opened: (usize, usize, usize),
    nul_line: Option<usize>,
    bytes: u64,
}

impl<R: Read> Tracked<R> {
    fn new(inner: R, delimiter: u8) -> Tracked<R> {
        Tracked {
            inner,
            delimiter,
            line: 1,
            state: Grammar::RecordStart,
            field: 0,
            starts: VecDeque::new(),
            record_line: 1,
            opened: (1, 0, 1),
            nul_line: None,
            bytes: 0,
        }
    }

    /// The start line of the record the CSV reader handed out last.
    fn next_start(&mut self) -> usize {
        self.starts.pop_front().unwrap_or(self.record_line)
    }

    fn watch(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b == 0 && self.nul_line.is_none() {
                self.nul_line = Some(self.line);
            }
            let newline = b == b'\n' || b == b'\r';
            if self.state == Grammar::RecordStart {
                if newline {
                    self.line += usize::from(b == b'\n');
                    continue;
                }
                self.record_line = self.line;
                self.starts.push_back(self.line);
                self.field = 0;
                self.state = Grammar::FieldStart;
            }
            let outside = matches!(
                self.state,
                Grammar::FieldStart | Grammar::Unquoted | Grammar::QuoteInQuoted
            );
            self.state = match self.state {
                _ if outside && b == self.delimiter => {
                    self.field += 1;
                    Grammar::FieldStart
                }
                _ if outside && newline => Grammar::RecordStart,
                Grammar::FieldStart if b == b'"' => {
                    self.opened = (self.line, self.field, self.record_line);
                    Grammar::Quoted
                }
                Grammar::FieldStart | Grammar::Unquoted => Grammar::Unquoted,
                Grammar::Quoted if b == b'"' => Grammar::QuoteInQuoted,
                Grammar::Quoted => Grammar::Quoted,
                Grammar::QuoteInQuoted if b == b'"' => Grammar::Quoted,
                Grammar::QuoteInQuoted | Grammar::RecordStart => Grammar::Unquoted,
            };
            self.line += usize::from(b == b'\n');
        }
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.watch(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

pub(crate) fn csv_error(e: &csv::Error) -> RowError {
    let line = e
        .position()
        .map(|p| usize::try_from(p.line()).unwrap_or(usize::MAX))
        .unwrap_or(0);
    RowError::new(line, "file", format!("unreadable CSV: {e}"))
}

/// Drops what the records from `from_line` on said and puts the unclosed
/// quote in their place: those records are one swallowed cell, not rows.
pub(crate) fn blame_unclosed_quote(
    records: &Records<'_>,
    header: Option<&Header>,
    errors: &mut Vec<RowError>,
) -> bool {
    match records.unterminated_quote(header) {
        Some((error, from_line)) => {
            errors.retain(|e| e.line < from_line);
            errors.push(error);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the quote still open at the end of `text` opens: its line and field.
    fn quote_of(text: &str) -> Option<(usize, usize)> {
        let mut records = Records::new(text);
        while records.next_line().is_some() {}
        records.unterminated_quote(None).map(|(e, _)| {
            (
                e.line,
                e.column
                    .trim_start_matches("column ")
                    .parse::<usize>()
                    .unwrap()
                    - 1,
            )
        })
    }

    #[test]
    fn an_open_quote_is_found_where_it_opens() {
        assert_eq!(quote_of("a,\"b\nc,d\n"), Some((1, 1)));
        assert_eq!(quote_of("a,\"b\"\"c\"\nd,\"e"), Some((2, 1)));
        // Closed, doubled, mid-field (literal) and after a closing quote.
        assert_eq!(quote_of("a,\"b\nc\",d\n"), None);
        assert_eq!(quote_of("a,\"\"\n"), None);
        assert_eq!(quote_of("a,b\"c,d\n"), None);
        assert_eq!(quote_of("a,\"b\"c\"d\n"), None);
        assert_eq!(quote_of("\"x"), Some((1, 0)));
    }

    #[test]
    fn records_know_their_physical_lines_however_the_file_is_cut() {
        let text = "\n\na,b\r\n\r\n\"x\ny\",2\n  \n,\n\nlast,\"q\"\"\"";
        let mut records = Records::new(text);
        let mut lines = Vec::new();
        while let Some(line) = records.next_line() {
            lines.push(line.unwrap());
        }
        assert_eq!(lines, [3, 5, 10]);
        // The same read through a pipe that hands out a byte at a time.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = usize::from(!self.0.is_empty() && !buf.is_empty());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut records = Records::from_reader(Trickle(text.as_bytes()));
        let mut trickled = Vec::new();
        while let Some(line) = records.next_line() {
            trickled.push(line.unwrap());
        }
        assert_eq!(trickled, lines);
        let mut records = Records::new("a;b\nx\0y;z\n");
        while records.next_line().is_some() {}
        assert_eq!(records.binary_line(), Some(2));
    }

    #[test]
    fn the_csv_crate_reads_an_open_quote_to_the_end_without_an_error() {
        // The premise of `unterminated_quote`: nothing else would say it.
        let text = "customer,date,amount\nC1,2026-01-01,\"12.50\nC2,2026-01-02,5\n";
        let mut records = Records::new(text);
        let mut lines = Vec::new();
        while let Some(line) = records.next_line() {
            lines.push(line.unwrap());
        }
        assert_eq!(lines, [1, 2]);
        let header = Header::new(["customer", "date", "Amount"].iter().map(|s| s.as_bytes()));
        let (error, from) = records.unterminated_quote(Some(&header)).unwrap();
        assert_eq!((error.line, error.column.as_str(), from), (2, "Amount", 2));
        assert!(error.reason.contains("never closes"), "{}", error.reason);
    }

    #[test]
    fn a_closed_last_record_has_no_open_quote() {
        let mut records = Records::new("a,b\n\"x\ny\",2\n\n");
        while records.next_line().is_some() {}
        assert!(records.unterminated_quote(None).is_none());
    }
}
