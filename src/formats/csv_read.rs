//! Reading CSV text record by record, as every CSV reader of `formats` does:
//! columns found by name, physical line numbers, blank lines skipped, and a
//! quote that never closes named as such.

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

/// The records of a CSV text in file order, blank ones skipped, each with the
/// physical line it starts on. The header is read as an ordinary record so its
/// line is known, and ragged rows do not abort the whole file.
pub(crate) struct Records<'t> {
    text: &'t str,
    reader: csv::Reader<&'t [u8]>,
    lines: LineCounter<'t>,
    delimiter: u8,
    /// The record last read.
    pub(crate) record: csv::ByteRecord,
    /// Byte and line where the record last read starts.
    last: Option<(usize, usize)>,
}

impl<'t> Records<'t> {
    pub(crate) fn new(text: &'t str) -> Records<'t> {
        let delimiter = detect_delimiter(text);
        Records {
            text,
            reader: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(text.as_bytes()),
            lines: LineCounter::new(text),
            delimiter,
            record: csv::ByteRecord::new(),
            last: None,
        }
    }

    /// The line of the next non-blank record, now in `record`; None at the end.
    pub(crate) fn next_line(&mut self) -> Option<Result<usize, RowError>> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(true) if is_blank(&self.record) => continue,
                Ok(true) => {
                    let line = self.lines.line_of(&self.record);
                    self.last = Some((self.lines.byte, line));
                    return Some(Ok(line));
                }
                Ok(false) => return None,
                Err(e) => return Some(Err(csv_error(&e))),
            }
        }
    }

    /// Once the records are read: the quote that opens a field and never
    /// closes. Such a field runs to the end of the file, so it can only be in
    /// the last record; the cell it swallowed would otherwise be blamed for
    /// being a bad amount or date. Returns the error and the line its record
    /// starts on, from which every other error of the file is void.
    pub(crate) fn unterminated_quote(&self, header: Option<&Header>) -> Option<(RowError, usize)> {
        let (start, record_line) = self.last?;
        let (offset, field) =
            open_quote_at_end(self.text.as_bytes().get(start..)?, self.delimiter)?;
        let line = record_line
            + self.text.as_bytes()[start..start + offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
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

/// Where a field opened with `"` that is still open at the end of `text`
/// begins (its byte offset and field number in its record), read as the csv
/// crate reads: a quote opens a field only at its start, `""` inside it is a
/// quote, and text after the closing quote belongs to the same field.
fn open_quote_at_end(text: &[u8], delimiter: u8) -> Option<(usize, usize)> {
    #[derive(Clone, Copy)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut field = 0;
    let mut opened = (0, 0);
    for (i, &b) in text.iter().enumerate() {
        let outside = matches!(
            state,
            State::FieldStart | State::Unquoted | State::QuoteInQuoted
        );
        state = match state {
            _ if outside && b == delimiter => {
                field += 1;
                State::FieldStart
            }
            _ if outside && (b == b'\n' || b == b'\r') => {
                field = 0;
                State::FieldStart
            }
            State::FieldStart if b == b'"' => {
                opened = (i, field);
                State::Quoted
            }
            State::FieldStart | State::Unquoted => State::Unquoted,
            State::Quoted if b == b'"' => State::QuoteInQuoted,
            State::Quoted => State::Quoted,
            State::QuoteInQuoted if b == b'"' => State::Quoted,
            State::QuoteInQuoted => State::Unquoted,
        };
    }
    matches!(state, State::Quoted).then_some(opened)
}

pub(crate) fn csv_error(e: &csv::Error) -> RowError {
    let line = e
        .position()
        .map(|p| usize::try_from(p.line()).unwrap_or(usize::MAX))
        .unwrap_or(0);
    RowError::new(line, "file", format!("unreadable CSV: {e}"))
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

    fn quote_of(text: &str) -> Option<(usize, usize)> {
        open_quote_at_end(text.as_bytes(), b',')
    }

    #[test]
    fn an_open_quote_is_found_where_it_opens() {
        assert_eq!(quote_of("a,\"b\nc,d\n"), Some((2, 1)));
        assert_eq!(quote_of("a,\"b\"\"c\"\nd,\"e"), Some((11, 1)));
        // Closed, doubled, mid-field (literal) and after a closing quote.
        assert_eq!(quote_of("a,\"b\nc\",d\n"), None);
        assert_eq!(quote_of("a,\"\"\n"), None);
        assert_eq!(quote_of("a,b\"c,d\n"), None);
        assert_eq!(quote_of("a,\"b\"c\"d\n"), None);
        assert_eq!(quote_of("\"x"), Some((0, 0)));
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
