//! kanta's own JSON exports read back: `export contacts --format json` and
//! `export orders --format json`, an array of objects with the fields of the
//! export. The array is read one object at a time, so a file of any size
//! takes the same memory.

use std::io::{BufRead, Read};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::contacts_csv::cadence;
use super::order_rows::OrderRow;
use super::text::{self, Decoded};
use super::{ContactRow, RowError};
use crate::domain::Source;

/// Whether a file's first bytes (after any BOM and spaces) open a JSON array.
pub(crate) fn looks_like_json(start: &[u8]) -> bool {
    let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    start.trim_ascii_start().starts_with(b"[")
}

/// Counts the line breaks of what is read through it.
struct Counted<R> {
    inner: R,
    /// The physical line of the next byte.
    line: usize,
    bytes: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count(&buf[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        let newlines = self
            .inner
            .fill_buf()
            .map(|b| {
                b[..amount.min(b.len())]
                    .iter()
                    .filter(|&&c| c == b'\n')
                    .count()
            })
            .unwrap_or(0);
        self.line += newlines;
        self.bytes += amount as u64;
        self.inner.consume(amount);
    }
}

impl<R> Counted<R> {
    fn count(&mut self, bytes: &[u8]) {
        self.line += bytes.iter().filter(|&&c| c == b'\n').count();
        self.bytes += bytes.len() as u64;
    }
}

/// Where the reader stands in the array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    BeforeArray,
    First,
    Later,
    Done,
}

/// The objects of a JSON array, one at a time, each with the line it starts on.
struct Objects<'a> {
    input: Counted<std::io::BufReader<Decoded<Box<dyn Read + 'a>>>>,
    place: Place,
    errors: Vec<RowError>,
}

impl<'a> Objects<'a> {
    fn open(bytes: impl Read + 'a) -> Objects<'a> {
        let boxed: Box<dyn Read + 'a> = Box::new(bytes);
        Objects {
            input: Counted {
                inner: std::io::BufReader::new(Decoded::new(boxed)),
                line: 1,
                bytes: 0,
            },
            place: Place::BeforeArray,
            errors: Vec::new(),
        }
    }

    /// The next byte that is not white space, not consumed; None at the end.
    fn peek(&mut self) -> Option<u8> {
        loop {
            let buffer = match self.input.fill_buf() {
                Ok(buffer) => buffer,
                Err(e) => {
                    let line = self.input.line;
                    self.fail(line, format!("cannot read: {e}"));
                    return None;
                }
            };
            if buffer.is_empty() {
                return None;
            }
            match buffer.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(at) => {
                    let byte = buffer[at];
                    self.input.consume(at);
                    return Some(byte);
                }
                None => {
                    let all = buffer.len();
                    self.input.consume(all);
                }
            }
        }
    }

    fn fail(&mut self, line: usize, reason: String) {
        self.errors.push(RowError::new(line, "file", reason));
        self.place = Place::Done;
    }

    /// The next object of the array and its line, or None at its end (or at
    /// an error that leaves the rest unreadable, which is kept).
    fn next_object(&mut self) -> Option<(usize, serde_json::Value)> {
        loop {
            match self.place {
                Place::Done => return None,
                Place::BeforeArray => match self.peek() {
                    Some(b'[') => {
                        self.input.consume(1);
                        self.place = Place::First;
                    }
                    _ => {
                        let line = self.input.line;
                        self.fail(
                            line,
                            "not a JSON export of kanta: it does not begin with [".into(),
                        );
                    }
                },
                Place::First | Place::Later => {
                    let byte = self.peek();
                    let line = self.input.line;
                    match byte {
                        Some(b']') => {
                            self.input.consume(1);
                            self.place = Place::Done;
                            if self.peek().is_some() {
                                let line = self.input.line;
                                self.fail(line, "text after the end of the JSON array".into());
                            }
                            return None;
                        }
                        Some(b',') if self.place == Place::Later => {
                            self.input.consume(1);
                            self.place = Place::First;
                            // A comma must be followed by an object.
                            if self.peek() == Some(b']') {
                                let line = self.input.line;
                                self.fail(line, "a comma before the end of the array".into());
                                return None;
                            }
                        }
                        Some(b'{') if self.place == Place::First => {
                            let mut reader = serde_json::Deserializer::from_reader(&mut self.input);
                            return match serde_json::Value::deserialize(&mut reader) {
                                Ok(value) => {
                                    self.place = Place::Later;
                                    Some((line, value))
                                }
                                Err(e) => {
                                    // The error's own position counts from the object.
                                    let at = line + e.line().saturating_sub(1);
                                    let text = e.to_string();
                                    let reason = text
                                        .rsplit_once(" at line ")
                                        .map_or(text.as_str(), |(reason, _)| reason);
                                    self.fail(at, format!("unreadable JSON: {reason}"));
                                    None
                                }
                            };
                        }
                        None => {
                            self.fail(
                                line,
                                "the JSON array never closes (the file may be cut short)".into(),
                            );
                            return None;
                        }
                        Some(other) => {
                            let what = if self.place == Place::First {
                                "an object"
                            } else {
                                "a comma or the end of the array"
                            };
                            self.fail(
                                line,
                                format!("expected {what}, found {:?}", char::from(other)),
                            );
                            return None;
                        }
                    }
                }
            }
        }
    }

    /// One object as `T`, or the row's error (named by the object's line).
    fn typed<T: DeserializeOwned>(&mut self, line: usize, value: serde_json::Value) -> Option<T> {
        match serde_json::from_value(value) {
            Ok(typed) => Some(typed),
            Err(e) => {
                self.errors
                    .push(RowError::new(line, "object", e.to_string()));
                None
            }
        }
    }

    fn into_errors(mut self) -> Vec<RowError> {
        self.errors.sort_by_key(|e| e.line);
        self.errors
    }
}

/// One customer as `export contacts --format json` writes it and the JSON
/// import reads it; in a file every field may be left out.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct JsonContact {
    #[serde(rename = "ref")]
    reference: Option<String>,
    name: Option<String>,
    company: Option<String>,
    #[serde(default)]
    emails: Vec<String>,
    #[serde(default)]
    phones: Vec<String>,
    address: Option<String>,
    city: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    source: Option<String>,
    referred_by: Option<String>,
    notes: Option<String>,
    marketing_consent: Option<bool>,
    prospect: Option<bool>,
    advocate: Option<bool>,
    contact_every_days: Option<i64>,
}

/// A contact as the export writes it: the notes and flags always, a field
/// it does not hold as `null`.
impl From<&ContactRow> for JsonContact {
    fn from(row: &ContactRow) -> JsonContact {
        JsonContact {
            reference: row.reference.clone(),
            name: row.name.clone(),
            company: row.company.clone(),
            emails: row.emails.clone(),
            phones: row.phones.clone(),
            address: row.address.clone(),
            city: row.city.clone(),
            tags: row.tags.clone(),
            source: row.source.map(|s| s.code().to_string()),
            referred_by: row.referred_by.clone(),
            notes: Some(row.notes.clone().unwrap_or_default()),
            marketing_consent: Some(row.marketing_consent.unwrap_or(false)),
            prospect: Some(row.prospect.unwrap_or(false)),
            advocate: Some(row.advocate.unwrap_or(false)),
            contact_every_days: row.contact_every_days.map(i64::from),
        }
    }
}

/// The customers of a JSON contacts export, one at a time; every row comes
/// out, bad ones too, as the other contacts readers do.
pub(crate) struct JsonContacts<'a> {
    objects: Objects<'a>,
}

impl<'a> JsonContacts<'a> {
    pub(crate) fn open(bytes: impl Read + 'a) -> JsonContacts<'a> {
        JsonContacts {
            objects: Objects::open(bytes),
        }
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        self.objects.input.bytes
    }

    pub(crate) fn into_errors(self) -> Vec<RowError> {
        self.objects.into_errors()
    }
}

/// Text as the store holds it: None when empty.
fn text_of(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

impl Iterator for JsonContacts<'_> {
    type Item = ContactRow;

    fn next(&mut self) -> Option<ContactRow> {
        loop {
            let (line, value) = self.objects.next_object()?;
            let Some(contact) = self.objects.typed::<JsonContact>(line, value) else {
                continue;
            };
            let errors = &mut self.objects.errors;
            let source = contact.source.filter(|s| !s.is_empty()).and_then(|code| {
                let parsed = Source::parse(&code);
                if parsed.is_none() {
                    errors.push(RowError::new(
                        line,
                        "source",
                        format!(
                            "unknown source {code:?} (one of: offer, walk-in, referral, campaign, other)"
                        ),
                    ));
                }
                parsed
            });
            let days = contact.contact_every_days.map(|d| d.to_string());
            let contact_every_days = cadence(days.as_deref().unwrap_or(""))
                .map_err(|reason| errors.push(RowError::new(line, "contact_every_days", reason)))
                .ok()
                .flatten();
            let trimmed = |list: Vec<String>| -> Vec<String> {
                list.into_iter()
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .collect()
            };
            let row = ContactRow {
                line,
                reference: text_of(contact.reference).map(|r| r.trim().to_string()),
                name: text_of(contact.name).map(|n| n.trim().to_string()),
                company: text_of(contact.company).map(|c| c.trim().to_string()),
                emails: trimmed(contact.emails),
                phones: trimmed(contact.phones),
                address: text_of(contact.address).map(|a| a.trim().to_string()),
                city: text_of(contact.city).map(|c| c.trim().to_string()),
                tags: trimmed(contact.tags),
                source,
                referred_by: text_of(contact.referred_by).map(|r| r.trim().to_string()),
                birthday: None,
                // Notes keep their spaces and line breaks.
                notes: contact.notes.filter(|n| !n.is_empty()),
                marketing_consent: contact.marketing_consent,
                prospect: contact.prospect,
                advocate: contact.advocate,
                contact_every_days,
            }
            .named_after_company();
            row.check("emails", errors);
            return Some(row);
        }
    }
}

/// One order as `export orders --format json` writes it.
#[derive(Debug, Deserialize)]
struct Order {
    customer: Option<String>,
    date: Option<String>,
    amount_cents: Option<i64>,
    quantity: Option<i64>,
    order_id: Option<String>,
    #[serde(default)]
    discount: bool,
    note: Option<String>,
}

/// The orders of a JSON orders export, one at a time; bad ones are kept as
/// errors for the end.
pub(crate) struct JsonOrders<'a> {
    objects: Objects<'a>,
}

impl<'a> JsonOrders<'a> {
    pub(crate) fn open(bytes: impl Read + 'a) -> JsonOrders<'a> {
        JsonOrders {
            objects: Objects::open(bytes),
        }
    }

    pub(crate) fn bytes_read(&self) -> u64 {
        self.objects.input.bytes
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.objects.errors.is_empty()
    }

    pub(crate) fn into_errors(self) -> Vec<RowError> {
        self.objects.into_errors()
    }
}

impl Iterator for JsonOrders<'_> {
    type Item = OrderRow;

    fn next(&mut self) -> Option<OrderRow> {
        loop {
            let (line, value) = self.objects.next_object()?;
            let Some(order) = self.objects.typed::<Order>(line, value) else {
                continue;
            };
            let errors = &mut self.objects.errors;
            let before = errors.len();
            let customer = text_of(order.customer).map(|c| c.trim().to_string());
            if customer.is_none() {
                errors.push(RowError::new(line, "customer", "empty"));
            }
            let date = match text::parse_date(order.date.as_deref().unwrap_or("")) {
                Ok(date) => Some(date),
                Err(e) => {
                    errors.push(RowError::new(line, "date", e.to_string()));
                    None
                }
            };
            let amount = match order.amount_cents {
                Some(cents) if crate::domain::money::within_bound(cents) => Some(cents),
                Some(cents) => {
                    errors.push(RowError::new(
                        line,
                        "amount_cents",
                        format!("{cents} is too large"),
                    ));
                    None
                }
                None => {
                    errors.push(RowError::new(line, "amount_cents", "empty"));
                    None
                }
            };
            let (Some(customer_key), Some(date), Some(amount_cents)) = (customer, date, amount)
            else {
                continue;
            };
            if errors.len() > before {
                continue;
            }
            return Some(OrderRow {
                line,
                customer_key,
                date,
                amount_cents,
                quantity: order.quantity,
                order_id: text_of(order.order_id).map(|o| o.trim().to_string()),
                name: None,
                email: None,
                phone: None,
                discount: order.discount,
                note: order.note.filter(|n| !n.is_empty()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_read_one_at_a_time_with_their_lines() {
        let file = "[\n  {\n    \"customer\": \"K1\",\n    \"date\": \"2026-01-02\",\n    \
                    \"amount_cents\": 1250,\n    \"quantity\": 2,\n    \"order_id\": null,\n    \
                    \"discount\": true,\n    \"note\": \" two\\nlines \"\n  },\n  {\n    \
                    \"customer\": \"K2\",\n    \"date\": \"2026-02-30\",\n    \"amount_cents\": 5\n  }\n]\n";
        let mut orders = JsonOrders::open(file.as_bytes());
        let first = orders.next().unwrap();
        assert_eq!((first.line, first.amount_cents), (2, 1250));
        assert_eq!(first.note.as_deref(), Some(" two\nlines "));
        assert!(first.discount);
        assert!(orders.next().is_none());
        let errors = orders.into_errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column.as_str()), (11, "date"));
    }

    #[test]
    fn a_broken_array_is_named_where_it_breaks() {
        for (file, line) in [
            ("", 1),
            ("{}", 1),
            ("[\n{\"customer\": \"K1\",\n", 3),
            (
                "[\n{\"customer\": \"K1\", \"date\": \"2026-01-01\", \"amount_cents\": 1}\n",
                3,
            ),
            ("[1]", 1),
            ("[] x", 1),
        ] {
            let mut orders = JsonOrders::open(file.as_bytes());
            while orders.next().is_some() {}
            let errors = orders.into_errors();
            assert_eq!(errors.len(), 1, "{file:?}: {errors:?}");
            assert_eq!(errors[0].line, line, "{file:?}: {errors:?}");
        }
        assert!(looks_like_json(b"\xEF\xBB\xBF  \n[{"));
        assert!(!looks_like_json(b"ref,name\n"));
    }

    #[test]
    fn contacts_keep_every_field() {
        let file = r#"[{"ref": "K1", "name": "Aino", "company": null, "emails": ["a@x.fi"],
            "phones": ["+358 40 1"], "address": null, "city": "Oulu", "tags": ["a, b"],
            "source": "walk-in", "referred_by": "K0", "notes": "  kept  ",
            "marketing_consent": true, "prospect": false, "advocate": true,
            "contact_every_days": 30}]"#;
        let mut contacts = JsonContacts::open(file.as_bytes());
        let row = contacts.next().unwrap();
        assert!(contacts.next().is_none());
        assert!(contacts.into_errors().is_empty());
        assert_eq!(row.tags, ["a, b"]);
        assert_eq!(row.notes.as_deref(), Some("  kept  "));
        assert_eq!(
            (
                row.marketing_consent,
                row.prospect,
                row.advocate,
                row.contact_every_days
            ),
            (Some(true), Some(false), Some(true), Some(30))
        );
        assert_eq!(row.source, Some(Source::WalkIn));
    }
}
