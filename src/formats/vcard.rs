//! Reading vCard 2.1, 3.0 and 4.0 contacts: phone exports (Android, Nokia,
//! iPhone) and Google Contacts.

use std::borrow::Cow;

use crate::domain::Source;

use super::text;
use super::{ContactRow, ContactsRead, ParseErrors, RowError, non_empty};

/// One unfolded content line and the physical line it began on.
struct Logical {
    line: usize,
    text: String,
}

fn is_quoted_printable(name_part: &str) -> bool {
    name_part.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

/// Joins folded lines (3.0/4.0: a line starting with a space or tab continues the
/// previous one) and quoted-printable soft line breaks (2.1: a line ending in `=`).
fn unfold(text: &str) -> Vec<Logical> {
    let mut lines: Vec<Logical> = Vec::new();
    let mut open_soft_break = false;
    for (i, physical) in text.split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        if open_soft_break && let Some(last) = lines.last_mut() {
            last.text.pop();
            last.text.push_str(physical);
            open_soft_break = soft_break(&last.text);
            continue;
        }
        if let (Some(rest), Some(last)) = (physical.strip_prefix([' ', '\t']), lines.last_mut()) {
            last.text.push_str(rest);
        } else if !physical.trim().is_empty() {
            lines.push(Logical {
                line: i + 1,
                text: physical.to_string(),
            });
        }
        open_soft_break = lines.last().is_some_and(|l| soft_break(&l.text));
    }
    lines
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
}

/// Reads every card of a `.vcf` file. Returns every bad card, or none.
pub fn parse_vcards(bytes: &[u8]) -> Result<Vec<ContactRow>, ParseErrors> {
    read_vcards(bytes).into_result()
}

/// Reads every card of a `.vcf` file, bad ones included, with every problem.
pub fn read_vcards(bytes: &[u8]) -> ContactsRead {
    let text = text::decode(bytes);
    if let Err(e) = text::refuse_binary(&text) {
        return ContactsRead {
            rows: Vec::new(),
            errors: e.errors,
        };
    }
    let mut contacts = Vec::new();
    let mut errors = Vec::new();
    let mut card: Option<Card> = None;
    let mut saw_begin = false;
    for logical in unfold(&text) {
        let Some(property) = parse_property(&logical.text) else {
            continue;
        };
        let line = logical.line;
        match property.name.as_str() {
            "BEGIN" if property.value.trim().eq_ignore_ascii_case("VCARD") => {
                saw_begin = true;
                if let Some(open) = card.take() {
                    errors.push(unterminated(open.contact.line));
                }
                card = Some(Card {
                    contact: ContactRow {
                        line,
                        ..ContactRow::default()
                    },
                    n_name: None,
                });
            }
            "END" if property.value.trim().eq_ignore_ascii_case("VCARD") => match card.take() {
                Some(done) => finish(done, &mut contacts, &mut errors),
                None => errors.push(RowError::new(line, "END", "END:VCARD without BEGIN:VCARD")),
            },
            _ => {
                if let Some(open) = card.as_mut()
                    && !property.is_binary()
                {
                    read_property(&property, open, line, &mut errors);
                }
            }
        }
    }
    if let Some(open) = card {
        errors.push(unterminated(open.contact.line));
    }
    if !saw_begin && errors.is_empty() {
        errors.push(RowError::new(
            1,
            "BEGIN",
            "not a vCard file: no BEGIN:VCARD",
        ));
    }
    errors.sort_by_key(|e| e.line);
    ContactsRead {
        rows: contacts,
        errors,
    }
}

fn unterminated(line: usize) -> RowError {
    RowError::new(
        line,
        "BEGIN",
        "card has no END:VCARD (the file may be cut short)",
    )
}

fn finish(card: Card, contacts: &mut Vec<ContactRow>, errors: &mut Vec<RowError>) {
    let mut contact = card.contact;
    // Company cards from phones often carry only ORG.
    contact.name = contact.name.or(card.n_name).or(contact.company.clone());
    contact.check("EMAIL", errors);
    contacts.push(contact);
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
        "TEL" => {
            let number = unescape(&value);
            let number = number.trim();
            let number = number
                .get(..4)
                .filter(|p| p.eq_ignore_ascii_case("tel:"))
                .map_or(number, |_| &number[4..]);
            contact.phones.extend(non_empty(number));
        }
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
            if let Some(note) = non_empty(&unescape(&value)) {
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
        "X-KANTA-REFERRED-BY" => contact.referred_by = non_empty(&unescape(&value)),
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
