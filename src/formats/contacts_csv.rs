//! Contacts CSV (SPEC section 7): a header row, columns found by name.

use chrono::NaiveDate;

use super::orders_csv::csv_error;
use super::text;
use crate::domain::Source;
use crate::domain::email::check_email;

use super::{Header, LineCounter, ParseErrors, RowError, csv_reader, field, is_blank, non_empty};

/// One contact as read from a CSV or vCard file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactRow {
    /// 1-based physical line in the file (a vCard's `BEGIN` line).
    pub line: usize,
    pub reference: Option<String>,
    pub name: Option<String>,
    pub company: Option<String>,
    pub emails: Vec<String>,
    /// As written; the importer normalizes them (`formats::phone`).
    pub phones: Vec<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub tags: Vec<String>,
    pub source: Option<Source>,
    /// The `ref` of the customer who recommended this one.
    pub referred_by: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub notes: Option<String>,
}

impl ContactRow {
    /// The row-level checks shared by CSV and vCard: something to know the
    /// contact by, and emails that look like emails.
    pub(crate) fn check(&self, email_column: &str, errors: &mut Vec<RowError>) {
        if self.name.is_none() && self.reference.is_none() && self.emails.is_empty() {
            errors.push(RowError::new(
                self.line,
                "name",
                "a contact needs a name, a ref or an email",
            ));
        }
        let texts = [
            ("name", self.name.as_deref()),
            ("company", self.company.as_deref()),
            ("city", self.city.as_deref()),
        ];
        let tags = self.tags.iter().map(|t| ("tags", Some(t.as_str())));
        for (column, value) in texts.into_iter().chain(tags) {
            if let Some(reason) = value.and_then(text::formula_risk) {
                errors.push(RowError::new(self.line, column, reason));
            }
        }
        for email in &self.emails {
            if let Err(bad) = check_email(email) {
                errors.push(RowError::new(self.line, email_column, bad.to_string()));
            }
        }
    }
}

/// Splits a list field on `,` or `;`, trimming and dropping empty items.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

struct Columns {
    reference: Option<usize>,
    name: Option<usize>,
    company: Option<usize>,
    email: Option<usize>,
    phone: Option<usize>,
    address: Option<usize>,
    city: Option<usize>,
    tags: Option<usize>,
    source: Option<usize>,
    referred_by: Option<usize>,
    birthday: Option<usize>,
    notes: Option<usize>,
}

impl Columns {
    fn find(header: &Header) -> Columns {
        let any = |names: &[&'static str]| header.first_of(names).map(|(i, _)| i);
        Columns {
            reference: any(&["ref", "customer_id"]),
            name: any(&["name"]),
            company: any(&["company"]),
            email: any(&["email"]),
            phone: any(&["phone"]),
            address: any(&["address"]),
            city: any(&["city"]),
            tags: any(&["tags"]),
            source: any(&["source"]),
            referred_by: any(&["referred_by"]),
            birthday: any(&["birthday"]),
            notes: any(&["notes", "note"]),
        }
    }
}

/// Reads a contacts CSV. Returns every bad row, or none.
pub fn parse_contacts_csv(bytes: &[u8]) -> Result<Vec<ContactRow>, ParseErrors> {
    let text = text::decode(bytes);
    text::refuse_binary(&text)?;
    let mut reader = csv_reader(&text);
    let mut lines = LineCounter::new(&text);
    let mut record = csv::ByteRecord::new();
    let mut header = None;
    let mut contacts = Vec::new();
    let mut errors = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) if is_blank(&record) => {}
            Ok(true) => match &header {
                None => {
                    let h = Header::new(record.iter());
                    let columns = Columns::find(&h);
                    if columns.name.is_none()
                        && columns.reference.is_none()
                        && columns.email.is_none()
                    {
                        return Err(ParseErrors::one(RowError::new(
                            lines.line_of(&record),
                            "name/ref/email",
                            "missing column: a contacts file needs name, ref or email",
                        )));
                    }
                    header = Some(columns);
                }
                Some(columns) => {
                    let before = errors.len();
                    let contact = parse_row(&record, lines.line_of(&record), columns, &mut errors);
                    if errors.len() == before {
                        contacts.push(contact);
                    }
                }
            },
            Ok(false) => break,
            Err(e) => {
                errors.push(csv_error(&e));
                break;
            }
        }
    }
    if header.is_none() {
        return Err(ParseErrors::one(RowError::new(
            1,
            "header",
            "the file is empty",
        )));
    }
    if errors.is_empty() {
        Ok(contacts)
    } else {
        Err(ParseErrors { errors })
    }
}

fn parse_row(
    record: &csv::ByteRecord,
    line: usize,
    c: &Columns,
    errors: &mut Vec<RowError>,
) -> ContactRow {
    let source_text = field(record, c.source);
    let source = if source_text.is_empty() {
        None
    } else {
        let parsed = Source::parse(source_text);
        if parsed.is_none() {
            errors.push(RowError::new(
                line,
                "source",
                format!(
                    "unknown source {source_text:?} (one of: offer, walk-in, referral, campaign, other)"
                ),
            ));
        }
        parsed
    };
    let birthday_text = field(record, c.birthday);
    let birthday = if birthday_text.is_empty() {
        None
    } else {
        text::parse_date(birthday_text)
            .map_err(|e| errors.push(RowError::new(line, "birthday", e.to_string())))
            .ok()
    };
    let contact = ContactRow {
        line,
        reference: non_empty(field(record, c.reference)),
        name: non_empty(field(record, c.name)),
        company: non_empty(field(record, c.company)),
        emails: split_list(field(record, c.email)),
        phones: split_list(field(record, c.phone)),
        address: non_empty(field(record, c.address)),
        city: non_empty(field(record, c.city)),
        tags: split_list(field(record, c.tags)),
        source,
        referred_by: non_empty(field(record, c.referred_by)),
        birthday,
        notes: non_empty(field(record, c.notes)),
    };
    contact.check("email", errors);
    contact
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_columns() {
        let file = "Ref;Name;Company;Email;Phone;City;Tags;Source;Referred_by;Birthday\n\
                    K1;Liisa Mäkinen;Mäkinen Oy;liisa@x.fi, l@y.fi;040 123 4567;Tampere;\"vip, kahvi\";suositus;K0;12.4.1985\n";
        let rows = parse_contacts_csv(file.as_bytes()).unwrap();
        let c = &rows[0];
        assert_eq!(c.line, 2);
        assert_eq!(c.reference.as_deref(), Some("K1"));
        assert_eq!(c.company.as_deref(), Some("Mäkinen Oy"));
        assert_eq!(c.emails, ["liisa@x.fi", "l@y.fi"]);
        assert_eq!(c.phones, ["040 123 4567"]);
        assert_eq!(c.tags, ["vip", "kahvi"]);
        assert_eq!(c.source, Some(Source::Referral));
        assert_eq!(c.referred_by.as_deref(), Some("K0"));
        assert_eq!(c.birthday, NaiveDate::from_ymd_opt(1985, 4, 12));
    }

    #[test]
    fn formulas_in_text_cells_are_row_errors() {
        let file = include_bytes!("../../tests/fixtures/formats/contacts_formula.csv");
        let err = parse_contacts_csv(file).unwrap_err();
        let found: Vec<String> = err
            .errors
            .iter()
            .map(|e| format!("{}:{}", e.line, e.column))
            .collect();
        assert_eq!(found, ["3:name", "4:company"]);
        assert!(err.errors[0].reason.contains("formula"));
    }

    #[test]
    fn tags_split_on_semicolons_inside_a_comma_file() {
        let rows = parse_contacts_csv(b"customer_id,tags\nC1,a;b; c\n").unwrap();
        assert_eq!(rows[0].reference.as_deref(), Some("C1"));
        assert_eq!(rows[0].tags, ["a", "b", "c"]);
    }

    #[test]
    fn every_bad_row_is_reported() {
        let file = "name,email,source,company\n\
                    Anna,anna.at.x.fi,,\n\
                    ,,,Firma Oy\n\
                    Bo,bo@x.se,friends,\n\
                    Cy,cy@@x,,\n\
                    Di,di@x.fi,offer,\n";
        let err = parse_contacts_csv(file.as_bytes()).unwrap_err();
        let found: Vec<String> = err
            .errors
            .iter()
            .map(|e| format!("{}:{}", e.line, e.column))
            .collect();
        assert_eq!(found, ["2:email", "3:name", "4:source", "5:email"]);
    }

    #[test]
    fn a_file_without_identifying_columns_is_refused() {
        let err = parse_contacts_csv(b"company,city\nX,Y\n").unwrap_err();
        assert_eq!(err.errors[0].line, 1);
        assert!(parse_contacts_csv(b"\n\n").is_err());
    }

    #[test]
    fn email_sanity() {
        use crate::domain::email::is_email;
        assert!(!is_email("@b"));
        assert!(!is_email("a@"));
        assert!(!is_email("a b@c"));
        assert!(!is_email("040 123"));
    }
}
