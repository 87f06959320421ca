//! Reading vCard 2.1, 3.0 and 4.0 contacts: phone exports (Android, Nokia,
//! iPhone) and Google Contacts.

use std::borrow::Cow;

use crate::domain::Source;

use super::text;
use super::{ContactRow, RowError, non_empty};
#[cfg(test)]
use super::{ContactsRead, ParseErrors};

/// One unfolded content line and the physical line it began on.
struct Logical {
    line: usize,
    text: String,
}

fn is_quoted_printable(name_part: &str) -> bool {
    name_part.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

/// The content lines of a vCard file, read as they are needed: folded lines
/// joined (3.0/4.0: a line starting with a space or tab continues the
/// previous one) and quoted-printable soft line breaks too (2.1: a line
/// ending in `=`). One physical line is read ahead, to see whether it continues.
struct Unfolded<R> {
    input: R,
    /// The physical line read ahead, and its number.
    ahead: Option<(usize, String)>,
    lines_read: usize,
    /// The first line holding a NUL byte: then the file is no text.
    nul_line: Option<usize>,
    /// An error reading the file, and where.
    failed: Option<(usize, String)>,
    bytes: u64,
}

impl<R: std::io::BufRead> Unfolded<R> {
    fn new(input: R) -> Unfolded<R> {
        let mut unfolded = Unfolded {
            input,
            ahead: None,
            lines_read: 0,
            nul_line: None,
            failed: None,
            bytes: 0,
        };
        unfolded.ahead = unfolded.physical();
        unfolded
    }

    /// The next physical line without its line break, and its number.
    fn physical(&mut self) -> Option<(usize, String)> {
        if self.nul_line.is_some() || self.failed.is_some() {
            return None;
        }
        let mut bytes = Vec::new();
        match self.input.read_until(b'\n', &mut bytes) {
            Ok(0) => return None,
            Ok(n) => self.bytes += n as u64,
            Err(e) => {
                self.failed = Some((self.lines_read + 1, e.to_string()));
                return None;
            }
        }
        self.lines_read += 1;
        if bytes.contains(&0) {
            self.nul_line = Some(self.lines_read);
            return None;
        }
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
        }
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        // The bytes come decoded, as UTF-8.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Some((self.lines_read, text))
    }
}

impl<R: std::io::BufRead> Iterator for Unfolded<R> {
    type Item = Logical;

    fn next(&mut self) -> Option<Logical> {
        loop {
            let (line, text) = self.ahead.take()?;
            self.ahead = self.physical();
            if text.trim().is_empty() {
                continue;
            }
            let mut logical = Logical { line, text };
            loop {
                if soft_break(&logical.text) {
                    match self.ahead.take() {
                        Some((_, next)) => {
                            logical.text.pop();
                            logical.text.push_str(&next);
                            self.ahead = self.physical();
                            continue;
                        }
                        None => break,
                    }
                }
                match &self.ahead {
                    Some((_, next)) if next.starts_with([' ', '\t']) => {
                        logical.text.push_str(&next[1..]);
                        self.ahead = self.physical();
                    }
                    _ => break,
                }
            }
            return Some(logical);
        }
    }
}

fn soft_break(logical: &str) -> bool {
    logical.ends_with('=')
        && logical
            .split_once(':')
            .is_some_and(|(name, _)| is_quoted_printable(name))
}

/// A content line: `[group.]NAME;PARAM=..;PARAM:value`.
struct Property<'a> {
    name: String,
    params: Vec<(String, &'a str)>,
    value: &'a str,
}

/// Splits on `sep` outside double quotes.
fn split_unquoted(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == sep && !quoted {
            parts.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

fn parse_property(line: &str) -> Option<Property<'_>> {
    let mut quoted = false;
    let colon = line.char_indices().find_map(|(i, c)| {
        if c == '"' {
            quoted = !quoted;
        }
        (c == ':' && !quoted).then_some(i)
    })?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let pieces = split_unquoted(head, ';');
    let full_name = pieces.first().copied().unwrap_or("");
    // iPhone groups related lines: `item1.EMAIL`, `item1.X-ABLabel`.
    let name = full_name
        .rsplit('.')
        .next()
        .unwrap_or(full_name)
        .trim()
        .to_ascii_uppercase();
    let params = pieces
        .iter()
        .skip(1)
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_uppercase(), v.trim().trim_matches('"')),
            // vCard 2.1 writes bare values: `TEL;CELL;ENCODING...`, `QUOTED-PRINTABLE`.
            None => ("TYPE".to_string(), p.trim()),
        })
        .collect();
    Some(Property {
        name,
        params,
        value,
    })
}

impl Property<'_> {
    fn param_is(&self, key: &str, value: &str) -> bool {
        self.params
            .iter()
            .any(|(k, v)| (k == key || k == "TYPE") && v.eq_ignore_ascii_case(value))
    }

    fn param(&self, key: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    fn is_binary(&self) -> bool {
        ["BASE64", "B"].iter().any(|v| self.param_is("ENCODING", v))
    }

    /// The value with any quoted-printable encoding and charset undone; still
    /// escaped (`\,` `\;` `\n`).
    fn decoded(&self) -> Cow<'_, str> {
        if !self.param_is("ENCODING", "QUOTED-PRINTABLE") {
            return Cow::Borrowed(self.value);
        }
        let bytes = decode_quoted_printable(self.value);
        let encoding = self
            .param("CHARSET")
            .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
            .unwrap_or(encoding_rs::UTF_8);
        if encoding == encoding_rs::UTF_8 {
            Cow::Owned(text::decode(&bytes).into_owned())
        } else {
            Cow::Owned(encoding.decode_without_bom_handling(&bytes).0.into_owned())
        }
    }
}

fn hex(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

fn decode_quoted_printable(value: &str) -> Vec<u8> {
    let b = value.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let pair = b
            .get(i + 1)
            .copied()
            .and_then(hex)
            .zip(b.get(i + 2).copied().and_then(hex));
        match (b[i], pair) {
            (b'=', Some((high, low))) => {
                out.push(high * 16 + low);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// Splits a structured value on unescaped `sep` and unescapes each component.
fn components(value: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => current.push('\n'),
                Some(other @ (',' | ';' | '\\' | ':')) => current.push(other),
                // Not an escape vCard defines: keep the backslash as written.
                Some(other) => {
                    current.push('\\');
                    current.push(other);
                }
                None => current.push('\\'),
            }
        } else if c == sep {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    parts
}

fn unescape(value: &str) -> String {
    components(value, '\u{0}').concat()
}

/// A card being read, with what only its end can decide.
struct Card {
    contact: ContactRow,
    n_name: Option<String>,
    /// Written by kanta's own export (its `PRODID`).
    kantas_own: bool,
}

/// Reads every card of a `.vcf` file. Returns every bad card, or none.
#[cfg(test)]
pub(crate) fn parse_vcards(bytes: &[u8]) -> Result<Vec<ContactRow>, ParseErrors> {
    read_vcards(bytes).into_result()
}

/// Reads every card of a `.vcf` file, bad ones included, with every problem.
#[cfg(test)]
pub(crate) fn read_vcards(bytes: &[u8]) -> ContactsRead {
    let mut reader = VcardReader::open(bytes);
    let rows = reader.by_ref().collect();
    ContactsRead {
        rows,
        errors: reader.into_errors(),
    }
}

/// The cards of a `.vcf` file, read as they are needed, so a file of any size
/// takes the same memory. Every card comes out, bad ones too (their bad
/// fields left out); the problems are handed over at the end.
pub(crate) struct VcardReader<'a> {
    lines: Unfolded<std::io::BufReader<text::Decoded<Box<dyn std::io::Read + 'a>>>>,
    card: Option<Card>,
    saw_begin: bool,
    errors: Vec<RowError>,
    done: bool,
}

impl<'a> VcardReader<'a> {
    pub(crate) fn open(bytes: impl std::io::Read + 'a) -> VcardReader<'a> {
        let boxed: Box<dyn std::io::Read + 'a> = Box::new(bytes);
        VcardReader {
            lines: Unfolded::new(std::io::BufReader::new(text::Decoded::new(boxed))),
            card: None,
            saw_begin: false,
            errors: Vec::new(),
            done: false,
        }
    }

    /// Bytes of the file's text read so far, for a progress bar.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.lines.bytes
    }

    /// Every problem of the file in file order, once every card is read.
    pub(crate) fn into_errors(mut self) -> Vec<RowError> {
        self.errors.sort_by_key(|e| e.line);
        self.errors
    }

    /// What only the end of the file tells.
    fn end(&mut self) {
        self.done = true;
        if let Some(line) = self.lines.nul_line {
            // No text at all: its cards say nothing.
            self.errors = vec![text::not_text(line)];
            return;
        }
        if let Some((line, reason)) = self.lines.failed.take() {
            self.errors.push(RowError::new(
                line,
                "file",
                format!("cannot read: {reason}"),
            ));
        }
        if let Some(open) = self.card.take() {
            self.errors.push(unterminated(open.contact.line));
        }
        if !self.saw_begin && self.errors.is_empty() {
            self.errors.push(RowError::new(
                1,
                "BEGIN",
                "not a vCard file: no BEGIN:VCARD",
            ));
        }
    }
}

impl Iterator for VcardReader<'_> {
    type Item = ContactRow;

    fn next(&mut self) -> Option<ContactRow> {
        if self.done {
            return None;
        }
        for logical in self.lines.by_ref() {
            let Some(property) = parse_property(&logical.text) else {
                continue;
            };
            let line = logical.line;
            match property.name.as_str() {
                "BEGIN" if property.value.trim().eq_ignore_ascii_case("VCARD") => {
                    self.saw_begin = true;
                    if let Some(open) = self.card.take() {
                        self.errors.push(unterminated(open.contact.line));
                    }
                    self.card = Some(Card {
                        contact: ContactRow {
                            line,
                            ..ContactRow::default()
                        },
                        n_name: None,
                        kantas_own: false,
                    });
                }
                "END" if property.value.trim().eq_ignore_ascii_case("VCARD") => {
                    match self.card.take() {
                        Some(done) => return Some(finish(done, &mut self.errors)),
                        None => self.errors.push(RowError::new(
                            line,
                            "END",
                            "END:VCARD without BEGIN:VCARD",
                        )),
                    }
                }
                _ => {
                    if let Some(open) = self.card.as_mut()
                        && !property.is_binary()
                    {
                        read_property(&property, open, line, &mut self.errors);
                    }
                }
            }
        }
        self.end();
        None
    }
}

fn unterminated(line: usize) -> RowError {
    RowError::new(
        line,
        "BEGIN",
        "card has no END:VCARD (the file may be cut short)",
    )
}

fn finish(card: Card, errors: &mut Vec<RowError>) -> ContactRow {
    let mut contact = card.contact;
    // Company cards from phones often carry only ORG.
    contact.name = contact.name.or(card.n_name).or(contact.company.clone());
    contact.check("EMAIL", errors);
    if !card.kantas_own {
        contact.refuse_formulas(errors);
    }
    contact
}

fn read_property(
    property: &Property<'_>,
    card: &mut Card,
    line: usize,
    errors: &mut Vec<RowError>,
) {
    let value = property.decoded();
    let contact = &mut card.contact;
    match property.name.as_str() {
        "FN" => contact.name = non_empty(&unescape(&value)),
        "N" => {
            // Family;Given;Additional;Prefix;Suffix, read in speaking order.
            let parts = components(&value, ';');
            let order = [3, 1, 2, 0, 4];
            let words: Vec<&str> = order
                .iter()
                .filter_map(|&i| parts.get(i).map(|s| s.trim()))
                .filter(|s| !s.is_empty())
                .collect();
            card.n_name = non_empty(&words.join(" "));
        }
        "ORG" => {
            let parts = components(&value, ';');
            let units: Vec<&str> = parts
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            contact.company = non_empty(&units.join(", "));
        }
        "EMAIL" => contact.emails.extend(non_empty(&unescape(&value))),
        "TEL" => contact
            .phones
            .extend(non_empty(&phone_text(&unescape(&value)))),
        "ADR" if contact.address.is_none() && contact.city.is_none() => {
            // PO box;extended;street;locality;region;postal code;country
            let parts = components(&value, ';');
            let part = |i: usize| {
                parts
                    .get(i)
                    .map(|s| s.trim().replace('\n', ", "))
                    .unwrap_or_default()
            };
            let rest: Vec<String> = [0, 1, 2, 5, 4, 6]
                .iter()
                .map(|&i| part(i))
                .filter(|s| !s.is_empty())
                .collect();
            contact.address = non_empty(&rest.join(", "));
            contact.city = non_empty(&part(3));
        }
        "CATEGORIES" => contact.tags.extend(
            components(&value, ',')
                .iter()
                .filter_map(|t| non_empty(t))
                // Google puts every contact in its "myContacts" group.
                .filter(|t| t != "myContacts"),
        ),
        "NOTE" => {
            // Notes keep their spaces and line breaks, as the owner wrote them.
            let note = unescape(&value);
            if !note.is_empty() {
                contact.notes = Some(match contact.notes.take() {
                    Some(earlier) => format!("{earlier}\n{note}"),
                    None => note,
                });
            }
        }
        "BDAY" => match birthday(&unescape(&value)) {
            Ok(day) => contact.birthday = day,
            Err(reason) => errors.push(RowError::new(line, "BDAY", reason)),
        },
        "UID" => contact.reference = non_empty(&unescape(&value)),
        "PRODID" => card.kantas_own = unescape(&value).trim() == super::vcard_write::PRODID,
        "X-KANTA-REFERRED-BY" => contact.referred_by = non_empty(&unescape(&value)),
        "X-KANTA-MARKETING-CONSENT" => {
            contact.marketing_consent = flag(&value, property, line, errors)
        }
        "X-KANTA-PROSPECT" => contact.prospect = flag(&value, property, line, errors),
        "X-KANTA-ADVOCATE" => contact.advocate = flag(&value, property, line, errors),
        "X-KANTA-CONTACT-EVERY-DAYS" => match super::contacts_csv::cadence(&unescape(&value)) {
            Ok(days) => contact.contact_every_days = days,
            Err(reason) => errors.push(RowError::new(line, "X-KANTA-CONTACT-EVERY-DAYS", reason)),
        },
        "X-KANTA-SOURCE" => {
            let code = unescape(&value);
            match Source::parse(&code) {
                Some(source) => contact.source = Some(source),
                None => errors.push(RowError::new(
                    line,
                    "X-KANTA-SOURCE",
                    format!("unknown source {code:?}"),
                )),
            }
        }
        _ => {}
    }
}

/// A yes/no property of kanta's own, or None (with the error named) when it
/// is neither.
fn flag(
    value: &str,
    property: &Property<'_>,
    line: usize,
    errors: &mut Vec<RowError>,
) -> Option<bool> {
    let text = unescape(value);
    if text.trim().is_empty() {
        return None;
    }
    text::parse_bool(&text)
        .map_err(|e| errors.push(RowError::new(line, property.name.clone(), e.to_string())))
        .ok()
}

/// A phone as a TEL value writes it: free text, or a `tel:` URI whose
/// parameters are no part of the number. An extension (`tel:+358401234567;ext=12`,
/// RFC 3966) is kept as a person writes it, `+358401234567 ext. 12`, never glued
/// onto the number's digits.
fn phone_text(value: &str) -> String {
    let value = value.trim();
    let Some(uri) = value
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("tel:"))
        .map(|_| &value[4..])
    else {
        return value.to_string();
    };
    let mut parts = uri.split(';');
    let number = parts.next().unwrap_or("").trim().to_string();
    let extension = parts.find_map(|p| {
        p.split_once('=')
            .filter(|(k, _)| k.trim().eq_ignore_ascii_case("ext"))
            .map(|(_, v)| v.trim())
    });
    match extension {
        Some(ext) if !ext.is_empty() && !number.is_empty() => format!("{number} ext. {ext}"),
        _ => number,
    }
}

/// A birthday as phones write it. A day without a year (`--0412`, or Apple's
/// placeholder year 1604) is no date kanta can store, so it reads as none.
fn birthday(value: &str) -> Result<Option<chrono::NaiveDate>, String> {
    let v = value.trim();
    if v.is_empty() || v.starts_with("--") {
        return Ok(None);
    }
    let day = text::parse_date(v)
        .ok()
        .or_else(|| v.get(..8).and_then(text::parse_basic_date))
        .ok_or_else(|| format!("not a date: {v:?}"))?;
    Ok((chrono::Datelike::year(&day) != 1604).then_some(day))
}
